"""What every reader shares: building an Article with its checks, and metadata field parsing."""

from __future__ import annotations

import re
from datetime import date, datetime
from email.utils import parsedate_to_datetime

from marsad.article import Article, content_hash
from marsad.errors import ArticleError
from marsad.settings import Settings


def make_article(
    text: str, *, id: str | None, path: str | None, settings: Settings, **meta
) -> Article:
    """Build an Article after the checks every reader shares (empty, too large).

    ``id`` falls back to the content hash. Metadata given by the input is recorded with
    source ``"record"`` (or ``"html"`` when the HTML reader found it).
    """
    if not text.strip():
        raise ArticleError("E005")
    limit = int(settings["read"]["max_article_chars"])
    if len(text) > limit:
        raise ArticleError(
            "E006", size=len(text), unit="characters", limit=limit, setting="max_article_chars"
        )
    source = meta.pop("_source", "record")
    art = Article(text=text, id=id or content_hash(text)[:16], path=path)
    for key, value in meta.items():
        if value is None or value == "":
            continue
        if key == "published" and not isinstance(value, date):
            value = parse_published(str(value))
            if value is None:
                continue
        setattr(art.meta, key, value)
        if key != "encoding":
            art.meta.sources[key] = source
    return art


_DMY = re.compile(r"^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})")


def parse_published(value: str) -> date | None:
    """Parse the date forms seen in feeds and exports: ISO 8601, RFC 2822, dd/mm/yyyy."""
    value = value.strip()
    if not value:
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).date()
    except ValueError:
        pass
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        pass
    try:
        return parsedate_to_datetime(value).date()
    except (TypeError, ValueError, IndexError):
        pass
    m = _DMY.match(value)
    if m:
        try:
            return date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        except ValueError:
            return None
    return None
