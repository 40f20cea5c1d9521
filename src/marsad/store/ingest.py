"""``marsad ingest``: analyse articles and store them, with every layer, incrementally.

An article is identified by its content hash (SHA-1 of the text): an article already stored is
skipped before it is analysed, so re-ingesting adds nothing twice. A new article whose id is
taken by different content is stored under ``id~2``, ``id~3`` (as ids are made unique in a run).

Work is split between processes: the main process reads articles, drops those already stored
and writes; ``jobs`` worker processes run the pipeline and turn each article into plain rows
(:func:`prepare`). Articles are written in batches, each batch in one transaction, so an
article is never half-stored: a crash or kill mid-ingest leaves the store consistent and
running the same ingest again completes the work.

Cross-article lists (entities, stories, duplicates) are kept up to date incrementally
(:mod:`marsad.store.state`): the collectors' saved state is loaded, each article this ingest
stores is added to it as analysed (never analysed again), and at the end the lists their
``results()`` give are written row by row, only the rows that changed, each change a new
version (:mod:`marsad.store.collections`), together with the new saved state, in one
transaction. A ``collect_pending`` flag is set with each batch of new articles and cleared by
that transaction; articles stored but not yet collected (``collect=False``, or an ingest killed
before its last transaction) are analysed again from their stored text by the next collection.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from marsad.core.article import Article
from marsad.core.errors import ErrorRecord
from marsad.core.serialise import document_json
from marsad.core.settings import Settings, load_settings
from marsad.readers import read
from marsad.run.analyze import UniqueIds
from marsad.run.cluster import dask_client, map_ordered, run_batch
from marsad.run.pipeline import Pipeline
from marsad.run.processes import run_parallel
from marsad.run.worker import Worker, batches, settings_digest
from marsad.store.db import DB, DEFAULT_DB
from marsad.store.rows import _dump, compact_document, insert_passages, passages_of
from marsad.store.schema import migrate
from marsad.store.state import StoreCollectors

log = logging.getLogger(__name__)
log.addHandler(logging.NullHandler())

PathLike = str | os.PathLike[str]


@dataclass
class Prepared:
    """An analysed article as plain rows, ready to write (picklable, built in a worker)."""

    id: str
    sha1: str
    text: str
    raw: str | None
    doc: dict[str, Any]
    items: list[tuple[str, int, int, int, str]]
    passages: list[tuple[int, int, int, str, str]]
    #: The analysed article itself, for the store's collectors (dropped once they have it).
    article: Article | None = None


def prepare(article: Article) -> Prepared:
    doc = document_json(article)
    items = []
    for layer, layer_items in article.layers.items():
        for seq, item in enumerate(layer_items):
            row = item.to_json(article)
            row["doc"] = article.id
            items.append((layer, seq, int(item.start), int(item.end), _dump(row)))
    return Prepared(
        article.id,
        doc["sha1"],
        article.text,
        article.raw,
        compact_document(doc),
        items,
        passages_of(article.text, doc),
        article,
    )


def prepare_rows(article: Article) -> Prepared:
    """:func:`prepare` without the analysed article (nothing is collected: not worth
    shipping back from the worker)."""
    p = prepare(article)
    p.article = None
    return p


# -- writing -----------------------------------------------------------------------------------
def _write(db: DB, p: Prepared) -> int | None:
    """Insert one prepared article; None when its content is already stored."""
    doc = p.doc
    now = datetime.now(UTC).isoformat(timespec="seconds")
    row = db.one(
        "INSERT INTO documents(id, sha1, url, title, outlet, published, language, path, text, raw,"
        " doc, ingested_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT DO NOTHING RETURNING n",
        (
            p.id,
            p.sha1,
            doc.get("url"),
            doc.get("title"),
            doc.get("outlet"),
            doc.get("published"),
            doc.get("language"),
            doc.get("path"),
            p.text,
            p.raw,
            _dump(doc),
            now,
        ),
    )
    if row is None:
        return None
    n = int(row[0])
    if p.items:
        db.executemany(
            "INSERT INTO items(doc, layer, seq, span_start, span_end, data) VALUES (?,?,?,?,?,?)",
            [(n, layer, seq, s, e, data) for layer, seq, s, e, data in p.items],
        )
    insert_passages(db, n, p.passages)
    return n


def _set_state(db: DB, key: str, value: str | None) -> None:
    db.execute("DELETE FROM state WHERE key = ?", (key,))
    if value is not None:
        db.execute("INSERT INTO state(key, value) VALUES (?, ?)", (key, value))


def get_state(db: DB, key: str) -> str | None:
    row = db.one("SELECT value FROM state WHERE key = ?", (key,))
    db.end_read()
    return row[0] if row else None


# -- the ingest loop -----------------------------------------------------------------------------
@dataclass
class IngestSummary:
    read: int = 0
    stored: int = 0
    #: Articles already in the store (same content hash), not analysed again.
    skipped: int = 0
    #: Input records counted and skipped with a reason (``severity == "skip"``: a feed or
    #: archive record that is not HTML, not Arabic, or empty); not failures.
    skipped_records: int = 0
    skipped_by_code: dict[str, int] = field(default_factory=dict)
    failed: int = 0
    #: Error records of failed articles and skip records, in input order.
    errors: list[ErrorRecord] = field(default_factory=list)
    collected: dict[str, int] = field(default_factory=dict)
    elapsed: float = 0.0

    def count_error(self, item: ErrorRecord) -> None:
        """A skip record counts as skipped, any other error record as failed."""
        self.errors.append(item)
        if item.skipped:
            self.skipped_records += 1
            self.skipped_by_code[item.code] = self.skipped_by_code.get(item.code, 0) + 1
        else:
            self.failed += 1

    def to_json(self) -> dict[str, Any]:
        return {
            "read": self.read,
            "stored": self.stored,
            "skipped": self.skipped,
            "skipped_records": self.skipped_records,
            "skipped_by_code": dict(self.skipped_by_code),
            "failed": self.failed,
            "collected": dict(self.collected),
            "elapsed_seconds": round(self.elapsed, 3),
        }


def ingest(
    paths: Iterable[PathLike] | PathLike,
    db: str | DB = DEFAULT_DB,
    settings: Settings | None = None,
    disable: Iterable[str] = (),
    jobs: int | None = None,
    batch: int = 500,
    collect: bool = True,
    progress: Callable[[int], None] | None = None,
    scheduler: Any = None,
    dask_workers: int | None = None,
    collectors: StoreCollectors | None = None,
    recollect: bool = False,
) -> IngestSummary:
    """Analyse the articles under ``paths`` and store the new ones (see the module docstring).

    ``collect``: add the new articles to the store's collectors and write the cross-article
    lists (False: leave that to a later ingest, which then analyses them again for it).
    ``collectors``: the store's collectors, loaded by the caller, who also finishes them (one
    ``marsad watch`` round ingests several sources and writes the lists once).
    ``recollect``: start the collectors afresh, so that every stored article is analysed again
    for them (the saved state knows settings and versions, not edits of the data files).
    ``jobs``: worker processes for the analysis (default: the number of CPUs; 1 = in-process).
    ``scheduler``: analyse on a Dask cluster instead (``tcp://host:port``, ``"local"`` with
    ``dask_workers`` processes, or a ``distributed.Client``; docs/scale.md).
    """
    if isinstance(paths, str | os.PathLike):
        paths = [paths]
    settings = settings if settings is not None else load_settings()
    disable = list(disable)
    Pipeline(settings=settings, disable=disable)  # check stage names before touching the store
    own = not isinstance(db, DB)
    store = DB(db) if own else db
    summary = IngestSummary()
    t0 = time.perf_counter()
    try:
        migrate(store)
        # Existence checks use their own connection (reads between the writes of a batch).
        checker = DB(store.url) if store.dialect == "postgres" or own else store
        if store.dialect == "sqlite":
            # Fewer, larger WAL checkpoints while bulk loading (each one syncs the file).
            store.execute("PRAGMA wal_autocheckpoint=20000")
        unique = UniqueIds(
            lambda i: checker.one("SELECT 1 FROM documents WHERE id = ?", (i,)) is not None
        )
        sha_seen: set[str] = set()
        state = collectors
        if collect and state is None:
            state = StoreCollectors(store, settings, disable, fresh=recollect)
        if state is not None:
            state.catch_up()  # documents stored earlier but never collected come first

        def fresh() -> Iterator[Article]:
            for item in read(paths, settings):
                summary.read += 1
                if isinstance(item, ErrorRecord):
                    summary.count_error(item)
                    continue
                sha = item.sha1
                if sha in sha_seen or checker.one("SELECT 1 FROM documents WHERE sha1 = ?", (sha,)):
                    summary.skipped += 1
                    continue
                sha_seen.add(sha)
                unique(item)
                checker.end_read()
                yield item

        def write(results: list[Prepared | ErrorRecord]) -> None:
            store.end_read()
            store.begin()
            stored: list[tuple[int, Article]] = []
            try:
                for r in results:
                    if isinstance(r, ErrorRecord):
                        summary.count_error(r)
                    elif (n := _write(store, r)) is None:
                        summary.skipped += 1
                    else:
                        stored.append((n, r.article))
                    if not isinstance(r, ErrorRecord):
                        r.article = None
                if stored:
                    _set_state(store, "collect_pending", "1")
                store.commit()
            except BaseException:
                store.rollback()
                raise
            summary.stored += len(stored)
            if state is not None:
                for n, art in stored:
                    state.add(n, art)
            if progress:
                progress(len(results))

        jobs = jobs if jobs is not None else (os.cpu_count() or 1)
        # the store's collectors take the articles: their per-article parts run in the worker
        # and the analysed article travels back with its rows
        finish = prepare if state is not None else prepare_rows
        if scheduler is not None:
            with dask_client(scheduler, dask_workers) as client:
                [settings_f] = client.scatter([settings], broadcast=True, hash=False)
                for results in map_ordered(
                    client,
                    run_batch,
                    batches(fresh(), max(1, min(batch, 64))),
                    settings_f,
                    settings_digest(settings),
                    tuple(disable),
                    finish,
                    state is not None,
                ):
                    write(results)
        elif jobs <= 1:
            worker = Worker(settings, disable, finish=finish, collectors=state is not None)
            for b in batches(fresh(), batch):
                write([worker(a) for a in b])
        else:
            # The pool analyses ahead (up to two write batches in flight) while this thread
            # reads, filters and writes; a worker that dies is replaced and its batch run again.
            chunk = max(1, min(32, batch // (jobs * 4)))
            analysed = run_parallel(
                fresh(),
                settings,
                disable,
                jobs=jobs,
                batch_size=chunk,
                finish=finish,
                collectors=state is not None,
                in_flight=max(2 * jobs, 2 * batch // chunk),
            )
            for results in batches(analysed, batch):
                write(results)
        if checker is not store:
            checker.close()
        if store.dialect == "sqlite":
            store.execute("PRAGMA wal_autocheckpoint=1000")
            store.execute("PRAGMA wal_checkpoint(PASSIVE)")
        store.end_read()
        if collect and collectors is None and state is not None:
            if state.added or recollect or get_state(store, "collect_pending"):
                summary.collected = state.finish()
    finally:
        summary.elapsed = time.perf_counter() - t0
        if own:
            store.close()
    return summary


# -- cross-article collectors ------------------------------------------------------------------
def run_collectors(
    db: DB,
    settings: Settings | None = None,
    disable: Iterable[str] = (),
    rebuild: bool = False,
) -> dict[str, int]:
    """Bring the store's cross-article lists up to date: add the stored documents the saved
    collectors have not seen (all of them with ``rebuild``), then write the lists."""
    settings = settings if settings is not None else load_settings()
    state = StoreCollectors(db, settings, disable, fresh=rebuild)
    state.catch_up()
    return state.finish()
