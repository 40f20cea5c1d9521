"""Running marsad: read → per-article stages → cross-article steps → outputs.

:func:`analyze_stream` yields analysed articles and error records one at a time (nothing is
kept); :func:`analyze` collects them in memory for the Python API; :func:`analyze_to_dir`
streams them into ``analysis.json`` and ``report.html`` (what ``marsad analyze`` does).

Cross-article steps (entity resolution, story clustering) are *collectors*: objects with
``add(article)`` called for every analysed article and ``results() -> dict[str, list]`` called
at the end, giving top-level lists such as ``entities`` or ``stories``. They keep bounded state.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from marsad.collect.entities import apply_entities, link_speakers
from marsad.core.article import Article
from marsad.core.errors import ArticleError, ErrorRecord
from marsad.core.settings import Settings, load_settings
from marsad.output.json import SCHEMA, TOP_LEVEL, AnalysisWriter, document_json, layer_items
from marsad.readers import read
from marsad.run.pipeline import Pipeline

log = logging.getLogger(__name__)
log.addHandler(logging.NullHandler())

PathLike = str | os.PathLike[str]


class Collector(Protocol):
    def add(self, article: Article) -> None: ...

    def results(self) -> dict[str, list[dict[str, Any]]]: ...


#: Factories of the cross-article collectors, by name. Later stages register here.
COLLECTORS: dict[str, Callable[[Settings], Collector]] = {}


#: Per-article parts of collectors, by collector name: ``prepare(settings)`` gives a pure
#: function of one analysed article whose result the collector's ``add`` takes up (see
#: :func:`prepared`). It runs where the stages run, so with ``--jobs``/``--scheduler`` this
#: work leaves the main process.
PREPARERS: dict[str, Callable[[Settings], Callable[[Article], Any]]] = {}


def register_collector(
    name: str,
    factory: Callable[[Settings], Collector],
    prepare: Callable[[Settings], Callable[[Article], Any]] | None = None,
) -> None:
    COLLECTORS[name] = factory
    if prepare is not None:
        PREPARERS[name] = prepare


class Preparer:
    """Runs the collectors' per-article parts on an analysed article (in a worker process)
    and leaves the results on it, for :func:`prepared` in the main process."""

    def __init__(self, settings: Settings, disable: Iterable[str] = ()):
        _load_collectors()
        off = set(disable) | set(settings["pipeline"].get("disabled", []))
        self.fns = {name: mk(settings) for name, mk in PREPARERS.items() if name not in off}

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


def prepared(article: Article, name: str) -> Any:
    """What the per-article part of collector ``name`` computed for ``article`` in a worker
    (taken: a second call gives None), or None when it ran in this process."""
    return article.__dict__.get("_prepared", {}).pop(name, None)


def _load_collectors() -> None:
    import marsad.builtins  # noqa: F401  (registers the built-in collectors)


class _UniqueIds:
    """Document ids must be unique in a run: a repeated id gets a ``~2``, ``~3`` suffix."""

    def __init__(self) -> None:
        self.seen: set[str] = set()

    def __call__(self, art: Article) -> None:
        base = art.id
        n = 1
        while art.id in self.seen:
            n += 1
            art.id = f"{base}~{n}"
        self.seen.add(art.id)


def _read_unique(paths: Iterable[PathLike], settings: Settings) -> Iterator[Article | ErrorRecord]:
    unique = _UniqueIds()
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
        from marsad.run.cluster import run_dask

        Pipeline(settings=settings, disable=disable)  # check the stage names here, not in workers
        yield from run_dask(
            _read_unique(paths, settings), settings, disable, scheduler, workers=dask_workers
        )
        return
    if jobs > 1:
        from marsad.run.processes import run_parallel

        Pipeline(settings=settings, disable=disable)  # check the stage names here, not in workers
        yield from run_parallel(_read_unique(paths, settings), settings, disable, jobs=jobs)
        return
    pipeline = pipeline or Pipeline(settings=settings, disable=disable)
    # the collectors' per-article parts run here too, as in the workers of --jobs/--scheduler,
    # so that they see the same article (before any collector has added to it): same output
    prepare = Preparer(settings, disable)
    for item in _read_unique(paths, settings):
        if isinstance(item, ErrorRecord):
            yield item
            continue
        try:
            yield prepare(pipeline(item))
        except ArticleError as e:
            yield ErrorRecord.from_error(e, path=item.path, doc=item.id)


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
                out[key] = list(rows) + out[key]
        link_speakers(out["quotes"], self.extra.get("speaker_entities") or [])
        out["errors"] = [e.to_json() for e in self.errors]
        return out

    @property
    def ok(self) -> bool:
        """No article failed (records skipped with a reason do not count)."""
        return all(e.skipped for e in self.errors)


def _collectors(settings: Settings, disable: Iterable[str]) -> list[Collector]:
    _load_collectors()
    off = set(disable) | set(settings["pipeline"].get("disabled", []))
    return [factory(settings) for name, factory in COLLECTORS.items() if name not in off]


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
    collectors = _collectors(settings, disable)
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


def analyze_to_dir(
    paths: Iterable[PathLike],
    out_dir: PathLike,
    settings: Settings | None = None,
    disable: Iterable[str] = (),
    progress: Callable[[Article | ErrorRecord], None] | None = None,
    report: bool = True,
    jobs: int = 1,
    scheduler: Any = None,
    dask_workers: int | None = None,
) -> RunSummary:
    """Stream the analysis of ``paths`` into ``out_dir/analysis.json`` and ``report.html``."""
    from marsad.output.report import ReportWriter

    settings = settings if settings is not None else load_settings()
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    collectors = _collectors(settings, disable)
    summary = RunSummary()
    t0 = time.perf_counter()
    json_tmp = out / "analysis.json.part"
    html_tmp = out / "report.html.part"
    with open(json_tmp, "w", encoding="utf-8") as jf, open(html_tmp, "w", encoding="utf-8") as hf:
        writer = AnalysisWriter(jf)
        rep = ReportWriter(hf) if report else None
        stream = analyze_stream(
            paths,
            settings,
            disable=disable,
            jobs=jobs,
            scheduler=scheduler,
            dask_workers=dask_workers,
        )
        for item in stream:
            summary.count(item)
            if isinstance(item, ErrorRecord):
                writer.error(item)
                if rep:
                    rep.error(item)
            else:
                writer.add(item)
                for c in collectors:
                    c.add(item)
                if rep:
                    rep.add(item)
            if progress:
                progress(item)
        extra: dict[str, list[dict[str, Any]]] = {}
        for c in collectors:
            extra.update(c.results())
        summary.elapsed = time.perf_counter() - t0
        writer.close(extra, summary.to_json())
        if rep:
            rep.close(extra, summary.to_json())
    # Replace the previous outputs only once the new ones are complete.
    os.replace(json_tmp, out / "analysis.json")
    if report:
        os.replace(html_tmp, out / "report.html")
    else:
        html_tmp.unlink(missing_ok=True)
    return summary
