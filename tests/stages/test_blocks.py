"""Block labels on our sample articles and on hand-written chrome."""

from __future__ import annotations

from marsad.core.settings import load_settings
from marsad.stages.blocks import label_blocks
from marsad.stages.metadata import parse_dateline

CFG = load_settings()["blocks"]

PAGE = """الراصد نيوز
الرئيسية | سياسة | اقتصاد | رياضة | ثقافة
الخميس 25 يناير 2024 - 10:42
السوداني: المحادثات مع واشنطن بناءة
بغداد - الراصد نيوز
قال رئيس الوزراء العراقي اليوم الخميس إن المحادثات مع الوفد الأمريكي كانت «بناءة ومثمرة». وأضاف أن الجولة المقبلة ستعقد الأسبوع المقبل.
اقرأ أيضا: وزير الخارجية يلتقي نظيره الأمريكي في واشنطن
مستقبل التحالف
وأوضح بيان صادر عن مكتبه أن اللجنة العسكرية العليا ستبدأ أعمالها قريبا، وأن عدد المستشارين يبلغ 2500 عسكري.
صورة أرشيفية لرئيس الوزراء العراقي (رويترز)
مواضيع ذات صلة:
السوداني يستقبل وفدا أمريكيا
الحكومة العراقية تبحث مستقبل التحالف
العودة إلى الأعلى
رئيس التحرير: سالم عبد الرزاق
جميع الحقوق محفوظة © 2024"""


def kinds(text, title=None):
    return [(text[b.start : b.end], b.kind) for b in label_blocks(text, title, CFG)]


def test_page_labels():
    got = kinds(PAGE)
    assert [k for _, k in got] == [
        "boilerplate",
        "boilerplate",
        "dateline",
        "title",
        "dateline",
        "body",
        "boilerplate",
        "subheading",
        "body",
        "caption",
        "boilerplate",
        "boilerplate",
        "boilerplate",
        "boilerplate",
        "boilerplate",
        "boilerplate",
    ]


def test_title_given_by_metadata():
    text = "خبر مهم عن المحادثات\nقال الوزير إن المحادثات كانت بناءة وإن الجولة المقبلة ستعقد قريبا في العاصمة."
    assert kinds(text, "خبر مهم عن المحادثات")[0][1] == "title"


def test_plain_body_stays_body():
    text = "قال الوزير إن المحادثات كانت بناءة.\nوأضاف أن الجولة المقبلة ستعقد قريبا.\nوختم بالقول إن الحكومة ملتزمة."
    assert {k for _, k in kinds(text)} == {"body"}


def test_body_line_mentioning_a_role_is_not_a_credit():
    text = "قال رئيس التحرير في الصحيفة إن الموقع سيطلق خدمة جديدة للقراء خلال الأسابيع المقبلة بعد تجربة ناجحة."
    assert kinds(text) == [(text, "body")]


def test_sample_titles(sample_analysis):
    titles = {d.id: d.meta.title for d in sample_analysis.documents}
    assert titles["alrased-baghdad-talks"].startswith("السوداني:")
    assert titles["aldifaf-coalition-reactions-cp1256"].startswith("كتل سياسية")
    assert titles["alwadi-cairo-sudan-truce"].startswith("شكري يفتتح")


def test_sample_metadata_from_text(sample_analysis):
    by_id = {d.id: d for d in sample_analysis.documents}
    a = by_id["alrased-baghdad-talks"]
    assert a.meta.published.isoformat() == "2024-01-25" and a.meta.sources["published"] == "text"
    assert a.meta.outlet == "الراصد نيوز"
    assert by_id["aldifaf-coalition-reactions-cp1256"].meta.outlet == "جريدة الضفاف"


def test_parse_dateline_forms():
    assert parse_dateline("الخميس 25 يناير 2024 - 10:42").isoformat() == "2024-01-25"
    assert parse_dateline("نشر في: 25/01/2024").isoformat() == "2024-01-25"
    assert parse_dateline("السبت، 3 أيار/مايو 2019").isoformat() == "2019-05-03"
    assert parse_dateline("12 كانون الثاني 2020").isoformat() == "2020-01-12"
    assert parse_dateline("٢٠٢٤-٠١-٢٦").isoformat() == "2024-01-26"
    assert parse_dateline("لا تاريخ هنا") is None
