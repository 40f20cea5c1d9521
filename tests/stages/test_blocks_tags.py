"""Site tag lines (سمات، كلمات دلالية، وسوم ...) are chrome: the block classifier drops them
(data: the ``tag_lines`` group of resources/ar/boilerplate.json); a sentence that happens to
open with the same word is kept."""

from __future__ import annotations

from marsad.core.settings import load_settings
from marsad.stages.blocks import label_blocks

CFG = load_settings()["blocks"]

PAGE = """وزارة الداخلية تعلن ضبط خلية إرهابية
أعلنت وزارة الداخلية اليوم ضبط خلية إرهابية في المنطقة الشرقية، وقالت إن أفرادها كانوا يخططون لتفجيرات.
وأضاف المتحدث الأمني أن التحقيقات مستمرة مع الموقوفين.
سمات الداخلية خلية إرهابية الشرقية
كلمات دلالية: الداخلية، الإرهاب
الوسوم الداخلية الإرهاب"""


def kinds(text, title=None):
    return [(text[b.start : b.end], b.kind) for b in label_blocks(text, title, CFG)]


def test_tag_lines_are_boilerplate():
    got = dict(kinds(PAGE, "وزارة الداخلية تعلن ضبط خلية إرهابية"))
    assert got["سمات الداخلية خلية إرهابية الشرقية"] == "boilerplate"
    assert got["كلمات دلالية: الداخلية، الإرهاب"] == "boilerplate"
    assert got["الوسوم الداخلية الإرهاب"] == "boilerplate"
    assert got["وأضاف المتحدث الأمني أن التحقيقات مستمرة مع الموقوفين."] == "body"


def test_sentence_starting_with_tag_word_is_kept():
    text = (
        "القائد الإداري الناجح\n"
        "أكد الباحث أن القيادة الإدارية تحتاج إلى رؤية واضحة وصبر طويل.\n"
        "سمات القائد الناجح كثيرة، أولها الصبر والقدرة على الاستماع.\n"
        "وختم الباحث حديثه بالدعوة إلى برامج تدريب للقادة الشباب."
    )
    got = dict(kinds(text, "القائد الإداري الناجح"))
    assert got["سمات القائد الناجح كثيرة، أولها الصبر والقدرة على الاستماع."] == "body"
