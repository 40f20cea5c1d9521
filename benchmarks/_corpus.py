"""What the per-stage benchmarks share: real articles taken through the foundation stages
(not timed), and the peak resident set size."""

from __future__ import annotations

import gzip
import json
import resource
from pathlib import Path

from marsad.core.article import Article
from marsad.core.errors import ArticleError
from marsad.core.settings import Settings
from marsad.readers.jsonl import record_to_article
from marsad.run.pipeline import Pipeline

#: The stages every extraction stage builds on.
FOUNDATION = ["language", "blocks", "metadata", "sentences", "tokens"]


def foundation_articles(
    path: Path, limit: int, settings: Settings, stages: list[str] = FOUNDATION
) -> list[Article]:
    """The first ``limit`` readable articles of a news ``.jsonl.gz`` file, through ``stages``
    (records without text are passed over)."""
    pipe = Pipeline(stages=stages, settings=settings)
    arts: list[Article] = []
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if len(arts) >= limit:
                break
            try:
                art = record_to_article(json.loads(line), str(path), "b", n, "utf-8", settings)
            except ArticleError:
                continue
            arts.append(pipe(art))
    return arts


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
