"""The story brief: at most 5 cited sentences, the event sentence most outlets share first, no
two sentences saying the same thing (wire copies across outlets), the statement and the
figure kept, the facts several outlets report chosen over filler and off-topic sentences;
chrome sentences (tag lines, links back to the article) never candidates; and the story
headline cleaned of outlet tags."""

from __future__ import annotations

from marsad.collect.stories.summary import (
    _words,
    article_sentences,
    brief,
    clean_headline,
    concepts,
    is_chrome,
    same_content,
)
from marsad.core.settings import load_settings
from marsad.readers.base import make_article
from marsad.run.pipeline import Pipeline
from marsad.text.normalize import normalize_text

SETTINGS = load_settings()
PIPE = Pipeline(settings=SETTINGS)

EVENT = "أعلنت وزارة الداخلية مقتل 12 شخصا في هجوم على مسجد في مدينة أبها جنوب المملكة اليوم."


def art(id: str, body: str, outlet: str, title: str = "هجوم على مسجد في أبها"):
    a = make_article(
        body,
        id=id,
        path=None,
        settings=SETTINGS,
        title=title,
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


def _chrome(text: str, title: str = "") -> bool:
    return is_chrome(normalize_text(text), len(text.split()), _words(normalize_text(title)))


def test_chrome_sentences():
    title = "هجوم على مسجد في أبها"
    assert _chrome("سمات الجوازات وافدون وثيقة سفر اليمن")  # a site tag line
    assert not _chrome("سمات القائد الناجح كثيرة ومتنوعة في كل زمان.")  # a sentence
    assert _chrome("رابط الخبر بصحيفة المثال: هجوم على مسجد في أبها", title)  # a link back
    assert not _chrome("وقال المتحدث: إن الهجوم على المسجد في أبها جبان", title)
    # in a body block, run into the paragraph: not a candidate sentence
    a = art(
        "x",
        EVENT + " وقال المتحدث الأمني إن التحقيقات جارية لمعرفة هوية المنفذ.\n"
        "رابط الخبر بصحيفة المثال: هجوم على مسجد في أبها\n"
        "سمات أبها مسجد هجوم الداخلية الطوارئ",
        "أ",
    )
    texts = [s.text for s in article_sentences(a)]
    assert any("التحقيقات" in t for t in texts)
    assert not any(t.startswith(("رابط", "سمات")) for t in texts), texts


def test_brief_covers_what_outlets_share():
    """Facts several outlets report after their lead (the attacker's name in four, the road
    closures in two, worded differently) are chosen over each outlet's own filler (a prayer,
    an aside) and over a round-up's other news."""
    fact = "وأعلنت الوزارة أن منفذ الهجوم هو المدعو سالم العتيبي البالغ من العمر 24 عاما."
    fillers = [
        "نسأل الله أن يتغمد الضحايا بواسع رحمته وأن يلهم ذويهم الصبر والسلوان.",
        "وشهدت المدينة أجواء ممطرة خلال الأيام الماضية مع انخفاض درجات الحرارة.",
        "ويعد المسجد من أقدم مساجد المنطقة وقد بني قبل عقود طويلة من الزمن.",
        "وتابع المواطنون الأخبار عبر وسائل التواصل الاجتماعي طوال الليل بقلق.",
    ]
    other = "وفي خبر آخر افتتح وزير التعليم معرضا للكتاب في جدة بمشاركة مئة دار نشر."
    closed = [
        "وأغلقت قوات الأمن الطرق المؤدية إلى المسجد ومنعت الاقتراب من موقع التفجير.",
        "كما أغلقت قوات الأمن كل الطرق المؤدية إلى موقع التفجير قرب المسجد حتى المساء.",
    ]
    arts = [
        art(
            f"{i}",
            f"{EVENT}\n{fillers[i]}\n{fact}"
            + (f"\n{closed[i]}" if i < 2 else "")
            + (f"\n{other}" if i == 0 else ""),
            outlet,
        )
        for i, outlet in enumerate("أبجد")
    ]
    sents = [s for i, a in enumerate(arts) for s in article_sentences(a, i)]
    chosen = brief(sents, k=3)
    texts = [s.text for s in chosen]
    assert "12" in texts[0]
    assert any("العتيبي" in t for t in texts), texts
    assert any("أغلقت" in t for t in texts), texts  # the second fact two outlets report
    assert other not in texts
    assert "24" in concepts(next(s for s in chosen if "العتيبي" in s.text))


def test_brief_keeps_one_of_a_list_of_condemnations():
    """Each outlet carries its own condemnation (another capital, other words): once one is
    in the brief, another that adds little the outlets share is not; a list of condemnations
    is not a brief. The investigation is chosen instead."""
    react = {
        "أ": "واستنكرت الكويت بشدة التفجير الآثم الذي طال المصلين في أبها.",
        "ب": "ونددت البحرين بالاعتداء الغادر على بيت من بيوت الله في أبها.",
        "ج": "وأدانت قطر العمل الإجرامي الجبان الذي استهدف الآمنين في أبها.",
        "د": "وشجبت الإمارات الجريمة النكراء التي روعت سكان أبها.",
    }
    rest = "وقال المتحدث الأمني إن التحقيقات جارية لمعرفة هوية منفذ الهجوم على المسجد."
    arts = [art(o, "\n".join([EVENT, r, rest]), o) for o, r in react.items()]
    sents = [s for i, a in enumerate(arts) for s in article_sentences(a, i)]
    assert sum(s.reaction for s in sents) == 4
    chosen = brief(sents, k=5)
    assert sum(s.reaction for s in chosen) == 1
    assert any("التحقيقات" in s.text for s in chosen)
