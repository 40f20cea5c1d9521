"""``marsad analyze``: a run streamed into ``analysis.json`` and ``report.html`` in a folder."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from marsad.core.article import Article
from marsad.core.errors import ErrorRecord
from marsad.core.settings import Settings, load_settings
from marsad.output.json import AnalysisWriter
from marsad.output.report import ReportWriter, replace_folder
from marsad.run.analyze import PathLike, RunSummary, analyze_stream, make_collectors


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
    """Stream the analysis of ``paths`` into ``out_dir/analysis.json``, ``report.html`` and
    the folder ``report/`` (a page per article, story and entity)."""
    settings = settings if settings is not None else load_settings()
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    collectors = make_collectors(settings, disable)
    summary = RunSummary()
    t0 = time.perf_counter()
    json_tmp = out / "analysis.json.part"
    html_tmp = out / "report.html.part"
    pages_tmp = out / "report.part"
    if report and pages_tmp.exists():
        import shutil

        shutil.rmtree(pages_tmp)
    with open(json_tmp, "w", encoding="utf-8") as jf, open(html_tmp, "w", encoding="utf-8") as hf:
        writer = AnalysisWriter(jf)
        rep = ReportWriter(hf, folder=pages_tmp) if report else None
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
        replace_folder(pages_tmp, out / "report")
    else:
        html_tmp.unlink(missing_ok=True)
    return summary
