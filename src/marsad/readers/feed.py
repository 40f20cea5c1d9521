"""RSS and Atom feed files (read with feedparser): one article per entry.

An entry's text is its longest ``content`` (else its ``summary``); HTML content goes through
the HTML reader's text extraction (:func:`marsad.readers.html.fragment_text`). Metadata comes
from the feed: ``title``, ``link`` (url), ``published``/``updated`` (date), ``author``, and the
feed's own title as the outlet; all with source ``"record"``. Ids are ``<file stem>-<n>``,
``n`` the entry's position in the feed (1-based), also given as ``record`` in error records.

Entries without text are skipped (E021), entries not in Arabic are skipped (E019, see
``[read] skip_non_arabic``). A file that is not a feed at all, or XML so broken that no entry
can be recovered, is an error (E020).
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from datetime import date
from typing import Any

from marsad.core.article import Article
from marsad.core.errors import ArticleError, ErrorRecord
from marsad.core.settings import Settings
from marsad.readers.base import check_language, make_article, parse_published, skip_empty
from marsad.readers.html import fragment_text

KIND = "feed"
#: The first element of an RSS 0.9x/2.0, RSS 1.0 (RDF) or Atom document.
_ROOT = re.compile(rb"<(?:rss|feed|rdf:RDF|RDF)[\s>]", re.I)
_PROLOGUE = re.compile(
    rb"\A(?:\xef\xbb\xbf)?(?:\s+|<\?xml[^>]*\?>|<!--.*?-->|<!DOCTYPE[^>]*>|<\?[^>]*\?>)*", re.S
)


def sniff(head: bytes) -> bool:
    """Whether the first bytes of a file are those of an RSS/Atom document (a feed URL
    saved to disk, whatever its name): the root element after the XML prologue."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            head = head.decode("utf-16").encode("utf-8", "replace")
        except UnicodeDecodeError:
            return False
    m = _PROLOGUE.match(head)
    rest = head[m.end() :] if m else head
    return _ROOT.match(rest) is not None


def _date(entry: Any) -> date | None:
    # dict.get: FeedParserDict.get maps missing keys to others, with a DeprecationWarning.
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        t = dict.get(entry, key)
        if t:
            try:
                return date(t.tm_year, t.tm_mon, t.tm_mday)
            except (ValueError, AttributeError):
                continue
    for key in ("published", "updated"):
        v = dict.get(entry, key)
        if isinstance(v, str) and (d := parse_published(v)) is not None:
            return d
    return None


def _body(entry: Any) -> tuple[str, str]:
    """``(value, mime type)`` of the entry's longest content, else its summary."""
    best = ("", "text/plain")
    for c in entry.get("content") or []:
        value = c.get("value") or ""
        if isinstance(value, str) and len(value) > len(best[0]):
            best = (value, c.get("type") or "text/html")
    if not best[0].strip():
        summary = entry.get("summary") or ""
        detail = entry.get("summary_detail") or {}
        if isinstance(summary, str):
            best = (summary, detail.get("type") or "text/html")
    return best


def _text(value: str, mime: str) -> str:
    if "html" in mime or "xml" in mime:
        return fragment_text(value)
    return value


def _str(v: Any) -> str | None:
    return v.strip() or None if isinstance(v, str) else None


def entry_to_article(
    entry: Any, n: int, outlet: str | None, path: str, stem: str, settings: Settings
) -> Article:
    value, mime = _body(entry)
    text = _text(value, mime)
    art = make_article(
        text,
        id=f"{stem}-{n}",
        path=path,
        settings=settings,
        title=_str(entry.get("title")),
        published=_date(entry),
        outlet=outlet,
        url=_str(entry.get("link")),
        author=_str(entry.get("author")),
        encoding="utf-8",
    )
    if "html" in mime:
        art.raw = value
    check_language(art, settings, in_archive=True)
    return art


def read_feed(
    data: bytes, path: str, stem: str, settings: Settings
) -> Iterator[Article | ErrorRecord]:
    """Yield one article (or error/skip record) per entry of the feed in ``data``."""
    import feedparser

    try:
        # A stream, never a str: feedparser would fetch a string that looks like a URL.
        parsed = feedparser.parse(io.BytesIO(data), resolve_relative_uris=False)
    except Exception as e:  # feedparser is lenient, but its sanitiser can still trip
        yield ErrorRecord.from_error(
            ArticleError("E020", kind=KIND, detail=f"{type(e).__name__}: {e}"), path=path
        )
        return
    entries = parsed.get("entries") or []
    if not entries:
        if parsed.get("bozo") or not parsed.get("version"):
            exc = parsed.get("bozo_exception")
            detail = f"{type(exc).__name__}: {exc}" if exc else "not an RSS or Atom document"
            yield ErrorRecord.from_error(ArticleError("E020", kind=KIND, detail=detail), path=path)
        else:
            yield ErrorRecord.from_error(
                ArticleError("E021", kind=KIND, detail="the feed has no entries"), path=path
            )
        return
    outlet = _str((parsed.get("feed") or {}).get("title"))
    encoding = parsed.get("encoding") or "utf-8"
    for n, entry in enumerate(entries, 1):
        try:
            art = entry_to_article(entry, n, outlet, path, stem, settings)
            art.meta.encoding = encoding
            yield art
        except ArticleError as e:
            yield ErrorRecord.from_error(
                skip_empty(e, KIND), path=path, doc=f"{stem}-{n}", record=n
            )
