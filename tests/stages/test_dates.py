"""Temporal expressions: every form of the issue, with offsets and resolved values.

All sentences are written for these tests (none is taken from the shared data).
"""

from __future__ import annotations

from datetime import date

import pytest

from marsad.core.settings import load_settings
from marsad.readers.base import make_article
from marsad.run.pipeline import Pipeline

SETTINGS = load_settings()
PIPE = Pipeline(
    stages=["blocks", "metadata", "sentences", "tokens", "dates", "quantities"], settings=SETTINGS
)
THURSDAY = date(2024, 1, 25)  # a Thursday


def run(text: str, published: date | None = THURSDAY):
    art = make_article(text, id="t", path=None, settings=SETTINGS)
    art.meta.published = published
    return PIPE(art)


def dates(text: str, published: date | None = THURSDAY) -> list[dict]:
    art = run(text, published)
    out = [d.to_json(art) for d in art.layers["dates"]]
    for d in out:
        assert art.text[d["start"] : d["end"]] == d["text"]
    return out


def one(text: str, published: date | None = THURSDAY) -> dict:
    ds = dates(text, published)
    assert len(ds) == 1, ds
    return ds[0]


@pytest.mark.parametrize(
    ("text", "span", "value"),
    [
        ("وقعت الحادثة في 26 يناير 2024 قرب الحدود.", "26 يناير 2024", "2024-01-26"),
        ("افتتح المعرض في 3 إبريل 2023 رسميا.", "3 إبريل 2023", "2023-04-03"),
        ("افتتح المعرض في 3 أبريل 2023 رسميا.", "3 أبريل 2023", "2023-04-03"),
        ("عقد الاجتماع يوم 14 آذار 2022 في العاصمة.", "يوم 14 آذار 2022", "2022-03-14"),
        ("صدر القرار في 9 تشرين الأول 2020 بعد نقاش.", "9 تشرين الأول 2020", "2020-10-09"),
        ("انتهت المهلة في 31 كانون الأول 2019 دون اتفاق.", "31 كانون الأول 2019", "2019-12-31"),
        ("وصل الوفد في 5 شباط 2021 إلى المطار.", "5 شباط 2021", "2021-02-05"),
        ("بدأت الأشغال في 12 جانفي 2022 بالمدينة.", "12 جانفي 2022", "2022-01-12"),
        ("أعلنت الوزارة في 2 فيفري 2022 عن البرنامج.", "2 فيفري 2022", "2022-02-02"),
        ("انطلقت الحملة في 20 جوان 2021 بالولاية.", "20 جوان 2021", "2021-06-20"),
        ("احتفل السكان في 5 جويلية 2021 بالعيد.", "5 جويلية 2021", "2021-07-05"),
        ("توقف العمل في 15 أوت 2020 بسبب الحر.", "15 أوت 2020", "2020-08-15"),
        ("نشر التقرير في 14 آذار/مارس 2022 للمرة الأولى.", "14 آذار/مارس 2022", "2022-03-14"),
        ("صدر المرسوم في 25 شوال 1436 هـ بعد المشاورات.", "25 شوال 1436 هـ", "2015-08-10"),
        ("جرى التوقيع بتاريخ 26/01/2024 في المقر.", "26/01/2024", "2024-01-26"),
        ("جرى التوقيع بتاريخ 2024-01-26 في المقر.", "2024-01-26", "2024-01-26"),
        ("وقعت الحادثة في ٢٦ يناير ٢٠٢٤ قرب الحدود.", "٢٦ يناير ٢٠٢٤", "2024-01-26"),
        ("تأسست الشركة عام 2015 في الرياض.", "عام 2015", "2015"),
        ("تراجعت المبيعات منذ العام 2019 بشكل حاد.", "العام 2019", "2019"),
        ("ارتفع الإنتاج في يونيو 2021 بشكل لافت.", "يونيو 2021", "2021-06"),
        ("وصلت البعثة في إبريل الماضي إلى البلاد.", "إبريل الماضي", "2023-04"),
        ("يكتمل المشروع بحلول نهاية العام الحالي كما قال.", "نهاية العام الحالي", "2024"),
        ("يكتمل المشروع بحلول نهاية العام 2023 كما قال.", "نهاية العام 2023", "2023"),
        ("قالت الشرطة إن الحادث وقع أمس الأربعاء قرب السوق.", "أمس الأربعاء", "2024-01-24"),
        ("وقال الوزير الخميس إن المحادثات ستستمر.", "الخميس", "2024-01-25"),
        ("وأعلنت الحكومة يوم الثلاثاء خطة جديدة.", "يوم الثلاثاء", "2024-01-23"),
        ("وتعقد القمة السبت المقبل في القاهرة.", "السبت المقبل", "2024-01-27"),
        ("وزار الرئيس المدينة الجمعة الماضية.", "الجمعة الماضية", "2024-01-19"),
        ("وقال المتحدث اليوم الخميس إن الحوار مستمر.", "اليوم الخميس", "2024-01-25"),
        ("وسيلتقي الوزيران الأحد في جنيف.", "الأحد", "2024-01-28"),
        ("ومن المقرر أن تبدأ الجلسة الاثنين في البرلمان.", "الاثنين", "2024-01-29"),
        ("وصل الوفد أمس إلى العاصمة.", "أمس", "2024-01-24"),
        ("وصل الوفد أول أمس إلى العاصمة.", "أول أمس", "2024-01-23"),
        ("يصل الوفد غدا إلى العاصمة.", "غدا", "2024-01-26"),
        ("غادر السفير البلاد قبل أسبوع بعد الأزمة.", "قبل أسبوع", "2024-01-18"),
        ("غادر السفير البلاد قبل يومين بعد الأزمة.", "قبل يومين", "2024-01-23"),
        ("ارتفعت الأسعار الشهر الماضي بنسبة كبيرة.", "الشهر الماضي", "2023-12"),
        ("تبدأ المفاوضات الأسبوع المقبل في الدوحة.", "الأسبوع المقبل", "2024-W05"),
        ("تضاعفت الصادرات العام الماضي مقارنة بما سبق.", "العام الماضي", "2023"),
        ("وأنهى المؤشر الأسبوع مرتفعا بقوة.", "الأسبوع", "2024-W04"),
        ("وتستمر المعارك منذ الصباح في الضواحي.", "منذ الصباح", "2024-01-25"),
        ("تراجعت الأسعار منذ أوائل ديسمبر بشكل مطرد.", "أوائل ديسمبر", "2023-12"),
        ("وصل الوفد مساء الأحد إلى المطار.", "مساء الأحد", "2024-01-21"),
        ("يبدأ الموسم الصيف المقبل كما أعلن.", "الصيف المقبل", "2024-SU"),
        ("حقق النمو في النصف الأول من عام 2023 رقما قياسيا.", "النصف الأول من عام 2023", "2023-H1"),
        ("تتوقع الشركة أرباحا أعلى العام المقبل بكثير.", "العام المقبل", "2025"),
    ],
)
def test_dates_resolved(text: str, span: str, value: str) -> None:
    d = one(text)
    assert d["text"] == span
    assert d["value"] == value
    assert d["kind"] == "date"
    assert d["resolved"] is True


@pytest.mark.parametrize(
    ("text", "span", "value"),
    [
        ("استمرت المفاوضات ثلاثة أشهر دون نتيجة.", "ثلاثة أشهر", "P3M"),
        ("بقي المصابون في المستشفى عدة أيام للعلاج.", "عدة أيام", "PXD"),
        ("سجن المتهم 10 سنوات بعد المحاكمة.", "10 سنوات", "P10Y"),
        ("استغرقت الرحلة 45 دقيقة فقط.", "45 دقيقة", "PT45M"),
        ("توقف العمل شهرين كاملين.", "شهرين", "P2M"),
        ("يحتاج المشروع إلى أسابيع لاستكماله.", "أسابيع", "PXW"),
    ],
)
def test_durations(text: str, span: str, value: str) -> None:
    d = one(text)
    assert (d["text"], d["kind"], d["value"]) == (span, "duration", value)


def test_times_with_zones() -> None:
    ds = dates("وانطلقت المسيرة الساعة 15,30 بتوقيت القاهرة (13,30 ت غ) من الميدان.")
    assert [d["kind"] for d in ds] == ["time", "time"]
    assert ds[0]["text"] == "الساعة 15,30 بتوقيت القاهرة"
    assert ds[0]["value"].endswith("T15:30")
    assert ds[1]["value"].endswith("T13:30")


def test_time_pm() -> None:
    d = one("ويبدأ الحفل 09:15 مساءً في القاعة الكبرى.")
    assert d["kind"] == "time"
    assert d["text"] == "09:15 مساءً"
    assert d["value"].endswith("T21:15")


def test_ranges_are_split() -> None:
    ds = dates("يحتاج الفحص من أسبوعين لثلاثة قبل صدور النتائج.")
    assert [(d["text"], d["value"]) for d in ds] == [("أسبوعين", "P2W"), ("ثلاثة", "P3W")]
    ds = dates("تقام المباريات في 12 و19 الحالي على الملعب.")
    assert [(d["text"], d["value"]) for d in ds] == [
        ("12", "2024-01-12"),
        ("19 الحالي", "2024-01-19"),
    ]


def test_hijri_numeric_and_weekday_with_date() -> None:
    d = one("وعقد الاجتماع يوم الاثنين الموافق 5/11/1436هـ في المقر.")
    assert d["text"] == "يوم الاثنين الموافق 5/11/1436هـ"
    assert d["value"] == "2015-08-20"


def test_ages_are_not_durations() -> None:
    assert dates("وصل المدرب (66 عاما) إلى المدينة.") == []


def test_week_ordinals_and_adverbs_are_not_dates() -> None:
    assert dates("فاز الفريق للأسبوع الثاني على التوالي.") == []
    assert dates("تراجعت الأسعار مؤخرا وحاليا.") == []


def test_set() -> None:
    d = one("تصدر النشرة شهريا عن المركز.")
    assert (d["kind"], d["value"]) == ("set", "P1M")


def test_unresolved_without_publication_date() -> None:
    d = one("وصل الوفد أمس إلى العاPمة.".replace("P", "ص"), published=None)
    assert d["resolved"] is False
    assert "publication date" in d["reason"]
    assert d["value"] is None


def test_absolute_date_needs_no_publication_date() -> None:
    d = one("وقعت الحادثة في 26 يناير 2024 قرب الحدود.", published=None)
    assert d["value"] == "2024-01-26" and d["resolved"] is True


def test_no_false_months_or_today_names() -> None:
    assert dates("مارس اللاعب الرياضة منذ صغره مع أب حنون.") == []
    assert dates("احتفلت المملكة باليوم الوطني في الساحة.") == []


def test_not_from_boilerplate() -> None:
    text = "عنوان الخبر\n\nوصل الوفد أمس إلى العاصمة.\n\nاقرأ أيضا: وصل الوفد أمس إلى المطار"
    art = run(text)
    kinds = {art.block_at(d.start).kind for d in art.layers["dates"]}
    assert kinds <= {"title", "body", "subheading", "dateline"}
    assert len(art.layers["dates"]) == 1


def test_diacritics_and_original_offsets() -> None:
    d = one("وَصَلَ الوفدُ أمسِ إلى العاصمة.")
    assert d["text"].startswith("أمس")
    assert d["value"] == "2024-01-24"
