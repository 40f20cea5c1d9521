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
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

from marsad.core.article import Article
from marsad.core.protocols import Stage
from marsad.core.settings import Settings
from marsad.text.normalize import normalize_text
from marsad.text.numbers import L, R, alternation, load_resource, number_words, parse_number

UNIT_ISO = {"D": "D", "W": "W", "M": "M", "Y": "Y", "H": "H", "MIN": "M", "S": "S"}
UNIT_ISO.update({"DE": "DE", "CE": "CE"})
TIME_UNITS = frozenset({"H", "MIN", "S"})


@dataclass(slots=True)
class TimeExpr:
    """One temporal expression: a span of the original text and its normalised value."""

    start: int
    end: int
    kind: str  # date | time | duration | set
    value: str | None
    resolved: bool
    reason: str | None = None
    #: The kind of block the expression is in (a dateline or a content block).
    block_kind: str = "body"

    def to_json(self, article: Article) -> dict[str, Any]:
        d: dict[str, Any] = {
            "start": self.start,
            "end": self.end,
            "text": article.text[self.start : self.end],
            "kind": self.kind,
            "value": self.value,
            "resolved": self.resolved,
        }
        if self.reason:
            d["reason"] = self.reason
        d["block_kind"] = self.block_kind
        return d


def _n(words) -> list[str]:
    return [normalize_text(w) for w in words]


@dataclass(frozen=True)
class Lexicon:
    months: dict[str, int]
    hijri: dict[str, int]
    ambiguous: frozenset[str]
    weekdays: dict[str, int]
    units: dict[str, tuple[str, str]]  # word -> (unit, form)
    past: frozenset[str]
    future: frozenset[str]
    current: frozenset[str]
    future_cues: frozenset[str]
    future_stop: frozenset[str]
    today_not: frozenset[str]
    edges: dict[str, str]
    seasons: dict[str, str]
    halves: dict[str, str]
    sets: dict[str, str]
    age_cues: frozenset[str]
    week_cues: frozenset[str]
    #: Words that can begin a temporal expression (after a proclitic): the regex is tried only
    #: at these words and at numbers, which is several times faster than searching everywhere.
    dispatch: dict[str, re.Pattern[str]]
    month_re: re.Pattern[str]
    hijri_re: re.Pattern[str]
    weekday_re: re.Pattern[str]
    unit_re: re.Pattern[str]
    num_re: re.Pattern[str]


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    cal = load_resource("calendar.json")
    tm = load_resource("temporal.json")
    months: dict[str, int] = {}
    for table in ("gregorian_msa", "levantine", "maghrebi"):
        months.update({normalize_text(k): v for k, v in cal[table].items()})
    hijri = {normalize_text(k): v for k, v in cal["hijri"].items()}
    weekdays = {normalize_text(k): v for k, v in cal["weekdays"].items()}
    units: dict[str, tuple[str, str]] = {}
    for unit, forms in tm["units"].items():
        for form, words in forms.items():
            for w in words:
                units[normalize_text(w)] = (unit, form)
    nw = number_words()
    mon = alternation(months)
    hmon = alternation(hijri)
    wd = alternation(weekdays)
    pod = alternation(tm["part_of_day"])
    past, future, current = (frozenset(_n(tm[k])) for k in ("past", "future", "current"))
    rel = alternation([*past, *future, "الجاري", "الحالي", "الحاليه", "الجاريه"])
    edges = {normalize_text(k): v for k, v in tm["period_edges"].items()}
    edge = alternation(edges)
    seasons = {normalize_text(k): v for k, v in tm["seasons"].items()}
    halves = {normalize_text(k): v for k, v in tm["halves"].items()}
    sets = {normalize_text(k): v for k, v in tm["sets"].items()}
    tz = alternation(tm["time_zones"])
    ampm = alternation(tm["time_of_day_after"])
    sing = alternation(w for w, (_, f) in units.items() if f == "singular")
    dual = alternation(w for w, (_, f) in units.items() if f == "dual")
    plur = alternation(w for w, (_, f) in units.items() if f == "plural")
    defpl = alternation(w for w, (_, f) in units.items() if f == "definite_plural")
    defdual = alternation("ال" + w for w, (_, f) in units.items() if f == "dual")
    anyunit = alternation(w for w, (_, f) in units.items() if f != "definite_plural")
    vague = alternation(tm["vague_counts"])
    cues = alternation(["لمده", "خلال", "طوال", "طيله", "مده"])
    num = nw.pattern
    year = r"(?:19|20)\d\d(?!\d)(?:\s?(?:م|ميلاديه)" + R + ")?"
    hyear = r"1[34]\d\d(?!\d)(?:\s?(?:ه|هجريه|للهجره)" + R + ")?"
    day = r"(?:[0-3]?\d)(?!\d)"
    monx = rf"(?:{mon}){R}(?:\s*[/(\-]\s*(?:{mon}){R}(?:\s*\))?|\s+(?:{mon}){R})?"
    wdpre = rf"(?:يوم\s+)?(?:(?:{wd}){R}\s+(?:الموافق\s+)?)?"
    yearword = r"(?:عام|العام|سنه|السنه)"
    alts = {
        "numdate": (
            rf"{wdpre}(?:\d{{1,2}}\s*(?P<sep>[/.\-])\s*\d{{1,2}}\s*(?P=sep)\s*(?:(?:19|20)\d\d|1[34]\d\d)(?!\d)"
            rf"(?:\s?(?:ه|م){R})?|(?:19|20)\d\d-\d{{1,2}}-\d{{1,2}}(?!\d))"
        ),
        "dayrange": (
            rf"(?P<drd>{day})\s*(?:و|الي|حتي|-)\s*(?P<drt>{day}\s+(?:من\s+)?(?:(?:شهر|الشهر)\s+)?"
            rf"(?:{monx}(?:\s*,?\s*{year})?|(?:الجاري|الحالي){R}))"
        ),
        "hijri": rf"{wdpre}(?:ال\s?)?{day}\s+(?:من\s+)?(?:شهر\s+)?(?:{hmon}){R}(?:\s+{hyear})?",
        "greg": (
            rf"{wdpre}(?:ال\s?)?{day}\s+(?:من\s+)?(?:شهر\s+)?{monx}"
            rf"(?:\s*,?\s*(?:من\s+)?(?:{yearword}\s+)?{year}"
            rf"|\s+(?:من\s+)?(?:العام|السنه){R}\s+(?:{rel}){R}|\s+(?:{rel}){R})?"
        ),
        "curday": rf"{day}\s+(?:من\s+)?(?:الشهر\s+)?(?:الجاري|الحالي){R}",
        "half": (
            rf"(?:{alternation(halves)}){R}(?:\s+(?:من|في)\s+|\s+)?(?:لل|ل)?(?:عام|العام|السنه)"
            rf"{R}(?:\s+{year})?(?:\s+(?:{rel}){R})?"
        ),
        "edge": (
            rf"(?:{edge}){R}\s+(?:(?:من\s+)?(?:شهر\s+)?{monx}(?:\s+{year})?(?:\s+(?:{rel}){R})?"
            rf"|(?:{yearword}|الشهر|الاسبوع|الموسم){R}"
            rf"(?:\s+{year})?(?:\s+(?:قبل\s+)?(?:{rel}){R})?(?:\s+{year})?|{year})"
        ),
        "monyear": rf"(?:شهر\s+)?{monx}\s*,?\s*{year}",
        "month": (
            rf"(?:شهر\s+)?{monx}(?:\s+(?:من\s+)?(?:العام|السنه){R}\s+(?:{rel}){R}"
            rf"|\s+(?:{rel}){R})?"
        ),
        "hmonth": rf"(?:شهر\s+)(?:{hmon}){R}(?:\s+{hyear}|\s+(?:{rel}){R})?",
        "relperiod": (
            rf"(?:(?:هذا|هذه)\s+(?:العام|السنه|الشهر|الاسبوع|الصيف|الشتاء|الربيع|الخريف){R}"
            rf"|(?:العام|السنه|الشهر|الاسبوع|الصيف|الشتاء|الربيع|الخريف){R}"
            rf"(?:\s+قبل)?\s+(?:{rel}){R}(?:\s+{year})?)"
        ),
        "hyear": rf"(?:(?:{yearword})\s+)?1[34]\d\d\s?(?:ه|هجريه|للهجره){R}",
        "bareweek": rf"الاسبوع{R}(?!\s+(?:الثاني|الثالث|الرابع|الاول|الاخير|علي\s+التوالي|قبل|من|ال))",
        "year": rf"(?:{yearword})\s+(?:1[3-9]\d\d|20\d\d)(?!\d)(?:\s?(?:م|ميلاديه){R})?|{year}",
        "time": (
            rf"(?:الساعه\s+\d{{1,2}}[:.,]\d\d|\d{{1,2}}:\d\d|\d{{1,2}}[.,]\d\d(?=\s*(?:{ampm}|{tz}){R}))"
            rf"(?!\d)(?:\s*(?:{ampm}|{tz}){R})?"
            rf"(?:\s+(?:من\s+)?(?:{pod}){R}\s+(?:هذا\s+)?(?:اليوم|امس|غد|غدا){R}(?:\s+(?:{wd}){R})?)?"
            rf"|الساعه\s+\d{{1,2}}(?!\d)(?:\s*(?:{ampm}|{tz}){R})?"
            rf"|\d{{1,2}}(?!\d)\s*(?:صباحا|مساء|مساءا|ظهرا|عصرا|ليلا|فجرا){R}"
            rf"(?!\s+(?:{wd}|اليوم|امس|الغد|غد|غدا){R})"
        ),
        "relday": (
            rf"(?:(?:{pod}){R}\s+)?(?:اول\s+(?:من\s+)?امس|بعد\s+غدا?|امس|الامس|البارحه|اليوم|غدا|الغد|"
            rf"هذا\s+اليوم|منذ\s+(?:صباح\s+اليوم|الصباح)){R}(?:\s+(?:{wd}){R})?"
        ),
        "weekday": (rf"(?:(?:يوم|يومي|ليله|{pod}){R}\s+)?(?:{wd}){R}(?:\s+(?:{rel}){R})?"),
        "offset": (
            rf"(?:قبل|بعد)\s+(?:(?:اكثر|اقل)\s+من\s+|نحو\s+|حوالي\s+)?(?:{num}\s*(?:{anyunit})|(?:{dual})|(?:{sing})|(?:{plur})){R}"
        ),
        "since": rf"منذ\s+(?P<since_d>(?:{num}\s*(?:{anyunit})|(?:{dual})|(?:{plur})){R})",
        "cued": rf"(?:{cues})\s+(?P<cued_d>(?:{sing}|{dual}){R})",
        "durrange": (
            rf"(?:{dual}|{num}\s*(?:{anyunit})){R}\s+(?:(?:او|الي|حتي)\s+)?[ول]?"
            rf"(?P<dr2>{num})(?!\s*(?:{anyunit}|\d))"
        ),
        "durrev": (
            rf"(?P<dr1>\d+|{num})(?:\s+(?:او|الي|حتي|و)|\s*[-–])\s*(?P<dr3>{num}\s*(?:{anyunit}){R})"
        ),
        "timerange": (
            rf"(?<=من\s)\d{{1,2}}(?:[.:]\d\d)?(?=\s+(?:الي|حتي)\s+\d{{1,2}}(?:[.:]\d\d)?\s*"
            rf"(?:{ampm}){R})"
        ),
        "duration": (
            rf"(?:{vague})\s+(?:{plur}){R}|{num}\s*(?:{anyunit}){R}|(?:{dual}){R}"
            rf"|(?:{defdual}){R}(?:\s+(?:الماضيين|الماضيتين|الاخيرين|الاخيرتين|المقبلين|المقبلتين|القادمين)){R}"
            rf"|(?:{defpl}){R}(?:\s+(?:ال)?(?:{num}))?\s+(?:الماضيه|الماضي|الاخيره|المقبله|القادمه|الاولي){R}"
            rf"|(?:{plur}){R}"
        ),
        "set": rf"(?:{alternation(sets)}){R}",
    }
    # Which words can begin each alternative ("#" = a number). The pattern is tried only at
    # such words, and only with the alternatives that can begin there.
    first = lambda ws: {normalize_text(w).split()[0] for w in ws}  # noqa: E731
    numw = first([*nw.small, *nw.mult, *nw.dual, *nw.plural, *nw.vague])
    unitw = set(units)
    wds = set(weekdays)
    podw = first(tm["part_of_day"])
    monw = first(months)
    yearw = {"عام", "العام", "سنه", "السنه", "لعام", "للعام"}
    starts: dict[str, set[str]] = {
        "numdate": {"#", "يوم"} | wds,
        "dayrange": {"#"},
        "hijri": {"#", "يوم", "ال"} | wds,
        "greg": {"#", "يوم", "ال"} | wds,
        "curday": {"#"},
        "half": first(halves),
        "edge": first(edges),
        "monyear": monw | {"شهر"},
        "month": monw | {"شهر"},
        "hmonth": {"شهر"},
        "relperiod": {"هذا", "هذه", "العام", "السنه", "الشهر", "الاسبوع"} | set(seasons),
        "bareweek": {"الاسبوع"},
        "year": {"#"} | yearw,
        "hyear": {"#"} | yearw,
        "time": {"#", "الساعه"},
        "relday": podw
        | {"اول", "بعد", "امس", "البارحه", "اليوم", "غدا", "هذا", "الامس", "الغد", "منذ"},
        "weekday": {"يوم", "يومي", "ليله"} | podw | wds,
        "offset": {"قبل", "بعد"},
        "since": {"منذ"},
        "cued": {"لمده", "خلال", "طوال", "طيله", "مده"},
        "durrange": {"#"} | numw | unitw,
        "durrev": {"#"} | numw,
        "timerange": {"#"},
        "duration": {"#"} | numw | unitw | first(tm["vague_counts"]) | {"ال" + w for w in unitw},
        "set": first(sets),
    }
    by_word: dict[str, list[str]] = {}
    for name in alts:
        for w in starts[name]:
            by_word.setdefault(w, []).append(name)
    compiled: dict[tuple[str, ...], re.Pattern[str]] = {}
    dispatch: dict[str, re.Pattern[str]] = {}
    for w, names in by_word.items():
        key = tuple(names)
        if key not in compiled:
            sub = "|".join(f"(?P<{k}>{alts[k]})" for k in key)
            compiled[key] = re.compile(rf"{L}(?:[وف]?[بل](?=\S)|[وف](?=\S))?(?:{sub})")
        dispatch[w] = compiled[key]
    return Lexicon(
        dispatch=dispatch,
        months=months,
        hijri=hijri,
        ambiguous=frozenset(_n(cal["ambiguous_months"])),
        weekdays=weekdays,
        units=units,
        past=past,
        future=future,
        current=current,
        future_cues=frozenset(_n(tm["future_cues"])),
        future_stop=frozenset(_n(tm["future_prefix_stop"])),
        today_not=frozenset(_n(tm["today_not_followed_by"])),
        edges=edges,
        seasons=seasons,
        halves=halves,
        sets=sets,
        age_cues=frozenset(_n(tm["age_cues"])),
        week_cues=frozenset(_n(tm["week_cues"])),
        month_re=re.compile(rf"{L}(?:{mon}){R}"),
        hijri_re=re.compile(rf"{L}(?:{hmon}){R}"),
        weekday_re=re.compile(rf"{L}(?:{wd}){R}"),
        unit_re=re.compile(rf"(?:{anyunit}|{defpl}){R}"),
        num_re=re.compile(rf"(?<![^\W_])(?:ال)?(?P<x>{num})"),
    )


_DIGITS = re.compile(r"\d+")
_WORD = re.compile(r"[^\W\d_]+")
_NEXT_WORD = re.compile(r"\s*([^\W\d_]+|\d+|\S)")
_PREV_WORDS = re.compile(r"([^\W\d_]+)\W*$")


class Resolver:
    """Turns one regex match into a :class:`TimeExpr` (or None to drop it)."""

    def __init__(self, norm: str, published: date | None, lex: Lexicon):
        self.t = norm
        self.pub = published
        self.lex = lex

    # -- helpers -------------------------------------------------------------------------
    def rel_of(self, s: str) -> str | None:
        words = set(_WORD.findall(s))
        if words & self.lex.past:
            return "past"
        if words & self.lex.future:
            return "future"
        if words & self.lex.current:
            return "current"
        return None

    def prev_word(self, pos: int) -> str:
        m = _PREV_WORDS.search(self.t, max(0, pos - 30), pos)
        return m.group(1) if m else ""

    def next_word(self, pos: int) -> str:
        m = _NEXT_WORD.match(self.t, pos)
        return m.group(1) if m else ""

    def need_pub(self) -> tuple[str | None, bool, str | None]:
        return None, False, "relative expression without a known publication date"

    def future_context(self, start: int) -> bool:
        """A future marker in the words before ``start`` (same sentence, a few words)."""
        lo = max(0, start - 60)
        seg = self.t[lo:start]
        for stop in (".", "\n", "،", "؟"):
            k = seg.rfind(stop)
            if k >= 0:
                seg = seg[k + 1 :]
        words = _WORD.findall(seg)[-6:]
        for w in words:
            if w in self.lex.future_cues or "مقرر" in w:
                return True
            core = w[1:] if w[:1] in "وف" and len(w) > 4 else w
            if (
                len(core) >= 4
                and core[0] == "س"
                and core[1] in "يتنا"
                and core not in self.lex.future_stop
                and w not in self.lex.future_stop
            ):
                return True
        return False

    # -- resolution by kind ----------------------------------------------------------------
    def resolve(self, kind: str, s: str, start: int, end: int, m: re.Match) -> tuple | None:
        """Return ``(start, end, kind, value, resolved, reason)`` or None."""
        fn = getattr(self, "r_" + kind)
        return fn(s, start, end, m)

    def _month_of(self, s: str) -> int | None:
        mm = self.lex.month_re.search(s)
        return self.lex.months[mm.group()] if mm else None

    def _year_of(self, s: str) -> int | None:
        for d in _DIGITS.findall(s):
            if len(d) == 4:
                return int(d)
        return None

    def _rel_year(self, month: int, rel: str | None) -> int | None:
        if self.pub is None:
            return None
        y = self.pub.year
        if rel == "past" and month >= self.pub.month:
            return y - 1 if month > self.pub.month else y
        if rel == "future" and month <= self.pub.month:
            return y + 1 if month < self.pub.month else y
        return y

    def r_numdate(self, s, start, end, m):
        nums = [int(x) for x in _DIGITS.findall(s)]
        if len(nums) < 3:
            return None
        if nums[0] >= 1000:
            y, mo, d = nums[0], nums[1], nums[2]
        else:
            d, mo, y = nums[-3], nums[-2], nums[-1]
        if y < 1600:
            return self._hijri(y, mo, d, start, end)
        try:
            return start, end, "date", date(y, mo, d).isoformat(), True, None
        except ValueError:
            return None

    def _hijri(self, y, mo, d, start, end):
        try:
            from hijridate import Hijri

            g = Hijri(y, mo, d).to_gregorian()
            return start, end, "date", date(g.year, g.month, g.day).isoformat(), True, None
        except Exception:
            return start, end, "date", None, False, "Hijri date out of the convertible range"

    def r_hijri(self, s, start, end, m):
        hm = self.lex.hijri_re.search(s)
        month = self.lex.hijri[hm.group()]
        nums = [int(x) for x in _DIGITS.findall(s)]
        day = nums[0] if nums else None
        year = next((n for n in nums[1:] if n > 1000), None)
        if day is None or not 1 <= day <= 30:
            return None
        if year is None:
            return start, end, "date", None, False, "Hijri date without a year"
        return self._hijri(year, month, day, start, end)

    def r_greg(self, s, start, end, m):
        month = self._month_of(s)
        nums = [int(x) for x in _DIGITS.findall(s)]
        day = next((n for n in nums if n <= 31), None)
        year = next((n for n in nums if n >= 1900), None)
        if month is None or day is None or not 1 <= day <= 31:
            return None
        if year is None and ("العام" in s or "السنه" in s):
            year = self._period_year(s)
        if year is None:
            rel = self.rel_of(s) or ("past" if self.prev_word(start) == "منذ" else None)
            year = self._rel_year(month, rel)
            if year is None:
                return (
                    start,
                    end,
                    "date",
                    f"XXXX-{month:02d}-{day:02d}",
                    False,
                    ("date without a year and no known publication date"),
                )
        try:
            return start, end, "date", date(year, month, day).isoformat(), True, None
        except ValueError:
            return None

    def r_curday(self, s, start, end, m):
        if self.pub is None:
            return (start, end, "date", None, False, *self.need_pub()[2:])
        d = int(_DIGITS.search(s).group())
        try:
            return start, end, "date", self.pub.replace(day=d).isoformat(), True, None
        except ValueError:
            return None

    def r_half(self, s, start, end, m):
        hw = " ".join(_WORD.findall(s)[:2])
        key = hw if hw in self.lex.halves else None
        if key is None:
            return None
        part = self.lex.halves[key]
        y = self._year_of(s) or self._period_year(s)
        if y is None:
            return (start, end, "date", None, False, *self.need_pub()[2:])
        return start, end, "date", f"{y}-{part}", True, None

    def _period_year(self, s: str) -> int | None:
        if self.pub is None:
            return None
        rel = self.rel_of(s)
        back = 2 if "قبل" in s.split() else 1
        if rel == "past":
            return self.pub.year - back
        if rel == "future":
            return self.pub.year + 1
        return self.pub.year

    def r_edge(self, s, start, end, m):
        words = _WORD.findall(s)
        if self._month_of(s) is not None:
            return self.r_month(s, start, end, m, edge=True)
        y = self._year_of(s)
        if any(w in ("الشهر", "شهر") for w in words):
            return self._rel_month(s, start, end)
        if "الاسبوع" in words:
            return self._rel_week(s, start, end)
        if "الموسم" in words and y is None:
            return None
        if y is None:
            if "عام" in words and not self.rel_of(s):
                return None  # "نهاية عام" without a year: not a date on its own
            y = self._period_year(s)
            if y is None:
                return (start, end, "date", None, False, *self.need_pub()[2:])
        return start, end, "date", str(y), True, None

    def r_monyear(self, s, start, end, m):
        month = self._month_of(s)
        y = self._year_of(s)
        if month is None or y is None:
            return None
        return start, end, "date", f"{y}-{month:02d}", True, None

    def r_month(self, s, start, end, m, edge: bool = False):
        mm = self.lex.month_re.search(s)
        if mm is None:
            return None
        name = mm.group()
        month = self.lex.months[name]
        rel = self.rel_of(s)
        if rel is None and self.prev_word(start) == "منذ":
            rel = "past"
        supported = (
            edge
            or rel is not None
            or s.startswith("شهر")
            or len(self.lex.month_re.findall(s)) > 1
            or self._year_of(s) is not None
        )
        if not supported and name in self.lex.ambiguous:
            return None  # مارس "practised", آب "father", نيسان the carmaker
        y = self._year_of(s)
        if y is None and ("العام" in s or "السنه" in s):
            y = self._period_year(s)
        if y is None:
            y = self._rel_year(month, rel)
        if y is None:
            return start, end, "date", f"XXXX-{month:02d}", False, self.need_pub()[2]
        return start, end, "date", f"{y}-{month:02d}", True, None

    def r_hmonth(self, s, start, end, m):
        return start, end, "date", None, False, "Hijri month without a day"

    def _rel_month(self, s, start, end):
        if self.pub is None:
            return (start, end, "date", None, False, *self.need_pub()[2:])
        rel = self.rel_of(s)
        y, mo = self.pub.year, self.pub.month
        if rel == "past":
            mo -= 2 if "قبل" in s.split() else 1
        elif rel == "future":
            mo += 1
        while mo < 1:
            y, mo = y - 1, mo + 12
        while mo > 12:
            y, mo = y + 1, mo - 12
        return start, end, "date", f"{y}-{mo:02d}", True, None

    def _rel_week(self, s, start, end):
        if self.pub is None:
            return (start, end, "date", None, False, *self.need_pub()[2:])
        rel = self.rel_of(s)
        d = self.pub
        if rel == "past":
            d -= timedelta(weeks=2 if "قبل" in s.split() else 1)
        elif rel == "future":
            d += timedelta(weeks=1)
        iy, iw, _ = d.isocalendar()
        return start, end, "date", f"{iy}-W{iw:02d}", True, None

    def r_bareweek(self, s, start, end, m):
        """``الأسبوع`` alone after a verb of ending/trading (أنهى المؤشر الأسبوع): this week."""
        words = _WORD.findall(self.t[max(0, start - 40) : start])[-3:]
        cues = self.lex.week_cues
        if not any(w in cues or (w[:1] in "وف" and w[1:] in cues) for w in words):
            return None
        return self._rel_week(s, start, end)

    def r_relperiod(self, s, start, end, m):
        words = _WORD.findall(s)
        if "الشهر" in words:
            return self._rel_month(s, start, end)
        if "الاسبوع" in words:
            return self._rel_week(s, start, end)
        season = next((self.lex.seasons[w] for w in words if w in self.lex.seasons), None)
        y = self._period_year(s)
        if y is None:
            return (start, end, "date", None, False, *self.need_pub()[2:])
        if season:
            y = self._season_year(season, s)
            return start, end, "date", f"{y}-{season}", True, None
        return start, end, "date", str(y), True, None

    def _season_year(self, season: str, s: str) -> int:
        """The year of a season named relative to the publication date."""
        assert self.pub is not None
        first = {"SP": 3, "SU": 6, "FA": 9, "WI": 12}[season]
        last = {"SP": 5, "SU": 8, "FA": 11, "WI": 14}[season]
        rel = self.rel_of(s)
        y, mo = self.pub.year, self.pub.month
        if rel == "future":
            return y if mo < first else y + 1
        if rel == "past":
            return y if mo > last else y - 1
        return y

    def r_year(self, s, start, end, m):
        y = self._year_of(s)
        has_head = not s[0].isdigit()
        if has_head and y is not None and 1300 <= y < 1500:
            return start, end, "date", None, False, "probably a Hijri year (no Gregorian value)"
        if y is None or not (1900 <= y <= 2099 or (has_head and 1500 <= y <= 2099)):
            return None
        if not has_head:
            # a bare number that looks like a year: not when it counts or measures something
            prev = self.t[max(0, start - 2) : start]
            if re.search(r"[\d.,:/]\s?$", prev):
                return None
            nxt = self.next_word(end)
            if nxt in _not_year_after() or nxt.startswith(("دولار", "ريال", "شخص", "مليون")):
                return None
            if self.t[end : end + 1] in "%.,:/" and self.t[end : end + 2][1:2].isdigit():
                return None
        return start, end, "date", str(y), True, None

    def r_hyear(self, s, start, end, m):
        return start, end, "date", None, False, "Hijri year (no Gregorian equivalent as one value)"

    def r_time(self, s, start, end, m):
        if re.search(r"[\d]\s*[-–]\s*$", self.t[max(0, start - 6) : start]):
            return None  # a score ("2 - 2 مساء السبت"), not a clock time
        nums = [int(x) for x in _DIGITS.findall(s)]
        if not nums:
            return None
        hh = nums[0]
        mm = nums[1] if len(nums) > 1 and re.search(r"\d[:.,]\d", s) else 0
        if hh > 24 or mm > 59:
            return None
        words = set(_WORD.findall(s))
        pm = words & {"مساء", "مساءا", "ظهرا", "عصرا", "ليلا", "عصر", "ظهر", "ليل"}
        if pm and hh < 12 and not (words & {"ليلا", "ليل"} and hh < 5):
            if not (hh == 12):
                hh += 12
        if "م" in words and "ت" not in words and hh < 12:
            hh += 12
        clock = f"T{hh:02d}:{mm:02d}"
        day = None
        if self.pub is not None:
            if words & {"امس"}:
                day = self.pub - timedelta(days=1)
            elif words & {"غدا", "غد"}:
                day = self.pub + timedelta(days=1)
            elif words & {"اليوم"} or self.block_kind == "dateline" or words & {"ت"}:
                day = self.pub
        if day is not None:
            return start, end, "time", day.isoformat() + clock, True, None
        return start, end, "time", clock, True, None

    def r_relday(self, s, start, end, m):
        words = _WORD.findall(s)
        if words[-1] == "اليوم" or (words[0] == "اليوم" and len(words) == 1):
            nxt = self.next_word(end)
            if nxt in self.lex.today_not:
                return None
        if self.pub is None:
            return (start, end, "date", None, False, *self.need_pub()[2:])
        if "اول" in words:
            off = -2
        elif "بعد" in words:
            off = 2
        elif "امس" in words or "البارحه" in words or "الامس" in words:
            off = -1
        elif "غدا" in words or "غد" in words or "الغد" in words:
            off = 1
        else:
            off = 0
        return start, end, "date", (self.pub + timedelta(days=off)).isoformat(), True, None

    def r_weekday(self, s, start, end, m):
        wm = self.lex.weekday_re.search(s)
        if wm is None:
            return None
        wd = self.lex.weekdays[wm.group()]
        if self.pub is None:
            return (start, end, "date", None, False, *self.need_pub()[2:])
        rel = self.rel_of(s[wm.end() :])
        pub_wd = self.pub.isoweekday()
        if rel is None and self.prev_word(start) in ("هذا", "وهذا"):
            rel = "future"  # هذا الأحد: the coming one
        if rel == "future" or (rel is None and self.future_context(start)):
            delta = (wd - pub_wd) % 7 or 7
            d = self.pub + timedelta(days=delta)
        elif rel == "past":
            delta = (pub_wd - wd) % 7 or 7
            d = self.pub - timedelta(days=delta)
        else:
            d = self.pub - timedelta(days=(pub_wd - wd) % 7)
        return start, end, "date", d.isoformat(), True, None

    def _count_unit(self, s: str) -> tuple[float | None, str | None, bool]:
        """(count, unit letter, vague) of a duration phrase."""
        words = _WORD.findall(s)
        unit = None
        form = None
        for w in words:
            if w in self.lex.units:
                unit, form = self.lex.units[w]
                break
            if w.startswith("ال") and self.lex.units.get(w[2:], ("", ""))[1] == "dual":
                unit, form = self.lex.units[w[2:]]
                break
        if unit is None:
            um = self.lex.unit_re.search(s)
            if um is None:
                return None, None, True
            unit, form = self.lex.units[um.group()]
        if form == "dual":
            return 2, unit, False
        nm = self.lex.num_re.search(s)
        if nm is not None:
            v = parse_number(nm.group("x"))
            return v, unit, v is None
        if form == "singular":
            return 1, unit, False
        return None, unit, True

    def _duration_value(self, n: float | None, unit: str) -> str:
        letter = UNIT_ISO[unit]
        t = "T" if unit in TIME_UNITS else ""
        if n is None:
            return f"P{t}X{letter}"
        k = int(n) if float(n).is_integer() else n
        return f"P{t}{k}{letter}"

    def _is_age(self, start: int, unit: str | None, end: int = -1) -> bool:
        if unit != "Y":
            return False
        if self.t[max(0, start - 3) : start].rstrip().endswith("(") and self.t[
            end : end + 3
        ].lstrip().startswith(")"):
            return True
        before = _WORD.findall(self.t[max(0, start - 40) : start])[-3:]
        return any(w in self.lex.age_cues for w in before)

    def r_duration(self, s, start, end, m):
        n, unit, vague = self._count_unit(s)
        if unit is None:
            return None
        words = _WORD.findall(s)
        first = words[0] if words else ""
        if first in self.lex.units and self.lex.units[first][1] == "plural" and len(words) == 1:
            if unit in ("DE", "CE"):
                return None  # عقود is also "contracts"
            # a bare plural: not when it heads a construct (أيام الأسبوع) or is a number's noun
            if self.next_word(end).startswith("ال"):
                return None
        if self._is_age(start, unit, end) and not vague:
            return None
        nm = self.lex.num_re.match(s)
        if nm is not None and nm.group("x").strip() in ("عشر", "احد", "احدي", "ست"):
            return None  # ordinal tails (التاسع عشر قرنا) and words that are rarely numbers
        return start, end, "duration", self._duration_value(None if vague else n, unit), True, None

    def r_cued(self, s, start, end, m):
        a, b = m.span("cued_d")
        return self.r_duration(self.t[a:b], a, b, m)

    def r_since(self, s, start, end, m):
        a, b = m.span("since_d")
        return self.r_duration(self.t[a:b], a, b, m)

    def r_offset(self, s, start, end, m):
        nxt = self.next_word(end)
        words = _WORD.findall(s)
        rest = s[len(words[0]) :].lstrip()
        a = end - len(rest)
        if nxt in ("من", "علي", "علی"):
            return self.r_duration(rest, a, end, m)
        n, unit, vague = self._count_unit(rest)
        if unit is None:
            return None
        if vague or n is None:
            return start, end, "date", None, False, "vague offset from the publication date"
        if self.pub is None:
            return (start, end, "date", None, False, *self.need_pub()[2:])
        sign = -1 if words[0] == "قبل" else 1
        k = int(n * sign)
        if unit == "D":
            return start, end, "date", (self.pub + timedelta(days=k)).isoformat(), True, None
        if unit == "W":
            return start, end, "date", (self.pub + timedelta(weeks=k)).isoformat(), True, None
        if unit == "M":
            y, mo = self.pub.year, self.pub.month + k
            while mo < 1:
                y, mo = y - 1, mo + 12
            while mo > 12:
                y, mo = y + 1, mo - 12
            return start, end, "date", f"{y}-{mo:02d}", True, None
        if unit == "Y":
            if abs(k) > 3000:
                return start, end, "date", None, False, "too far in the past for a calendar year"
            return start, end, "date", str(self.pub.year + k), True, None
        return self.r_duration(rest, a, end, m)

    def r_durrange(self, s, start, end, m):
        a, b = m.span("dr2")
        first_end = a
        while first_end > start and not self.t[first_end - 1].isspace():
            first_end -= 1
        first_end = len(self.t[start:first_end].rstrip()) + start
        words = self.t[start:first_end].split()
        if words and words[-1] in ("او", "الي", "حتي"):
            first_end = start + len(" ".join(self.t[start:first_end].split()[:-1]))
            first_end = start + len(self.t[start:first_end].rstrip())
        r1 = self.r_duration(self.t[start:first_end], start, first_end, m)
        if r1 is None:
            return None
        _, unit, _ = self._count_unit(self.t[start:first_end])
        v2 = parse_number(self.t[a:b])
        if v2 is None or unit is None:
            return r1
        return [r1, (a, b, "duration", self._duration_value(v2, unit), True, None)]

    def r_durrev(self, s, start, end, m):
        a, b = m.span("dr1")
        c, d = m.span("dr3")
        r2 = self.r_duration(self.t[c:d], c, d, m)
        if r2 is None:
            return None
        _, unit, _ = self._count_unit(self.t[c:d])
        v1 = parse_number(self.t[a:b])
        if v1 is None or unit is None:
            return r2
        return [(a, b, "duration", self._duration_value(v1, unit), True, None), r2]

    def r_timerange(self, s, start, end, m):
        nums = [int(x) for x in _DIGITS.findall(s)]
        hh = nums[0]
        mm = nums[1] if len(nums) > 1 else 0
        after = self.t[end : end + 40]
        pm = re.search(r"(مساء|ظهرا|عصرا|ليلا)", after)
        if pm and hh < 12:
            hh += 12
        if hh > 24 or mm > 59:
            return None
        return start, end, "time", f"T{hh:02d}:{mm:02d}", True, None

    def r_dayrange(self, s, start, end, m):
        a, b = m.span("drd")
        c, d = m.span("drt")
        tail = self.t[c:d]
        r2 = self.r_greg(tail, c, d, m) if self._month_of(tail) else self.r_curday(tail, c, d, m)
        if r2 is None:
            return None
        v = r2[3]
        day = int(self.t[a:b])
        v1 = None
        if v and len(v) == 10:
            try:
                v1 = date.fromisoformat(v).replace(day=day).isoformat()
            except ValueError:
                return [r2]
        return [(a, b, "date", v1, v1 is not None, None if v1 else r2[5]), r2]

    def r_set(self, s, start, end, m):
        key = " ".join(_WORD.findall(s))
        return start, end, "set", self.lex.sets.get(key, "P1D"), True, None


@lru_cache(maxsize=1)
def _not_year_after() -> frozenset[str]:
    fig = load_resource("figures.json")
    words = {normalize_text(w) for w in fig["currencies"]}
    words |= {"الف", "مليون", "مليار", "شخص", "شخصا", "طالب", "متر", "كيلومتر", "دولار"}
    return frozenset(words)


def extract_dates(article: Article, kinds: frozenset[str] | None = None) -> list[TimeExpr]:
    """All temporal expressions in the article's content (and dateline) blocks."""
    lex = lexicon()
    norm = article.norm
    t = norm.text
    allowed = kinds if kinds is not None else _DEFAULT_KINDS
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


_DEFAULT_KINDS = frozenset({"title", "body", "subheading", "dateline"})


def dates_stage(article: Article, settings: Settings) -> Article:
    conf = settings.get("dates", {}) if hasattr(settings, "get") else {}
    kinds = frozenset(conf.get("blocks", _DEFAULT_KINDS))
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
