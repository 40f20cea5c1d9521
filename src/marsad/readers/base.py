"""What every reader shares: building an Article with its checks, and metadata field parsing."""

from __future__ import annotations

import re
from datetime import date, datetime
from email.utils import parsedate_to_datetime

from marsad.core.article import Article, content_hash
from marsad.core.errors import ArticleError, UsageError
from marsad.core.settings import Settings
from marsad.text.language import detect


def make_article(
    text: str, *, id: str | None, path: str | None, settings: Settings, **meta
) -> Article:
    """Build an Article after the checks every reader shares (empty, too large).

    ``id`` falls back to the content hash. Metadata given by the input is recorded with
    source ``"record"`` (or ``"html"`` when the HTML reader found it).
    """
    text = no_surrogates(text)
    if not text.strip():
        raise ArticleError("E005")
    limit = int(settings["read"]["max_article_chars"])
    if len(text) > limit:
        raise ArticleError(
            "E006", size=len(text), unit="characters", limit=limit, setting="max_article_chars"
        )
    source = meta.pop("_source", "record")
    art = Article(
        text=text,
        id=no_surrogates(id) if id else content_hash(text)[:16],
        path=no_surrogates(path) if path else path,
    )
    for key, value in meta.items():
        if value is None or value == "":
            continue
        if isinstance(value, str):
            value = no_surrogates(value)
        if key == "published" and not isinstance(value, date):
            value = parse_published(str(value))
            if value is None:
                continue
        setattr(art.meta, key, value)
        if key != "encoding":
            art.meta.sources[key] = source
    return art


_SURROGATE = re.compile("[\ud800-\udfff]")


def no_surrogates(s: str) -> str:
    """Unpaired UTF-16 surrogates (a JSON ``"\\ud800"`` escape, a numeric character reference)
    are not characters and cannot be written as UTF-8: each becomes U+FFFD, as an undecodable
    byte would."""
    return _SURROGATE.sub("\ufffd", s) if _SURROGATE.search(s) else s


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


def check_language(art: Article, settings: Settings, in_archive: bool) -> None:
    """Raise E019 (a skip) when ``art`` is not Arabic and ``[read] skip_non_arabic`` says so:
    ``"archives"`` (the default) for entries of feeds and WARC archives only, ``"all"`` for
    every input, ``"never"`` to keep everything (the language stage then flags it)."""
    mode = settings["read"]["skip_non_arabic"]
    if mode not in ("archives", "all", "never"):
        raise UsageError(
            "E013", detail=f"[read] skip_non_arabic = {mode!r}: use 'archives', 'all' or 'never'"
        )
    if mode == "never" or (mode == "archives" and not in_archive):
        return
    cfg = settings["language"]
    lang = detect(art.text, cfg["sample_chars"], cfg["arabic_letter_ratio"])
    if lang != "ar":
        raise ArticleError("E019", language=lang)


def skip_empty(err: ArticleError, kind: str) -> ArticleError:
    """Inside a feed or an archive, an entry without text (E005, or an HTML page without main
    text, E008) is counted and skipped (E021) rather than failed."""
    if err.code in ("E005", "E008"):
        detail = err.context.get("detail") or "no text after decoding"
        return ArticleError("E021", kind=kind, detail=detail)
    return err
