"""Saved web pages: main text and metadata extracted with trafilatura; the raw HTML is kept.

The extracted text then goes through the same block classifier as plain text, so chrome
that trafilatura leaves in (teasers, credits) is still labelled.
"""

from __future__ import annotations

import logging
import re

from marsad.article import Article
from marsad.errors import ArticleError
from marsad.readers.base import make_article
from marsad.readers.encoding import decode
from marsad.settings import Settings

log = logging.getLogger(__name__)

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_ALIASES = {"windows-1256": "cp1256", "iso-8859-6": "iso-8859-6", "utf8": "utf-8"}


def declared_charset(data: bytes) -> str | None:
    m = _META_CHARSET.search(data[:4096])
    if not m:
        return None
    name = m.group(1).decode("ascii", "ignore").lower()
    return _ALIASES.get(name, name)


def read_html(data: bytes, path: str | None, stem: str | None, settings: Settings) -> Article:
    import trafilatura

    html, encoding = decode(
        data,
        declared=declared_charset(data),
        max_control_ratio=settings["read"]["max_control_ratio"],
    )
    # trafilatura logs its own warnings; keep them out of the user's terminal.
    logging.getLogger("trafilatura").setLevel(logging.ERROR)
    try:
        doc = trafilatura.bare_extraction(
            html,
            url=None,
            with_metadata=True,
            include_comments=False,
            include_tables=True,
            include_images=False,
            deduplicate=False,
        )
    except Exception as e:  # trafilatura raises a variety of parser errors on broken pages
        raise ArticleError("E008", detail=f"{type(e).__name__}: {e}") from e
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
