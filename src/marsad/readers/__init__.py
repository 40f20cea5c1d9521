"""Reading articles from files and folders, one at a time (a stream, never a whole corpus).

:func:`read` yields :class:`~marsad.core.article.Article` objects, or
:class:`~marsad.core.errors.ErrorRecord` for inputs that could not be read; one broken article
never stops the batch. Supported: ``.txt``, ``.html``/``.htm``, ``.jsonl``/``.json``,
RSS/Atom feeds (``.rss``, ``.atom``, and ``.xml`` that sniffs as a feed), WARC archives
(``.warc``), ``.gz`` of any of these, and folders (recursive, in sorted order).

A format is chosen by the file name, then checked by *sniffing* the first bytes: a page saved
from a feed URL (``feed.html``, ``rss.php``, a name without a suffix) is read as a feed when it
starts like RSS/Atom XML, and a file that starts like a WARC record is read as a WARC archive.
Records inside feeds and archives that are not articles are *skipped* with a reason
(:class:`~marsad.core.errors.ErrorRecord` with ``severity == "skip"``), not failed.
"""

from __future__ import annotations

import gzip
import io
import logging
import os
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path

from marsad.core.article import Article
from marsad.core.errors import ArticleError, ErrorRecord, UsageError
from marsad.core.settings import Settings, load_settings
from marsad.readers import feed as feed_reader
from marsad.readers import html as html_reader
from marsad.readers import jsonl as jsonl_reader
from marsad.readers import text as text_reader
from marsad.readers import warc as warc_reader
from marsad.readers.base import check_language
from marsad.readers.base import make_article as make_article

log = logging.getLogger(__name__)

SUFFIXES = {
    ".txt": "text",
    ".text": "text",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "json",
    ".rss": "feed",
    ".atom": "feed",
    ".xml": "xml",  # a feed when it sniffs as one, else unsupported
    ".warc": "warc",
}
#: How many bytes of a file are looked at to recognise its format.
SNIFF_BYTES = 4096

Item = Article | ErrorRecord


def kind_of(path: Path) -> tuple[str | None, bool]:
    """``(format, compressed)`` from the file name (``x.jsonl.gz`` -> ``("jsonl", True)``)."""
    suffixes = [s.lower() for s in path.suffixes]
    compressed = bool(suffixes) and suffixes[-1] == ".gz"
    if compressed:
        suffixes = suffixes[:-1]
    if not suffixes:
        return None, compressed
    return SUFFIXES.get(suffixes[-1]), compressed


def iter_files(paths: Iterable[str | os.PathLike[str]]) -> Iterator[Path | ErrorRecord]:
    """Files under ``paths`` in a stable order; folders recursively, hidden files skipped."""
    for p in paths:
        path = Path(p)
        if path.is_dir():
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    if name.startswith("."):
                        continue
                    f = Path(root) / name
                    fmt, _ = kind_of(f)
                    if fmt in (None, "xml") and sniff(f) is None:
                        log.info("skipping %s: not an article file", f)
                        continue
                    yield f
        elif path.exists():
            yield path
        else:
            yield ErrorRecord.from_error(ArticleError("E001", path=str(path)), path=str(path))


def read(
    paths: Iterable[str | os.PathLike[str]], settings: Settings | None = None
) -> Iterator[Item]:
    """Yield every article (or error record) found under ``paths``."""
    settings = settings if settings is not None else load_settings()
    for f in iter_files(paths):
        if isinstance(f, ErrorRecord):
            yield f
            continue
        yield from read_file(f, settings)


def read_file(path: Path, settings: Settings | None = None) -> Iterator[Item]:
    settings = settings if settings is not None else load_settings()
    cfg = settings["read"]
    fmt, compressed = kind_of(path)
    spath = str(path)
    if fmt in (None, "xml", "html", "text"):
        # Saved feed URLs and archives under another name are recognised by their first bytes.
        fmt = sniff(path) or (None if fmt == "xml" else fmt)
    if fmt is None:
        yield ErrorRecord.from_error(
            ArticleError("E002", suffix="".join(path.suffixes) or "(none)", path=spath), path=spath
        )
        return
    stem = path.name.split(".")[0]
    try:
        if fmt == "warc":
            yield from warc_reader.read_warc(path, stem, settings)
            return
        if fmt in ("jsonl", "json"):
            stream = _open_stream(path, compressed, cfg)
            with stream:
                yield from jsonl_reader.read_records(
                    stream, spath, stem, settings, whole_json=fmt == "json"
                )
            return
        data = _read_bytes(path, compressed, cfg)
        if fmt == "feed":
            yield from feed_reader.read_feed(data, spath, stem, settings)
            return
        if fmt == "html":
            art = html_reader.read_html(data, spath, stem, settings)
        else:
            art = text_reader.read_text(data, spath, stem, settings)
        check_language(art, settings, in_archive=False)
        yield art
    except ArticleError as e:
        yield ErrorRecord.from_error(e, path=spath)
    except OSError as e:
        if isinstance(e, gzip.BadGzipFile | EOFError):
            err = ArticleError("E009", detail=str(e))
        else:
            err = ArticleError("E014", detail=str(e))
        yield ErrorRecord.from_error(err, path=spath)
    except (EOFError, zlib.error) as e:
        yield ErrorRecord.from_error(
            ArticleError("E009", detail=str(e) or type(e).__name__), path=spath
        )
    except UsageError:
        raise
    except Exception as e:  # a reader bug must not stop the batch (the fuzz tests look for these)
        log.warning("reading %s failed: %s", spath, e, exc_info=log.isEnabledFor(logging.DEBUG))
        yield ErrorRecord.from_error(
            ArticleError("E010", stage=f"read ({fmt})", detail=f"{type(e).__name__}: {e}"),
            path=spath,
        )


def sniff(path: Path) -> str | None:
    """``"feed"`` or ``"warc"`` when the file's first bytes (decompressed for ``.gz``) are
    those of an RSS/Atom document or a WARC record; ``None`` otherwise or when unreadable."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(SNIFF_BYTES)
            if head[:2] == b"\x1f\x8b":
                fh.seek(0)
                with gzip.open(fh, "rb") as gz:
                    head = gz.read(SNIFF_BYTES)
    except (OSError, EOFError, zlib.error):
        return None
    if warc_reader.sniff(head):
        return "warc"
    if feed_reader.sniff(head):
        return "feed"
    return None


def _open_stream(path: Path, compressed: bool, cfg: dict) -> io.BufferedIOBase:
    if compressed:
        return gzip.open(path, "rb")  # type: ignore[return-value]
    return open(path, "rb")


def _read_bytes(path: Path, compressed: bool, cfg: dict) -> bytes:
    limit = int(cfg["max_file_bytes"])
    if not compressed:
        size = path.stat().st_size
        if size > limit:
            raise ArticleError(
                "E006", size=size, unit="bytes", limit=limit, setting="max_file_bytes"
            )
        return path.read_bytes()
    with gzip.open(path, "rb") as fh:
        data = fh.read(limit + 1)
    if len(data) > limit:
        raise ArticleError(
            "E006",
            size=len(data),
            unit="bytes (at least, decompressed)",
            limit=limit,
            setting="max_file_bytes",
        )
    return data
