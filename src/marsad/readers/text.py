"""Plain-text files: one article per file, the file stem as its id."""

from __future__ import annotations

from marsad.core.article import Article
from marsad.core.settings import Settings
from marsad.readers.base import make_article
from marsad.readers.encoding import decode


def read_text(data: bytes, path: str | None, stem: str | None, settings: Settings) -> Article:
    text, encoding = decode(data, max_control_ratio=settings["read"]["max_control_ratio"])
    return make_article(text, id=stem, path=path, settings=settings, encoding=encoding)
