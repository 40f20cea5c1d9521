"""Saved web pages: main text and metadata extracted with trafilatura; the raw HTML is kept.

The extracted text then goes through the same block classifier as plain text, so chrome
that trafilatura leaves in (teasers, credits) is still labelled. The same extraction serves
the HTML pages inside WARC archives (:mod:`marsad.readers.warc`) and the HTML content of
feed entries (:func:`fragment_text`, used by :mod:`marsad.readers.feed`).
"""

from __future__ import annotations

import logging
import re
from typing import Any

from marsad.core.article import Article
from marsad.core.errors import ArticleError
from marsad.core.settings import Settings
from marsad.readers.base import make_article
from marsad.readers.encoding import decode

log = logging.getLogger(__name__)

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_ALIASES = {"windows-1256": "cp1256", "iso-8859-6": "iso-8859-6", "utf8": "utf-8"}
_TAG = re.compile(r"<[A-Za-z!/?]")
_BLOCK_TAGS = re.compile(
    r"<\s*(?:br|/p|/div|/h[1-6]|/li|/tr|/blockquote|/section|/article)\b[^>]*>", re.I
)
_ANY_TAG = re.compile(r"<[^>]*>")
_SCRIPT = re.compile(r"<\s*(script|style|noscript)\b.*?(?:<\s*/\s*\1\s*>|$)", re.I | re.S)
_SPACES = re.compile(r"[ \t\r\f\v]+")


def normalize_charset(name: str | None) -> str | None:
    if not name:
        return None
    name = name.strip().strip("\"'").lower()
    return _ALIASES.get(name, name) or None


def declared_charset(data: bytes) -> str | None:
    m = _META_CHARSET.search(data[:4096])
    if not m:
        return None
    return normalize_charset(m.group(1).decode("ascii", "ignore"))


def _bare_extraction(html: str, with_metadata: bool = True) -> Any:
    import trafilatura

    # trafilatura logs its own warnings and errors about broken pages ("empty HTML tree"); we
    # report those ourselves (E008, E021), so keep them out of the user's terminal.
    logging.getLogger("trafilatura").setLevel(logging.CRITICAL)
    try:
        return trafilatura.bare_extraction(
            html,
            url=None,
            with_metadata=with_metadata,
            include_comments=False,
            include_tables=True,
            include_images=False,
            deduplicate=False,
        )
    except RecursionError as e:
        raise ArticleError("E008", detail="the page is nested too deeply to parse") from e
    except Exception as e:  # trafilatura raises a variety of parser errors on broken pages
        raise ArticleError("E008", detail=f"{type(e).__name__}: {e}") from e


def read_html(
    data: bytes,
    path: str | None,
    stem: str | None,
    settings: Settings,
    declared: str | None = None,
) -> Article:
    """One article from a saved page. ``declared``: a charset given outside the page (the
    HTTP ``Content-Type`` of a WARC record); the page's own ``<meta charset>`` otherwise."""
    html, encoding = decode(
        data,
        declared=declared or declared_charset(data),
        max_control_ratio=settings["read"]["max_control_ratio"],
    )
    doc = _bare_extraction(html)
    if doc is None:
        raise ArticleError("E008", detail="trafilatura found no main content")
    get = doc.get if isinstance(doc, dict) else lambda k: getattr(doc, k, None)
    text = get("text") or ""
    if not text.strip():
        raise ArticleError("E008", detail="the main content is empty")
    art = make_article(
        text,
        id=stem,
        path=path,
        settings=settings,
        title=get("title"),
        published=get("date"),
        outlet=get("sitename"),
        url=get("url"),
        author=get("author"),
        encoding=encoding,
        _source="html",
    )
    art.raw = html
    return art


def fragment_text(html: str) -> str:
    """Text of an HTML fragment (a feed entry's content): trafilatura's main-text extraction
    when it finds some, else the fragment's text with tags dropped, one line per block.

    Text without any tag is returned as it is."""
    if not _TAG.search(html):
        return html
    try:
        doc = _bare_extraction(html, with_metadata=False)
    except ArticleError:
        doc = None
    if doc is not None:
        get = doc.get if isinstance(doc, dict) else lambda k: getattr(doc, k, None)
        text = get("text") or ""
        if text.strip():
            return text
    import html as htmllib

    s = _SCRIPT.sub(" ", html)
    s = _BLOCK_TAGS.sub("\n", s)
    s = _ANY_TAG.sub(" ", s)
    s = htmllib.unescape(s)
    lines = (_SPACES.sub(" ", line).strip() for line in s.split("\n"))
    return "\n".join(line for line in lines if line)
