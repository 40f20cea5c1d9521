"""The story brief: at most 5 cited sentences, the event sentence most outlets share first, no
two sentences saying the same thing (wire copies across outlets), the statement and the
figure kept; and the story headline cleaned of outlet tags."""

from __future__ import annotations

from marsad.collect.stories.summary import article_sentences, brief, clean_headline, same_content
from marsad.core.settings import load_settings
from marsad.readers.base import make_article
from marsad.run.pipeline import Pipeline

SETTINGS = load_settings()
PIPE = Pipeline(settings=SETTINGS)

EVENT = "أعلنت وزارة الداخلية مقتل 12 شخصا في هجوم على مسجد في مدينة أبها جنوب المملكة اليوم."


def art(id: str, body: str, outlet: str):
    a = make_article(
        body,
        id=id,
        path=None,
        settings=SETTINGS,
        title="هجوم على مسجد في أبها",
        outlet=outlet,
        published="2015-08-06",
    )
    return PIPE(a)


def test_brief_event_first_no_duplicates():
    arts = [
        art("a", EVENT + "\nوقال المتحدث الأمني إن التحقيقات جارية لمعرفة هوية المنفذ.", "أ"),
        art("b", EVENT + "\nوأدانت دول الخليج الهجوم ووصفته بالعمل الإرهابي الجبان.", "ب"),
        art(
            "c",
            "قالت وزارة الداخلية إن 12 شخصا قتلوا في هجوم استهدف مسجدا في أبها اليوم.\n"
            "ومن المقرر أن يزور أمير المنطقة المصابين في المستشفى غدا.",
            "ج",
        ),
        art("d", EVENT, "د"),
    ]
    sents = [s for i, a in enumerate(arts) for s in article_sentences(a, i)]
    chosen = brief(sents, k=5)
    assert 2 <= len(chosen) <= 5
    assert "12" in chosen[0].text  # the sentence most outlets share comes first
    for i, x in enumerate(chosen):
        assert arts[[a.id for a in arts].index(x.doc)].text[x.start : x.end] == x.text
        for y in chosen[i + 1 :]:
            assert not same_content(x, y, 0.5), (x.text, y.text)
    assert sum("12" in x.text for x in chosen) == 1  # one toll, not three copies of it
    assert any("غدا" in x.text for x in chosen)  # what comes next


def test_clean_headline():
    assert clean_headline("بالفيديو.. هبوط اضطراري لطائرة في الطوال | سبق") == (
        "هبوط اضطراري لطائرة في الطوال"
    )
    assert clean_headline("عاجل: مقتل 3 جنود في هجوم - الرياض نيوز", "الرياض نيوز") == (
        "مقتل 3 جنود في هجوم"
    )
    assert clean_headline("«موبايلي» تخسر 945 مليون ريال") == "«موبايلي» تخسر 945 مليون ريال"
