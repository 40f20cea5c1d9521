"""The ``timeline`` collector: for at most ``[dates] report_max_rows`` items each, the resolved
dates with their sentence and the figures with theirs (report-only lists)."""

from __future__ import annotations

from bisect import bisect_right
from typing import Any

from marsad.core.article import Article
from marsad.core.settings import Settings

TIMELINE_KEY = "report_timeline"
FIGURES_KEY = "report_figures"


def _sentence(article: Article, start: int, end: int) -> tuple[int, int]:
    sents = article.sentences
    if not sents:
        return start, end
    i = bisect_right([s.start for s in sents], start) - 1
    if i >= 0 and sents[i].start <= start < sents[i].end:
        return sents[i].start, max(sents[i].end, end)
    return start, end


def _context(article: Article, start: int, end: int) -> dict[str, str]:
    s, e = _sentence(article, start, end)
    t = article.text
    return {"before": t[s:start], "match": t[start:end], "after": t[end:e]}


class TimelineCollector:
    def __init__(self, settings: Settings):
        self.max_rows = int(settings["dates"]["report_max_rows"])
        self.dates: list[dict[str, Any]] = []
        self.figures: list[dict[str, Any]] = []

    def add(self, article: Article) -> None:
        title = article.meta.title or article.id
        for d in article.layers.get("dates", []):
            if len(self.dates) >= self.max_rows:
                break
            if d.resolved and d.value and d.kind in ("date", "time"):
                self.dates.append(
                    {
                        "doc": article.id,
                        "title": title,
                        "value": d.value,
                        "kind": d.kind,
                        **_context(article, d.start, d.end),
                    }
                )
        for q in article.layers.get("quantities", []):
            if len(self.figures) >= self.max_rows:
                break
            self.figures.append(
                {
                    "doc": article.id,
                    "value": q.value,
                    "unit": q.unit,
                    "unit_kind": q.unit_kind,
                    "qualifier": q.qualifier,
                    **_context(article, q.start, q.end),
                }
            )

    def results(self) -> dict[str, list[dict[str, Any]]]:
        return {TIMELINE_KEY: self.dates, FIGURES_KEY: self.figures}
