"""Who said what in ``report.html``: a table per article and one for the whole run.

Each row gives the speaker (or the relaying agency), the statement, the cue, the outlet, the
publication date and a link to the exact words in the article text (a text fragment link,
``#doc-N:~:text=...``, which browsers scroll to and highlight), with the character offsets.

The run-level table is built by the ``quotes`` collector (:mod:`marsad.collect.quotes`,
report-only list ``who_said_what``: one compact row per statement, in article order).
"""

from __future__ import annotations

import itertools
from html import escape
from typing import Any
from urllib.parse import quote as urlquote

from marsad.collect.quotes import quote_rows
from marsad.core.article import Article

#: Rows of the run-level who-said-what table (the report stays readable and its assembly
#: bounded on a large run; docs/scale.md).
RUN_TABLE_MAX_ROWS = 3000

#: Characters of a statement shown in the tables (the link leads to the full text).
MAX_STATEMENT = 400


def _fragment(text: str) -> str:
    """A text-fragment directive that finds ``text`` (first and last words when long)."""
    words = text.split()
    if len(words) <= 8:
        return "text=" + urlquote(" ".join(words), safe="")
    return (
        "text="
        + urlquote(" ".join(words[:4]), safe="")
        + ","
        + urlquote(" ".join(words[-4:]), safe="")
    )


def _table(
    rows: list[dict[str, Any]], with_article: bool, entities: dict[str, str] | None = None
) -> str:
    """``entities``: quote id -> entity id; the speaker then links to the entities table."""
    head = ["المتحدث speaker", "التصريح statement", "الفعل cue"]
    if with_article:
        head += ["المنفذ outlet", "التاريخ date"]
    head += ["النص text"]
    out = ["<table class='quotes'><thead><tr>"]
    out += [f"<th>{escape(h)}</th>" for h in head]
    out.append("</tr></thead><tbody>")
    for r in rows:
        speaker = escape(r["speaker"] or "—")
        eid = (entities or {}).get(r["quote"])
        if eid and r["speaker"]:
            speaker = f'<a href="#{escape(eid)}">{speaker}</a>'
        if r.get("speaker_kind"):
            speaker += f" <span class='kind'>{escape(r['speaker_kind'])}</span>"
        if r["via"]:
            speaker += f"<br><small>عبر via {escape(r['via'])}</small>"
        stmt = r["statement"]
        if len(stmt) > MAX_STATEMENT:
            stmt = stmt[:MAX_STATEMENT] + "…"
        link = f"#doc-{r['n']}:~:{_fragment(r['statement'])}"
        cells = [speaker, f"<q>{escape(stmt)}</q> <span class='kind'>{escape(r['kind'])}</span>"]
        cells.append(escape(r["cue"]))
        if with_article:
            outlet = escape(r["outlet"] or "")
            if r["url"]:
                outlet = f'<a href="{escape(r["url"])}" rel="noreferrer">{outlet or "link"}</a>'
            cells += [outlet, escape(r["published"] or "")]
        cells.append(f'<a href="{escape(link)}">[{r["start"]}–{r["end"]}]</a>')
        out.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    out.append("</tbody></table>")
    return "".join(out)


def article_section(article: Article, n: int) -> str:
    rows = quote_rows(article, n)
    if not rows:
        return ""
    return (
        f"<details class='who'><summary>من قال ماذا — who said what ({len(rows)})</summary>"
        f"{_table(rows, with_article=False)}</details>"
    )


def run_section(extra: dict[str, list[dict[str, Any]]], summary: dict) -> str:
    rows = extra.get("who_said_what") or []
    if not rows:
        return ""
    # speakers resolved to an entity link to its row in the entities section
    links = {r["quote"]: r["entity"] for r in extra.get("speaker_entities") or []}
    docs = len({r["doc"] for r in rows})
    shown = list(itertools.islice(rows, RUN_TABLE_MAX_ROWS))
    more = (
        f"<p>أول {len(shown)} تصريحا — the first {len(shown)} statements; every statement is in "
        "its article's own table below.</p>"
        if len(rows) > len(shown)
        else ""
    )
    return (
        "<section class='who-run'><h2>من قال ماذا — who said what</h2>"
        f"<p>{len(rows)} تصريحا في {docs} مقالا.</p>{more}"
        f"{_table(shown, with_article=True, entities=links)}</section>\n"
    )


def statements_table(rows: list[dict[str, Any]]) -> str:
    """Who-said-what rows (the collector's) as a table with outlet and date."""
    return _table(rows, with_article=True)
