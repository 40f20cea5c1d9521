"""JSON Lines (one article per line) and JSON (an object or a list of objects).

Field names accepted (first found wins): text ``text``/``body``/``content``; ``title``;
date ``date``/``published``/``published_at``; outlet ``source``/``outlet``/``site``;
``url``/``link``; ``author``; ``id``.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from typing import Any

from marsad.core.article import Article
from marsad.core.errors import ArticleError, ErrorRecord
from marsad.core.settings import Settings
from marsad.readers.base import check_language, make_article
from marsad.readers.encoding import decode

FIELDS = {
    "text": ("text", "body", "content", "article", "maintext"),
    "title": ("title", "headline"),
    "published": ("date", "published", "published_at", "pubdate", "date_publish"),
    "outlet": ("source", "outlet", "site", "sitename", "source_domain"),
    "url": ("url", "link"),
    "author": ("author", "authors", "byline"),
    "id": ("id", "_id", "doc_id", "article_id"),
}


def _first(rec: dict[str, Any], names: tuple[str, ...]) -> Any:
    for n in names:
        v = rec.get(n)
        if v not in (None, "", []):
            return v
    return None


def record_to_article(
    rec: Any, path: str, stem: str, n: int, encoding: str, settings: Settings
) -> Article:
    if not isinstance(rec, dict):
        raise ArticleError("E007", detail=f"expected an object, got {type(rec).__name__}")
    text = _first(rec, FIELDS["text"])
    if text is None:
        raise ArticleError("E007", detail="no 'text', 'body' or 'content' field")
    if not isinstance(text, str):
        raise ArticleError("E007", detail="the text field is not a string")
    rid = _first(rec, FIELDS["id"])
    author = _first(rec, FIELDS["author"])
    if isinstance(author, list):
        author = "، ".join(map(str, author))
    art = make_article(
        text,
        id=str(rid) if rid is not None else None,
        path=path,
        settings=settings,
        title=_str(_first(rec, FIELDS["title"])),
        published=_str(_first(rec, FIELDS["published"])),
        outlet=_str(_first(rec, FIELDS["outlet"])),
        url=_str(_first(rec, FIELDS["url"])),
        author=_str(author),
        encoding=encoding,
    )
    check_language(art, settings, in_archive=False)
    return art


def _str(v: Any) -> str | None:
    return None if v is None else str(v)


def read_records(
    stream: io.BufferedIOBase, path: str, stem: str, settings: Settings, whole_json: bool = False
) -> Iterator[Article | ErrorRecord]:
    """Yield one article per record. A broken record is an error record; the rest go on."""
    max_line = int(settings["read"]["max_file_bytes"])
    if whole_json:
        data = stream.read(max_line + 1)
        if len(data) > max_line:
            # Too large to load as one document: it may still be JSON Lines with a .json name.
            stream.seek(0) if stream.seekable() else None
        else:
            text, encoding = decode(data)
            try:
                doc = json.loads(text)
            except json.JSONDecodeError:
                doc = None  # maybe JSON Lines saved as .json
            if doc is not None:
                records = doc if isinstance(doc, list) else [doc]
                for n, rec in enumerate(records, 1):
                    try:
                        yield record_to_article(rec, path, stem, n, encoding, settings)
                    except ArticleError as e:
                        yield ErrorRecord.from_error(e, path=path, record=n, doc=_rid(rec))
                return
            stream = io.BytesIO(data)
    encoding = "utf-8"
    for n, line in enumerate(_lines(stream, max_line), 1):
        if isinstance(line, ArticleError):
            yield ErrorRecord.from_error(line, path=path, record=n)
            continue
        if not line.strip():
            continue
        try:
            text, encoding = decode(line)
            rec = json.loads(text)
        except ArticleError as e:
            yield ErrorRecord.from_error(e, path=path, record=n)
            continue
        except json.JSONDecodeError as e:
            yield ErrorRecord.from_error(
                ArticleError("E007", detail=f"line {n}: {e.msg} at column {e.colno}"),
                path=path,
                record=n,
            )
            continue
        try:
            yield record_to_article(rec, path, stem, n, encoding, settings)
        except ArticleError as e:
            yield ErrorRecord.from_error(e, path=path, record=n, doc=_rid(rec))


def _rid(rec: Any) -> str | None:
    if isinstance(rec, dict):
        v = _first(rec, FIELDS["id"])
        return None if v is None else str(v)
    return None


def _lines(stream: io.BufferedIOBase, max_line: int) -> Iterator[bytes | ArticleError]:
    """Lines of at most ``max_line`` bytes; a longer line is skipped with an error."""
    while True:
        line = stream.readline(max_line + 1)
        if not line:
            return
        if len(line) > max_line and not line.endswith(b"\n"):
            # drain the rest of the over-long line
            while True:
                rest = stream.readline(1 << 20)
                if not rest or rest.endswith(b"\n"):
                    break
            yield ArticleError(
                "E006",
                size=max_line,
                unit="bytes or more in one line",
                limit=max_line,
                setting="max_file_bytes",
            )
            continue
        yield line
