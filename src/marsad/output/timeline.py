"""Run-level report sections for the ``dates`` and ``quantities`` layers.

A collector (``timeline``) keeps, for at most ``[dates] report_max_rows`` items each, the
resolved dates with their sentence and the figures with theirs; two report sections render
them: a timeline (resolved dates in calendar order) and a figures table. The collector's
lists are for the report only (their keys are not top-level lists of ``analysis.json``).
"""

from __future__ import annotations

from bisect import bisect_right
from html import escape
from typing import Any

from marsad.core.article import Article
from marsad.core.settings import Settings
from marsad.output.report import SECTIONS
from marsad.run.analyze import register_collector

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
        self.max_rows = int(settings.get("dates", {}).get("report_max_rows", 500))
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


def _sentence_html(row: dict[str, Any], cls: str) -> str:
    return (
        f'{escape(row["before"])}<mark class="{cls}">{escape(row["match"])}</mark>'
        f"{escape(row['after'])}"
    )


def _fmt_value(v: Any) -> str:
    if v is None:
        return "—"
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    return f"{v:,}" if isinstance(v, int | float) else str(v)


def timeline_section(extra: dict[str, list[dict[str, Any]]], summary: dict) -> str:
    rows = extra.get(TIMELINE_KEY) or []
    if not rows:
        return ""
    rows = sorted(rows, key=lambda r: (r["value"].lstrip("T"), r["doc"]))
    body = "".join(
        f'<tr><td dir="ltr">{escape(r["value"])}</td><td>{escape(r["title"])}</td>'
        f"<td>{_sentence_html(r, 'date')}</td></tr>"
        for r in rows
    )
    return (
        '<section class="timeline"><h2>الخط الزمني Timeline</h2><table>'
        "<tr><th>التاريخ</th><th>المقال</th><th>الجملة</th></tr>"
        f"{body}</table></section>\n"
    )


QUALIFIERS = {"approx": "نحو", "more_than": "أكثر من", "less_than": "أقل من"}


def figures_section(extra: dict[str, list[dict[str, Any]]], summary: dict) -> str:
    rows = extra.get(FIGURES_KEY) or []
    if not rows:
        return ""
    body = "".join(
        f'<tr><td dir="ltr">{escape(_fmt_value(r["value"]))}</td>'
        f"<td>{escape(r['unit'] or '')}</td><td>{escape(r['unit_kind'])}</td>"
        f"<td>{escape(QUALIFIERS.get(r['qualifier'] or '', ''))}</td>"
        f"<td>{_sentence_html(r, 'qty')}</td></tr>"
        for r in rows
    )
    return (
        '<section class="figures"><h2>الأرقام Figures</h2><table>'
        "<tr><th>القيمة</th><th>الوحدة</th><th>النوع</th><th>تقريب</th><th>الجملة</th></tr>"
        f"{body}</table></section>\n"
    )


register_collector("timeline", TimelineCollector)
SECTIONS["timeline"] = timeline_section
SECTIONS["figures"] = figures_section
