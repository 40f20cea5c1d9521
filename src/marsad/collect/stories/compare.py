"""Cross-outlet comparison inside one story: figures, statements per speaker, contradictions.

- **Figures** (``quantities`` layer: ``start, end, text, value, unit``; figures without a
  unit are left out): a figure's subject is
  the first content word after it in its clause (``2500 عسكري`` → ``عسكري``), else the last
  one before it; its context is the clause's content stems. Figures of different articles are
  compared when unit and subject match and their clauses share at least two more stems
  (linked transitively). Each comparison lists the values with the outlets and spans that
  report them and says whether they agree.
- **Statements** (``quotes`` layer): grouped by speaker, each cited with its span.
- **Contradictions** (first, precise version): two sentences of different articles that share
  at least ``min_shared`` content stems (Jaccard ≥ ``min_jaccard``), one of which negates
  the shared claim (a negation particle within ``window`` words before shared stems, or a
  denial verb such as نفى before them) while the other holds no negation cue at all. The
  cue lists are data: ``resources/ar/polarity.json``. Precision comes before recall.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from functools import lru_cache
from importlib import resources
from typing import Any

from marsad.collect.stories.features import WORD, content_stems, stem, stopwords
from marsad.text.normalize import normalize_text

_CLAUSE = re.compile(r"[،,؛;.!?؟\n]")


@lru_cache(maxsize=1)
def polarity() -> dict[str, Any]:
    return json.loads(
        resources.files("marsad.resources.ar").joinpath("polarity.json").read_text("utf-8")
    )


# -- figures ------------------------------------------------------------------------------
def _unit_key(unit: object) -> str | None:
    """Units compare on their stems (العسكريين ~ عسكري)."""
    if not isinstance(unit, str) or not unit.strip():
        return None
    return " ".join(content_stems(normalize_text(unit))) or normalize_text(unit)


def article_figures(article, order: int = 0) -> list[dict[str, Any]]:
    """The article's figures with subject and clause context (content blocks only)."""
    items = article.layers.get("quantities") or ()
    out = []
    text = article.text
    for q in items:
        b = article.block_at(q.start)
        if b is not None and b.kind not in ("title", "body", "subheading"):
            continue
        value = getattr(q, "value", None)
        if value is None or not getattr(q, "unit", None):
            continue  # a bare number (list numbering, a year) has no subject to compare
        # The clause around the figure.
        lo = q.start
        while lo > 0 and not _CLAUSE.match(text[lo - 1]):
            lo -= 1
        hi = q.end
        while hi < len(text) and not _CLAUSE.match(text[hi]):
            hi += 1
        after = content_stems(normalize_text(text[q.end : hi]))
        before = content_stems(normalize_text(text[lo : q.start]))
        head = after[0] if after else (before[-1] if before else None)
        if head is None:
            continue
        out.append(
            {
                "doc": article.id,
                "outlet": article.meta.outlet,
                "start": q.start,
                "end": q.end,
                "text": text[q.start : q.end],
                "value": value,
                "unit": getattr(q, "unit", None),
                "_unit_key": _unit_key(getattr(q, "unit", None)),
                "subject": head,
                "_context": (set(before) | set(after)) - {head},
                "_order": order,
            }
        )
    return out


#: Figures of the same (unit, subject) key compared with each new figure (docs/stories.md).
FIGURE_WINDOW = 64


def compare_figures(figures: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Groups of comparable figures reported by at least two articles."""
    n = len(figures)
    parent = list(range(n))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    by_key: dict[tuple, list[int]] = defaultdict(list)
    for i, f in enumerate(figures):
        by_key[(f["_unit_key"], f["subject"])].append(i)
    for idx in by_key.values():
        for b in range(1, len(idx)):
            # Bounded work: each figure is compared with the FIGURE_WINDOW figures of the same
            # key before it (not all pairs; a 1,000-article story of agency copies would
            # otherwise cost millions of comparisons). Groups still chain through the window.
            for a in range(max(0, b - FIGURE_WINDOW), b):
                if find(idx[a]) == find(idx[b]):
                    continue
                fa, fb = figures[idx[a]], figures[idx[b]]
                if fa["doc"] != fb["doc"] and len(fa["_context"] & fb["_context"]) >= 2:
                    parent[find(idx[a])] = find(idx[b])
    groups: dict[int, list[int]] = defaultdict(list)
    for i in range(n):
        groups[find(i)].append(i)
    out = []
    for idx in groups.values():
        fs = [figures[i] for i in idx]
        if len({f["doc"] for f in fs}) < 2:
            continue
        values: dict[str, dict[str, Any]] = {}
        for f in sorted(fs, key=lambda f: (f["_order"], f["start"])):
            key = json.dumps(f["value"], sort_keys=True, ensure_ascii=False)
            v = values.setdefault(key, {"value": f["value"], "outlets": [], "mentions": []})
            if f["outlet"] not in v["outlets"]:
                v["outlets"].append(f["outlet"])
            v["mentions"].append(
                {"doc": f["doc"], "start": f["start"], "end": f["end"], "text": f["text"]}
            )
        out.append(
            {
                "subject": fs[0]["subject"],
                "unit": fs[0]["unit"],
                "agree": len(values) == 1,
                "values": list(values.values()),
            }
        )
    out.sort(key=lambda g: (g["agree"], -sum(len(v["mentions"]) for v in g["values"])))
    return out


# -- statements ---------------------------------------------------------------------------
def _speaker_name(d: dict[str, Any]) -> str | None:
    sp = d.get("speaker")
    if isinstance(sp, dict):
        sp = sp.get("name") or sp.get("text")
    return sp if isinstance(sp, str) and sp.strip() else None


def article_statements(article) -> list[dict[str, Any]]:
    out = []
    for q in article.layers.get("quotes") or ():
        d = q.to_json(article)
        name = _speaker_name(d)
        if not name:
            continue
        out.append(
            {
                "speaker": name,
                "doc": article.id,
                "outlet": article.meta.outlet,
                "start": d["start"],
                "end": d["end"],
                "text": d["text"],
            }
        )
    return out


def statements_by_speaker(statements: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Statements grouped by speaker, by the stems of the speaker's name; a name whose stems
    are all inside exactly one longer name of the story joins it (شكري, وزير الخارجية المصري →
    وزير الخارجية المصري سامح شكري). (Statements are taken in the worker, before entities are
    resolved: they carry no entity id to group by.)"""
    keys: list[str] = []
    for s in statements:
        keys.append(
            " ".join(content_stems(normalize_text(s["speaker"]))) or normalize_text(s["speaker"])
        )
    stems = {k: set(k.split()) for k in set(keys)}
    target: dict[str, str] = {}
    for k, ks in stems.items():
        supers = [o for o, os_ in stems.items() if o != k and ks < os_]
        maximal = [o for o in supers if not any(stems[o] < stems[p] for p in supers)]
        target[k] = maximal[0] if len(maximal) == 1 else k
    groups: dict[str, list[dict[str, Any]]] = {}
    names: dict[str, str] = {}
    for k, s in zip(keys, statements, strict=True):
        t = target[k]
        groups.setdefault(t, []).append({x: v for x, v in s.items() if x != "speaker"})
        if k == t or t not in names:
            names[t] = s["speaker"] if k == t else names.get(t, s["speaker"])
    out = [
        {"speaker": names[k], "outlets": sorted({x["outlet"] or "" for x in v}), "statements": v}
        for k, v in groups.items()
    ]
    out.sort(key=lambda g: (-len(g["statements"]), g["speaker"]))
    return out


# -- contradictions -----------------------------------------------------------------------
def _polarity_view(text: str) -> tuple[set[str], set[str], str | None]:
    """(claim stems, negated stems, the negation cue) of one sentence."""
    pol = polarity()
    particles = set(pol["negation_particles"])
    denials = set(pol["denial_verbs"])
    window = int(pol["window"])
    stop = stopwords()
    claim: set[str] = set()
    negated: set[str] = set()
    cue = None
    scope_left = 0  # content words still under a particle's scope
    denial = False
    for m in WORD.finditer(normalize_text(text)):
        t = m.group()
        if t in particles:
            scope_left = window
            cue = cue or t
            continue
        if t in denials or stem(t) in denials:
            denial = True
            cue = cue or t
            continue
        if t[0].isdigit() or t in stop:
            continue
        s = stem(t)
        if s in stop or len(s) < 2:
            continue
        claim.add(s)
        if denial or scope_left > 0:
            negated.add(s)
            scope_left = max(0, scope_left - 1)
    return claim, negated, cue


def contradictions(sentences: list, limit: int = 10) -> list[dict[str, Any]]:
    """Pairs of sentences (``summary.Sent``) of different articles with opposite polarity."""
    pol = polarity()
    min_shared = int(pol["min_shared"])
    min_j = float(pol["min_jaccard"])
    views = [_polarity_view(s.text) for s in sentences]
    index: dict[str, list[int]] = defaultdict(list)
    for i, (claim, _, _) in enumerate(views):
        for t in claim:
            index[t].append(i)
    out = []
    seen = set()
    for i, (claim, negated, cue) in enumerate(views):
        if not negated:
            continue
        counts: dict[int, int] = defaultdict(int)
        for t in claim:
            for j in index[t]:
                if j != i:
                    counts[j] += 1
        for j, c in sorted(counts.items()):
            if c < min_shared or sentences[j].doc == sentences[i].doc:
                continue
            oclaim, _, ocue = views[j]
            if ocue is not None:
                continue  # the other side must be a plain affirmation
            shared = claim & oclaim
            if len(shared) / len(claim | oclaim) < min_j or len(shared & negated) < 2:
                continue
            key = (i, j)
            if key in seen:
                continue
            seen.add(key)
            a, b = sentences[i], sentences[j]
            out.append(
                {
                    "subject": " ".join(sorted(shared & negated)),
                    "cue": cue,
                    "negated": a.cite(),
                    "affirmed": b.cite(),
                    "negated_outlet": a.outlet,
                    "affirmed_outlet": b.outlet,
                }
            )
            if len(out) >= limit:
                return out
    return out
