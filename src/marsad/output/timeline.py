"""Run-level report sections for the ``dates`` and ``quantities`` layers.

The ``timeline`` collector (:mod:`marsad.collect.timeline`) keeps, for at most ``[dates] report_max_rows`` items each, the
resolved dates with their sentence and the figures with theirs; two report sections render
them: a timeline (resolved dates in calendar order) and a figures table. The collector's
lists are for the report only (their keys are not top-level lists of ``analysis.json``).
"""

from __future__ import annotations

from html import escape
from typing import Any

from marsad.collect.timeline import FIGURES_KEY, TIMELINE_KEY


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
