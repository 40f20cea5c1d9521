"""Story timelines: the resolved dates of the story's articles, in order, each with its sentence.

Uses the ``dates`` layer (items with ``start``, ``end``, ``value``: an ISO date string or
None when unresolved); values of day or month precision are kept (a year alone, a week or a
duration is not a point of the timeline). Every resolved date becomes a timeline entry ``{date, doc, start, end,
text}`` whose span is the sentence that holds the date (content blocks only), so the entry
says what happened on that date. Entries are ordered by date, then publication order; the
same date anchored to near-identical sentences (agency copy) is kept once.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from typing import Any

from marsad.collect.stories.features import content_stems
from marsad.core.article import CONTENT_KINDS
from marsad.text.normalize import normalize_text

_DAY_OR_MONTH = re.compile(r"\d{4}-\d{2}(?:-\d{2})?")


def _iso_day(value: Any) -> str | None:
    """The calendar day or month of an ISO value (``2024-01-25``, ``2024-01``,
    ``2024-01-25T10:30``). Years alone, weeks and durations are not timeline points."""
    if not isinstance(value, str):
        return None
    m = _DAY_OR_MONTH.match(value)
    return m.group() if m else None


def article_dates(article, order: int = 0) -> list[dict[str, Any]]:
    """Timeline entries of one article (resolved dates in content sentences)."""
    items = article.layers.get("dates") or ()
    if not items:
        return []
    sents = article.sentences
    starts = [s.start for s in sents]
    content = {i for i, b in enumerate(article.blocks) if b.kind in CONTENT_KINDS}
    out = []
    seen = set()
    for it in items:
        day = _iso_day(getattr(it, "value", None))
        if day is None:
            continue
        i = bisect_right(starts, it.start) - 1
        if i < 0 or not (sents[i].start <= it.start < sents[i].end):
            continue
        s = sents[i]
        if content and s.block not in content:
            continue
        a, b = s.start, s.end
        while a < b and article.text[a].isspace():
            a += 1
        while b > a and article.text[b - 1].isspace():
            b -= 1
        if (day, a) in seen:
            continue
        seen.add((day, a))
        out.append(
            {
                "date": day,
                "doc": article.id,
                "start": a,
                "end": b,
                "text": article.text[a:b],
                "block": s.block,
                "_order": order,
            }
        )
    return out


def timeline(entries: list[dict[str, Any]], max_entries: int = 40) -> list[dict[str, Any]]:
    """Merge the entries of a story's articles: ordered, agency repeats removed."""
    entries = sorted(entries, key=lambda e: (e["date"], e["_order"], e["start"]))
    out: list[dict[str, Any]] = []
    kept: dict[str, list[set[str]]] = {}
    for e in entries:
        stems = set(content_stems(normalize_text(e["text"])))
        prev = kept.setdefault(e["date"], [])
        if any(stems and len(stems & p) / len(stems | p) >= 0.6 for p in prev):
            continue
        prev.append(stems)
        out.append({k: v for k, v in e.items() if not k.startswith("_")})
        if len(out) >= max_entries:
            break
    return out
