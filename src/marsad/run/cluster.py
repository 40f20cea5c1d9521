"""Running the per-article stages on a Dask cluster (``--scheduler``).

The main process reads the input (a stream), sends the articles in batches of ``batch_size``
to the cluster and gets them back analysed, in input order, for the cross-article collectors
and the writers — so the output is identical to a single-process run. Backpressure: at most
``in_flight`` batches (default: two per worker thread) are submitted at a time; the next batch
is read only when the oldest one has come back, so memory stays bounded whatever the corpus.

Lost workers: Dask reschedules the tasks of a worker that dies (killed, out of memory) on
the other workers; a batch whose task is given up (:class:`distributed.KilledWorker`, after
``distributed.scheduler.allowed-failures`` deaths) is submitted once more article by article;
an article that still kills its worker is reported as failed (E010) and the run goes on.

Each worker process builds the pipeline once per settings (cached by a digest of the
settings), so only the articles and a small settings digest travel with each task; the
settings themselves are shipped once per worker (scattered to the cluster).

Dask is imported only here (``pip install 'marsad[dask]'``).
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from marsad.core.article import Article
from marsad.core.errors import ArticleError, ErrorRecord
from marsad.core.settings import Settings
from marsad.run.worker import batches, cached_worker, settings_digest

log = logging.getLogger(__name__)


def run_batch(
    batch: list[Article],
    settings: Settings,
    key: str,
    disable: tuple[str, ...],
    finish: Callable[[Article], Any] | None = None,
    collectors: bool = True,
) -> list[Any]:
    """The task run on a worker: :class:`marsad.run.worker.Worker` over one batch (the
    worker process keeps its worker, by ``key`` = the settings digest, between tasks)."""
    return cached_worker(settings, key, disable, finish, collectors).batch(batch)


def map_ordered(
    client,
    fn,
    batches: Iterable[list[Any]],
    *args: Any,
    in_flight: int | None = None,
    on_killed=None,
) -> Iterator[list[Any]]:
    """``fn(batch, *args)`` for each batch on the cluster, results in input order, at most
    ``in_flight`` batches submitted at a time (default: two per worker thread). An empty batch
    gives ``[]`` without a task. A batch whose task keeps killing workers (``KilledWorker``)
    gives ``on_killed(batch)`` when that is set, else the error is raised."""
    from distributed import KilledWorker

    limit = in_flight or 2 * _threads(client)
    pending: deque = deque()  # (batch, future), or (batch, None) for an empty batch
    source = iter(batches)
    exhausted = False
    while True:
        while not exhausted and len(pending) < limit:
            batch = next(source, None)
            if batch is None:
                exhausted = True
                break
            fut = client.submit(fn, batch, *args, pure=False) if batch else None
            pending.append((batch, fut))
        if not pending:
            return
        batch, fut = pending.popleft()
        if fut is None:
            yield []
            continue
        try:
            yield fut.result()
        except KilledWorker:
            if on_killed is None:
                raise
            yield on_killed(batch)
        finally:
            fut.release()


def connect(scheduler: str, workers: int | None = None):
    """A ``distributed.Client``: ``scheduler`` is ``tcp://host:port`` (an existing cluster) or
    ``local`` (a LocalCluster of ``workers`` single-threaded worker processes)."""
    try:
        from distributed import Client, LocalCluster
    except ImportError as e:  # pragma: no cover - depends on the environment
        raise ImportError(
            "--scheduler needs Dask: pip install 'marsad[dask]' (dask[distributed])"
        ) from e
    # Dask sets its loggers to INFO when imported: follow marsad's level (-v) instead, so that
    # stderr stays clean for the progress bar and --log-json.
    logging.getLogger("distributed").setLevel(logging.getLogger().getEffectiveLevel())
    if scheduler == "local":
        cluster = LocalCluster(
            n_workers=max(1, workers or 2),
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            silence_logs=logging.WARNING,  # keep stderr for the progress bar and --log-json
        )
        return Client(cluster, direct_to_workers=True)
    if workers:
        log.warning("--dask-workers is ignored with an existing scheduler (%s)", scheduler)
    # Results come straight from the workers, not relayed by the scheduler.
    return Client(scheduler, timeout="30s", direct_to_workers=True)


def _threads(client) -> int:
    try:
        return max(1, sum(client.nthreads().values()))
    except Exception:  # pragma: no cover
        return 1


@contextmanager
def dask_client(scheduler: str | Any, workers: int | None = None):
    """A client for ``scheduler`` (an address, ``"local"``, or an existing
    ``distributed.Client``, used as it is); a client made here is closed afterwards, with its
    LocalCluster."""
    from distributed import Client

    if isinstance(scheduler, Client):
        yield scheduler
        return
    client = connect(scheduler, workers)
    try:
        yield client
    finally:
        cluster = getattr(client, "cluster", None)
        client.close()
        if cluster is not None:
            cluster.close()


def run_dask(
    items: Iterable[Article | ErrorRecord],
    settings: Settings,
    disable: Iterable[str] = (),
    scheduler: str | Any = "local",
    workers: int | None = None,
    batch_size: int = 64,
    in_flight: int | None = None,
) -> Iterator[Article | ErrorRecord]:
    """Analyse ``items`` (articles and read errors, in order) on a Dask cluster.

    ``scheduler`` is an address, ``"local"``, or an existing ``distributed.Client``."""
    disable = tuple(disable)
    with dask_client(scheduler, workers) as client:
        key = settings_digest(settings)
        [settings_f] = client.scatter([settings], broadcast=True, hash=False)
        read_ahead: deque[list[Article | ErrorRecord]] = deque()  # batches map_ordered took

        def articles_of_each_batch() -> Iterator[list[Article]]:
            for batch in batches(items, batch_size):
                read_ahead.append(batch)
                yield [a for a in batch if isinstance(a, Article)]

        def one_by_one(arts: list[Article]) -> list[Article | ErrorRecord]:
            log.warning("a batch kept killing workers; retrying it article by article")
            return _one_by_one(client, arts, settings_f, key, disable)

        for results in map_ordered(
            client,
            run_batch,
            articles_of_each_batch(),
            settings_f,
            key,
            disable,
            in_flight=in_flight,
            on_killed=one_by_one,
        ):
            done = iter(results)
            for item in read_ahead.popleft():
                yield next(done) if isinstance(item, Article) else item


def _one_by_one(client, arts, settings_f, key, disable) -> list[Article | ErrorRecord]:
    from distributed import KilledWorker

    out: list[Article | ErrorRecord] = []
    for art in arts:
        try:
            out.extend(
                client.submit(run_batch, [art], settings_f, key, disable, pure=False).result()
            )
        except KilledWorker:
            err = ArticleError(
                "E010", stage="(dask worker)", detail="the worker process died on this article"
            )
            out.append(ErrorRecord.from_error(err, path=art.path, doc=art.id))
    return out
