"""Small inline SVG charts (no scripts, no external libraries): a timeline and an entity graph.

All text is escaped; coordinates are computed here. Charts are drawn right to left to match the
page (the earliest date on the right).
"""

from __future__ import annotations

import math
from datetime import date
from html import escape
from typing import Any


def _parse(d: str | None) -> date | None:
    if not d:
        return None
    parts = str(d)[:10].split("-")
    try:
        y = int(parts[0])
        m = int(parts[1]) if len(parts) > 1 else 1
        dd = int(parts[2]) if len(parts) > 2 else 1
        return date(y, m, dd)
    except (ValueError, IndexError):
        return None


def timeline(items: list[dict[str, Any]], width: int = 640, height: int = 120) -> str:
    """Dots on a time axis, one per timeline item with a date; hover shows the event text."""
    pts = [(d, it) for it in items if (d := _parse(it.get("date"))) is not None]
    if not pts:
        return ""
    lo = min(d for d, _ in pts)
    hi = max(d for d, _ in pts)
    span = max((hi - lo).days, 1)
    pad = 40
    y = height / 2

    def x(d: date) -> float:
        # right to left: the earliest date on the right
        return width - pad - (width - 2 * pad) * ((d - lo).days / span)

    out = [
        f'<svg class="timeline" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="الخط الزمني" xmlns="http://www.w3.org/2000/svg">',
        f'<line x1="{pad}" y1="{y}" x2="{width - pad}" y2="{y}" stroke="#8a8a8a" stroke-width="1"/>',
    ]
    stack: dict[int, int] = {}
    labelled: set[str] = set()
    for d, it in sorted(pts, key=lambda p: p[0]):
        cx = round(x(d), 1)
        k = stack.get(round(cx), 0)
        stack[round(cx)] = k + 1
        cy = y - 10 * k
        href = f"/article/{escape(str(it.get('doc', '')), quote=True)}?hl={it.get('start')}-{it.get('end')}#hl"
        out.append(
            f'<a href="{href}"><circle cx="{cx}" cy="{cy}" r="6" fill="#0b5d6b">'
            f"<title>{escape(str(it.get('date')))}: {escape(str(it.get('text', ''))[:200])}</title>"
            "</circle></a>"
        )
        label = d.isoformat()
        if label not in labelled:
            labelled.add(label)
            out.append(
                f'<text x="{cx}" y="{y + 24 + 12 * (len(labelled) % 2)}" font-size="11" '
                f'text-anchor="middle" fill="#444">{escape(label)}</text>'
            )
    out.append("</svg>")
    return "".join(out)


def graph(
    centre: dict[str, Any], neighbours: list[tuple[dict[str, Any], int]], size: int = 360
) -> str:
    """The entity in the middle, co-occurring entities around it; edge width = shared articles."""
    c = size / 2
    r = size / 2 - 60
    most = max((n for _, n in neighbours), default=1)
    lines, nodes = [], []
    for i, (ent, n) in enumerate(neighbours):
        a = 2 * math.pi * i / max(len(neighbours), 1) - math.pi / 2
        x, y = round(c + r * math.cos(a), 1), round(c + r * math.sin(a), 1)
        w = round(1 + 5 * n / most, 1)
        lines.append(
            f'<line x1="{c}" y1="{c}" x2="{x}" y2="{y}" stroke="#9bb7bd" stroke-width="{w}">'
            f"<title>{n}</title></line>"
        )
        href = f"/entity/{escape(str(ent.get('id', '')), quote=True)}"
        nodes.append(
            f'<a href="{href}"><circle cx="{x}" cy="{y}" r="7" fill="#2c7be5"/>'
            f'<text x="{x}" y="{y - 11}" font-size="12" text-anchor="middle">'
            f"{escape(str(ent.get('name') or ent.get('id')))} ({n})</text></a>"
        )
    name = escape(str(centre.get("name") or centre.get("id")))
    return (
        f'<svg class="graph" viewBox="0 0 {size} {size}" role="img" aria-label="كيانات مرتبطة" '
        f'xmlns="http://www.w3.org/2000/svg">{"".join(lines)}'
        f'<circle cx="{c}" cy="{c}" r="11" fill="#d6336c"/>'
        f'<text x="{c}" y="{c + 26}" font-size="13" font-weight="bold" text-anchor="middle">{name}</text>'
        f"{''.join(nodes)}</svg>"
    )


def sparkline(values: list[int], last_day: str, width: int = 112, height: int = 24) -> str:
    """A small line of daily counts, drawn right to left (the newest day at the left end, as
    an Arabic reader's eye ends there); hover shows the counts."""
    if not values:
        return ""
    top = max(max(values), 1)
    step = (width - 4) / max(len(values) - 1, 1)
    pts = " ".join(
        f"{round(width - 2 - i * step, 1)},{round(height - 2 - (height - 4) * v / top, 1)}"
        for i, v in enumerate(values)
    )
    label = escape(f"{len(values)} يوماً حتى {last_day}: " + "، ".join(str(v) for v in values))
    return (
        f'<svg class="spark" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'role="img" aria-label="{label}" xmlns="http://www.w3.org/2000/svg"><title>{label}</title>'
        f'<polyline points="{pts}" fill="none" stroke="#0b5d6b" stroke-width="1.5"/></svg>'
    )


def bars(values: list[int], labels: list[str], width: int = 640, height: int = 110) -> str:
    """Daily volume as bars, earliest on the right; each bar's title gives its day and count."""
    if not values:
        return ""
    top = max(max(values), 1)
    w = (width - 20) / len(values)
    out = [
        f'<svg class="bars" viewBox="0 0 {width} {height}" role="img" aria-label="الحجم اليومي" '
        'xmlns="http://www.w3.org/2000/svg">'
    ]
    for i, (v, lab) in enumerate(zip(values, labels, strict=True)):
        h = round((height - 24) * v / top, 1)
        x = round(width - 10 - (i + 1) * w, 1)
        out.append(
            f'<rect x="{x}" y="{round(height - 18 - h, 1)}" width="{round(max(w - 1, 0.5), 1)}" '
            f'height="{h}" fill="#0b5d6b"><title>{escape(lab)}: {v}</title></rect>'
        )
    out.append(
        f'<text x="{width - 10}" y="{height - 4}" font-size="11" fill="#444" direction="ltr" '
        f'text-anchor="end">{escape(labels[0])}</text>'
        f'<text x="10" y="{height - 4}" font-size="11" fill="#444" direction="ltr" '
        f'text-anchor="start">{escape(labels[-1])}</text></svg>'
    )
    return "".join(out)


def series(per_day: dict[str, int], max_days: int = 120) -> tuple[list[int], list[str]]:
    """Counts over every calendar day from the first to the last (days without any count as
    0); a longer span is summed by month."""
    days = sorted(d for d in per_day if _parse(d))
    if not days:
        return [], []
    lo, hi = _parse(days[0]), _parse(days[-1])
    assert lo is not None and hi is not None
    if (hi - lo).days < max_days:
        out = [lo.fromordinal(o).isoformat() for o in range(lo.toordinal(), hi.toordinal() + 1)]
        return [per_day.get(d, 0) for d in out], out
    months: dict[str, int] = {}
    for y in range(lo.year, hi.year + 1):
        for m in range(1, 13):
            key = f"{y:04d}-{m:02d}"
            if f"{lo.year:04d}-{lo.month:02d}" <= key <= f"{hi.year:04d}-{hi.month:02d}":
                months[key] = 0
    for d, c in per_day.items():
        if d[:7] in months:
            months[d[:7]] += c
    return list(months.values()), list(months)
