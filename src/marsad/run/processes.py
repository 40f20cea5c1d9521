"""Running the per-article stages on several processes (``--jobs N``).

Articles are read in the main process (a stream), sent to worker processes in small batches,
and come back in input order, so the output is identical to a single-process run. At most
``2 × jobs`` batches are in flight, so memory stays bounded whatever the corpus size. A worker
that dies (killed, out of memory) breaks the pool: the pool is rebuilt and the unfinished
batches are submitted again, so no article is lost; an article that kills its worker twice is
reported as failed (E010) and the batch goes on.

``marsad analyze --jobs`` and ``marsad ingest`` both run here (ingest with a ``finish`` that
turns each analysed article into store rows in the worker), as Dask runs the same
:class:`marsad.run.worker.Worker` in :mod:`marsad.run.cluster`.
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from marsad.core.article import Article
from marsad.core.errors import ArticleError, ErrorRecord
from marsad.core.settings import Settings
from marsad.run.worker import Worker, batches

log = logging.getLogger(__name__)

_WORKER: Worker | None = None


def _init_worker(
    settings: Settings,
    disable: tuple[str, ...],
    finish: Callable[[Article], Any] | None = None,
    collectors: bool = True,
) -> None:
    global _WORKER
    _WORKER = Worker(settings, disable, finish=finish, collectors=collectors)


def _run_batch(batch: list[Article]) -> list[Any]:
    assert _WORKER is not None
    return _WORKER.batch(batch)


def run_parallel(
    items: Iterable[Article | ErrorRecord],
    settings: Settings,
    disable: Iterable[str] = (),
    jobs: int = 2,
    batch_size: int = 32,
    finish: Callable[[Article], Any] | None = None,
    collectors: bool = True,
    in_flight: int | None = None,
) -> Iterator[Any]:
    """Analyse ``items`` (articles and read errors, in order) on ``jobs`` processes: each
    article becomes what :class:`marsad.run.worker.Worker` (with ``finish`` and
    ``collectors``) gives for it; read errors pass through. At most ``in_flight`` batches
    (default ``2 × jobs``) are out at a time."""
    disable = tuple(disable)
    limit = in_flight or 2 * jobs
    init = (settings, disable, finish, collectors)

    def new_pool() -> ProcessPoolExecutor:
        return ProcessPoolExecutor(max_workers=jobs, initializer=_init_worker, initargs=init)

    def submit(arts: list[Article]) -> Future:
        try:
            return pool.submit(_run_batch, arts)
        except BrokenProcessPool as e:  # the pool broke after the last result was taken
            failed: Future = Future()
            failed.set_exception(e)
            return failed

    pool = new_pool()
    pending: deque[_Entry] = deque()
    source = batches(items, batch_size)
    exhausted = False
    try:
        while True:
            while not exhausted and len(pending) < limit:
                batch = next(source, None)
                if batch is None:
                    exhausted = True
                    break
                entry = _Entry(batch)
                if entry.arts:
                    entry.future = submit(entry.arts)
                else:
                    entry.results = []
                pending.append(entry)
            if not pending:
                return
            head = pending[0]
            if head.results is None:
                try:
                    head.results = head.future.result()  # type: ignore[union-attr]
                except BrokenProcessPool:
                    log.warning(
                        "a worker process died; restarting the pool, retrying %d batches",
                        len(pending),
                    )
                    pool.shutdown(wait=False, cancel_futures=True)
                    pool = new_pool()
                    for entry in pending:
                        if entry.results is not None:
                            continue
                        entry.tries += 1
                        if entry.tries > 2:  # this batch broke the pool twice: isolate its articles
                            entry.results = _isolate(entry.arts, init)
                        else:
                            entry.future = submit(entry.arts)
                    continue
            pending.popleft()
            done = iter(head.results)
            for item in head.batch:
                yield next(done) if isinstance(item, Article) else item
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


class _Entry:
    """One batch in flight: what was read, the articles sent, the future, the results."""

    __slots__ = ("arts", "batch", "future", "results", "tries")

    def __init__(self, batch: list[Article | ErrorRecord]):
        self.batch = batch
        self.arts = [a for a in batch if isinstance(a, Article)]
        self.future: Future | None = None
        self.results: list[Any] | None = None
        self.tries = 1


def _isolate(arts: list[Article], init: tuple) -> list[Any]:
    """Run each article of a batch that keeps killing workers in its own one-off process."""
    out: list[Any] = []
    for art in arts:
        with ProcessPoolExecutor(max_workers=1, initializer=_init_worker, initargs=init) as one:
            try:
                out.extend(one.submit(_run_batch, [art]).result())
            except BrokenProcessPool:
                err = ArticleError(
                    "E010",
                    stage="(worker process)",
                    detail="the worker process died on this article",
                )
                out.append(ErrorRecord.from_error(err, path=art.path, doc=art.id))
    return out
