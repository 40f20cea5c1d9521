"""The ``stories`` collector: clusters a run's articles into stories and describes each one.

``add(article)`` keeps a small digest per article (clustering features, candidate summary
sentences, figures, statements, timeline entries) and feeds the near-duplicate detector;
``results()`` clusters the articles in publication order and returns the top-level lists
``stories`` and ``duplicates`` of ``analysis.json``.

Memory is bounded by the clusterer's window, not by the run: every ``flush_docs`` articles
the pending ones are clustered (in publication order among themselves, as one ingest batch of
the store is) and each story that has left the window (it can take no more articles, nor
duplicates) is described then: its row is kept compressed and its articles' digests dropped.
"""

from __future__ import annotations

import json
import logging
import pickle
import zlib
from dataclasses import dataclass
from datetime import date
from typing import Any

from marsad.collect.stories.cluster import StoryClusterer, publication_order, story_settings
from marsad.collect.stories.compare import (
    article_figures,
    article_statements,
    compare_figures,
    contradictions,
    statements_by_speaker,
)
from marsad.collect.stories.dedup import Deduper
from marsad.collect.stories.features import (
    DocFeatures,
    article_title,
    features_from_article,
    tfidf,
)
from marsad.collect.stories.summary import (
    Sent,
    article_sentences,
    brief,
    clean_headline,
    headline_vector,
    summarise,
    summary_length,
)
from marsad.collect.stories.timeline import article_dates, timeline
from marsad.core.protocols import prepared
from marsad.core.serialise import LazyRows

log = logging.getLogger(__name__)


def _pack(parts: tuple) -> bytes:
    return zlib.compress(pickle.dumps(parts, protocol=5), 1)


class Digest:
    """What the collector keeps of one article until its story is described: its clustering
    ``features`` (objects: the clusterer reads them while the story can grow), ``title``,
    ``outlet`` and its arrival ``order``; its candidate summary ``sentences``, ``figures``,
    ``statements`` and timeline ``dates`` are kept packed (pickled, zlib) until read: about
    50 KB as objects on real news, 6 KB packed. Reading them unpacks them once (and gives them
    the arrival order); :meth:`settle` packs them again (with the sentence vectors a summary
    filled in), :meth:`release` drops the unpacked copy."""

    __slots__ = ("_open", "_packed", "features", "order", "outlet", "title")

    def __init__(
        self,
        features: DocFeatures,
        title: str,
        outlet: str | None,
        sentences: list[Sent] = (),
        figures: list[dict[str, Any]] = (),
        statements: list[dict[str, Any]] = (),
        dates: list[dict[str, Any]] = (),
    ) -> None:
        self.features, self.title, self.outlet = features, title, outlet
        self.order = 0
        self._open: tuple | None = None
        self._packed = _pack((list(sentences), list(figures), list(statements), list(dates)))

    def parts(self) -> tuple[list[Sent], list[dict], list[dict], list[dict]]:
        if self._open is None:
            self._open = sents, figures, _statements, dates = pickle.loads(
                zlib.decompress(self._packed)
            )
            n = self.order  # the arrival order (the per-article part ran without it)
            for x in sents:
                x.order = n
            for f in figures:
                f["_order"] = n
            for d in dates:
                d["_order"] = n
        return self._open

    @property
    def sentences(self) -> list[Sent]:
        return self.parts()[0]

    @property
    def figures(self) -> list[dict[str, Any]]:
        return self.parts()[1]

    @property
    def statements(self) -> list[dict[str, Any]]:
        return self.parts()[2]

    @property
    def dates(self) -> list[dict[str, Any]]:
        return self.parts()[3]

    def settle(self) -> None:
        if self._open is not None:
            self._packed, self._open = _pack(self._open), None

    def release(self) -> None:
        self._open = None


def story_brief(sentences: list[Sent], feats: list[DocFeatures], cfg: dict, df) -> list[Sent]:
    """The story's summary: cited sentences chosen from ``sentences`` (its articles'
    candidates) with the headlines of ``feats`` as query (``cfg``: ``[stories]``)."""
    for f in feats:
        if not f.title_vec:
            f.title_vec = tfidf(f.title_terms, df, int(cfg["vector_terms"]))
    k = summary_length(len(feats), int(cfg["summary_sentences"]))
    if len(feats) > 1:
        return brief(
            sentences,
            k=min(k, int(cfg["brief_sentences"])),
            df=df,
            query=headline_vector(feats),
            dup=float(cfg["sentence_dup_jaccard"]),
            support_cosine=float(cfg["brief_support_cosine"]),
            query_weight=float(cfg["brief_headline_weight"]),
            cfg=cfg,
        )
    return summarise(
        sentences,
        k=k,
        lam=float(cfg["mmr_lambda"]),
        dup=float(cfg["sentence_dup_jaccard"]),
        df=df,
        query=headline_vector(feats),
        position_weight=float(cfg["summary_position_weight"]),
        query_weight=float(cfg["summary_headline_weight"]),
    )


def _iso(day: int | None) -> str | None:
    return date.fromordinal(day).isoformat() if day is not None else None


def _order_key(row: dict[str, Any]) -> tuple:
    """The order of ``stories``: more articles first, then by first date."""
    return (-(row.get("size") or len(row["documents"])), row["first"] or "", row["id"])


@dataclass(frozen=True, slots=True)
class _Packed:
    """A story row kept compressed until it is read, with its order key."""

    key: tuple
    blob: bytes

    def row(self) -> dict[str, Any]:
        return json.loads(zlib.decompress(self.blob))


class StoryRows(LazyRows):
    """``stories`` as :meth:`StoriesCollector.results` gives it: in order, each row
    decompressed when it is read (the rows of the stories closed during the run stay
    compressed: decompressing every story of a large run at once was one of its end-of-run
    peaks)."""

    __slots__ = ()

    def _row(self, x: dict[str, Any] | _Packed) -> dict[str, Any]:
        return x.row() if isinstance(x, _Packed) else x


class StoriesCollector:
    #: The shape of the state the store saves (marsad.store.state): bump it when it changes.
    STATE_VERSION = 10  # 7: CompactLSH, IdBuckets; 8: closed rows keep order key; 9: event core;
    # 10: digests keep their sentences, figures, statements and dates packed

    def __init__(self, settings: Any | None = None):
        self.settings = settings
        self.cfg = story_settings(settings)
        self.digests: dict[str, Digest] = {}
        self.dedup = Deduper(self.cfg)
        #: The clusterer, kept between calls of results() (the store saves it): articles added
        #: since the last call join it then, in publication order among themselves.
        self.clusterer: StoryClusterer | None = None
        self.pending: list[str] = []
        #: story id -> what its description was last built from (its number of articles, which
        #: only grows, and its duplicates): update() describes again only what changed.
        self._built: dict[str, tuple] = {}
        self._changed: set[str] = set()
        self._final_dropped = False
        self._added = 0
        self.flush_docs = int(self.cfg["flush_docs"])
        #: rows of the stories described when they left the window (their order key and the
        #: zlib-compressed JSON), until results()/update() gives them
        self._closed: dict[str, tuple[tuple, bytes]] = {}
        #: stories already described on leaving the window (their digests are gone)
        self._done: set[str] = set()

    def prepare(self, article) -> tuple[Digest, tuple]:
        """The per-article part of :meth:`add` (pure; runs in the worker processes with
        ``--jobs``/``--scheduler``): the digest, with order 0, and the detector's input."""
        digest = Digest(
            features=features_from_article(article, 0),
            title=article_title(article),
            outlet=article.meta.outlet,
            sentences=article_sentences(article, 0),
            figures=article_figures(article, 0),
            statements=article_statements(article),
            dates=article_dates(article, 0),
        )
        return digest, Deduper.prepare(article, int(self.cfg["passage_block_words"]))

    def add(self, article) -> None:
        n = self._added  # the arrival number (digests are dropped as stories close)
        self._added += 1
        pre = prepared(article, "stories") or self.prepare(article)
        digest, dedup_pre = pre
        # The arrival order, set here (the per-article part ran without it).
        digest.features.order = digest.order = n
        self.digests[article.id] = digest
        self.pending.append(article.id)
        try:
            self.dedup.add(article, dedup_pre)
        except Exception:  # the detector must never stop a run
            log.exception("near-duplicate detection failed on %s", article.id)
        if self.flush_docs and len(self.pending) >= self.flush_docs:
            self._flush()

    def _cluster_pending(self) -> StoryClusterer:
        if self.clusterer is None:
            self.clusterer = StoryClusterer(self.settings)
        for f in publication_order(self.digests[i].features for i in self.pending):
            self.clusterer.add(f)
        self.pending = []
        return self.clusterer

    def _dups_by_doc(self) -> dict[str, list[dict]]:
        """The detector's pairs, numbered, indexed by their first document."""
        by_doc: dict[str, list[dict]] = {}
        for n, d in enumerate(self.dedup.found):
            by_doc.setdefault(d["docs"][0], []).append({**d, "_n": n})
        return by_doc

    def _flush(self) -> None:
        """Cluster the pending articles and describe the stories that left the window."""
        clusterer = self._cluster_pending()
        live = {id(st) for st in clusterer.active.values()}
        closing = [st for st in clusterer.stories if st.id not in self._done and id(st) not in live]
        if not closing:
            return
        by_doc = self._dups_by_doc()
        for st in closing:
            own, key = self._own_duplicates(st, by_doc)
            if self._built.get(st.id) != key:  # else the store has its row already
                js = self._describe(st, clusterer, own)
                self._closed[st.id] = (
                    _order_key(js),
                    zlib.compress(json.dumps(js, ensure_ascii=False).encode("utf-8")),
                )
                self._built[st.id] = key
            self._done.add(st.id)
            # A closed story is never scored again (it has left the clusterer's index): what
            # its later rows read is its id, members, first and last day. Its entity counts
            # (the entities' names) and headline centroid (a one-article story's is its
            # article's headline vector) were ~2-3 KB per story kept to the end of the run.
            st.entities, st.title_centroid, st.indexed = {}, {}, ()
            for m in st.members:  # what the rows of later calls still read: id, order, day
                self.digests.pop(m.id, None)
                m.title_terms, m.title_vec, m.entities = [], {}, frozenset()

    def story_json(self, st, clusterer: StoryClusterer, dups: list[dict]) -> dict[str, Any]:
        """The ``stories[]`` object of ``st``; ``dups``: its duplicates."""
        digs = [self.digests[m.id] for m in st.members]
        sents = [s for d in digs for s in d.sentences]
        chosen = story_brief(sents, [d.features for d in digs], self.cfg, clusterer.df)
        outlets: list[str] = []
        for d in digs:
            if d.outlet and d.outlet not in outlets:
                outlets.append(d.outlet)
        figures = [f for d in digs for f in d.figures]
        head = self.digests[st.title_doc().id]
        return {
            "id": st.id,
            "title": head.title or None,
            # the most central headline without the outlet's tags (بالفيديو..، | سبق)
            "headline": clean_headline(head.title, head.outlet),
            "documents": st.documents,
            # 1-based position of each document in the run (documents[] of analysis.json,
            # and the report's #doc-N anchors).
            "document_positions": [m.order + 1 for m in st.members],
            "summary": [s.cite() for s in chosen],
            "timeline": timeline([e for d in digs for e in d.dates]),
            "outlets": outlets,
            "first": _iso(st.first),
            "last": _iso(st.last),
            "figures": compare_figures(figures) if len(digs) > 1 else [],
            "statements": statements_by_speaker([s for d in digs for s in d.statements]),
            "contradictions": contradictions(sents) if len(digs) > 1 else [],
            "duplicates": dups,
        }

    @staticmethod
    def _story_duplicates(docs: list[str], ids: set[str], by_doc: dict) -> list[dict]:
        """The duplicates of ``dups`` (indexed by their first document) within a story:
        a look-up per member, not a scan of every duplicate for every story."""
        return sorted(
            (d for doc in docs for d in by_doc.get(doc, []) if set(d["docs"]) <= ids),
            key=lambda d: d["_n"],
        )

    def _own_duplicates(self, st, by_doc: dict) -> tuple[list[dict], tuple]:
        """The story's duplicates and what its row is built from (its number of articles,
        which only grows, and its duplicates' numbers)."""
        own = self._story_duplicates(st.documents, set(st.documents), by_doc)
        return own, (len(st.members), tuple(d["_n"] for d in own))

    def changed(self) -> dict[str, set[str]]:
        """Ids of the ``stories`` rows that the last :meth:`results` or :meth:`update` built
        (``duplicates`` has no ids: not listed, so compared whole)."""
        return {"stories": set(self._changed)}

    def results(self) -> dict[str, list[dict[str, Any]]]:
        """``stories`` and ``duplicates``, every story described."""
        if self._final_dropped:
            raise RuntimeError("results() after update(): the final stories' digests are gone")
        return self._lists(everything=True)

    def update(self) -> dict[str, list[dict[str, Any]]]:
        """Like :meth:`results`, for a caller that keeps the rows (the store): a story whose
        articles and duplicates have not changed since the last call is given as ``{"id",
        "size", "first", "_unchanged": True}``; :meth:`changed` names those described anew. A
        story that left the clusterer's window can take no more articles (nor duplicates: the
        detector's window is the same): its digests are dropped."""
        out = self._lists(everything=False)
        live = {id(st) for st in self.clusterer.active.values()}  # type: ignore[union-attr]
        for st in self.clusterer.stories:  # type: ignore[union-attr]
            if id(st) not in live:
                for m in st.members:
                    self.digests.pop(m.id, None)
        self._final_dropped = True
        return out

    def _describe(self, st, clusterer: StoryClusterer, own: list[dict]) -> dict[str, Any]:
        js = self.story_json(st, clusterer, own)
        js["duplicates"] = [{k: v for k, v in d.items() if k != "_n"} for d in own]
        return js

    @staticmethod
    def _unchanged(st) -> dict[str, Any]:
        return {"id": st.id, "size": len(st.members), "first": _iso(st.first), "_unchanged": True}

    def _lists(self, everything: bool) -> dict[str, list[dict[str, Any]]]:
        clusterer = self._cluster_pending()
        dups = self.dedup.found
        by_doc = self._dups_by_doc()
        stories: list[dict[str, Any] | _Packed] = []
        self._changed = set()
        for st in clusterer.stories:
            row = self._closed.get(st.id) if everything else self._closed.pop(st.id, None)
            if row is not None:  # described when it left the window
                self._changed.add(st.id)
                # results() gives it still compressed (StoryRows), update() as a dict
                packed = _Packed(*row)
                stories.append(packed if everything else packed.row())
                continue
            if st.id in self._done:  # described when it left the window, given already
                stories.append(self._unchanged(st))
                continue
            own, key = self._own_duplicates(st, by_doc)
            if not everything and self._built.get(st.id) == key:
                stories.append(self._unchanged(st))
                continue
            js = self._describe(st, clusterer, own)
            for m in st.members:
                if everything:  # results(): the end of the run
                    self.digests[m.id].release()
                else:  # update(): the story may grow and be described again
                    self.digests[m.id].settle()
            self._built[st.id] = key
            self._changed.add(st.id)
            stories.append(js)
        # Stories with more articles first; then by first date.
        stories.sort(key=lambda s: s.key if isinstance(s, _Packed) else _order_key(s))
        if everything:
            return {"stories": StoryRows(stories), "duplicates": dups}
        return {"stories": stories, "duplicates": dups}


def preparer(settings: Any):
    """The per-article part of the collector (:class:`marsad.core.protocols.CollectorSpec`)."""
    return StoriesCollector(settings).prepare
