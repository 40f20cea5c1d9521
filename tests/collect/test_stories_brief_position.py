"""The brief's position weight (``[stories] brief_position_weight``): after the event
sentence, an early sentence that several outlets share beats a denser one deep in the
articles when the weight is on (the lead of small stories carries their facts), and the
denser one wins with the weight off, so the setting is what decides."""

from __future__ import annotations

from marsad.collect.stories.summary import article_sentences, brief
from marsad.core.settings import load_settings
from marsad.readers.base import make_article
from marsad.run.pipeline import Pipeline

SETTINGS = load_settings()
PIPE = Pipeline(settings=SETTINGS)

EVENT = "أعلنت وزارة الداخلية مقتل 12 شخصا في هجوم على مسجد في مدينة أبها جنوب المملكة اليوم."
EARLY = "وأغلقت قوات الأمن الطرق المؤدية إلى الحي ومنعت الاقتراب من موقع التفجير."
DEEP = (
    "وتبين أن المنفذ فجر حزاما ناسفا أثناء صلاة العصر وسط المصلين الركع "
    "وأن فرق الإسعاف نقلت الجرحى بسيارات خاصة."
)
#: Each outlet's own lines (no other outlet carries them: they weigh nothing).
FILLERS = [
    [
        "نسأل الله أن يتغمد الضحايا بواسع رحمته وأن يلهم ذويهم الصبر والسلوان.",
        "وشهدت المدينة أجواء ممطرة خلال الأيام الماضية مع انخفاض درجات الحرارة.",
        "ويعد المبنى من أقدم مباني الحي وقد شيد قبل عقود طويلة من الزمن.",
    ],
    [
        "وتابع المواطنون الأخبار عبر وسائل التواصل الاجتماعي طوال الليل بقلق.",
        "وتشتهر المنطقة بمزارع البن والفواكه الموسمية التي يقصدها الزوار صيفا.",
        "وكان السوق الشعبي القريب يعج بالمتسوقين قبل ساعات من صلاة الجمعة.",
    ],
    [
        "ويقطن الحي عدد كبير من الأسر التي انتقلت إليه خلال العقدين الماضيين.",
        "وتنظم البلدية مهرجانا سنويا للتراث يستقطب آلاف الزوار من داخل البلاد.",
        "وأشار أحد السكان إلى أن الطريق الرئيسي يشهد زحاما معتادا في المساء.",
    ],
]


def _sents():
    arts = []
    for i, outlet in enumerate("أبج"):
        # the early fact in the first two outlets, the dense one deep in the last two
        lines = [EVENT, *([EARLY] if i < 2 else []), *FILLERS[i], *([DEEP] if i > 0 else [])]
        body = "\n".join(lines)
        a = make_article(
            body,
            id=str(i),
            path=None,
            settings=SETTINGS,
            title="هجوم على مسجد في أبها",
            outlet=outlet,
            published="2015-08-06",
        )
        arts.append(PIPE(a))
    return [s for i, a in enumerate(arts) for s in article_sentences(a, i)]


def _second(position_weight: float) -> str:
    cfg = dict(SETTINGS["stories"], brief_position_weight=position_weight)
    chosen = brief(_sents(), k=2, cfg=cfg)
    assert "12" in chosen[0].text  # the event sentence first, whatever the weight
    return chosen[1].text


def test_position_weight_decides_between_early_and_dense():
    assert float(SETTINGS["stories"]["brief_position_weight"]) == 1.0
    assert _second(1.0) == EARLY
    assert _second(0.0) == DEEP
