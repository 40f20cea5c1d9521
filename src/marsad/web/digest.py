"""The web app's in-memory digest of a store: the small aggregates every briefing page needs.

Pages must answer in well under 150 ms on a store of tens of thousands of articles, and the
app only reads the store, so it keeps, in memory, one compact row per article (day, outlet),
the article sets of each entity and story, and one row per statement (who, cue class, where,
which entities its words mention). Article text and full rows stay in the store and are read
by primary key for the rows a page shows.

The digest is built on first use and rebuilt (in a background thread, the old one serving
meanwhile) when the store's fingerprint changes: the last document number and the last save
of the collectors' state (which every change of the cross-article lists comes with). Checked
at most every ``RECHECK`` seconds, and rebuilt at most every five build times (a store being
ingested into is not digested non-stop).
"""

from __future__ import annotations

import gc
import json
import logging
import threading
import time
from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from importlib import resources
from typing import Any, ClassVar

from marsad.store.db import DB
from marsad.store.terms import name_key

log = logging.getLogger(__name__)

#: Seconds between two checks of the store's fingerprint.
RECHECK = 10.0

_CUES = json.loads(
    resources.files("marsad.resources.ar").joinpath("cue_classes.json").read_text("utf-8")
)
#: Cue class -> Arabic label (the who-said-what filter).
CUE_LABELS: dict[str, str] = _CUES["labels"]
_LEMMA_CLASS: dict[str, str] = _CUES["lemmas"]


def cue_class(lemma: str | None, cue_type: str | None) -> str:
    """The class of a statement's cue: ``denied``, ``warned``, ``called_for``, … (``said`` when
    the lemma is not listed; ``according`` for nominal cues such as بحسب)."""
    if cue_type == "nominal":
        return "according"
    return _LEMMA_CLASS.get(lemma or "", "said")


def jpath(db: DB, col: str, *path: str) -> str:
    """SQL for a JSON text field of a TEXT column (both dialects)."""
    if db.dialect == "sqlite":
        return f"json_extract({col}, '$.{'.'.join(path)}')"
    return f"({col}::json #>> '{{{','.join(path)}}}')"


@dataclass(slots=True)
class Statement:
    """One row of the who-said-what table (offsets of its words in the article text)."""

    doc: int  # documents.n
    seq: int
    day: str
    outlet: str | None
    speaker: str | None  # entity id
    speaker_text: str | None
    speaker_key: str | None  # normalised speaker text
    cue: str
    start: int
    end: int
    mentions: tuple[str, ...] = ()  # entity ids mentioned inside the statement's words


@dataclass
class Digest:
    fingerprint: tuple
    built_in: float = 0.0
    #: documents.n -> (id, day, outlet, published)
    docs: dict[int, tuple[str, str, str | None, str | None]] = field(default_factory=dict)
    n_of: dict[str, int] = field(default_factory=dict)
    days: list[str] = field(default_factory=list)
    day_docs: dict[str, list[int]] = field(default_factory=dict)
    outlets: Counter = field(default_factory=Counter)
    outlet_day: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    entity_docs: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    doc_entities: dict[int, list[str]] = field(default_factory=lambda: defaultdict(list))
    entity_info: dict[str, tuple[str | None, str | None]] = field(default_factory=dict)
    entity_day: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    entity_outlets: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    story_docs: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    doc_stories: dict[int, list[str]] = field(default_factory=lambda: defaultdict(list))
    story_title: dict[str, str | None] = field(default_factory=dict)
    #: Every statement, newest article first.
    statements: list[Statement] = field(default_factory=list)
    by_speaker: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    about: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    doc_statements: dict[int, list[int]] = field(default_factory=lambda: defaultdict(list))
    by_cue: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    by_outlet: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    name_keys: dict[str, str] = field(default_factory=dict)
    #: Entities by number of articles (most first); outlet -> entity -> articles.
    ranked: list[str] = field(default_factory=list)
    outlet_entities: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    #: Functions run on a new digest to fill ``cache`` ahead of the first requests.
    warmers: ClassVar[list] = []
    #: Results of costlier page computations for this digest (bounded; see ``memo``).
    cache: dict[Any, Any] = field(default_factory=dict)

    def memo(self, key: Any, compute):
        if key not in self.cache:
            if len(self.cache) > 2000:
                self.cache.clear()
            self.cache[key] = compute()
        return self.cache[key]

    # -- small helpers the pages use ---------------------------------------------------------
    def day_of(self, n: int) -> str:
        return self.docs[n][1]

    def days_around(self, day: str, before: int) -> list[str]:
        """The ``before`` calendar days up to and including ``day`` (oldest first)."""
        d = _date(day)
        if d is None:
            return []
        return [(d - timedelta(days=k)).isoformat() for k in range(before - 1, -1, -1)]

    def neighbour_days(self, day: str) -> tuple[str | None, str | None]:
        """The previous and next days that have articles."""
        i, j = bisect_left(self.days, day), bisect_right(self.days, day)
        return (self.days[i - 1] if i > 0 else None, self.days[j] if j < len(self.days) else None)

    def statement_range(self, since: str | None, until: str | None) -> range:
        """Statements of articles published between the two days (they are newest first)."""
        sts = self.statements

        def first(pred) -> int:  # first index where pred holds (pred is monotone)
            lo, hi = 0, len(sts)
            while lo < hi:
                mid = (lo + hi) // 2
                if pred(sts[mid].day):
                    hi = mid
                else:
                    lo = mid + 1
            return lo

        lo = first(lambda d: d <= until[:10]) if until else 0
        hi = first(lambda d: d < since[:10]) if since else len(sts)
        return range(lo, max(lo, hi))

    def docs_between(self, since: str | None, until: str | None) -> list[int]:
        lo = bisect_left(self.days, since[:10]) if since else 0
        hi = bisect_right(self.days, until[:10]) if until else len(self.days)
        return [n for d in self.days[lo:hi] for n in self.day_docs[d]]


def _date(day: str | None) -> date | None:
    try:
        return date.fromisoformat(str(day)[:10])
    except (TypeError, ValueError):
        return None


def fingerprint(db: DB) -> tuple:
    """Cheap enough for a request: the last document number (primary key) and the last save
    of the collectors' state (a few rows; saved with every change of the lists)."""
    a = db.one("SELECT max(n) FROM documents")
    b = db.one("SELECT max(updated_at), count(*) FROM collector_state")
    db.end_read()
    return (*a, *b)


def build(db: DB) -> Digest:
    t0 = time.perf_counter()
    g = Digest(fingerprint(db))
    for n, doc_id, published, outlet in db.all(
        "SELECT n, id, published, outlet FROM documents ORDER BY published DESC, n DESC"
    ):
        day = str(published or "")[:10]
        g.docs[n] = (doc_id, day, outlet, published)
        g.n_of[doc_id] = n
        if day:
            g.day_docs.setdefault(day, []).append(n)
        if outlet:
            g.outlets[outlet] += 1
            if day:
                g.outlet_day[outlet][day] += 1
    g.days = sorted(g.day_docs)
    order = {n: k for k, n in enumerate(g.docs)}  # newest first
    for entity, doc_id in db.all("SELECT entity, doc FROM entity_docs"):
        n = g.n_of.get(doc_id)
        if n is None:
            continue
        g.entity_docs[entity].append(n)
        g.doc_entities[n].append(entity)
        _, day, outlet, _p = g.docs[n]
        if day:
            g.entity_day[entity][day] += 1
        if outlet:
            g.entity_outlets[entity][outlet] += 1
    for lst in g.entity_docs.values():
        lst.sort(key=order.__getitem__)
    g.ranked = sorted(g.entity_docs, key=lambda e: (-len(g.entity_docs[e]), e))
    for ent, outs in g.entity_outlets.items():
        for o, c in outs.items():
            g.outlet_entities[o][ent] = c
    for ent_id, name, typ in db.all(
        f"SELECT id, {jpath(db, 'data', 'name')}, {jpath(db, 'data', 'type')} "
        "FROM collections WHERE list = 'entities'"
    ):
        g.entity_info[ent_id] = (name, typ)
        if name:
            g.name_keys[ent_id] = name_key(name)
    for story, doc_id in db.all("SELECT story, doc FROM story_docs"):
        n = g.n_of.get(doc_id)
        if n is not None:
            g.story_docs[story].append(n)
            g.doc_stories[n].append(story)
    for lst in g.story_docs.values():
        lst.sort(key=order.__getitem__)
    for sid, title in db.all(
        f"SELECT id, {jpath(db, 'data', 'title')} FROM collections WHERE list = 'stories'"
    ):
        g.story_title[sid] = title
    _statements(db, g, order)
    db.end_read()
    for warm in Digest.warmers:
        warm(g)
    # Millions of small objects that live as long as the digest: keep the cyclic garbage
    # collector from walking them on every full collection (a 250 ms pause per request it
    # falls on, measured at 15k articles). Reference counting still frees an old digest.
    gc.collect()
    gc.freeze()
    g.built_in = time.perf_counter() - t0
    log.info(
        "web: digest of %d articles, %d statements in %.1f s",
        len(g.docs),
        len(g.statements),
        g.built_in,
    )
    return g


def _statements(db: DB, g: Digest, order: dict[int, int]) -> None:
    cols = ", ".join(
        jpath(db, "data", *p)
        for p in (
            ("speaker", "entity"),
            ("speaker", "text"),
            ("cue_lemma",),
            ("cue_type",),
            ("content", "start"),
            ("content", "end"),
        )
    )
    rows = db.all(
        f"SELECT doc, seq, span_start, span_end, {cols} FROM items WHERE layer = 'quotes'"
    )
    rows.sort(key=lambda r: (order.get(r[0], 1 << 60), r[1]))
    spans: dict[int, list[tuple[int, int, int]]] = defaultdict(list)
    for doc, seq, s, e, ent, sp_text, lemma, cue_type, cs, ce in rows:
        meta = g.docs.get(doc)
        if meta is None:
            continue
        start, end = (int(cs), int(ce)) if cs is not None and ce is not None else (s, e)
        k = len(g.statements)
        g.statements.append(
            Statement(
                doc,
                seq,
                meta[1],
                meta[2],
                ent,
                sp_text,
                name_key(sp_text) if sp_text else None,
                cue_class(lemma, cue_type),
                start,
                end,
            )
        )
        if ent:
            g.by_speaker[ent].append(k)
        g.by_cue[g.statements[k].cue].append(k)
        if meta[2]:
            g.by_outlet[meta[2]].append(k)
        g.doc_statements[doc].append(k)
        spans[doc].append((start, end, k))
    if not spans:
        return
    # Entities mentioned inside each statement's words (for "statements about" and the filter).
    found: dict[int, set[str]] = defaultdict(set)
    for doc, s, e, ent in db.all(
        f"SELECT doc, span_start, span_end, {jpath(db, 'data', 'entity')} FROM items "
        "WHERE layer = 'mentions'"
    ):
        if ent is None:
            continue
        for qs, qe, k in spans.get(doc, ()):
            if qs <= s and e <= qe:
                found[k].add(ent)
    for k, ents in found.items():
        st = g.statements[k]
        st.mentions = tuple(sorted(ents))
        for ent in st.mentions:
            if ent != st.speaker:
                g.about[ent].append(k)
    for lst in g.about.values():
        lst.sort()


class DigestCache:
    """The current digest of one store, rebuilt in the background when the store changes."""

    def __init__(self, open_db):
        self._open = open_db
        self._digest: Digest | None = None
        self._checked = 0.0
        self._lock = threading.Lock()
        self._building = False

    def get(self, db: DB) -> Digest:
        g = self._digest
        if g is None:
            with self._lock:
                if self._digest is None:
                    self._digest = build(db)
                    self._checked = time.monotonic()
                return self._digest
        now = time.monotonic()
        # while a store grows (an ingest running), rebuild at most every 5 build times
        wait = max(RECHECK, 5 * g.built_in)
        if now - self._checked > wait and not self._building:
            self._checked = now
            if fingerprint(db) != g.fingerprint:
                self._building = True
                threading.Thread(target=self._rebuild, daemon=True).start()
        return g

    def warm(self) -> None:
        """Build the first digest in the background (a request arriving meanwhile waits)."""

        def run() -> None:
            try:
                db = self._open()
                try:
                    self.get(db)
                finally:
                    db.close()
            except Exception:  # the first request will try again, and report
                log.exception("web: building the digest failed")

        threading.Thread(target=run, daemon=True).start()

    def _rebuild(self) -> None:
        try:
            db = self._open()
            try:
                self._digest = build(db)
            finally:
                db.close()
        except Exception:  # keep serving the old digest
            log.exception("web: rebuilding the digest failed")
        finally:
            self._building = False


def info(g: Digest, ent: str) -> dict[str, Any]:
    name, typ = g.entity_info.get(ent, (None, None))
    return {"id": ent, "name": name, "type": typ}
