"""Incremental, deterministic event clustering ("stories").

Articles are taken in publication order (date, then arrival order). Each one joins the best
*active* story whose score passes ``[stories] threshold``, or opens a new story. The score
mixes, with weights from ``settings.toml``:

- ``body``: TF-IDF cosine of the article's lead (content words, light stems) with the story's
  centroid and with its closest member (the mean of the two);
- ``title``: TF-IDF cosine of the headline with the story's headlines (max over members);
- ``entities``: share of the article's entities (mentions layer, when present) in the story;
- ``passage``: a bonus when the article shares sampled 5-shingles with the story (reused copy);
- ``core`` (subtracted): the share of the story's *event core* the article does not name. The
  core is who and where: the people, places and organisations (mentions layer) that at least
  ``core_share`` of the members and at least ``core_min`` of them name, each weighted by its
  idf (from ``core_idf``) and by the share of members naming it. A same-subject report of
  another event (the next execution, the other customs post, another PKK attack) shares the
  wording but not the names; an angle of the event (a reaction, a visit) names them.

A story stops attracting articles ``gap_days`` after its last article (it leaves the index),
so memory holds the active stories only. Candidates come from an inverted index over the
active stories' top centroid terms (never an all-pairs matrix): per article at most
``max_candidates`` quick scores (centroids) and ``max_full_scored`` full scores (members).
"""

from __future__ import annotations

import heapq
import itertools
import math
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from marsad.collect.buckets import IdBuckets
from marsad.collect.stories.features import (
    DocFeatures,
    DocFreq,
    cosine,
    lead_keys,
    name_keys,
    tfidf,
)
from marsad.core.settings import load_settings

#: Terms kept in a story's centroid.
CENTROID_TERMS = 120
#: Entity types of a story's event core (who and where).
CORE_TYPES = ("PER:", "LOC:", "ORG:")


def story_settings(settings: Any | None) -> dict[str, Any]:
    """The ``[stories]`` section of ``settings`` (of the defaults when None)."""
    return dict((settings if settings is not None else load_settings())["stories"])


def _add(acc: dict[str, float], vec: dict[str, float]) -> None:
    for t, v in vec.items():
        acc[t] = acc.get(t, 0.0) + v


def _top_normalised(acc: dict[str, float], k: int) -> dict[str, float]:
    """The ``k`` largest weights of ``acc``, L2-normalised, in descending order."""
    items = heapq.nlargest(k, acc.items(), key=lambda kv: (kv[1], kv[0]))
    norm = math.sqrt(sum(v * v for _, v in items)) or 1.0
    return {t: v / norm for t, v in items}


@dataclass
class Story:
    id: str
    members: list[DocFeatures] = field(default_factory=list)
    acc: dict[str, float] = field(default_factory=dict)
    centroid: dict[str, float] = field(default_factory=dict)
    title_acc: dict[str, float] = field(default_factory=dict)
    title_centroid: dict[str, float] = field(default_factory=dict)
    entities: dict[str, int] = field(default_factory=dict)
    fingerprints: set[int] = field(default_factory=set)
    #: The event core (``StoryClusterer.core``): (skeletons of an entity's stems, weight),
    #: computed for ``core_size`` members.
    core: tuple[tuple[tuple[str, ...], float], ...] = ()
    core_size: int = 0
    first: int | None = None
    last: int | None = None
    indexed: tuple[str, ...] = ()

    @property
    def documents(self) -> list[str]:
        return [m.id for m in self.members]

    def title_doc(self) -> DocFeatures:
        """The member whose headline is the most central (closest to the others' headlines)."""
        if len(self.members) == 1:
            return self.members[0]
        acc: dict[str, float] = {}
        for m in self.members:
            _add(acc, m.title_vec)
        cen = _top_normalised(acc, 80)
        best = max(
            enumerate(self.members),
            key=lambda im: (round(cosine(im[1].title_vec, cen), 9), -im[0]),
        )
        return best[1]


class StoryClusterer:
    """Feed :class:`DocFeatures` in publication order with :meth:`add`; read :attr:`stories`."""

    def __init__(self, settings: Any | None = None, df: DocFreq | None = None):
        self.cfg = story_settings(settings)
        self.df = df if df is not None else DocFreq()
        self.stories: list[Story] = []
        self.active: dict[int, Story] = {}
        self.index: dict[str, set[int]] = defaultdict(set)
        self.fp_index = IdBuckets()  # passage fingerprint -> active stories having it
        self._day: int | None = None
        self.scored = 0

    # -- state ---------------------------------------------------------------------------
    def _expire(self, day: int) -> None:
        gap = int(self.cfg["gap_days"])
        for sid in [
            s for s, st in self.active.items() if st.last is not None and day - st.last > gap
        ]:
            st = self.active.pop(sid)
            st.acc, st.title_acc, st.centroid = {}, {}, {}
            st.core = ()
            fps, st.fingerprints = st.fingerprints, set()
            for m in st.members:  # keep only what the story's output needs
                m.vec = {}
                m.fingerprints = frozenset()
            for t in st.indexed:
                self.index[t].discard(sid)
                if not self.index[t]:
                    del self.index[t]
            for h in fps:
                self.fp_index.discard(h, sid)

    def _reindex(self, sid: int, st: Story) -> None:
        k = int(self.cfg["index_terms"])
        new = tuple(itertools.islice(st.centroid, k))  # centroid is sorted
        old = set(st.indexed)
        for t in old - set(new):
            self.index[t].discard(sid)
            if not self.index[t]:
                del self.index[t]
        for t in new:
            self.index[t].add(sid)
        st.indexed = new

    # -- scoring -------------------------------------------------------------------------
    def _candidates(self, doc: DocFeatures) -> list[int]:
        q = int(self.cfg["query_terms"])
        terms = itertools.islice(doc.vec.items(), q)  # vectors are sorted by weight
        votes: dict[int, float] = defaultdict(float)
        for t, w in terms:
            for sid in self.index.get(t, ()):
                votes[sid] += w
        for t, w in doc.title_vec.items():
            for sid in self.index.get(t, ()):
                votes[sid] += 0.5 * w
        for h in doc.fingerprints:
            for sid in self.fp_index.get(h):
                votes[sid] += 0.2
        floor = float(self.cfg["min_vote"])
        best = heapq.nlargest(
            int(self.cfg["max_candidates"]),
            ((sid, v) for sid, v in votes.items() if v >= floor),
            key=lambda kv: (kv[1], -kv[0]),
        )
        return [sid for sid, _ in best]

    def score(self, doc: DocFeatures, st: Story) -> tuple[float, dict[str, float]]:
        c = self.cfg
        members = st.members[-int(c["max_members_scored"]) :]
        cen = cosine(doc.vec, st.centroid)
        mem = max(cosine(doc.vec, m.vec) for m in members)
        body = 0.5 * (cen + mem)
        title = max(cosine(doc.title_vec, m.title_vec) for m in members) if doc.title_vec else 0.0
        ent = 0.0
        if doc.entities and st.entities:
            shared = sum(1 for e in doc.entities if e in st.entities)
            # One shared name (a country, a ministry) says little: count from two.
            ent = shared / len(doc.entities) if shared >= 2 else 0.0
        shared = len(doc.fingerprints & st.fingerprints)
        passage = 1.0 if shared >= int(c["min_shared_fingerprints"]) else 0.0
        # When: each day between the article and the story's latest article costs w_day (a
        # follow-up must be closer in wording than a same-day report).
        days = 0.0
        if doc.day is not None and st.last is not None:
            days = float(max(0, doc.day - st.last))
        core = self.core_missed(doc, st)
        total = (
            float(c["w_body"]) * body
            + float(c["w_title"]) * title
            + float(c["w_entities"]) * ent
            + float(c["w_passage"]) * passage
            - float(c["w_day"]) * days
            - float(c["w_core"]) * core
        )
        return total, {
            "body": body,
            "title": title,
            "entities": ent,
            "passage": passage,
            "days": days,
            "core": core,
        }

    def core(self, st: Story) -> tuple[tuple[tuple[str, ...], float], ...]:
        """The story's event core: each person, place or organisation named by at least
        ``core_share`` and ``core_min`` of the members, as the skeletons of its stems and a
        weight (idf of its rarest stem, if at least ``core_idf``, times the share of members
        naming it). Cached until the story grows."""
        n = len(st.members)
        if st.core_size == n:
            return st.core
        c = self.cfg
        need = max(float(c["core_min"]), float(c["core_share"]) * n)
        floor = float(c["core_idf"])
        idf = self.df.idf
        out = []
        for e, k in st.entities.items():
            if k < need or not e.startswith(CORE_TYPES):
                continue
            stems = e.partition(":")[2].split()
            w = max(map(idf, stems), default=0.0)
            if w >= floor:
                out.append((name_keys(stems), w * k / n))
        st.core, st.core_size = tuple(out), n
        return st.core

    def core_missed(self, doc: DocFeatures, st: Story) -> float:
        """Share (weight) of the story's event core that the article names nowhere in its
        headline, lead or entities (a name counts when one of its words is there, compared by
        :func:`~marsad.collect.stories.features.name_keys`)."""
        if not float(self.cfg["w_core"]):
            return 0.0
        core = self.core(st)
        if not core:
            return 0.0
        if not doc.core_keys:  # made when a candidate story first has a core
            doc.core_keys = lead_keys(doc)
        keys = doc.core_keys
        tot = missed = 0.0
        for sk, w in core:
            tot += w
            if not any(x in keys for x in sk):
                missed += w
        free = float(self.cfg["core_free"])
        return max(0.0, missed / tot - free) / (1.0 - free)

    # -- main ----------------------------------------------------------------------------
    def vectorise(self, doc: DocFeatures) -> None:
        k = int(self.cfg["vector_terms"])
        self.df.add(doc.counts)
        doc.vec = tfidf(doc.counts, self.df, k)
        doc.title_vec = tfidf(doc.title_terms, self.df, k)

    def add(self, doc: DocFeatures) -> Story:
        """Assign ``doc`` (articles must come in publication order) and return its story."""
        if doc.day is not None and doc.day != self._day:
            self._expire(doc.day)
            self._day = doc.day
        if not doc.vec:
            self.vectorise(doc)
        best: tuple[float, int] | None = None
        # Two steps: a quick score (centroids only) for every candidate, the full score
        # (member by member) for the best ``max_full_scored`` of them.
        wb, wt = float(self.cfg["w_body"]), float(self.cfg["w_title"])
        quick = []
        for sid in self._candidates(doc):
            st = self.active[sid]
            q = wb * cosine(doc.vec, st.centroid) + wt * cosine(doc.title_vec, st.title_centroid)
            quick.append((q, -sid))
        quick.sort(reverse=True)
        for _, neg in quick[: int(self.cfg["max_full_scored"])]:
            sid = -neg
            self.scored += 1
            s, _ = self.score(doc, self.active[sid])
            if s >= float(self.cfg["threshold"]) and (best is None or s > best[0]):
                best = (s, sid)
        if best is None:
            sid = len(self.stories)
            st = Story(id=f"story-{sid + 1}")
            self.stories.append(st)
            self.active[sid] = st
        else:
            sid = best[1]
            st = self.active[sid]
        st.members.append(doc)
        if len(st.members) == 1:  # a new story: its centroids are the article's vectors
            st.acc, st.centroid = dict(doc.vec), doc.vec
            st.title_acc, st.title_centroid = dict(doc.title_vec), doc.title_vec
        else:
            _add(st.acc, doc.vec)
            if len(st.acc) > 4 * CENTROID_TERMS:  # bounded: keep the heaviest terms
                st.acc = dict(
                    heapq.nlargest(
                        2 * CENTROID_TERMS, st.acc.items(), key=lambda kv: (kv[1], kv[0])
                    )
                )
            st.centroid = _top_normalised(st.acc, CENTROID_TERMS)
            _add(st.title_acc, doc.title_vec)
            st.title_centroid = _top_normalised(st.title_acc, CENTROID_TERMS)
        doc.counts, doc.core_keys = {}, frozenset()  # only needed to place the article
        for e in doc.entities:
            st.entities[e] = st.entities.get(e, 0) + 1
        for h in doc.fingerprints - st.fingerprints:
            self.fp_index.add(h, sid)
        st.fingerprints |= doc.fingerprints
        if doc.day is not None:
            st.first = doc.day if st.first is None else min(st.first, doc.day)
            st.last = doc.day if st.last is None else max(st.last, doc.day)
        self._reindex(sid, st)
        return st


def publication_order(docs: Iterable[DocFeatures]) -> list[DocFeatures]:
    """Sort by day (undated last), then by arrival order."""
    return sorted(docs, key=lambda d: (d.day is None, d.day or 0, d.order))


def cluster(docs: Iterable[DocFeatures], settings: Any | None = None) -> list[Story]:
    """Cluster ``docs`` (any order; sorted here) and return the stories in creation order."""
    cl = StoryClusterer(settings)
    for d in publication_order(docs):
        cl.add(d)
    return cl.stories


def labels(stories: Iterable[Story]) -> Iterator[tuple[str, str]]:
    """``(document id, story id)`` pairs."""
    for st in stories:
        for m in st.members:
            yield m.id, st.id
