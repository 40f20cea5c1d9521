"""``marsad watch``: poll feeds and folders on an interval and ingest what is new.

Sources (see docs/watch.md):

* an ``http(s)://`` URL is an RSS/Atom feed;
* a folder is watched for files that are new or changed since the last round (path, mtime and
  size are recorded), read by the usual readers;
* any other file lists sources, one per line (URLs or folders; ``#`` starts a comment, folders
  are relative to the list file). It is read again every round, so it can be edited while the
  watch runs.

Each round polls every source once and stores the new articles with
:func:`marsad.store.ingest.ingest` (so the content hash still keeps any article from being
stored twice). What is new is decided before anything is analysed:

* a feed is fetched with a conditional GET (``If-None-Match`` / ``If-Modified-Since`` from the
  last successful round): ``304 Not Modified`` ends there; a body identical to the last one
  (same SHA-1) is not parsed again. Otherwise it is parsed by the feed reader
  (:func:`marsad.readers.feed.read_feed`), and the entries whose link was already seen (in the
  ``watch_items`` table, or as the ``url`` of a stored document) are dropped. Each new entry is
  written to a temporary one-entry Atom file, which ingest reads with the same feed reader
  (text, title, link, date, author, outlet and the raw HTML come through unchanged); the stored
  ``path`` of these documents is then set to the feed URL.
* a folder is listed like ``marsad ingest`` lists it (:func:`marsad.readers.iter_files`);
  only files whose ``(mtime, size)`` differ from the last round are ingested.

Failures are per source: a feed that is down, slow (``timeout`` seconds to connect, for each
read and for the whole download), that answers with an HTTP error, garbage (not a feed, an HTML
error page) or a truncated body is logged as a warning with the reason and counted; the other
sources go on, and nothing of the failed source is remembered, so the next round retries it.
The state lives in the store (tables ``watch_sources``, ``watch_items``, ``watch_files``;
migration 4), so a restarted watch goes on where it stopped.

Public API: :func:`watch` (the loop), :func:`watch_round` (one round), :func:`fetch` (one
conditional GET), :func:`expand_sources`, :func:`entry_document`, and for the command line
:func:`add_parser` / :func:`run`.
"""

from __future__ import annotations

import argparse
import codecs
import contextlib
import hashlib
import http.client
import json
import logging
import os
import re
import signal
import socket
import ssl
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import escape, quoteattr

from marsad.core.article import Article
from marsad.core.errors import ErrorRecord, UsageError
from marsad.core.settings import Settings, load_settings
from marsad.core.version import VERSION as __version__
from marsad.readers import feed as feed_reader
from marsad.readers import iter_files
from marsad.store.db import DB, DEFAULT_DB
from marsad.store.schema import migrate
from marsad.store.state import StoreCollectors

if TYPE_CHECKING:
    from marsad.store.ingest import IngestSummary

# marsad.store.ingest (the pipeline) is imported where it is used, so that adding the `watch`
# subcommand to the CLI's parser costs nothing.

log = logging.getLogger(__name__)
log.addHandler(logging.NullHandler())

USER_AGENT = f"marsad/{__version__}"
DEFAULT_EVERY = 300.0
DEFAULT_TIMEOUT = 20.0
_ACCEPT = (
    "application/rss+xml, application/atom+xml, application/rdf+xml;q=0.9, "
    "application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5"
)
_URL = re.compile(r"(?i)https?://\S+\Z")
#: A comment in a list file: a line starting with ``#``, or ``#`` after whitespace (so a URL's
#: ``#fragment`` is kept).
_COMMENT = re.compile(r"(?:\A|\s)#.*\Z", re.S)
#: The end tag of a feed's root element (with or without a namespace prefix).
_ROOT_END = re.compile(rb"</(?:[\w.-]+:)?(?:rss|feed|RDF)\s*>", re.I)


# -- sources -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Source:
    """One thing to poll: ``kind`` is ``"feed"`` (``location`` is the URL) or ``"folder"``."""

    kind: str
    location: str

    @property
    def key(self) -> str:
        """How the source is named in the store's ``watch_*`` tables."""
        return self.location if self.kind == "feed" else os.path.abspath(self.location)


def is_url(spec: str) -> bool:
    return _URL.match(spec.strip()) is not None


def _specs(specs: Iterable[str | os.PathLike[str]] | str | os.PathLike[str]) -> list[str]:
    if isinstance(specs, str | os.PathLike):
        specs = [specs]
    return [os.fspath(s) for s in specs]


def check_sources(specs: Iterable[str | os.PathLike[str]]) -> list[str]:
    """Problems with the sources given on the command line (empty when they are usable): each
    must be an http(s) URL, a folder, or a readable list file."""
    problems = []
    for spec in _specs(specs):
        p = Path(spec)
        if is_url(spec) or p.is_dir():
            continue
        if not p.is_file():
            problems.append(f"{spec}: not an http(s) URL, a folder or a list file")
            continue
        try:
            with open(p, "rb") as fh:
                head = fh.read(4096)
        except OSError as e:
            problems.append(f"{spec}: cannot read the list of sources ({e.strerror or e})")
            continue
        if feed_reader.sniff(head):
            problems.append(
                f"{spec}: this is a feed, not a list of sources; give its URL, or put saved "
                "feeds in a folder and watch the folder"
            )
    return problems


def expand_sources(
    specs: Iterable[str | os.PathLike[str]],
) -> tuple[list[Source], list[tuple[str, str]]]:
    """The sources named by ``specs`` (URLs, folders, list files read now), without
    duplicates, and the problems found: ``(where, reason)`` for a list file that cannot be
    read or a line that is neither a URL nor an existing folder."""
    sources: list[Source] = []
    problems: list[tuple[str, str]] = []
    for spec in _specs(specs):
        p = Path(spec)
        if is_url(spec):
            sources.append(Source("feed", spec.strip()))
        elif p.is_dir():
            sources.append(Source("folder", spec))
        elif not p.exists():
            problems.append((spec, "not found (a folder or list file removed since the start?)"))
        else:
            try:
                lines = p.read_text(encoding="utf-8-sig").splitlines()
            except (OSError, UnicodeDecodeError) as e:
                problems.append((spec, f"cannot read the list of sources ({e})"))
                continue
            for lineno, raw in enumerate(lines, 1):
                line = _COMMENT.sub("", raw).strip()
                if not line:
                    continue
                if is_url(line):
                    sources.append(Source("feed", line))
                    continue
                folder = Path(line).expanduser()
                if not folder.is_absolute():
                    folder = p.parent / folder
                if folder.is_dir():
                    sources.append(Source("folder", str(folder)))
                else:
                    problems.append(
                        (f"{spec}:{lineno}", f"not an http(s) URL or a folder: {line!r}")
                    )
    seen: set[tuple[str, str]] = set()
    unique = []
    for s in sources:
        if (s.kind, s.key) not in seen:
            seen.add((s.kind, s.key))
            unique.append(s)
    return unique, problems


# -- HTTP ----------------------------------------------------------------------------------------
class FetchError(Exception):
    """A feed could not be fetched; the message says why (for the log)."""


@dataclass
class Fetched:
    """The answer to a conditional GET: ``status`` 200 (with ``body``) or 304."""

    status: int
    body: bytes = b""
    etag: str | None = None
    last_modified: str | None = None
    content_type: str | None = None


def _describe(e: BaseException | str, timeout: float) -> str:
    if isinstance(e, str):
        return e
    if isinstance(e, ConnectionRefusedError):
        return "connection refused"
    if isinstance(e, TimeoutError):  # socket.timeout is TimeoutError
        return f"timed out after {timeout:g} s"
    if isinstance(e, socket.gaierror):
        return f"cannot resolve the host name ({e.strerror or e})"
    if isinstance(e, ConnectionResetError):
        return "connection reset by the server"
    if isinstance(e, http.client.RemoteDisconnected):
        return "the server closed the connection without answering"
    if isinstance(e, http.client.IncompleteRead):
        return f"truncated: the connection closed after {len(e.partial)} bytes of the body"
    if isinstance(e, ssl.SSLError):
        return f"TLS error: {e.reason or e}"
    if isinstance(e, OSError) and e.strerror:
        return e.strerror.lower() if e.strerror[:1].isupper() else e.strerror
    return f"{type(e).__name__}: {e}" if str(e) else type(e).__name__


def _gunzip(data: bytes, max_bytes: int) -> bytes:
    d = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        out = d.decompress(data, max_bytes + 1)
    except zlib.error as e:
        raise FetchError(f"corrupt gzip body ({e})") from None
    if len(out) > max_bytes:
        raise FetchError(
            f"larger than {max_bytes:,} bytes once decompressed ([read] max_file_bytes)"
        )
    if not d.eof:
        raise FetchError("truncated: the gzip body ends early")
    return out


def fetch(
    url: str,
    *,
    timeout: float = DEFAULT_TIMEOUT,
    etag: str | None = None,
    last_modified: str | None = None,
    max_bytes: int = 20_000_000,
) -> Fetched:
    """GET ``url`` with ``urllib`` (User-Agent ``marsad/<version>``), conditional when
    ``etag`` / ``last_modified`` are given. ``timeout`` bounds connecting, each read and the
    whole download. Raises :class:`FetchError` with a readable reason for anything but a 2xx
    answer with a complete body, or a 304."""
    headers = {"User-Agent": USER_AGENT, "Accept": _ACCEPT, "Accept-Encoding": "gzip"}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    req = urllib.request.Request(url, headers=headers)
    deadline = time.monotonic() + timeout
    try:
        resp = urllib.request.urlopen(req, timeout=timeout)
    except urllib.error.HTTPError as e:
        with contextlib.closing(e):
            if e.code == 304:
                return Fetched(
                    304,
                    etag=e.headers.get("ETag") or etag,
                    last_modified=e.headers.get("Last-Modified") or last_modified,
                )
            raise FetchError(f"HTTP {e.code} {e.reason}".strip()) from None
    except urllib.error.URLError as e:
        raise FetchError(_describe(e.reason, timeout)) from None
    except (OSError, http.client.HTTPException, ValueError) as e:
        raise FetchError(_describe(e, timeout)) from None
    with resp:
        chunks: list[bytes] = []
        size = 0
        try:
            while True:
                if time.monotonic() > deadline:
                    raise FetchError(
                        f"timed out after {timeout:g} s (still downloading, {size:,} bytes so far)"
                    )
                chunk = resp.read1(65536)
                if not chunk:
                    break
                size += len(chunk)
                if size > max_bytes:
                    raise FetchError(f"larger than {max_bytes:,} bytes ([read] max_file_bytes)")
                chunks.append(chunk)
        except (OSError, http.client.HTTPException) as e:
            raise FetchError(_describe(e, timeout)) from None
        h = resp.headers
        length = (h.get("Content-Length") or "").strip()
        if length.isdigit() and size < int(length):
            raise FetchError(f"truncated: {size:,} of {int(length):,} bytes received")
        body = b"".join(chunks)
        if (h.get("Content-Encoding") or "").strip().lower() in ("gzip", "x-gzip"):
            body = _gunzip(body, max_bytes)
        return Fetched(
            resp.status or 200,
            body,
            h.get("ETag"),
            h.get("Last-Modified"),
            h.get("Content-Type"),
        )


# -- feed entries as files ingest can read -------------------------------------------------------
def _xml(s: str) -> str:
    # \r is escaped: an XML parser would turn a literal \r\n into \n.
    return escape(s).replace("\r", "&#13;")


def entry_document(art: Article) -> bytes:
    """A one-entry Atom document holding a feed entry as read by the feed reader (title,
    link, date, author, outlet, and the raw HTML, or the text when the entry was plain text),
    so that reading it again with the feed reader gives the same article. It is written in the
    feed's own encoding when that is an ASCII-compatible codec (as recorded on the article)."""
    enc = (art.meta.encoding or "utf-8").strip()
    try:
        name = codecs.lookup(enc).name
        if name.startswith(("utf-16", "utf-32")) or not enc.isascii():
            raise LookupError(enc)
    except LookupError:
        enc = "utf-8"
    m = art.meta
    parts = [f'<?xml version="1.0" encoding="{enc}"?>\n<feed xmlns="http://www.w3.org/2005/Atom">']
    if m.outlet:
        parts.append(f"<title>{_xml(m.outlet)}</title>")
    parts.append("<entry>")
    if m.title:
        parts.append(f'<title type="text">{_xml(m.title)}</title>')
    if m.url:
        parts.append(f'<id>{_xml(m.url)}</id><link rel="alternate" href={quoteattr(m.url)}/>')
    if m.published:
        parts.append(f"<published>{m.published.isoformat()}T00:00:00Z</published>")
    if m.author:
        parts.append(f"<author><name>{_xml(m.author)}</name></author>")
    if art.raw:
        parts.append(f'<content type="html">{_xml(art.raw)}</content>')
    else:
        parts.append(f'<content type="text">{_xml(art.text)}</content>')
    parts.append("</entry></feed>\n")
    return "".join(parts).encode(enc, "xmlcharrefreplace")


def _slug(url: str) -> str:
    """A file-name stem from a feed URL (no dots: the readers cut the stem at the first)."""
    rest = re.sub(r"(?i)\Ahttps?://(www\.)?", "", url)
    return re.sub(r"[^0-9A-Za-z]+", "-", rest).strip("-")[:40].strip("-") or "feed"


def _sha1(data: bytes | str) -> str:
    return hashlib.sha1(data.encode("utf-8") if isinstance(data, str) else data).hexdigest()


def _complete(body: bytes) -> bool:
    """Whether a body that starts like a feed also ends its root element (else: truncated)."""
    if body.startswith((b"\xff\xfe", b"\xfe\xff")):
        body = body.decode("utf-16", "replace").encode("utf-8", "replace")
    return _ROOT_END.search(body, max(0, len(body) - 65536)) is not None


def _n(count: int, word: str) -> str:
    plural = word[:-1] + "ies" if word.endswith("y") else word + "s"
    return f"{count} {word if count == 1 else plural}"


# -- results -------------------------------------------------------------------------------------
@dataclass
class SourceResult:
    """What one round did with one source."""

    source: str
    kind: str
    #: ``"ok"``, ``"not-modified"`` (HTTP 304), ``"unchanged"`` (same body as last time) or
    #: ``"error"`` (see ``error``; nothing of this source was ingested or remembered).
    status: str = "ok"
    #: Entries in the feed / files in the folder.
    entries: int = 0
    #: Entries not seen before / files new or changed since the last round.
    new: int = 0
    stored: int = 0
    #: Already stored (same content), or skipped with a reason (not Arabic, empty).
    skipped: int = 0
    #: Articles that failed (their records are in ``failures``).
    failed: int = 0
    error: str | None = None
    failures: list[ErrorRecord] = field(default_factory=list)

    def add(self, summary: IngestSummary) -> None:
        self.stored += summary.stored
        self.skipped += summary.skipped + summary.skipped_records
        self.failed += summary.failed
        self.failures.extend(e for e in summary.errors if not e.skipped)

    def line(self) -> str:
        what = {
            "ok": _n(self.entries, "entry" if self.kind == "feed" else "file"),
            "not-modified": "not modified (HTTP 304)",
            "unchanged": "unchanged since the last round",
            "error": f"error: {self.error}",
        }[self.status]
        return (
            f"{self.kind} {self.source}: {what}; {self.new} new, {self.stored} stored, "
            f"{self.skipped} skipped, {self.failed} failed, "
            f"{_n(1 if self.status == 'error' else 0, 'error')}"
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "kind": self.kind,
            "status": self.status,
            "entries": self.entries,
            "new": self.new,
            "stored": self.stored,
            "skipped": self.skipped,
            "failed": self.failed,
            "error": self.error,
        }


@dataclass
class RoundSummary:
    """One round: a result per source, the collectors' list sizes when they ran."""

    round: int
    sources: list[SourceResult] = field(default_factory=list)
    collected: dict[str, int] = field(default_factory=dict)
    #: A problem outside any one source (the store could not be opened, the collectors failed).
    error: str | None = None
    elapsed: float = 0.0

    @property
    def new(self) -> int:
        return sum(s.new for s in self.sources)

    @property
    def stored(self) -> int:
        return sum(s.stored for s in self.sources)

    @property
    def skipped(self) -> int:
        return sum(s.skipped for s in self.sources)

    @property
    def failed(self) -> int:
        return sum(s.failed for s in self.sources)

    @property
    def errors(self) -> list[SourceResult]:
        """The sources that failed this round."""
        return [s for s in self.sources if s.status == "error"]

    @property
    def ok(self) -> bool:
        return not self.errors and not self.failed and self.error is None

    def line(self) -> str:
        errs = self.errors
        text = (
            f"round {self.round}: {_n(len(self.sources), 'source')}, {self.new} new, "
            f"{self.stored} stored, {self.skipped} skipped, {self.failed} failed, "
            f"{_n(len(errs), 'source error')}"
        )
        if errs:
            shown = "; ".join(f"{s.source}: {s.error}" for s in errs[:3])
            text += f" ({shown}{'; …' if len(errs) > 3 else ''})"
        if self.error:
            text += f"; {self.error}"
        if self.collected:
            text += "; " + ", ".join(f"{k}: {v}" for k, v in self.collected.items())
        return f"{text} in {self.elapsed:.1f} s"

    def to_json(self) -> dict[str, Any]:
        return {
            "round": self.round,
            "new": self.new,
            "stored": self.stored,
            "skipped": self.skipped,
            "failed": self.failed,
            "source_errors": len(self.errors),
            "error": self.error,
            "collected": dict(self.collected),
            "elapsed_seconds": round(self.elapsed, 3),
            "sources": [s.to_json() for s in self.sources],
        }


# -- the store's watch tables --------------------------------------------------------------------
def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@contextlib.contextmanager
def _transaction(db: DB) -> Iterator[None]:
    db.end_read()
    db.begin()
    try:
        yield
        db.commit()
    except BaseException:
        db.rollback()
        raise


def _source_state(db: DB, key: str) -> tuple[str | None, str | None, str | None]:
    """``(etag, last_modified, content_sha1)`` of the last successful round."""
    row = db.one(
        "SELECT etag, last_modified, content_sha1 FROM watch_sources WHERE source = ?", (key,)
    )
    db.end_read()
    return (row[0], row[1], row[2]) if row else (None, None, None)


_RECORD_OK = (
    "INSERT INTO watch_sources(source, kind, etag, last_modified, content_sha1, checked_at, ok_at,"
    " error, failures) VALUES (?,?,?,?,?,?,?,NULL,0) ON CONFLICT(source) DO UPDATE SET"
    " kind = excluded.kind, etag = excluded.etag, last_modified = excluded.last_modified,"
    " content_sha1 = excluded.content_sha1, checked_at = excluded.checked_at,"
    " ok_at = excluded.ok_at, error = NULL, failures = 0"
)


def _record_ok(
    db: DB,
    source: Source,
    etag: str | None = None,
    last_modified: str | None = None,
    content_sha1: str | None = None,
) -> None:
    now = _now()
    db.execute(_RECORD_OK, (source.key, source.kind, etag, last_modified, content_sha1, now, now))


def _record_failure(db: DB, kind: str, key: str, reason: str) -> None:
    with _transaction(db):
        db.execute(
            "INSERT INTO watch_sources(source, kind, checked_at, error, failures)"
            " VALUES (?,?,?,?,1) ON CONFLICT(source) DO UPDATE SET"
            " checked_at = excluded.checked_at, error = excluded.error,"
            " failures = watch_sources.failures + 1",
            (key, kind, _now(), reason),
        )


def _seen(db: DB, key: str, url: str | None) -> bool:
    row = db.one("SELECT 1 FROM watch_items WHERE key = ?", (key,))
    if row is None and url:
        row = db.one("SELECT 1 FROM documents WHERE url = ? LIMIT 1", (url,))
    db.end_read()
    return row is not None


def _dump(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))


def _relabel(db: DB, files: dict[str, tuple[str, Article]], feed_url: str) -> None:
    """Set the stored ``path`` of documents read from the temporary entry files to the feed URL
    (column and ``doc`` JSON); call inside a transaction."""
    for path, (_key, art) in files.items():
        # By an indexed column (documents.path has no index); the entry file gives back the
        # same text, so the same hash, as the article read from the feed.
        if art.meta.url:
            rows = db.all(
                "SELECT n, doc FROM documents WHERE url = ? AND path = ?", (art.meta.url, path)
            )
        else:
            rows = db.all(
                "SELECT n, doc FROM documents WHERE sha1 = ? AND path = ?", (art.sha1, path)
            )
        for n, doc_s in rows:
            doc = json.loads(doc_s)
            doc["path"] = feed_url
            db.execute(
                "UPDATE documents SET path = ?, doc = ? WHERE n = ?", (feed_url, _dump(doc), n)
            )


# -- polling one source --------------------------------------------------------------------------
@dataclass
class _Options:
    settings: Settings
    timeout: float
    jobs: int
    disable: tuple[str, ...]
    #: The store's collectors for this round (None: --no-collect): every source adds to them
    #: and the round writes the cross-article lists once.
    collectors: StoreCollectors | None = None


def _ingest(db: DB, paths: list[str], opts: _Options) -> IngestSummary:
    from marsad.store.ingest import ingest

    return ingest(
        paths,
        db=db,
        settings=opts.settings,
        disable=opts.disable,
        jobs=opts.jobs,
        collect=opts.collectors is not None,
        collectors=opts.collectors,
    )


def _log_failures(res: SourceResult, names: dict[str, str] | None = None) -> None:
    for e in res.failures[:20]:
        where = (names or {}).get(e.path or "", e.path or "")
        log.warning("watch: %s: %s %s %s: %s", res.source, e.code, where, e.doc or "", e.reason)
    if len(res.failures) > 20:
        log.warning("watch: %s: … %d more failed articles", res.source, len(res.failures) - 20)


def _poll_feed(db: DB, source: Source, opts: _Options) -> SourceResult:
    url = source.location
    res = SourceResult(url, "feed")
    etag, last_modified, last_sha1 = _source_state(db, source.key)
    max_bytes = int(opts.settings["read"]["max_file_bytes"])
    got = fetch(
        url, timeout=opts.timeout, etag=etag, last_modified=last_modified, max_bytes=max_bytes
    )
    if got.status == 304:
        res.status = "not-modified"
        with _transaction(db):
            _record_ok(db, source, got.etag, got.last_modified, last_sha1)
        return res
    digest = _sha1(got.body)
    if digest == last_sha1:
        res.status = "unchanged"
        with _transaction(db):
            _record_ok(db, source, got.etag, got.last_modified, digest)
        return res
    head = got.body[:4096]
    if feed_reader.sniff(head) and not _complete(got.body):
        raise FetchError(f"truncated feed: {len(got.body):,} bytes, the root element never ends")

    slug = _slug(url)
    items = list(feed_reader.read_feed(got.body, url, slug, opts.settings))
    articles = [a for a in items if isinstance(a, Article)]
    records = [r for r in items if isinstance(r, ErrorRecord)]
    if not articles:
        bad = [r for r in records if not r.skipped]
        if bad:
            start = head[:60].decode("utf-8", "replace").replace("\n", " ").strip()
            raise FetchError(
                f"not an RSS/Atom feed ({got.content_type or 'no content type'}, "
                f"starts with {start!r}): {bad[0].reason}"
            )
    # Entries the reader skipped with a reason (not Arabic, empty) or could not read (too
    # large) are not articles: there is no link to remember, so they count each time the feed
    # is read again.
    per_entry = [r for r in records if r.record is not None]
    res.entries = len(articles) + len(per_entry)
    res.skipped += sum(1 for r in per_entry if r.skipped)
    res.failed += sum(1 for r in per_entry if not r.skipped)
    res.failures.extend(r for r in per_entry if not r.skipped)

    new: list[tuple[str, Article]] = []
    keys: set[str] = set()
    for art in articles:
        key = art.meta.url or f"sha1:{art.sha1}"
        if key in keys:
            continue
        keys.add(key)
        if not _seen(db, key, art.meta.url):
            new.append((key, art))
    res.new = len(new)
    with tempfile.TemporaryDirectory(prefix="marsad-watch-") as tmp:
        files: dict[str, tuple[str, Article]] = {}
        for key, art in new:
            p = os.path.join(tmp, f"{slug}-{_sha1(key)[:10]}.atom")
            with open(p, "wb") as fh:
                fh.write(entry_document(art))
            files[p] = (key, art)
        if files:
            res.add(_ingest(db, list(files), opts))
        now = _now()
        with _transaction(db):
            if files:
                _relabel(db, files, url)
                db.executemany(
                    "INSERT INTO watch_items(key, source, seen_at) VALUES (?,?,?)"
                    " ON CONFLICT(key) DO NOTHING",
                    [(key, source.key, now) for key, _ in new],
                )
            _record_ok(db, source, got.etag, got.last_modified, digest)
    _log_failures(res, {p: a.meta.url or a.id for p, (_k, a) in files.items()})
    return res


def _poll_folder(db: DB, source: Source, opts: _Options) -> SourceResult:
    res = SourceResult(source.location, "folder")
    if not Path(source.location).is_dir():
        raise FetchError("the folder does not exist (any more)")
    known = {
        path: (int(mtime), int(size))
        for path, mtime, size in db.all(
            "SELECT path, mtime_ns, size FROM watch_files WHERE source = ?", (source.key,)
        )
    }
    db.end_read()
    current: set[str] = set()
    changed: list[tuple[str, str, int, int]] = []
    for f in iter_files([source.location]):
        if isinstance(f, ErrorRecord):
            continue
        try:
            st = f.stat()
        except OSError:
            continue  # removed meanwhile
        full = os.path.abspath(f)
        current.add(full)
        if known.get(full) != (st.st_mtime_ns, st.st_size):
            changed.append((str(f), full, st.st_mtime_ns, st.st_size))
    res.entries = len(current)
    res.new = len(changed)
    if changed:
        res.add(_ingest(db, [c[0] for c in changed], opts))
    now = _now()
    with _transaction(db):
        if changed:
            db.executemany(
                "INSERT INTO watch_files(path, source, mtime_ns, size, seen_at)"
                " VALUES (?,?,?,?,?) ON CONFLICT(path) DO UPDATE SET source = excluded.source,"
                " mtime_ns = excluded.mtime_ns, size = excluded.size, seen_at = excluded.seen_at",
                [(full, source.key, m, s, now) for _p, full, m, s in changed],
            )
        gone = [p for p in known if p not in current]
        if gone:
            db.executemany("DELETE FROM watch_files WHERE path = ?", [(p,) for p in gone])
        _record_ok(db, source)
    _log_failures(res)
    return res


def _poll(db: DB, source: Source, opts: _Options) -> SourceResult:
    try:
        if source.kind == "feed":
            res = _poll_feed(db, source, opts)
        else:
            res = _poll_folder(db, source, opts)
    except UsageError:
        raise
    except Exception as e:
        reason = str(e) if isinstance(e, FetchError) else f"{type(e).__name__}: {e}"
        res = SourceResult(source.location, source.kind, status="error", error=reason)
        log.warning(
            "watch: %s %s failed: %s (will retry next round)",
            source.kind,
            source.location,
            reason,
            exc_info=not isinstance(e, FetchError) and log.isEnabledFor(logging.DEBUG),
        )
        with contextlib.suppress(Exception):
            db.rollback()
            _record_failure(db, source.kind, source.key, reason)
    log.info("watch: %s", res.line())
    return res


# -- rounds --------------------------------------------------------------------------------------
@contextlib.contextmanager
def _store(db: str | os.PathLike[str] | DB) -> Iterator[DB]:
    if isinstance(db, DB):
        yield db
        return
    store = DB(db)
    try:
        yield store
    finally:
        store.close()


def watch_round(
    sources: Iterable[str | os.PathLike[str]] | str | os.PathLike[str],
    db: str | os.PathLike[str] | DB = DEFAULT_DB,
    settings: Settings | None = None,
    *,
    timeout: float = DEFAULT_TIMEOUT,
    jobs: int = 1,
    collect: bool = True,
    disable: Iterable[str] = (),
    round_no: int = 1,
) -> RoundSummary:
    """Poll every source in ``sources`` (URLs, folders, list files) once and ingest what is new
    into the store ``db``; then, when ``collect`` and articles were stored, rerun the
    cross-article collectors (one pass over the store, as ``marsad ingest`` does). A source
    that fails is counted in the summary and logged; it never stops the round."""
    from marsad.store.ingest import get_state

    t0 = time.monotonic()
    settings = settings if settings is not None else load_settings()
    opts = _Options(settings, float(timeout), max(1, int(jobs)), tuple(disable))
    summary = RoundSummary(round_no)
    try:
        found, problems = expand_sources(sources)
        with _store(db) as store:
            migrate(store)
            for where, reason in problems:
                log.warning("watch: %s: %s", where, reason)
                res = SourceResult(where, "list", status="error", error=reason)
                log.info("watch: %s", res.line())
                summary.sources.append(res)
            if collect:
                opts.collectors = StoreCollectors(store, settings, opts.disable)
                opts.collectors.catch_up()
            for source in found:
                summary.sources.append(_poll(store, source, opts))
            state = opts.collectors
            if state is not None and (state.added or get_state(store, "collect_pending")):
                try:
                    summary.collected = state.finish()
                except UsageError:
                    raise
                except Exception as e:
                    summary.error = f"collectors failed: {type(e).__name__}: {e}"
                    log.warning("watch: %s (the next round tries again)", summary.error)
    except UsageError as e:
        if e.code != "E016":  # the store cannot be reached: try again next round
            raise
        summary.error = str(e)
        log.warning("watch: %s (the next round tries again)", e)
    except Exception as e:  # e.g. the store locked or its server gone: the next round retries
        summary.error = f"store error: {type(e).__name__}: {e}"
        log.warning("watch: %s (the next round tries again)", summary.error)
    summary.elapsed = time.monotonic() - t0
    return summary


def watch(
    sources: Iterable[str | os.PathLike[str]] | str | os.PathLike[str],
    db: str | os.PathLike[str] | DB = DEFAULT_DB,
    settings: Settings | None = None,
    *,
    every: float = DEFAULT_EVERY,
    max_rounds: int | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    jobs: int = 1,
    collect: bool = True,
    disable: Iterable[str] = (),
    on_round: Callable[[RoundSummary], None] | None = None,
    stop: threading.Event | None = None,
    handle_signals: bool = True,
) -> RoundSummary | None:
    """Run :func:`watch_round` every ``every`` seconds (start to start) until ``max_rounds``
    rounds are done, ``stop`` is set, or SIGINT/SIGTERM arrives (when ``handle_signals`` and
    called from the main thread: the round in progress finishes, then the watch returns; a
    second SIGINT interrupts at once, which leaves the store consistent). ``on_round`` is
    called after each round. Returns the last round's summary (None if none ran).

    Usage errors (unknown stage names, bad settings, a store that cannot be opened at the
    start) raise :class:`~marsad.core.errors.UsageError` before the first round."""
    settings = settings if settings is not None else load_settings()
    sources = _specs(sources)
    disable = tuple(disable)
    stop = stop if stop is not None else threading.Event()
    from marsad.store.ingest import ingest

    # Check the stage names and open (and migrate) the store once before the first round.
    with _store(db) as store:
        ingest([], db=store, settings=settings, disable=disable, jobs=1, collect=False)
    saved: dict[int, Any] = {}
    if handle_signals and threading.current_thread() is threading.main_thread():
        main_pid = os.getpid()

        def on_signal(signum: int, _frame: Any) -> None:
            if os.getpid() != main_pid:
                # A worker process forked by ingest (--jobs): Ctrl-C is for the main process
                # to handle; SIGTERM (the pool shutting down) ends the worker as usual.
                if signum == signal.SIGTERM:
                    signal.signal(signum, signal.SIG_DFL)
                    os.kill(os.getpid(), signum)
                return
            if stop.is_set() and signum == signal.SIGINT:
                raise KeyboardInterrupt
            stop.set()
            log.warning("watch: %s: stopping after the current round", signal.Signals(signum).name)

        for sig in (signal.SIGINT, signal.SIGTERM):
            saved[sig] = signal.signal(sig, on_signal)
    last: RoundSummary | None = None
    try:
        n = 0
        while not stop.is_set():
            n += 1
            t0 = time.monotonic()
            last = watch_round(
                sources,
                db,
                settings,
                timeout=timeout,
                jobs=jobs,
                collect=collect,
                disable=disable,
                round_no=n,
            )
            if on_round is not None:
                on_round(last)
            if max_rounds is not None and n >= max_rounds:
                break
            stop.wait(max(0.0, every - (time.monotonic() - t0)))
    finally:
        for sig, old in saved.items():
            signal.signal(sig, old)
    return last


# -- command line --------------------------------------------------------------------------------
def _positive(kind: type) -> Callable[[str], Any]:
    def parse(s: str) -> Any:
        try:
            v = kind(s)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a number: {s!r}") from None
        if v <= 0:
            raise argparse.ArgumentTypeError(f"must be more than 0: {s!r}")
        return v

    return parse


def add_parser(sub: Any) -> argparse.ArgumentParser:
    """Add the ``watch`` subcommand to an argparse subparsers object (``dest="command"``)."""
    w = sub.add_parser(
        "watch",
        help="poll feeds and folders on an interval and ingest what is new",
        description="Poll RSS/Atom feed URLs and folders every --every seconds and store the "
        "new articles (docs/watch.md). A SOURCE is an http(s) URL, a folder, or a file "
        "listing URLs and folders one per line (# comments).",
    )
    w.add_argument("sources", nargs="+", metavar="SOURCE", help="feed URL, folder or list file")
    w.add_argument(
        "--db",
        default=DEFAULT_DB,
        help=f"SQLite file or postgresql://… URL (default: {DEFAULT_DB})",
    )
    w.add_argument(
        "--every",
        type=_positive(float),
        default=DEFAULT_EVERY,
        metavar="SECONDS",
        help=f"seconds from the start of a round to the start of the next (default {DEFAULT_EVERY:g})",
    )
    w.add_argument("--once", action="store_true", help="one round, then exit")
    w.add_argument(
        "--max-rounds", type=_positive(int), default=None, metavar="N", help="stop after N rounds"
    )
    w.add_argument(
        "--timeout",
        type=_positive(float),
        default=DEFAULT_TIMEOUT,
        metavar="SECONDS",
        help=f"per feed: to connect, for each read and for the whole download (default {DEFAULT_TIMEOUT:g})",
    )
    w.add_argument("--config", metavar="FILE", help="settings file (TOML) over the defaults")
    w.add_argument("--disable", action="append", default=[], metavar="STAGE")
    w.add_argument(
        "--jobs",
        type=_positive(int),
        default=1,
        metavar="N",
        help="worker processes for each source's ingest (default 1: rounds are usually small)",
    )
    w.add_argument(
        "--no-collect",
        action="store_true",
        help="store the articles but leave the cross-article lists to a later round or ingest",
    )
    w.add_argument("-q", "--quiet", action="store_true", help="no summary line per round")
    return w


def run(args: argparse.Namespace) -> int:
    """Run ``marsad watch``. Exit status: 0 when the last round had no failed source or
    article, 1 otherwise, 2 for usage errors."""
    problems = check_sources(args.sources)
    if problems:
        for p in problems:
            print(f"marsad: error: {p}", file=sys.stderr)
        return 2
    quiet = bool(getattr(args, "quiet", False))

    def on_round(r: RoundSummary) -> None:
        if not quiet:
            print(f"marsad watch: {r.line()} → {args.db}", file=sys.stderr, flush=True)

    try:
        last = watch(
            args.sources,
            args.db,
            load_settings(args.config),
            every=args.every,
            max_rounds=1 if args.once else args.max_rounds,
            timeout=args.timeout,
            jobs=args.jobs,
            collect=not args.no_collect,
            disable=args.disable,
            on_round=on_round,
        )
    except UsageError as e:
        print(f"marsad: error: {e}\n  fix: {e.fix}", file=sys.stderr)
        return 2
    return 0 if last is None or last.ok else 1
