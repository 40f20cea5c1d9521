"""Reading articles from files and folders, one at a time (a stream, never a whole corpus).

:func:`read` yields :class:`~marsad.article.Article` objects, or
:class:`~marsad.errors.ErrorRecord` for inputs that could not be read; one broken article
never stops the batch. Supported: ``.txt``, ``.html``/``.htm``, ``.jsonl``/``.json``,
``.gz`` of any of these, and folders (recursive, in sorted order).
"""

from __future__ import annotations

import gzip
import io
import logging
import os
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path

from marsad.article import Article
from marsad.errors import ArticleError, ErrorRecord
from marsad.readers import html as html_reader
from marsad.readers import jsonl as jsonl_reader
from marsad.readers import text as text_reader
from marsad.readers.base import make_article as make_article
from marsad.settings import Settings, load_settings

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
}

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
                    if fmt is None:
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
    if fmt is None:
        yield ErrorRecord.from_error(
            ArticleError("E002", suffix="".join(path.suffixes) or "(none)", path=spath), path=spath
        )
        return
    stem = path.name.split(".")[0]
    try:
        if fmt in ("jsonl", "json"):
            stream = _open_stream(path, compressed, cfg)
            with stream:
                yield from jsonl_reader.read_records(
                    stream, spath, stem, settings, whole_json=fmt == "json"
                )
            return
        data = _read_bytes(path, compressed, cfg)
        if fmt == "html":
            yield html_reader.read_html(data, spath, stem, settings)
        else:
            yield text_reader.read_text(data, spath, stem, settings)
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
