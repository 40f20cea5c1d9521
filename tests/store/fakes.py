"""Tiny fake extraction layers and collectors for the store and web tests.

The real entities/quotes/figures stages and the stories collector are built elsewhere; these
fakes produce items with the documented keys (docs/schema.md) so that storing, reading back and
rendering every layer and top-level list can be tested now. Registered only inside the
``fake_analysis`` fixture and removed afterwards.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from marsad.store.terms import name_key

PLACES = ("واشنطن", "بغداد", "القاهرة", "السودان", "العراق")
_PLACE = re.compile("|".join(PLACES))
_QUOTE = re.compile(r"[«\"]([^»\"\n]{3,300})[»\"]")
_NUM = re.compile(r"\d+")


def entity_id(text: str) -> str:
    return "ent-" + hashlib.sha1(name_key(text).encode()).hexdigest()[:8]


@dataclass
class Span:
    start: int
    end: int
    extra: dict[str, Any]

    def to_json(self, article) -> dict[str, Any]:
        return {
            "start": self.start,
            "end": self.end,
            "text": article.text[self.start : self.end],
            **self.extra,
        }


@dataclass
class Quote:
    start: int
    end: int
    speaker: tuple[int, int] | None

    def to_json(self, article) -> dict[str, Any]:
        t = article.text
        sp = None
        if self.speaker:
            s, e = self.speaker
            sp = {"entity": entity_id(t[s:e]), "start": s, "end": e, "text": t[s:e]}
        return {
            "id": f"{article.id}:q{self.start}",
            "kind": "direct",
            "start": self.start,
            "end": self.end,
            "text": t[self.start : self.end],
            "cue": {"start": self.start, "end": self.start, "text": ""},
            "content": {"start": self.start, "end": self.end, "text": t[self.start : self.end]},
            "speaker": sp,
            "via": None,
        }


def fake_stage(article, settings):
    t = article.text
    mentions, quotes, quantities = [], [], []
    for _i, b in article.content_blocks():
        for m in _PLACE.finditer(t, b.start, b.end):
            mentions.append(
                Span(m.start(), m.end(), {"type": "LOC", "entity": entity_id(m.group())})
            )
        for m in _QUOTE.finditer(t, b.start, b.end):
            before = [x for x in mentions if b.start <= x.start and x.end <= m.start()]
            sp = (before[-1].start, before[-1].end) if before else None
            quotes.append(Quote(m.start(1), m.end(1), sp))
        for m in _NUM.finditer(t, b.start, b.end):
            quantities.append(Span(m.start(), m.end(), {"value": int(m.group()), "unit": "count"}))
    # Only stand in for layers that no real stage produced (the real ones win).
    for name, items in (("mentions", mentions), ("quotes", quotes), ("quantities", quantities)):
        if name not in article.layers:
            article.layers[name] = items
    return article


class FakeEntities:
    def __init__(self, settings=None):
        self.by: dict[str, dict[str, Any]] = {}

    def add(self, article) -> None:
        for m in article.layers.get("mentions", []):
            row = m.to_json(article)
            # fake mentions carry their entity id; real ones (the entities stage) are not
            # resolved yet, so they are grouped by their text here
            key = m.extra.get("entity") or getattr(m, "entity", None) or entity_id(row["text"])
            e = self.by.setdefault(
                key,
                {"id": key, "type": row.get("type", "LOC"), "name": row["text"], "mentions": []},
            )
            e["mentions"].append(
                {"doc": article.id, "start": m.start, "end": m.end, "text": row["text"]}
            )

    def results(self):
        return {"entities": sorted(self.by.values(), key=lambda e: e["id"])}


class FakeStories:
    """One story per place word: the articles whose title mentions it."""

    def __init__(self, settings=None):
        self.docs: dict[str, list[Any]] = defaultdict(list)

    def add(self, article) -> None:
        title = next((b for b in article.blocks if b.kind == "title"), None)
        if title is None:
            return
        for place in PLACES:
            if place in article.text[title.start : title.end]:
                first = next(
                    (s for s in article.sentences if article.blocks[s.block].kind == "body"), None
                )
                self.docs[place].append(
                    (article.id, article.meta.published, title, first, article.text)
                )
                break

    def results(self):
        stories = []
        for place, docs in sorted(self.docs.items()):
            summary, timeline = [], []
            for doc, published, title, first, text in docs:
                if first is not None:
                    summary.append(
                        {
                            "doc": doc,
                            "start": first.start,
                            "end": first.end,
                            "text": text[first.start : first.end],
                        }
                    )
                if published:
                    timeline.append(
                        {
                            "date": published.isoformat(),
                            "doc": doc,
                            "start": title.start,
                            "end": title.end,
                            "text": text[title.start : title.end],
                        }
                    )
            stories.append(
                {
                    "id": f"story-{entity_id(place)[4:]}",
                    "title": place,
                    "documents": [d[0] for d in docs],
                    "summary": summary,
                    "timeline": timeline,
                }
            )
        return {"stories": stories}
