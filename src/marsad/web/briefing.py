"""The briefing pages as plain data (their JSON twins): the day's briefing, who said what, a
speaker, the entity index, the outlets, and a story's coverage across outlets.

They read the in-memory :class:`~marsad.web.digest.Digest` for counts and lists and the store,
by primary key, only for the rows they show. Keys starting with ``_`` are pre-rendered HTML
(SVG), left out of the JSON twin.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from markupsafe import Markup

from marsad.store import query
from marsad.store.db import DB
from marsad.store.search import resolve_entity
from marsad.store.terms import name_key
from marsad.web import svg
from marsad.web.digest import CUE_LABELS, Digest, info

PAGE = 50
#: An entity's stories and co-occurring entities are counted over its newest COUNTED articles.
COUNTED = 2000
TYPES = {"PER": "أشخاص", "ORG": "منظمات", "LOC": "أماكن"}


def cite_link(doc: str, start: int, end: int) -> str:
    from urllib.parse import quote

    return f"/article/{quote(doc, safe='')}?hl={start}-{end}#hl"


def statement_rows(db: DB, g: Digest, ks: list[int]) -> list[dict[str, Any]]:
    """Who-said-what rows for statement indexes ``ks``: speaker, cue, the exact words (with
    their offsets and a link that highlights them in the article), outlet, date, stories."""
    sts = [g.statements[k] for k in ks]
    rows = query.items_by_key(db, "quotes", [(s.doc, s.seq) for s in sts])
    docs = query.document_summaries_by_n(db, sorted({s.doc for s in sts}))
    out = []
    for st, row in zip(sts, rows, strict=True):
        if row is None:
            continue
        d = docs.get(st.doc, {})
        content = row.get("content") or {
            "start": row.get("start"),
            "end": row.get("end"),
            "text": row.get("text"),
        }
        sp = row.get("speaker")
        out.append(
            {
                "id": row.get("id"),
                "doc": d.get("id"),
                "title": d.get("title"),
                "outlet": d.get("outlet"),
                "published": d.get("published"),
                "kind": row.get("kind"),
                "cue": row.get("cue"),
                "cue_class": st.cue,
                "speaker": sp,
                "content": content,
                "mentions": [info(g, e) for e in st.mentions],
                "stories": [
                    {"id": s, "title": g.story_title.get(s)} for s in g.doc_stories.get(st.doc, [])
                ],
                "link": cite_link(str(d.get("id")), content["start"], content["end"]),
            }
        )
    return out


def _spark(g: Digest, counter: Counter, day: str) -> list[dict[str, Any]]:
    return [{"day": d, "count": counter.get(d, 0)} for d in g.days_around(day, 14)]


# -- home: the day's briefing -----------------------------------------------------------------
def home(db: DB, g: Digest, day: str | None) -> dict[str, Any]:
    if not day or day not in g.day_docs:
        asked = day
        day = g.days[-1] if g.days else None
        if asked and g.days:
            # the nearest earlier day with articles, else the first one
            earlier = [d for d in g.days if d <= asked]
            day = earlier[-1] if earlier else g.days[0]
    if day is None:
        return {
            "day": None,
            "previous": None,
            "next": None,
            "articles": 0,
            "stories": [],
            "entities": {},
            "statements": [],
            "days": [],
        }
    prev_day, next_day = g.neighbour_days(day)
    docs_today = g.day_docs.get(day, [])
    yesterday = g.days_around(day, 2)[0]
    today_c: Counter = Counter()
    for n in docs_today:
        for s in g.doc_stories.get(n, ()):
            today_c[s] += 1
    stories = []
    for sid, n_day in today_c.items():
        docs = g.story_docs[sid]
        size = sum(1 for n in docs if g.docs[n][1] <= day)
        before = sum(1 for n in docs if g.docs[n][1] == yesterday)
        outlets = {g.docs[n][2] for n in docs if g.docs[n][1] == day and g.docs[n][2]}
        stories.append(
            {
                "id": sid,
                "title": g.story_title.get(sid),
                "today": n_day,
                "yesterday": before,
                "growth": n_day - before,
                "size": size,
                "outlets_today": len(outlets),
            }
        )
    stories.sort(key=lambda s: (-s["today"], -s["growth"], -s["size"], str(s["id"])))
    stories = stories[:20]
    ent_c: Counter = Counter()
    for n in docs_today:
        ent_c.update(g.doc_entities.get(n, ()))
    by_type: dict[str, list[dict[str, Any]]] = {t: [] for t in TYPES}
    for ent, c in ent_c.most_common():
        typ = g.entity_info.get(ent, (None, None))[1]
        if typ in by_type and len(by_type[typ]) < 8:
            by_type[typ].append(
                {**info(g, ent), "articles": c, "sparkline": _spark(g, g.entity_day[ent], day)}
            )
        if all(len(v) >= 8 for v in by_type.values()):
            break
    latest = [k for n in docs_today[:200] for k in g.doc_statements.get(n, ())]
    data = {
        "day": day,
        "previous": prev_day,
        "next": next_day,
        "first_day": g.days[0] if g.days else None,
        "last_day": g.days[-1] if g.days else None,
        "articles": len(docs_today),
        "stories": stories,
        "entities": by_type,
        "statements": statement_rows(db, g, latest[:15]),
    }
    data["_sparks"] = {
        e["id"]: Markup(
            svg.sparkline([p["count"] for p in e["sparkline"]], e["sparkline"][-1]["day"])
        )
        for ents in by_type.values()
        for e in ents
    }
    return data


# -- who said what ----------------------------------------------------------------------------
QUOTE_FILTERS = ("speaker", "entity", "outlet", "story", "since", "until", "cue")


def _entity_ids(db: DB, g: Digest, value: str) -> set[str]:
    if value in g.entity_info or value in g.entity_docs:
        return {value}
    return set(resolve_entity(db, value))


def filter_statements(db: DB, g: Digest, f: dict[str, str | None]) -> list[int]:
    """Indexes of the statements passing the filters, newest article first."""
    lists: list[list[int] | range] = []
    speaker_key = None
    if f.get("speaker"):
        speaker_ids = _entity_ids(db, g, f["speaker"] or "")
        if speaker_ids:
            lists.append(sorted({k for e in speaker_ids for k in g.by_speaker.get(e, ())}))
        else:
            speaker_key = name_key(f["speaker"] or "")
    if f.get("entity"):
        ids = _entity_ids(db, g, f["entity"] or "")
        lists.append(
            sorted(
                {k for e in ids for k in g.about.get(e, ())}
                | {k for e in ids for k in g.by_speaker.get(e, ())}
            )
        )
    if f.get("story"):
        docs = g.story_docs.get(f["story"] or "", ())
        lists.append(sorted({k for n in docs for k in g.doc_statements.get(n, ())}))
    if f.get("cue"):
        lists.append(g.by_cue.get(f["cue"] or "", []))
    if f.get("outlet"):
        lists.append(g.by_outlet.get(f["outlet"] or "", []))
    span = g.statement_range(f.get("since"), f.get("until"))
    if not lists:
        out: list[int] = list(span)
    else:
        lists.sort(key=len)
        keep = set(lists[0]).intersection(*lists[1:]) if len(lists) > 1 else None
        out = [k for k in lists[0] if (keep is None or k in keep) and span.start <= k < span.stop]
    if speaker_key:
        out = [
            k
            for k in out
            if g.statements[k].speaker_key and speaker_key in (g.statements[k].speaker_key or "")
        ]
    return out


def _statement_facets(g: Digest, ks: list[int]) -> dict[str, Any]:
    sts = g.statements
    cues = Counter(sts[k].cue for k in ks)
    outlets = Counter(sts[k].outlet for k in ks if sts[k].outlet)
    speakers = Counter(sts[k].speaker for k in ks if sts[k].speaker)
    return {
        "cue": [
            {"value": c, "label": CUE_LABELS.get(c, c), "count": n} for c, n in cues.most_common()
        ],
        "outlet": [{"value": o, "count": n} for o, n in outlets.most_common(20)],
        "speaker": [{**info(g, e), "count": n} for e, n in speakers.most_common(15)],
    }


def _warm_statements(g: Digest) -> None:
    """The unfiltered who-said-what table's facets, computed with the digest."""
    ks = list(range(len(g.statements)))
    g.memo(("statements", ()), lambda: (ks, _statement_facets(g, ks)))


Digest.warmers.append(_warm_statements)


def statements_page(db: DB, g: Digest, f: dict[str, str | None], page: int = 1) -> dict[str, Any]:
    key = ("statements", tuple(sorted((k, v) for k, v in f.items() if v)))
    ks, fc = g.memo(key, lambda: (ks := filter_statements(db, g, f), _statement_facets(g, ks)))
    page = max(1, page)
    shown = ks[(page - 1) * PAGE : page * PAGE]
    return {
        "filters": f,
        "total": len(ks),
        "page": page,
        "pages": max(1, -(-len(ks) // PAGE)),
        "statements": statement_rows(db, g, shown),
        "facets": fc,
        "cue_labels": CUE_LABELS,
    }


def speaker_page(db: DB, g: Digest, entity_id: str) -> dict[str, Any] | None:
    if entity_id not in g.entity_info and entity_id not in g.by_speaker:
        return None
    ks = g.by_speaker.get(entity_id, [])[:500]
    rows = statement_rows(db, g, ks)
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        key = r["stories"][0]["id"] if r["stories"] else ""
        groups[key].append(r)
    stories = [
        {"id": sid or None, "title": g.story_title.get(sid) if sid else None, "statements": rs}
        for sid, rs in sorted(groups.items(), key=lambda x: (x[0] == "", -len(x[1])))
    ]
    return {
        **info(g, entity_id),
        "total": len(g.by_speaker.get(entity_id, [])),
        "shown": len(rows),
        "stories": stories,
    }


# -- entities ---------------------------------------------------------------------------------
def entities_index(g: Digest, f: dict[str, str | None], page: int = 1) -> dict[str, Any]:
    typ, outlet, q = f.get("type"), f.get("outlet"), f.get("q")
    rows = g.memo(("entities", typ, outlet, q), lambda: _entity_rows(g, typ, outlet, q))
    page = max(1, page)
    shown = rows["rows"][(page - 1) * PAGE : page * PAGE]
    return {
        "filters": f,
        "total": len(rows["rows"]),
        "page": page,
        "pages": max(1, -(-len(rows["rows"]) // PAGE)),
        "entities": [{**info(g, e), "articles": c} for e, c in shown],
        "facets": rows["facets"],
    }


def _entity_rows(g: Digest, typ: str | None, outlet: str | None, q: str | None) -> dict[str, Any]:
    """Entities passing the filters, most articles first, and the type and outlet facets
    (entities per type within the other filters; entities per outlet within the type)."""
    base = g.memo(("entity_base", outlet), lambda: _entity_base(g, outlet))
    if q:
        key = name_key(q)
        names = g.memo("entity_names", lambda: [(k, e) for e, k in g.name_keys.items()])
        hit = {e for k, e in names if key in k}
        base = [(e, c, t) for e, c, t in base if e in hit]
    type_c = Counter(t for _e, _c, t in base)
    rows = [(e, c) for e, c, t in base if not typ or t == typ]
    if q or typ:
        outlet_c: Counter = Counter()
        for e, _c in rows:
            outlet_c.update(g.entity_outlets.get(e, Counter()).keys())
    else:
        outlet_c = Counter({o: len(ents) for o, ents in g.outlet_entities.items()})
    return {
        "rows": rows,
        "facets": {
            "type": [{"value": t, "count": c} for t, c in type_c.most_common() if t],
            "outlet": [{"value": o, "count": c} for o, c in outlet_c.most_common(30)],
        },
    }


def _entity_base(g: Digest, outlet: str | None) -> list[tuple[str, int, str | None]]:
    """``(entity, articles, type)`` most articles first (in ``outlet`` only, if given)."""
    if outlet:
        pairs = g.outlet_entities.get(outlet, Counter()).most_common()
    else:
        pairs = [(e, len(g.entity_docs[e])) for e in g.ranked]
    info_ = g.entity_info
    return [(e, c, info_[e][1] if e in info_ else None) for e, c in pairs]


def _warm_entities(g: Digest) -> None:
    """The entity index without filters and for each type, computed with the digest."""
    g.memo("entity_names", lambda: [(k, e) for e, k in g.name_keys.items()])
    for typ in (None, *{t for _n, t in g.entity_info.values() if t}):
        g.memo(("entities", typ, None, None), lambda typ=typ: _entity_rows(g, typ, None, None))


Digest.warmers.append(_warm_entities)


def entity_extra(db: DB, g: Digest, entity_id: str) -> dict[str, Any]:
    """What the entity page adds from the digest: mentions over time, stories, statements by
    and about it, co-occurring entities (counted over all its articles)."""
    docs = g.entity_docs.get(entity_id, [])
    per_day = g.entity_day.get(entity_id, Counter())
    stories: Counter = Counter()
    co: Counter = Counter()
    # stories and co-occurring entities are counted over the newest COUNTED articles
    for n in docs[:COUNTED]:
        stories.update(g.doc_stories.get(n, ()))
        co.update(g.doc_entities.get(n, ()))
    co.pop(entity_id, None)
    by = g.by_speaker.get(entity_id, [])
    about = g.about.get(entity_id, [])
    return {
        "articles_count": len(docs),
        "counted_articles": min(len(docs), COUNTED),
        "per_day": [{"day": d, "articles": c} for d, c in sorted(per_day.items())],
        "outlets": [
            {"value": o, "count": c}
            for o, c in g.entity_outlets.get(entity_id, Counter()).most_common()
        ],
        "stories": [
            {"id": s, "title": g.story_title.get(s), "articles": c}
            for s, c in stories.most_common(20)
        ],
        "statements_by": statement_rows(db, g, by[:30]),
        "statements_by_total": len(by),
        "statements_about": statement_rows(db, g, about[:30]),
        "statements_about_total": len(about),
        "cooccurring": [{**info(g, e), "shared_articles": c} for e, c in co.most_common(12)],
    }


# -- outlets ----------------------------------------------------------------------------------
def outlets_index(g: Digest) -> dict[str, Any]:
    rows = []
    for o, c in g.outlets.most_common():
        days = g.outlet_day[o]
        rows.append(
            {
                "outlet": o,
                "articles": c,
                "days": len(days),
                "first": min(days) if days else None,
                "last": max(days) if days else None,
            }
        )
    return {
        "outlets": rows,
        "first_day": g.days[0] if g.days else None,
        "last_day": g.days[-1] if g.days else None,
        "_sparks": {
            r["outlet"]: Markup(
                svg.sparkline(
                    [g.outlet_day[r["outlet"]].get(d, 0) for d in g.days[-30:]],
                    g.days[-1] if g.days else "",
                )
            )
            for r in rows
        },
    }


def outlet_page(db: DB, g: Digest, outlet: str) -> dict[str, Any] | None:
    if outlet not in g.outlets:
        return None
    per_day = g.outlet_day[outlet]
    stories: Counter = Counter()
    ns = [n for n, meta in g.docs.items() if meta[2] == outlet]
    for n in ns:
        stories.update(g.doc_stories.get(n, ()))
    rows = []
    for sid, c in stories.most_common(40):
        others = {g.docs[n][2] for n in g.story_docs[sid] if g.docs[n][2]}
        rows.append(
            {
                "id": sid,
                "title": g.story_title.get(sid),
                "articles": c,
                "story_articles": len(g.story_docs[sid]),
                "outlets": len(others),
                "only_this_outlet": others == {outlet},
            }
        )
    series = [{"day": d, "articles": per_day.get(d, 0)} for d in g.days]
    docs = query.document_summaries_by_n(db, ns[:20])
    return {
        "outlet": outlet,
        "articles": g.outlets[outlet],
        "per_day": series,
        "stories": rows,
        "latest": [docs[n] for n in ns[:20] if n in docs],
        "_volume_svg": Markup(
            svg.bars([p["articles"] for p in series], [p["day"] for p in series])
        ),
    }


# -- a story across outlets -------------------------------------------------------------------
def coverage(
    db: DB, g: Digest, story_id: str, quotes: list[dict[str, Any]], figures: list[dict[str, Any]]
) -> dict[str, Any]:
    """Outlets that carried the story and those active in its days that did not; statements
    (by speaker) and figures (unit and value) that only one outlet has."""
    docs = g.story_docs.get(story_id, [])
    carried = Counter(g.docs[n][2] for n in docs if g.docs[n][2])
    days = {g.docs[n][1] for n in docs if g.docs[n][1]}
    silent = []
    if days:
        lo, hi = min(days), max(days)
        active: Counter = Counter()
        for o, per_day in g.outlet_day.items():
            if o in carried:
                continue
            c = sum(v for d, v in per_day.items() if lo <= d <= hi)
            if c:
                active[o] = c
        silent = [{"outlet": o, "articles_in_period": c} for o, c in active.most_common()]
    by_speaker: dict[str, dict[str, list[dict[str, Any]]]] = defaultdict(lambda: defaultdict(list))
    for q in quotes:
        sp = q.get("speaker") or {}
        key = sp.get("entity") or (name_key(sp["text"]) if sp.get("text") else None)
        if key and q.get("outlet"):
            by_speaker[key][q["outlet"]].append(q)
    only_statements = []
    for outs in by_speaker.values():
        if len(outs) == 1 and len(carried) > 1:
            ((o, qs),) = outs.items()
            for q in qs[:3]:
                c = q.get("content") or {}
                only_statements.append(
                    {
                        "outlet": o,
                        "speaker": (q.get("speaker") or {}).get("text"),
                        "doc": q.get("doc"),
                        "content": c,
                        "link": cite_link(str(q.get("doc")), c.get("start", 0), c.get("end", 0)),
                    }
                )
    by_fig: dict[tuple[str, str], set[str]] = defaultdict(set)
    fig_rows: dict[tuple[str, str], dict[str, Any]] = {}
    for f in figures:
        if f.get("outlet") and f.get("value") is not None:
            key = (str(f.get("unit") or "—"), str(f.get("value")))
            by_fig[key].add(f["outlet"])
            fig_rows.setdefault(key, f)
    only_figures = []
    if len(carried) > 1:
        for key, outs in sorted(by_fig.items()):
            if len(outs) == 1:
                f = fig_rows[key]
                only_figures.append(
                    {
                        "outlet": next(iter(outs)),
                        "unit": key[0],
                        "value": f.get("value"),
                        "text": f.get("text"),
                        "doc": f.get("doc"),
                        "link": cite_link(str(f.get("doc")), f.get("start", 0), f.get("end", 0)),
                    }
                )
    return {
        "carried": [{"outlet": o, "articles": c} for o, c in carried.most_common()],
        "silent": silent,
        "only_one_outlet_statements": only_statements[:40],
        "only_one_outlet_figures": only_figures[:40],
    }
