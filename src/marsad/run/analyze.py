"""Running marsad: read → per-article stages → cross-article steps → outputs.

:func:`analyze_stream` yields analysed articles and error records one at a time (nothing is
kept); :func:`analyze` collects them in memory for the Python API;
:func:`marsad.output.directory.analyze_to_dir` streams them into ``analysis.json`` and
``report.html`` (what ``marsad analyze`` does).

Cross-article steps (entity resolution, story clustering) are *collectors*: objects with
``add(article)`` called for every analysed article and ``results() -> dict[str, list]`` called
at the end, giving top-level lists such as ``entities`` or ``stories``. They keep bounded state.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from marsad import builtins
from marsad.collect.entities import apply_entities, link_speakers
from marsad.core.article import Article
from marsad.core.errors import ErrorRecord
from marsad.core.protocols import Collector
from marsad.core.serialise import SCHEMA, TOP_LEVEL, LazyRows, document_json, layer_items
from marsad.core.settings import Settings, load_settings
from marsad.readers import read
from marsad.run.cluster import run_dask
from marsad.run.pipeline import Pipeline
from marsad.run.processes import run_parallel
from marsad.run.worker import Worker

log = logging.getLogger(__name__)
log.addHandler(logging.NullHandler())

PathLike = str | os.PathLike[str]


class UniqueIds:
    """Document ids must be unique (in a run, in a store): a repeated id gets a ``~2``, ``~3``
    suffix. ``taken(id)`` tells whether an id is used elsewhere (the store's documents)."""

    def __init__(self, taken: Callable[[str], bool] | None = None) -> None:
        self.seen: set[str] = set()
        self.taken = taken

    def __call__(self, art: Article) -> None:
        base = art.id
        n = 1
        while art.id in self.seen or (self.taken is not None and self.taken(art.id)):
            n += 1
            art.id = f"{base}~{n}"
        self.seen.add(art.id)


def _read_unique(paths: Iterable[PathLike], settings: Settings) -> Iterator[Article | ErrorRecord]:
    unique = UniqueIds()
    for item in read(paths, settings):
        if isinstance(item, Article):
            unique(item)
        yield item


def analyze_stream(
    paths: Iterable[PathLike] | PathLike,
    settings: Settings | None = None,
    pipeline: Pipeline | None = None,
    disable: Iterable[str] = (),
    jobs: int = 1,
    scheduler: Any = None,
    dask_workers: int | None = None,
) -> Iterator[Article | ErrorRecord]:
    """Analyse every article under ``paths``, yielding each result as soon as it is ready.

    ``jobs > 1`` runs the per-article stages on that many processes (see
    :mod:`marsad.run.processes`); ``scheduler`` (``tcp://host:port``, ``"local"`` with
    ``dask_workers`` processes, or a ``distributed.Client``) runs them on a Dask cluster (see
    :mod:`marsad.run.cluster`). Results come in the same order as with one process."""
    if isinstance(paths, str | os.PathLike):
        paths = [paths]
    settings = settings if settings is not None else load_settings()
    disable = list(disable)
    if scheduler is not None:
        Pipeline(settings=settings, disable=disable)  # check the stage names here, not in workers
        yield from run_dask(
            _read_unique(paths, settings), settings, disable, scheduler, workers=dask_workers
        )
        return
    if jobs > 1:
        Pipeline(settings=settings, disable=disable)  # check the stage names here, not in workers
        yield from run_parallel(_read_unique(paths, settings), settings, disable, jobs=jobs)
        return
    # the collectors' per-article parts run here too, as in the workers of --jobs/--scheduler,
    # so that they see the same article (before any collector has added to it): same output
    worker = Worker(settings, disable, pipeline=pipeline)
    for item in _read_unique(paths, settings):
        yield item if isinstance(item, ErrorRecord) else worker(item)


def _plain_row(row: dict[str, Any]) -> dict[str, Any]:
    """A row with its lazy mention rows (:class:`LazyRows`) as a list: plain JSON data."""
    if isinstance(row.get("mentions"), LazyRows):
        return {**row, "mentions": list(row["mentions"])}
    return row


@dataclass
class Analysis:
    """A whole run in memory (the Python API). ``to_json()`` gives the ``analysis.json`` object.

    ``extra`` holds what the collectors returned: the top-level lists (entities, stories) and
    report-only data (e.g. ``who_said_what``), which ``to_json()`` leaves out."""

    documents: list[Article] = field(default_factory=list)
    errors: list[ErrorRecord] = field(default_factory=list)
    extra: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"schema": SCHEMA}
        for key in TOP_LEVEL:
            out[key] = []
        for art in self.documents:
            out["documents"].append(document_json(art))
            for key, rows in layer_items(art).items():
                out[key].extend(rows)
        for key, rows in self.extra.items():
            if key in out:  # lists outside the schema's top level are report-only data
                out[key] = [_plain_row(r) for r in rows] + out[key]
        link_speakers(out["quotes"], self.extra.get("speaker_entities") or [])
        out["errors"] = [e.to_json() for e in self.errors]
        return out

    @property
    def ok(self) -> bool:
        """No article failed (records skipped with a reason do not count)."""
        return all(e.skipped for e in self.errors)


def make_collectors(settings: Settings, disable: Iterable[str]) -> list[Collector]:
    """New collectors for a run: the built-in ones and plugins', less those switched off."""
    return [c.factory(settings) for c in builtins.enabled_collectors(settings, disable)]


def analyze(
    paths: Iterable[PathLike] | PathLike,
    settings: Settings | None = None,
    disable: Iterable[str] = (),
    jobs: int = 1,
    scheduler: Any = None,
    dask_workers: int | None = None,
) -> Analysis:
    """Analyse ``paths`` in memory and return an :class:`Analysis`.

    >>> result = analyze("examples/articles")            # doctest: +SKIP
    >>> result.to_json()["documents"][0]["title"]         # doctest: +SKIP
    """
    settings = settings if settings is not None else load_settings()
    collectors = make_collectors(settings, disable)
    result = Analysis()
    for item in analyze_stream(
        paths, settings, disable=disable, jobs=jobs, scheduler=scheduler, dask_workers=dask_workers
    ):
        if isinstance(item, ErrorRecord):
            result.errors.append(item)
        else:
            result.documents.append(item)
            for c in collectors:
                c.add(item)
    for c in collectors:
        result.extra.update(c.results())
    if "entities" in result.extra:
        apply_entities(result.documents, result.extra["entities"])
    return result


@dataclass
class RunSummary:
    """What a run did: ``read`` = ``analysed`` + ``skipped`` + ``failed``."""

    read: int = 0
    analysed: int = 0
    failed: int = 0
    elapsed: float = 0.0
    by_code: dict[str, int] = field(default_factory=dict)
    skipped: int = 0
    skipped_by_code: dict[str, int] = field(default_factory=dict)

    def count(self, item: Article | ErrorRecord) -> None:
        self.read += 1
        if isinstance(item, Article):
            self.analysed += 1
        elif item.skipped:
            self.skipped += 1
            self.skipped_by_code[item.code] = self.skipped_by_code.get(item.code, 0) + 1
        else:
            self.failed += 1
            self.by_code[item.code] = self.by_code.get(item.code, 0) + 1

    def to_json(self) -> dict[str, Any]:
        return {
            "read": self.read,
            "analysed": self.analysed,
            "failed": self.failed,
            "failed_by_code": dict(self.by_code),
            "elapsed_seconds": round(self.elapsed, 3),
            "skipped": self.skipped,
            "skipped_by_code": dict(self.skipped_by_code),
        }
