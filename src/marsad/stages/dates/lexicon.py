"""The temporal lexicon: words and precompiled patterns built from ``resources/ar/calendar.json``,
``temporal.json`` and ``numbers.json`` (and ``figures.json`` for the words after a number that is
not a year)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from marsad.text.normalize import normalize_text
from marsad.text.numbers import L, R, alternation, load_resource, number_words


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


@lru_cache(maxsize=1)
def _not_year_after() -> frozenset[str]:
    fig = load_resource("figures.json")
    words = {normalize_text(w) for w in fig["currencies"]}
    words |= {"الف", "مليون", "مليار", "شخص", "شخصا", "طالب", "متر", "كيلومتر", "دولار"}
    return frozenset(words)
