"""WARC web archives (``.warc``, ``.warc.gz``; read with FastWARC): one article per HTML page.

Every ``response`` (or ``resource``) record is a fetched URL. Its HTTP payload goes through
the HTML reader (:func:`marsad.readers.html.read_html`); the url comes from the record's
``WARC-Target-URI``; the page's own date is kept when the HTML gives one, else the capture
date (``WARC-Date``) stands in, with ``metadata_sources.published = "capture"`` (a later
dateline found in the text replaces it). Ids are ``<file stem>-<n>``, ``n`` the record's
position among the archive's records (1-based), also given as ``record`` in error records.

Records that are not articles are counted and skipped with a reason, never failed: not HTML
or not a 2xx response (E018), not Arabic (E019), no text (E021). ``request``, ``metadata``,
``warcinfo`` and ``revisit`` records describe the crawl, not pages, and are passed over
silently. A damaged archive (bad headers, truncated compression) is an error (E020) at the
record where the damage starts; the records before it are kept.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from marsad.core.article import Article
from marsad.core.errors import ArticleError, ErrorRecord
from marsad.core.settings import Settings
from marsad.readers.base import check_language, skip_empty
from marsad.readers.html import normalize_charset, read_html

log = logging.getLogger(__name__)

KIND = "WARC archive"
HTML_TYPES = ("text/html", "application/xhtml+xml")


def sniff(head: bytes) -> bool:
    """Whether the first bytes are those of a WARC file (uncompressed)."""
    return head.lstrip(b"\r\n")[:5] == b"WARC/"


def _capture_date(record: Any) -> date | None:
    try:
        d = record.record_date
    except Exception:
        return None
    if isinstance(d, datetime):
        return d.astimezone(UTC).date() if d.tzinfo else d.date()
    return None


def _status(record: Any) -> int | None:
    headers = record.http_headers
    code = getattr(headers, "status_code", None)
    if isinstance(code, int):
        return code
    parts = str(getattr(headers, "status_line", "") or "").split()
    return int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else None


def read_warc(path: Path, stem: str, settings: Settings) -> Iterator[Article | ErrorRecord]:
    """Yield one article, skip record or error record per page of the archive at ``path``
    (plain or gzip-compressed per record or as a whole: FastWARC detects it)."""
    from fastwarc.warc import ArchiveIterator, WarcRecordType

    spath = str(path)
    limit = int(settings["read"]["max_file_bytes"])
    wanted = WarcRecordType.response | WarcRecordType.resource
    n = 0
    seen_any = False
    with open(path, "rb") as fh:
        try:
            records = iter(ArchiveIterator(fh, parse_http=True))
        except (OSError, ValueError) as e:
            yield _broken(e, spath, None)
            return
        while True:
            try:
                record = next(records)
            except StopIteration:
                if not seen_any and path.stat().st_size > 0:
                    yield _broken(ValueError("no WARC record found"), spath, None)
                return
            except (OSError, ValueError, EOFError, RuntimeError, UnicodeError) as e:
                yield _broken(e, spath, n + 1)
                return
            n += 1
            seen_any = True
            if record.headers.get("Content-Length") is None:
                # FastWARC yields a record whose header was cut off; nothing after it is usable.
                yield _broken(ValueError("record header cut off (no Content-Length)"), spath, n)
                return
            if not (record.record_type & wanted):
                continue
            doc = f"{stem}-{n}"
            try:
                yield _record_article(record, doc, spath, limit, settings)
            except ArticleError as e:
                yield ErrorRecord.from_error(skip_empty(e, KIND), path=spath, doc=doc, record=n)
            except (OSError, ValueError, EOFError) as e:  # a truncated payload
                yield _broken(e, spath, n)
                return


def _broken(e: BaseException, path: str, record: int | None) -> ErrorRecord:
    detail = f"{type(e).__name__}: {e}" if str(e) else type(e).__name__
    if record is not None:
        detail += f" at record {record}"
    return ErrorRecord.from_error(
        ArticleError("E020", kind=KIND, detail=detail), path=path, record=record
    )


def _record_article(record: Any, doc: str, path: str, limit: int, settings: Settings) -> Article:
    url = record.headers.get("WARC-Target-URI") or None
    charset = None
    if record.is_http:
        status = _status(record)
        if status is not None and not 200 <= status < 300:
            raise ArticleError("E018", detail=f"HTTP status {status}")
        ctype = (record.http_content_type or "").lower()
        charset = normalize_charset(record.http_charset)
    else:
        ctype = (record.headers.get("Content-Type") or "").split(";")[0].strip().lower()
    if ctype and ctype not in HTML_TYPES:
        raise ArticleError("E018", detail=f"content type {ctype}")
    data = record.reader.read(limit + 1)
    if len(data) > limit:
        raise ArticleError(
            "E006", size=len(data), unit="bytes (at least)", limit=limit, setting="max_file_bytes"
        )
    expected = record.content_length or 0
    if len(data) < expected:
        # FastWARC hands out what is there of a cut-off record without complaint.
        raise ArticleError(
            "E020", kind=KIND, detail=f"record truncated: {len(data)} of {expected} bytes"
        )
    if not data.strip():
        raise ArticleError("E021", kind=KIND, detail="the record has no payload")
    if not ctype and not _looks_html(data):
        raise ArticleError("E018", detail="no content type, and the payload is not HTML")
    art = read_html(data, path, doc, settings, declared=charset)
    if url:
        art.meta.url = url
        art.meta.sources["url"] = "record"
    if art.meta.published is None:
        captured = _capture_date(record)
        if captured is not None:
            art.meta.published = captured
            art.meta.sources["published"] = "capture"
    check_language(art, settings, in_archive=True)
    return art


def _looks_html(data: bytes) -> bool:
    head = data[:1024].lstrip().lower()
    return (
        head.startswith((b"<!doctype html", b"<html", b"<?xml")) or b"<body" in data[:4096].lower()
    )
