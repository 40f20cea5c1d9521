"""The one loop that runs an article, whatever runs it: this process, ``--jobs`` worker
processes or Dask workers (like Dask's schedulers, the same per-article function on each).

:class:`Worker` runs the pipeline on one article, then the collectors' per-article parts
(:class:`Preparer`), then an optional ``finish`` function (``marsad ingest`` turns the article
into store rows there); an article that fails becomes an :class:`ErrorRecord` and the batch
goes on. :func:`batches` cuts a stream into lists for the parallel schedulers.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable, Iterable, Iterator
from typing import Any, TypeVar

from marsad import builtins
from marsad.core.article import Article
from marsad.core.errors import ArticleError, ErrorRecord
from marsad.core.settings import Settings
from marsad.run.pipeline import Pipeline

log = logging.getLogger(__name__)

T = TypeVar("T")


class Preparer:
    """Runs the collectors' per-article parts on an analysed article and leaves the results on
    it, for :func:`marsad.core.protocols.prepared` in the collector's ``add``."""

    def __init__(self, settings: Settings, disable: Iterable[str] = ()):
        self.fns = {
            c.name: c.prepare(settings)
            for c in builtins.enabled_collectors(settings, disable)
            if c.prepare is not None
        }

    def __call__(self, article: Article) -> Article:
        out = {}
        for name, fn in self.fns.items():
            try:
                out[name] = fn(article)
            except Exception:  # the collector will compute it itself (and log the failure)
                log.debug("preparing %s for %s failed", name, article.id, exc_info=True)
        if out:
            article.__dict__["_prepared"] = out
        return article


class Worker:
    """Analyses one article at a time: pipeline, collectors' per-article parts, ``finish``."""

    def __init__(
        self,
        settings: Settings,
        disable: Iterable[str] = (),
        finish: Callable[[Article], Any] | None = None,
        pipeline: Pipeline | None = None,
        collectors: bool = True,
    ):
        disable = list(disable)
        self.pipeline = pipeline or Pipeline(settings=settings, disable=disable)
        self.prepare = Preparer(settings, disable) if collectors else None
        self.finish = finish

    def __call__(self, article: Article) -> Any:
        try:
            out: Any = self.pipeline(article)
        except ArticleError as e:
            return ErrorRecord.from_error(e, path=article.path, doc=article.id)
        if self.prepare is not None:
            out = self.prepare(out)
        return self.finish(out) if self.finish is not None else out

    def batch(self, articles: list[Article]) -> list[Any]:
        return [self(a) for a in articles]


#: Workers built in this process, by settings digest, disabled stages and options (the
#: processes of a Dask cluster keep theirs between tasks).
_WORKERS: dict[tuple, Worker] = {}


def settings_digest(settings: Settings) -> str:
    raw = json.dumps(settings, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha1(raw.encode("utf-8")).hexdigest()


def cached_worker(
    settings: Settings,
    key: str,
    disable: tuple[str, ...],
    finish: Callable[[Article], Any] | None = None,
    collectors: bool = True,
) -> Worker:
    """The worker of this process for these settings (``key`` = :func:`settings_digest`)."""
    k = (key, disable, finish, collectors)
    w = _WORKERS.get(k)
    if w is None:
        w = _WORKERS[k] = Worker(settings, disable, finish=finish, collectors=collectors)
    return w


def batches(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """``items`` in lists of ``size`` (the last one shorter)."""
    batch: list[T] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch
