"""Temporal expressions: dates, times, durations and sets, resolved to ISO 8601 values.

Precompiled regular expressions (built from ``resources/ar/calendar.json``, ``temporal.json``
and ``numbers.json``) run over the normalised view of the article, tried only at the words that
can begin an expression and only with the alternatives that can begin with that word; each match
is then resolved by a small function for its kind of expression:

- absolute dates: ``26 يناير 2024``, Levantine ``14 آذار/مارس``, Maghrebi ``3 جوان``, Hijri
  ``25 شوال 1436 هـ`` (converted with hijridate), numeric ``26/01/2024``, ``2024-01-26``;
- years (``عام 2015``, ``2016``), months (``إبريل الماضي``), parts (``نهاية العام``,
  ``النصف الأول من عام 2015``, ``الصيف المقبل``);
- days relative to the publication date: ``أمس``, ``اليوم الأحد``, ``الجمعة الماضية``, a bare
  weekday (the last such day on or before publication, or the next one after a future marker),
  ``قبل أسبوع``, ``الشهر الماضي``, ``الأسبوع المقبل``, ``العام المقبل``;
- times (``الساعة 15,30``, ``09:15 مساءً``, ``11:40 ت م``), durations (``ثلاثة أشهر`` → ``P3M``,
  ``عدة أيام`` → ``PXD``) and sets (``شهريا`` → ``P1M``).

Relative expressions need ``article.meta.published``; without it they are reported with
``resolved: false`` and a ``reason``. Matches are reported with original offsets.

The package, by concern: ``items.py`` (:class:`TimeExpr`, the item), ``lexicon.py`` (the words
and precompiled patterns), ``resolver.py`` (:class:`Resolver`, one match to a value; relative
expressions) with its parts ``base.py`` (shared helpers), ``absolute.py`` (calendar dates, months,
years) and ``durations.py`` (times, durations, sets); here, the scan and the stage.
"""

from __future__ import annotations

import re
from bisect import bisect_right

from marsad.core.article import Article
from marsad.core.protocols import Stage
from marsad.core.settings import Settings, load_settings
from marsad.stages.dates.durations import TIME_UNITS, UNIT_ISO
from marsad.stages.dates.items import TimeExpr
from marsad.stages.dates.lexicon import Lexicon, lexicon
from marsad.stages.dates.resolver import Resolver

__all__ = [
    "STAGE",
    "TIME_UNITS",
    "UNIT_ISO",
    "Lexicon",
    "Resolver",
    "TimeExpr",
    "dates_stage",
    "extract_dates",
    "lexicon",
    "sentence_of",
]


def extract_dates(article: Article, kinds: frozenset[str] | None = None) -> list[TimeExpr]:
    """All temporal expressions in the article's content (and dateline) blocks."""
    lex = lexicon()
    norm = article.norm
    t = norm.text
    allowed = kinds if kinds is not None else frozenset(load_settings()["dates"]["blocks"])
    blocks = [(b.start, b.end, b.kind) for b in article.blocks if b.kind in allowed]
    if not article.blocks:
        blocks = [(0, len(article.text), "body")]
    res = Resolver(t, article.meta.published, lex)
    out: list[TimeExpr] = []
    for bs, be, bk in blocks:
        ns, ne = norm.to_normalized(bs, be)
        res.block_kind = bk
        for m in _candidates(lex, t, ns, ne):
            kind = m.lastgroup
            if kind is None:
                continue
            s0, e0 = m.span(kind)
            r = res.resolve(kind, t[s0:e0], s0, e0, m)
            if r is None:
                continue
            for s, e, k, value, ok, reason in r if isinstance(r, list) else [r]:
                os_, oe = norm.to_original(s, e)
                out.append(TimeExpr(os_, oe, k, value, ok, reason, bk))
    return out


_TOKEN = re.compile(r"[^\W_]+")


def _candidates(lex: Lexicon, t: str, start: int, end: int):
    """Non-overlapping matches, tried only at words that can begin an expression."""
    dispatch = lex.dispatch
    get = dispatch.get
    digit = dispatch["#"]
    last = start
    for w in _TOKEN.finditer(t, start, end):
        pos = w.start()
        if pos < last:
            continue
        word = w.group()
        if word[0].isdigit():
            pat = digit
        else:
            pat = get(word)
            if pat is None and word[0] in "وفبل" and len(word) > 1:
                pat = digit if word[1].isdigit() else get(word[1:])
                if pat is None and word[:2] in ("وب", "ول", "فب", "فل", "لل"):
                    pat = get(word[2:])
            if pat is None:
                continue
        m = pat.match(t, pos, end)
        if m is not None and m.end() > m.start():
            last = m.end()
            yield m


def dates_stage(article: Article, settings: Settings) -> Article:
    kinds = frozenset(settings["dates"]["blocks"])
    article.layers["dates"] = extract_dates(article, kinds)
    return article


def sentence_of(article: Article, offset: int) -> tuple[int, int] | None:
    """The sentence span containing ``offset`` (for the report's timeline)."""
    starts = [s.start for s in article.sentences]
    i = bisect_right(starts, offset) - 1
    if i >= 0 and article.sentences[i].start <= offset < article.sentences[i].end:
        return article.sentences[i].start, article.sentences[i].end
    return None


STAGE = Stage(
    "dates",
    dates_stage,
    requires=("blocks", "sentences", "tokens"),
    assigns=("dates",),
    uses=("published",),
)
