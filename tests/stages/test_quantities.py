"""Figures: digits, number words, multipliers, percentages, money, units, qualifiers.

All sentences are written for these tests (none is taken from the shared data).
"""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from marsad.core.settings import load_settings
from marsad.readers.base import make_article
from marsad.run.pipeline import Pipeline
from marsad.text.normalize import normalize_text
from marsad.text.numbers import parse_number

SETTINGS = load_settings()
PIPE = Pipeline(
    stages=["blocks", "metadata", "sentences", "tokens", "dates", "quantities"], settings=SETTINGS
)


def figures(text: str) -> list[dict]:
    art = make_article(text, id="t", path=None, settings=SETTINGS)
    art.meta.published = date(2024, 1, 25)
    art = PIPE(art)
    out = [q.to_json(art) for q in art.layers["quantities"]]
    for q in out:
        assert art.text[q["start"] : q["end"]] == q["text"]
        if q["unit"] is not None:
            assert art.text[q["unit_start"] : q["unit_end"]] == q["unit"]
    return out


def one(text: str) -> dict:
    qs = figures(text)
    assert len(qs) == 1, qs
    return qs[0]


@pytest.mark.parametrize(
    ("words", "value"),
    [
        ("اثنان", 2),
        ("ثلاثة عشر", 13),
        ("خمسة وعشرون", 25),
        ("ثلاثمائة", 300),
        ("ألفان وخمسمائة", 2500),
        ("ثلاثة آلاف", 3000),
        ("مليون", 1_000_000),
        ("150 ألف", 150_000),
        ("2.5 مليار", 2_500_000_000),
        ("39 ألفا و225", 39_225),
        ("15ر3", 3.15),
        ("1,500,000", 1_500_000),
        ("عشرات", None),
        ("مئات", None),
        ("آلاف", None),
    ],
)
def test_number_words(words: str, value: float | None) -> None:
    assert parse_number(normalize_text(words)) == value


@pytest.mark.parametrize(
    ("text", "span", "value", "unit", "kind"),
    [
        ("قتل 12 عسكريا في الهجوم.", "12", 12, "عسكريا", "count"),
        ("سقط ثلاثة قتلى في القصف.", "ثلاثة", 3, "قتلى", "count"),
        ("أصيب ١٥ جريحا في الحادث.", "١٥", 15, "جريحا", "count"),
        ("نفذ التنظيم 300 هجوما خلال الحملة.", "300", 300, "هجوما", "count"),
        ("بلغت الصفقة 300مليون دولار تقريبا.", "300مليون دولار", 300_000_000, "دولار", "currency"),
        (
            "خصصت الحكومة 2.5 مليار يورو للمشروع.",
            "2.5 مليار يورو",
            2_500_000_000,
            "يورو",
            "currency",
        ),
        ("بلغ العجز ١٢٫٥ مليون ريال هذا الشهر.", "١٢٫٥ مليون ريال", 12_500_000, "ريال", "currency"),
        ("تبرع المحسن بمبلغ ١٬٥٠٠ دينار للجمعية.", "١٬٥٠٠ دينار", 1500, "دينار", "currency"),
        ("دفع الزبون 40 جنيها ثمنا للتذكرة.", "40 جنيها", 40, "جنيها", "currency"),
        ("يكلف البرنامج 90 درهم للفرد.", "90 درهم", 90, "درهم", "currency"),
        ("انخفضت قيمة العملة إلى 15 ليرة مقابل الدولار.", "15 ليرة", 15, "ليرة", "currency"),
        ("ارتفع التضخم 3.5% خلال الربع.", "3.5%", 3.5, "%", "percent"),
        ("ارتفع التضخم ٣٫٥٪ خلال الربع.", "٣٫٥٪", 3.5, "٪", "percent"),
        ("تراجعت البطالة 2 في المئة هذا العام.", "2 في المئة", 2, "في المئة", "percent"),
        ("نما الاقتصاد 4 بالمئة العام الماضي.", "4 بالمئة", 4, "بالمئة", "percent"),
        ("قطع الموكب 30 كيلومترا في الصحراء.", "30", 30, "كيلومترا", "measure"),
        ("حضر الحفل ألفان وخمسمائة متفرج.", "ألفان وخمسمائة", 2500, "متفرج", "count"),
    ],
)
def test_figures(text: str, span: str, value: float, unit: str, kind: str) -> None:
    q = one(text)
    assert (q["text"], q["value"], q["unit"], q["unit_kind"]) == (span, value, unit, kind)


@pytest.mark.parametrize(
    ("text", "qualifier"),
    [
        ("انضم حوالي 500 متطوع إلى الحملة.", "approx"),
        ("انضم نحو 500 متطوع إلى الحملة.", "approx"),
        ("انضم قرابة 500 متطوع إلى الحملة.", "approx"),
        ("انضم أكثر من 500 متطوع إلى الحملة.", "more_than"),
        ("انضم أقل من 500 متطوع إلى الحملة.", "less_than"),
    ],
)
def test_qualifiers(text: str, qualifier: str) -> None:
    q = one(text)
    assert q["value"] == 500 and q["qualifier"] == qualifier and q["unit"] == "متطوع"


def test_unit_before_a_definite_number() -> None:
    q = one("واجتمع الوزراء الخمسة في القصر.")
    assert (q["text"], q["value"], q["unit"]) == ("الخمسة", 5, "الوزراء")


def test_range_shares_unit_and_multiplier() -> None:
    qs = figures("تراوحت الكلفة بين 60 و100 مليون دولار حسب التقديرات.")
    assert [(q["text"], q["value"], q["unit"]) for q in qs] == [
        ("60", 60_000_000, "دولار"),
        ("100 مليون دولار", 100_000_000, "دولار"),
    ]


def test_saudi_decimal_and_glued_multiplier() -> None:
    q = one("بلغت الإيرادات 40ر29 مليون دولار خلال الفترة.")
    assert q["value"] == 29_400_000 and q["unit_kind"] == "currency"


def test_vague_magnitudes_have_no_value() -> None:
    q = one("نزح عشرات الآلاف من السكان.")
    assert q["value"] is None


@pytest.mark.parametrize(
    "text",
    [
        "تأسست الجمعية عام 2015 في المدينة.",
        "وقعت الحادثة في 26 يناير 2024 قرب الحدود.",
        "جرى التوقيع بتاريخ 26/01/2024 في المقر.",
        "ويبدأ الحفل 09:15 مساءً في القاعة الكبرى.",
        "استمرت المفاوضات ثلاثة أشهر دون نتيجة.",
        "للاستفسار اتصلوا على الرقم 0551234567 أو 920012345.",
        "سجل المهاجم في الدقيقة 82 من المباراة.",
    ],
)
def test_not_figures(text: str) -> None:
    assert figures(text) == []


def test_nothing_from_boilerplate() -> None:
    text = "عنوان الخبر\n\nقتل 12 عسكريا في الهجوم.\n\nاقرأ أيضا: 5 أسباب لارتفاع الأسعار"
    qs = figures(text)
    assert [q["text"] for q in qs] == ["12"]


_PIECES = [
    "قتل",
    "12",
    "١٥",
    "عسكريا",
    "في",
    "يناير",
    "2024",
    "أمس",
    "الخميس",
    "المقبل",
    "ثلاثة",
    "أشهر",
    "مليون",
    "دولار",
    "%",
    "في المئة",
    "نحو",
    "أكثر من",
    "الساعة",
    "15,30",
    "ــ",
    "َ",
    "ّ",
    "\u200f",
    "،",
    ".",
    "\n",
    "\n\n",
    "(",
    ")",
    "2.5",
    "ألفا",
    "و225",
    "هـ",
    "شوال",
    "1436",
]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), min_size=1, max_size=40), st.booleans())
def test_spans_are_always_valid(pieces: list[str], spaced: bool) -> None:
    """Whatever the text, every item's span gives back its text and lies in a content block."""
    text = (" " if spaced else "").join(pieces)
    if not text.strip():
        return
    art = make_article(text, id="h", path=None, settings=SETTINGS)
    art.meta.published = date(2024, 1, 25)
    art = PIPE(art)
    for layer in ("dates", "quantities"):
        for item in art.layers[layer]:
            d = item.to_json(art)
            assert 0 <= d["start"] < d["end"] <= len(text)
            assert text[d["start"] : d["end"]] == d["text"]
            block = art.block_at(d["start"])
            assert block is not None and block.kind in ("title", "body", "subheading", "dateline")
