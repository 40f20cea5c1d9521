"""What each page shows, as plain data (the JSON twin) — the templates only lay it out.

Article text is turned into HTML here with :func:`html.escape` on every piece of text, and
handed to the templates as ``Markup``; everything else goes through Jinja2's autoescaping.
"""

from __future__ import annotations

from collections import defaultdict
from html import escape
from typing import Any

from markupsafe import Markup

from marsad.core.article import CONTENT_KINDS
from marsad.store import query, watchlists
from marsad.store.db import DB
from marsad.store.search import facets, search
from marsad.web import briefing, svg
from marsad.web.digest import Digest, info

#: Layers highlighted in article text: layer name -> CSS class and label.
HIGHLIGHT = {
    "mentions": ("ent", "كيان"),
    "quotes": ("quote", "اقتباس"),
    "dates": ("date", "تاريخ"),
    "quantities": ("qty", "رقم"),
}


def _span(row: dict[str, Any]) -> tuple[int, int] | None:
    s, e = row.get("start"), row.get("end")
    if s is None and isinstance(row.get("content"), dict):
        s, e = row["content"].get("start"), row["content"].get("end")
    if isinstance(s, int) and isinstance(e, int) and e > s:
        return s, e
    return None


def _marks(layers: dict[str, list[dict[str, Any]]]) -> list[tuple[int, int, str, str]]:
    spans = []
    for layer, rows in layers.items():
        cls, label = HIGHLIGHT.get(layer, ("other", layer))
        for r in rows:
            sp = _span(r)
            if sp:
                typ = r.get("type") or r.get("kind") or r.get("unit") or ""
                spans.append((sp[0], sp[1], cls, f"{label} {typ}".strip()))
    spans.sort(key=lambda s: (s[0], -(s[1] - s[0])))
    out, last = [], -1
    for s in spans:
        if s[0] >= last:
            out.append(s)
            last = s[1]
    return out


def _render(text: str, start: int, end: int, marks: list[tuple[int, int, str, str]]) -> str:
    parts, pos = [], start
    for s, e, cls, label in marks:
        if e <= start or s >= end:
            continue
        s, e = max(s, start), min(e, end)
        if s < pos:
            continue
        parts.append(escape(text[pos:s]))
        parts.append(
            f'<mark class="{cls}" title="{escape(label)}" data-start="{s}" data-end="{e}">'
            f"{escape(text[s:e])}</mark>"
        )
        pos = e
    parts.append(escape(text[pos:end]))
    return "".join(parts)


def render_block(
    text: str,
    start: int,
    end: int,
    marks: list[tuple[int, int, str, str]],
    hl: tuple[int, int] | None,
) -> str:
    """A block's HTML; the cited span ``hl`` (if inside) is one ``<mark class="hl">`` element."""
    if hl is None or hl[1] <= start or hl[0] >= end:
        return _render(text, start, end, marks)
    hs, he = max(hl[0], start), min(hl[1], end)
    return (
        _render(text, start, hs, marks)
        + f'<mark class="hl" id="hl" data-start="{hs}" data-end="{he}">'
        + _render(text, hs, he, marks)
        + "</mark>"
        + _render(text, he, end, marks)
    )


#: Longest lists a story page shows (its JSON twin has the same rows and the totals).
SHOWN = 100
#: Articles of a story whose statements and figures are read (the newest ones).
LAYER_DOCS = 300


# -- pages ------------------------------------------------------------------------------------
def article(db: DB, doc_id: str, hl: tuple[int, int] | None = None) -> dict[str, Any] | None:
    doc = query.document(db, doc_id)
    if doc is None:
        return None
    doc.pop("raw", None)
    text = doc["text"]
    if hl is not None and not (0 <= hl[0] < hl[1] <= len(text)):
        hl = None
    marks = _marks(doc["layers"])
    blocks_html = []
    for b in doc["blocks"]:
        m = marks if b["kind"] in CONTENT_KINDS else []
        blocks_html.append(
            {
                "kind": b["kind"],
                "start": b["start"],
                "end": b["end"],
                "html": Markup(render_block(text, b["start"], b["end"], m, hl)),
            }
        )
    stories = [
        r[0] for r in db.all("SELECT story FROM story_docs WHERE doc = ? ORDER BY story", (doc_id,))
    ]
    db.end_read()
    return {
        "document": doc,
        "highlight": {"start": hl[0], "end": hl[1], "text": text[hl[0] : hl[1]]} if hl else None,
        "stories": stories,
        "_blocks_html": blocks_html,
    }


def _num(x: Any) -> float | None:
    try:
        return float(x)
    except (TypeError, ValueError):
        return None


def story(db: DB, story_id: str, g: Digest) -> dict[str, Any] | None:
    st = query.collection_item(db, "stories", story_id)
    if st is None:
        return None
    doc_ids = [str(d) for d in dict.fromkeys(st.get("documents") or [])]
    docs = query.document_summaries(db, doc_ids)
    summary = []
    for k, s in enumerate(st.get("summary") or [], 1):
        d = docs.get(str(s.get("doc")), {})
        summary.append({**s, "n": k, "outlet": d.get("outlet"), "title": d.get("title")})
    timeline = sorted(st.get("timeline") or [], key=lambda t: str(t.get("date") or ""))
    for t in timeline:
        t["outlet"] = docs.get(str(t.get("doc")), {}).get("outlet")
    # Statements and figures of a very large story are read from its newest LAYER_DOCS articles.
    newest = sorted(
        doc_ids, key=lambda d: str(docs.get(d, {}).get("published") or ""), reverse=True
    )
    layer_docs = newest[:LAYER_DOCS]
    quotes = query.layer_rows(db, layer_docs, "quotes")
    for q in quotes:
        q["outlet"] = docs.get(str(q.get("doc")), {}).get("outlet")
    figures = query.layer_rows(db, layer_docs, "quantities")
    by_unit: dict[str, dict[str, list[dict[str, Any]]]] = defaultdict(lambda: defaultdict(list))
    for f in figures:
        f["outlet"] = docs.get(str(f.get("doc")), {}).get("outlet")
        outlet = f["outlet"] or str(f.get("doc"))
        by_unit[str(f.get("unit") or "—")][outlet].append(f)
    figure_table = [
        {"unit": u, "outlets": {o: [f.get("text") for f in fs] for o, fs in outlets.items()}}
        for u, outlets in sorted(by_unit.items())
    ]
    contradictions = st.get("contradictions")
    derived = False
    if contradictions is None:
        # Not given by the story clustering: list units whose values differ between outlets.
        derived = True
        contradictions = []
        for u, outlets in sorted(by_unit.items()):
            values = {
                o: sorted({v for f in fs if (v := _num(f.get("value"))) is not None})
                for o, fs in outlets.items()
            }
            values = {o: v for o, v in values.items() if v}
            if len(values) > 1 and len({tuple(v) for v in values.values()}) > 1:
                contradictions.append({"unit": u, "values": values})
    articles = [docs[d] for d in doc_ids if d in docs]
    articles.sort(key=lambda a: str(a.get("published") or ""))
    extra = {
        k: v
        for k, v in st.items()
        if k not in ("id", "title", "documents", "summary", "timeline", "contradictions")
    }
    return {
        "id": st.get("id"),
        "title": st.get("title"),
        "summary": summary,
        "timeline": timeline[:SHOWN],
        "timeline_total": len(timeline),
        "quotes": quotes[:SHOWN],
        "quotes_total": len(quotes),
        "layers_from_articles": len(layer_docs),
        "figures": figure_table,
        "contradictions": contradictions,
        "contradictions_derived": derived,
        "articles": articles[:SHOWN],
        "articles_total": len(articles),
        "coverage": briefing.coverage(db, g, str(st.get("id")), quotes, figures),
        "extra": extra,
        "_timeline_svg": Markup(svg.timeline(timeline[:SHOWN])),
    }


def entity(db: DB, entity_id: str, g: Digest) -> dict[str, Any] | None:
    ent = query.collection_item(db, "entities", entity_id)
    if ent is None:
        return None
    mentions = ent.get("mentions") or []
    extra = briefing.entity_extra(db, g, entity_id)
    neighbours = [(e, e["shared_articles"]) for e in extra["cooccurring"]]
    per_day = extra["per_day"]
    return {
        "id": ent.get("id"),
        "name": ent.get("name"),
        "type": ent.get("type"),
        "mentions_total": len(mentions),
        "mentions": mentions[:200],
        **extra,
        "_graph_svg": Markup(svg.graph(ent, neighbours)) if neighbours else "",
        "_mentions_svg": Markup(svg.bars(*svg.series({p["day"]: p["articles"] for p in per_day})))
        if per_day
        else "",
    }


def search_page(db: DB, params: dict[str, str | None], g: Digest, page: int = 1) -> dict[str, Any]:
    q = params.get("q") or ""
    filters = {k: params.get(k) or None for k in ("entity", "outlet", "since", "until", "story")}
    ran = bool(q.strip()) or any(filters.values())
    per = 30
    hits = search(db, q, limit=per * page, **filters)[per * (page - 1) :] if ran else []
    fc = facets(db, q, **filters) if ran else facets(db, "")
    for row in fc["story"]:
        row["label"] = g.story_title.get(row["value"])
    for row in fc["entity"]:
        row["label"] = info(g, row["value"])["name"]
    return {
        "query": q,
        "filters": filters,
        "page": page,
        "hits": [h.to_json() for h in hits],
        "facets": fc,
        "_snippets_html": [[Markup(s.html()) for s in h.snippets] for h in hits],
    }


def watchlists_page(db: DB, writable: bool) -> dict[str, Any]:
    return {
        "available": watchlists.available(db),
        "writable": writable,
        "watchlists": watchlists.all_watchlists(db),
    }


def watchlist_page(db: DB, n: int, since: str | None) -> dict[str, Any] | None:
    wl = watchlists.get(db, n)
    if wl is None:
        return None
    since = since or wl["created_at"]
    new = watchlists.new_since(db, wl, since)
    for st in new["statements"]:
        c = st.get("content") or {}
        st["link"] = briefing.cite_link(str(st.get("doc")), c.get("start", 0), c.get("end", 0))
    stamps = [a["ingested_at"] for a in new["articles"]] + [
        q["ingested_at"] for q in new["statements"]
    ]
    return {
        "watchlist": wl,
        "since": since,
        "updated": max(stamps, default=wl["created_at"]),
        **new,
    }


def public(data: dict[str, Any]) -> dict[str, Any]:
    """The JSON twin: the page data without its pre-rendered HTML parts (keys starting ``_``)."""
    return {k: v for k, v in data.items() if not k.startswith("_")}
