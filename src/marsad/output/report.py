"""``report.html``: a self-contained, right-to-left page a person can read, and beside it a
folder ``report/`` of pages that open from disk: one per article, story and entity.

Per article: title, metadata and text, block by block, with boilerplate, captions and
datelines greyed out, and the spans of extraction layers highlighted (each layer has a CSS
class). The run-level sections (stories, entities, who said what, timeline, figures) come
first. A run of at most ``INLINE_MAX`` articles also has every article inline in report.html
(one file to mail); a larger run's report.html is an index whose links lead into the folder,
so it stays small (under 5 MB at 10,000 articles) and opens at once. All article text is
escaped. Written as a stream, like ``analysis.json``: each article page is written as the
article arrives.
"""

from __future__ import annotations

import itertools
import json
import re
import shutil
import sqlite3
import tempfile
from collections.abc import Callable
from html import escape, unescape
from pathlib import Path
from typing import IO, Any
from urllib.parse import quote as urlquote

from marsad.core.article import Article
from marsad.core.errors import ErrorRecord
from marsad.output import entities_report, quotes_report, stories_report, timeline

#: Layers highlighted in the article text: layer name -> (CSS class, label shown on hover).
HIGHLIGHT_LAYERS: dict[str, tuple[str, str]] = {
    "mentions": ("ent", "entity"),
    "quotes": ("quote", "quotation"),
    "dates": ("date", "date"),
    "quantities": ("qty", "figure"),
}

#: Run-level sections, in the order they appear (a briefing starts with the stories):
#: name -> function(extra lists, summary) -> HTML.
SECTIONS: dict[str, Callable[[dict[str, list[dict[str, Any]]], dict], str]] = {
    "stories": stories_report.section,
    "entities": entities_report.section,
    "quotes": quotes_report.run_section,
    "timeline": timeline.timeline_section,
    "figures": timeline.figures_section,
}
#: Per-article sections: name -> function(article, n) -> HTML shown at the end of article n.
ARTICLE_SECTIONS: dict[str, Callable[[Article, int], str]] = {
    "quotes": quotes_report.article_section,
}

CSS = """
:root{--fg:#1b1b1b;--muted:#8a8a8a;--bg:#fbfaf7;--line:#e3e0d8;--accent:#0b5d6b}
*{box-sizing:border-box}
body{margin:0;font:17px/1.75 "Noto Naskh Arabic","Amiri","Segoe UI",Tahoma,sans-serif;color:var(--fg);background:var(--bg)}
header.top{padding:1rem 1.25rem;border-bottom:1px solid var(--line);background:#fff}
header.top h1{margin:0;font-size:1.4rem}
main{max-width:60rem;margin:0 auto;padding:1rem}
nav.toc ol{padding-inline-start:1.5rem}
article.doc{background:#fff;border:1px solid var(--line);border-radius:8px;padding:1rem 1.25rem;margin:1.25rem 0}
article.doc h2{margin:.2rem 0 .5rem;font-size:1.25rem}
dl.meta{display:grid;grid-template-columns:max-content 1fr;gap:.1rem .8rem;font-size:.85rem;color:#444;margin:0 0 .8rem}
dl.meta dt{color:var(--muted)}
dl.meta dd{margin:0;overflow-wrap:anywhere}
.block{margin:.35rem 0;white-space:pre-wrap;overflow-wrap:anywhere}
.block.k-title{font-weight:bold;font-size:1.1rem}
.block.k-subheading{font-weight:bold}
.block.k-boilerplate,.block.k-caption,.block.k-dateline{color:var(--muted);font-size:.85rem}
.block.k-boilerplate{text-decoration:line-through;text-decoration-color:#cfcac0}
.kind{display:inline-block;font-size:.7rem;color:var(--muted);border:1px solid var(--line);border-radius:4px;padding:0 .3rem;margin-inline-end:.4rem}
mark{background:none;border-bottom:2px solid;padding:0 1px}
mark.ent{border-color:#2c7be5}mark.ent-PER{border-color:#1971c2;background:#e7f1fb}mark.ent-ORG{border-color:#7048e8;background:#f1edfd}mark.ent-LOC{border-color:#0c8599;background:#e6f6f8}mark.ent-MISC{border-color:#868e96;background:#f3f4f5}mark mark{padding:0}mark.quote{border-color:#d6336c}mark.date{border-color:#2f9e44}mark.qty{border-color:#f08c00}
table{border-collapse:collapse;width:100%;font-size:.9rem}
th,td{border-bottom:1px solid var(--line);padding:.3rem .4rem;text-align:start;vertical-align:top}
.errors li{color:#a61e4d}
.skips li{color:#666}
@media (max-width:600px){body{font-size:16px}main{padding:.5rem}article.doc{padding:.75rem}}
"""


def _marks(article: Article) -> list[tuple[int, int, str, str, str]]:
    """Highlight spans ``(start, end, css_class, label, anchor)`` in text order. Spans nest
    (an entity inside a quotation); a span that crosses an open one is dropped. Entity
    mentions get the class ``ent ent-TYPE`` and an anchor ``m<start>`` (the entities section
    links to them)."""
    spans = []
    for layer, (cls, label) in HIGHLIGHT_LAYERS.items():
        for item in article.layers.get(layer, []):
            typ = getattr(item, "type", None) or getattr(item, "kind", None) or ""
            c, anchor = cls, ""
            if layer == "mentions":
                c = f"{cls} {cls}-{escape(str(typ))}" if typ else cls
                anchor = f"m{item.start}"
            spans.append((item.start, item.end, c, f"{label} {typ}".strip(), anchor))
    spans.sort(key=lambda s: (s[0], -(s[1] - s[0])))
    out = []
    stack: list[int] = []  # ends of the open spans
    for sp in spans:
        if sp[1] <= sp[0]:
            continue
        while stack and stack[-1] <= sp[0]:
            stack.pop()
        if stack and sp[1] > stack[-1]:
            # crosses an open span: not marked, but a mention keeps its anchor (the entities
            # section and pages link to it)
            if sp[4]:
                out.append((sp[0], sp[0], "", "", sp[4]))
            continue
        out.append(sp)
        stack.append(sp[1])
    return out


def render_text(text: str, start: int, end: int, marks: list[tuple], prefix: str = "") -> str:
    """``text[start:end]`` escaped, with the (nested) ``marks`` as ``<mark>`` elements; an
    anchor ``a`` becomes the element id ``{prefix}{a}``."""
    parts = []
    pos = start
    stack: list[int] = []
    for mk in marks:
        s, e, cls, label = mk[:4]
        anchor = mk[4] if len(mk) > 4 else ""
        if not cls:  # an anchor only (a span that could not be marked)
            if start <= s < end:
                while stack and stack[-1] <= s:
                    parts.append(escape(text[pos : stack[-1]]))
                    pos = stack.pop()
                    parts.append("</mark>")
                if s >= pos:
                    parts.append(escape(text[pos:s]))
                    parts.append(f'<span id="{escape(prefix + anchor)}"></span>')
                    pos = s
            continue
        if e <= start or s >= end:
            continue
        s, e = max(s, start), min(e, end)
        while stack and stack[-1] <= s:
            parts.append(escape(text[pos : stack[-1]]))
            pos = stack.pop()
            parts.append("</mark>")
        if s < pos or (stack and e > stack[-1]):
            continue
        parts.append(escape(text[pos:s]))
        ident = f' id="{escape(prefix + anchor)}"' if anchor else ""
        parts.append(
            f'<mark class="{cls}"{ident} title="{escape(label)}" data-start="{s}" data-end="{e}">'
        )
        pos = s
        stack.append(e)
    while stack:
        parts.append(escape(text[pos : stack[-1]]))
        pos = stack.pop()
        parts.append("</mark>")
    parts.append(escape(text[pos:end]))
    return "".join(parts)


def render_article(article: Article, n: int) -> str:
    m = article.meta
    rows = [
        ("المعرّف id", article.id),
        ("الملف path", article.path),
        ("المنفذ outlet", m.outlet),
        ("تاريخ النشر published", m.published.isoformat() if m.published else None),
        ("الرابط url", m.url),
        ("الكاتب author", m.author),
        ("اللغة language", m.language),
        ("الترميز encoding", m.encoding),
    ]
    meta = "".join(f"<dt>{escape(k)}</dt><dd>{escape(str(v))}</dd>" for k, v in rows if v)
    marks = _marks(article)
    blocks = []
    for i, b in enumerate(article.blocks):
        body = render_text(
            article.text,
            b.start,
            b.end,
            marks if b.kind in ("title", "body", "subheading") else [],
            prefix=f"doc-{n}-",
        )
        blocks.append(
            f'<p class="block k-{b.kind}" id="doc-{n}-b{i}" data-start="{b.start}" '
            f'data-end="{b.end}">'
            f'<span class="kind">{escape(b.kind)}</span>{body}</p>'
        )
    title = escape(m.title or article.id)
    lang = escape(m.language or "ar")
    return (
        f'<article class="doc" id="doc-{n}" lang="{lang}">'
        f'<h2>{title}</h2><dl class="meta">{meta}</dl>{"".join(blocks)}'
        f"{''.join(f(article, n) for f in ARTICLE_SECTIONS.values())}</article>\n"
    )


#: Runs of at most this many articles keep every article inline in report.html too.
INLINE_MAX = 200
#: Rows of the run-level who-said-what table on a large run's index page (the rest: per
#: article, per entity pages).
INDEX_QUOTE_ROWS = 1000
#: Stories listed on a large run's index page (the largest; each has its own page).
INDEX_STORIES = 1000
_DOC_LINK = re.compile(r'href="#doc-(\d+)')
_ENT_LINK = re.compile(r'href="#(ent-[^"]+)"')


def page(title: str, body: str, up: str = "") -> str:
    """A whole page of the report folder (``up``: the way back to report.html)."""
    back = f'<p><a href="{up}report.html">← التقرير report</a></p>' if up else ""
    return (
        '<!DOCTYPE html>\n<html lang="ar" dir="rtl"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        f"<title>{escape(title)}</title><style>{CSS}</style></head><body>"
        f'<header class="top"><h1>{escape(title)}</h1></header><main>{back}\n{body}'
        "</main></body></html>\n"
    )


def file_name(item_id: str) -> str:
    """A file name for a story or entity id (any character escaped)."""
    return urlquote(str(item_id), safe="").replace("%", "_") + ".html"


def to_article_pages(html: str, prefix: str) -> str:
    """Links to article anchors (``#doc-N…``) rewritten to the article pages of the folder."""
    return _DOC_LINK.sub(
        lambda m: f'href="{prefix}articles/{m.group(1)}.html#doc-{m.group(1)}', html
    )


class ReportWriter:
    """Streams article sections to a temporary file (and, with ``folder``, each to its own
    page); at the end writes the page with the run's summary and the run-level sections
    (stories, who said what, ...) first, then the articles, so the page reads as a briefing.

    ``folder``: where the article, story and entity pages go; ``link``: how report.html
    refers to it (its name beside report.html)."""

    def __init__(
        self,
        fh: IO[str],
        title: str = "marsad — تقرير التحليل",
        folder: Path | None = None,
        link: str = "report/",
        inline_max: int | None = None,
    ):
        import tempfile

        self.fh = fh
        self.title = title
        self.folder = folder
        self.link = link
        limit = INLINE_MAX if inline_max is None else inline_max
        self.inline_max = limit if folder is not None else 1 << 62
        self.n = 0
        self.errors: list[ErrorRecord] = []
        self._articles = tempfile.TemporaryFile("w+", encoding="utf-8")
        self._toc: list[str] = []
        if folder is not None:
            for sub in ("articles", "stories", "entities"):
                (folder / sub).mkdir(parents=True, exist_ok=True)

    @property
    def inline(self) -> bool:
        return self.n <= self.inline_max

    def add(self, article: Article) -> None:
        self.n += 1
        html = render_article(article, self.n)
        if self.n <= self.inline_max:
            self._articles.write(html)
        if self.folder is not None:
            (self.folder / "articles" / f"{self.n}.html").write_text(
                page(article.meta.title or article.id, html, up="../../"), encoding="utf-8"
            )
        if self.n <= 2000:
            label = escape(article.meta.title or article.id)
            outlet = f" — {escape(article.meta.outlet)}" if article.meta.outlet else ""
            self._toc.append(f'<li><a href="#doc-{self.n}">{label}</a>{outlet}</li>')

    def error(self, record: ErrorRecord) -> None:
        self.errors.append(record)

    def close(self, extra: dict[str, list[dict[str, Any]]], summary: dict) -> None:
        fh = self.fh
        title = escape(self.title)
        fh.write(
            '<!DOCTYPE html>\n<html lang="ar" dir="rtl"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width,initial-scale=1">'
            f"<title>{title}</title><style>{CSS}</style></head><body>"
            f'<header class="top"><h1>{title}</h1></header><main>\n'
        )
        s = summary
        fh.write(
            '<section class="summary"><h2>ملخص التشغيل</h2>'
            f"<p>قُرئ {s.get('read', 0)}، حُلّل {s.get('analysed', 0)}، تعذّر {s.get('failed', 0)}"
            f"{'، تخطّي ' + str(s['skipped']) if s.get('skipped') else ''}.</p>"
        )
        failed = [e for e in self.errors if not e.skipped]
        skipped = [e for e in self.errors if e.skipped]
        for heading, css, rows in (("أخطاء", "errors", failed), ("سجلات متخطّاة", "skips", skipped)):
            if not rows:
                continue
            fh.write(f'<h3>{heading}</h3><ul class="{css}" dir="auto">')
            for e in rows:
                where = escape(e.path or "") + (f" #{e.record}" if e.record is not None else "")
                fh.write(f"<li><code>{escape(e.code)}</code> {where} — {escape(e.reason)}</li>")
            fh.write("</ul>")
        fh.write("</section>\n")
        if self.folder is not None:
            self._pages(extra)
            fh.write(self._pages_nav(extra))
        for name, section in SECTIONS.items():
            html = self._section(name, section, extra, summary)
            fh.write(html if self.inline else to_article_pages(html, self.link))
        fh.write('<section class="articles"><h2>المقالات</h2><nav class="toc"><ol>')
        toc = "".join(self._toc)
        fh.write(toc if self.inline else to_article_pages(toc, self.link))
        if self.n > len(self._toc):
            fh.write(f"<li>… {self.n - len(self._toc)} أخرى</li>")
        fh.write("</ol></nav></section>\n")
        self._articles.seek(0)
        if self.inline:
            while chunk := self._articles.read(1 << 20):
                fh.write(chunk)
        self._articles.close()
        fh.write("</main></body></html>\n")
        fh.flush()

    def _section(self, name: str, section: Callable, extra: dict, summary: dict) -> str:
        """A run-level section; on a large run, the stories as a list of links to their pages
        and a shorter who-said-what table."""
        if self.inline:
            return section(extra, summary)
        if name == "stories":
            return self._story_index(extra)
        if name == "entities":
            # the most frequent only: the speakers' links lead to the entity pages
            return section({**extra, "speaker_entities": []}, summary)
        if name == "quotes":
            rows = extra.get("who_said_what") or []
            first = list(itertools.islice(rows, INDEX_QUOTE_ROWS))  # rows may be spooled
            html = section({**extra, "who_said_what": first}, summary)
            if len(rows) > INDEX_QUOTE_ROWS:
                html = html.replace(
                    "</h2>",
                    f"</h2><p>{len(rows)} تصريحا؛ يُعرض هنا أولها {INDEX_QUOTE_ROWS}، والباقي في "
                    "صفحات المقالات والكيانات — the rest are on the article and entity pages.</p>",
                    1,
                )
            return _ENT_LINK.sub(
                lambda m: f'href="{self.link}entities/{file_name(unescape(m.group(1)))}"', html
            )
        return section(extra, summary)

    def _pages_nav(self, extra: dict) -> str:
        """Links to the folder's story and entity pages (the largest first)."""
        stories = _largest_first(extra.get("stories") or [])
        ents = (extra.get("entity_report") or [])[: entities_report.MAX_ROWS]
        if not stories and not ents:
            return ""
        out = ['<nav class="pages"><h2>الصفحات — pages</h2>']
        if stories:
            out.append("<p>القصص stories: ")
            out.append(
                " · ".join(
                    f'<a href="{self.link}stories/{file_name(st["id"])}">'
                    f"{escape(st.get('title') or st['id'])}</a>"
                    for st in stories[:50]
                )
            )
            out.append("</p>")
        if ents:
            out.append("<p>الكيانات entities: ")
            out.append(
                " · ".join(
                    f'<a href="{self.link}entities/{file_name(r["id"])}">{escape(r["name"])}</a>'
                    for r in ents[:100]
                )
            )
            out.append("</p>")
        out.append("</nav>\n")
        return "".join(out)

    def _story_index(self, extra: dict) -> str:
        stories = _largest_first(extra.get("stories") or [])
        out = ['<section class="stories"><h2>القصص</h2>', f"<p>{len(stories)} قصة.</p><ol>"]
        for st in stories[:INDEX_STORIES]:
            label = escape(st.get("title") or st["id"])
            dates = " – ".join(x for x in dict.fromkeys((st.get("first"), st.get("last"))) if x)
            out.append(
                f'<li><a href="{self.link}stories/{file_name(st["id"])}">{label}</a> '
                f'<span class="kind">{len(st["documents"])}</span> {escape(dates)}</li>'
            )
        out.append("</ol>")
        if len(stories) > INDEX_STORIES:
            out.append(f"<p>… {len(stories) - INDEX_STORIES} أخرى (قصص أصغر)</p>")
        out.append("</section>\n")
        return "".join(out)

    def _pages(self, extra: dict[str, list[dict[str, Any]]]) -> None:
        """One page per story and per entity in the folder."""
        assert self.folder is not None
        for st in extra.get("stories") or []:
            html = to_article_pages(stories_report.render_story(st), "../")
            (self.folder / "stories" / file_name(st["id"])).write_text(
                page(st.get("title") or st["id"], stories_report.CSS + html, up="../../"),
                encoding="utf-8",
            )
        links = {r["quote"]: r["entity"] for r in extra.get("speaker_entities") or []}
        # Each speaker's statements, grouped in a temporary database rather than in memory:
        # on a large run the statements of every speaker at once were the report's peak.
        with tempfile.TemporaryDirectory(prefix="marsad-report-") as tmp:
            db = sqlite3.connect(Path(tmp) / "speakers.db")
            db.execute("CREATE TABLE said (entity TEXT, n INTEGER, row TEXT)")
            rows = enumerate(extra.get("who_said_what") or [])
            db.executemany(
                "INSERT INTO said VALUES (?, ?, ?)",
                (
                    (links[r["quote"]], n, json.dumps(r, ensure_ascii=False))
                    for n, r in rows
                    if r["quote"] in links
                ),
            )
            db.execute("CREATE INDEX said_entity ON said (entity, n)")
            for r in extra.get("entity_report") or []:
                said = [
                    json.loads(row)
                    for (row,) in db.execute(
                        "SELECT row FROM said WHERE entity = ? ORDER BY n", (r["id"],)
                    )
                ]
                body = entities_report.entity_page(r, said)
                (self.folder / "entities" / file_name(r["id"])).write_text(
                    page(r["name"], to_article_pages(body, "../"), up="../../"), encoding="utf-8"
                )
            db.close()


def _largest_first(stories):
    """Stories with more articles first. The collector's ``StoryRows`` are in that order
    already (sorting them would decompress every row at once); a plain list is sorted."""
    if isinstance(stories, list):
        return sorted(stories, key=lambda s: -len(s["documents"]))
    return stories


def replace_folder(tmp: Path, final: Path) -> None:
    """Put the finished report folder in place of the previous one."""
    if final.exists():
        shutil.rmtree(final)
    tmp.rename(final)
