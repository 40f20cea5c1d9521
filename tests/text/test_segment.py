from hypothesis import given, settings
from hypothesis import strategies as st

from marsad.text.clitics import analyse
from marsad.text.segment import split_sentences, tokenize


def toks(text):
    s, e = tokenize(text)
    return [text[a:b] for a, b in zip(s, e, strict=True)]


def sents(text):
    return [text[a:b] for a, b in split_sentences(text, 0, len(text))]


def test_numbers_stay_whole():
    assert toks("بلغت 2.5% عند الساعة 15,30 و١٢٫٥") == [
        "بلغت",
        "2.5",
        "%",
        "عند",
        "الساعة",
        "15,30",
        "و",
        "١٢٫٥",
    ]


def test_digits_glued_to_words_split():
    assert toks("300مليون دولار") == ["300", "مليون", "دولار"]


def test_marks_stay_inside_words():
    assert toks("كتابٌ مرحـــبا") == ["كتابٌ", "مرحـــبا"]


def test_sentence_ends():
    text = "قال الوزير إن الوضع مستقر. وأضاف: هل هذا كاف؟ نعم! ثم مضى…\nسطر آخر"
    assert sents(text) == [
        "قال الوزير إن الوضع مستقر.",
        "وأضاف: هل هذا كاف؟",
        "نعم!",
        "ثم مضى…",
        "سطر آخر",
    ]


def test_no_end_inside_numbers_abbreviations_quotes():
    text = "قال د. أسامة إن النمو 2.5 في المئة و«الوضع جيد. جدا» كما قال."
    assert sents(text) == [text]


def test_unclosed_quote_does_not_swallow_the_block():
    text = "قال «الوضع جيد. ثم مضى إلى بيته."
    assert len(sents(text)) == 2


def test_clitics():
    a = analyse("والحكومه")
    assert a.prefixes == ("و", "ال") and a.stem == "حكومه"
    assert analyse("للحكومه").prefixes == ("ل", "ال")
    assert analyse("وسيعلن").prefixes == ("و", "س")
    assert analyse("بيت").prefixes == ()  # too short to strip


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_tokens_are_verbatim_and_ordered(text):
    s, e = tokenize(text)
    prev = 0
    for a, b in zip(s, e, strict=True):
        assert prev <= a < b <= len(text)
        assert text[a:b].strip() == text[a:b]
        prev = b
    for a, b in split_sentences(text, 0, len(text)):
        assert 0 <= a < b <= len(text) and text[a:b].strip() == text[a:b]
