"""The entities section of ``report.html``: the run's entities with their counts.

Counts by type (people, organisations, places, other), then one row per entity: its name, type,
roles, number of articles and mentions, and links to its first mentions, which are highlighted
in the article text below (``<mark class="ent ent-PER" id="doc-N-mSTART">``). Rows come from the
``entities`` collector's report-only list ``entity_report``.
"""

from __future__ import annotations

from html import escape
from typing import Any

from marsad.output.quotes_report import statements_table

#: Entities listed in the table (the most frequent first, plus those quotes' speakers link
#: to); the others are counted.
MAX_ROWS = 300

TYPE_LABELS = {
    "PER": "أشخاص people",
    "ORG": "منظمات organisations",
    "LOC": "أماكن places",
    "MISC": "أخرى other",
}


def section(extra: dict[str, list[dict[str, Any]]], summary: dict) -> str:
    rows = extra.get("entity_report") or []
    if not rows:
        return ""
    counts = {t: 0 for t in TYPE_LABELS}
    for r in rows:
        counts[r["type"]] = counts.get(r["type"], 0) + 1
    out = [
        "<section class='entities'><h2>الكيانات — entities</h2>",
        "<p>",
        "، ".join(f"{escape(TYPE_LABELS.get(t, t))}: {c}" for t, c in counts.items()),
        f" — {len(rows)} كيانا.</p>",
        "<table class='entities'><thead><tr>",
        "".join(
            f"<th>{escape(h)}</th>"
            for h in (
                "الاسم name",
                "النوع type",
                "الصفة roles",
                "المقالات documents",
                "الذكر mentions",
                "في النص in the text",
            )
        ),
        "</tr></thead><tbody>",
    ]
    # the most frequent entities, and every entity a quote's speaker links to
    speakers = {r["entity"] for r in extra.get("speaker_entities") or []}
    shown = [r for i, r in enumerate(rows) if i < MAX_ROWS or r["id"] in speakers]
    for r in shown:
        links = []
        for n, start, end, kind in r["links"]:
            label = f"{n}:{start}" + ("·صفة" if kind == "role" else "")
            if kind == "role":  # role mentions are not marks of the mentions layer
                href = f"#doc-{n}"
            else:
                href = f"#doc-{n}-m{start}"
            links.append(f'<a href="{escape(href)}" data-end="{end}">{escape(label)}</a>')
        if r["mentions"] > len(r["links"]):
            links.append("…")
        out.append(
            f"<tr id='{escape(r['id'])}' class='ent-{escape(r['type'])}'>"
            f"<td>{escape(r['name'])}</td><td>{escape(r['type'])}</td>"
            f"<td>{escape('؛ '.join(r['roles']))}</td><td>{r['documents']}</td>"
            f"<td>{r['mentions']}</td><td>{' '.join(links)}</td></tr>"
        )
    out.append("</tbody></table>")
    if len(rows) > len(shown):
        out.append(f"<p>… {len(rows) - len(shown)} أخرى</p>")
    out.append("</section>\n")
    return "".join(out)


def entity_page(r: dict[str, Any], statements: list[dict[str, Any]]) -> str:
    """The body of one entity's page in the report folder: its counts, roles, the links to its
    mentions (highlighted in the article pages) and the statements it made."""
    links = []
    for n, start, end, kind in r["links"]:
        href = f"#doc-{n}" if kind == "role" else f"#doc-{n}-m{start}"
        label = f"{n}:{start}" + ("·صفة" if kind == "role" else "")
        links.append(f'<li><a href="{escape(href)}" data-end="{end}">{escape(label)}</a></li>')
    more = (
        f"<li>… {r['mentions'] - len(r['links'])}</li>" if r["mentions"] > len(r["links"]) else ""
    )
    roles = f"<p>الصفة roles: {escape('؛ '.join(r['roles']))}</p>" if r["roles"] else ""
    said = (
        f"<h2>تصريحاته — statements ({len(statements)})</h2>{statements_table(statements)}"
        if statements
        else ""
    )
    return (
        f"<section class='entity'><p>{escape(TYPE_LABELS.get(r['type'], r['type']))} · "
        f"{r['documents']} مقالا · {r['mentions']} ذكرا</p>{roles}"
        f"<h2>في النص — in the text</h2><ol>{''.join(links)}{more}</ol>{said}</section>"
    )
