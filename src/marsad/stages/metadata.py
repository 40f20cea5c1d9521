"""Metadata from the text itself, when the input did not give it.

- headline: the ``title`` block;
- publication date: the first ``dateline`` block that parses as a full date (a weekday, day,
  month name — Gregorian, Levantine or Maghrebi — and year, or a numeric ``dd/mm/yyyy`` or
  ``yyyy-mm-dd``);
- outlet: a masthead line above the headline.

Values given by the input (a JSON record, an HTML page's metadata) are never overwritten.
"""

from __future__ import annotations

import json
import re
from datetime import date
from functools import lru_cache
from importlib import resources

from marsad.core.article import Article
from marsad.core.protocols import Stage
from marsad.core.settings import Settings
from marsad.text.normalize import normalize_text

_NUM_YMD = re.compile(r"\b((?:19|20)\d{2})[/.\-](\d{1,2})[/.\-](\d{1,2})\b")
_NUM_DMY = re.compile(r"\b(\d{1,2})[/.\-](\d{1,2})[/.\-]((?:19|20)\d{2})\b")
_WORDS = re.compile(r"[^\W_]+")


@lru_cache(maxsize=1)
def _months() -> dict[str, int]:
    cal = json.loads(
        resources.files("marsad.resources.ar").joinpath("calendar.json").read_text("utf-8")
    )
    months: dict[str, int] = {}
    for table in ("gregorian_msa", "levantine", "maghrebi", "english_months"):
        months.update(cal[table])
    return months


def parse_dateline(line: str) -> date | None:
    """Parse a Gregorian date written on a dateline; None when there is no full date."""
    norm = normalize_text(line).lower()
    m = _NUM_YMD.search(norm)
    if m:
        return _safe(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    m = _NUM_DMY.search(norm)
    if m:
        return _safe(int(m.group(3)), int(m.group(2)), int(m.group(1)))
    words = _WORDS.findall(norm)
    months = _months()
    for i, w in enumerate(words):
        month = None
        width = 1
        if i + 1 < len(words) and f"{w} {words[i + 1]}" in months:
            month, width = months[f"{w} {words[i + 1]}"], 2
        elif w in months:
            month = months[w]
        elif w[:3] in months and w.isascii() and len(w) >= 3:
            month = months[w[:3]]
        if month is None:
            continue
        # "أيار/مايو": a second name for the same month may follow the first
        if i + width < len(words) and words[i + width] in months:
            width += 1
        day = words[i - 1] if i > 0 and words[i - 1].isdigit() else None
        year = words[i + width] if i + width < len(words) and words[i + width].isdigit() else None
        if day and year and len(year) == 4:
            return _safe(int(year), month, int(day))
    return None


def _safe(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def metadata_stage(article: Article, settings: Settings) -> Article:
    meta = article.meta
    text = article.text
    if not meta.title:
        for b in article.blocks:
            if b.kind == "title":
                meta.title = text[b.start : b.end]
                meta.sources["title"] = "text"
                break
    if meta.published is None or meta.sources.get("published") == "capture":
        # (a WARC capture date only stands in until the text gives the publication date)
        for b in article.blocks:
            if b.kind == "dateline":
                d = parse_dateline(text[b.start : b.end])
                if d is not None:
                    meta.published = d
                    meta.sources["published"] = "text"
                    break
    if not meta.outlet:
        for b in article.blocks:
            if b.kind == "title":
                break
            if b.reason == "masthead":
                # "جريدة الضفاف - يومية سياسية مستقلة": the name, without the tagline
                name = re.split(r"\s+[-–—|]\s+", text[b.start : b.end])[0]
                meta.outlet = name.strip(" |-–—:")
                meta.sources["outlet"] = "text"
                break
    return article


STAGE = Stage(
    "metadata", metadata_stage, requires=("blocks",), assigns=("title", "published", "outlet")
)
