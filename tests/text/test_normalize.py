from hypothesis import given, settings
from hypothesis import strategies as st

from marsad.text.normalize import normalize, normalize_text

ARABIC = st.text(
    alphabet=st.sampled_from(
        list("ابتثجحخدذرسشصضطظعغفقكلمنهويءآأإؤئىة ٠١٢٣٤٥٦٧٨٩٫٬٪،.؟ـ")
        + [
            "\u064b",
            "\u064e",
            "\u0651",
            "\u0652",
            "\u0670",
            "\u200f",
            "\u200e",
            "\u00a0",
            "\ufefb",
            "\ufdf2",
            "\u061c",
        ]
    ),
    max_size=80,
)
ANY = st.text(max_size=80)


def test_folds_arabic_variants():
    n = normalize("أَحْمَد إلى مدرسةٍ ١٢٫٥٪ ﻻ\u200fعـــلي")
    assert n.text == "احمد الي مدرسه 12.5% لاعلي"


def test_maps_back_to_original_with_marks():
    text = "قالَ إنّ المحادثاتِ بنّاءةٌ"
    n = normalize(text)
    i = n.text.index("بناءه")
    s, e = n.to_original(i, i + len("بناءه"))
    assert text[s:e] == "بنّاءةٌ"


def test_ligature_expansion_maps_to_one_character():
    text = "ﻻ بد"
    n = normalize(text)
    assert n.text == "لا بد"
    assert n.to_original(0, 1) == (0, 1)
    assert n.to_original(0, 2) == (0, 1)
    assert n.to_original(3, 5) == (2, 4)


@settings(max_examples=300, deadline=None)
@given(st.one_of(ARABIC, ANY))
def test_idempotent(text):
    once = normalize_text(text)
    assert normalize_text(once) == once
    assert normalize(text).text == once


@settings(max_examples=300, deadline=None)
@given(st.one_of(ARABIC, ANY), st.data())
def test_offset_map_round_trips(text, data):
    n = normalize(text)
    if not n.text:
        return
    i = data.draw(st.integers(0, len(n.text) - 1))
    j = data.draw(st.integers(i + 1, len(n.text)))
    s, e = n.to_original(i, j)
    assert 0 <= s < e <= len(text)
    # the original span normalises to (at least) the normalised span
    assert n.text[i:j] in normalize_text(text[s:e])
    # and maps back onto a normalised span that covers it
    ns, ne = n.to_normalized(s, e)
    assert ns <= i and ne >= j


@settings(max_examples=300, deadline=None)
@given(st.one_of(ARABIC, ANY), st.data())
def test_many_spans_map_as_one_by_one(text, data):
    n = normalize(text)
    if not n.text:
        return
    cuts = sorted(set(data.draw(st.lists(st.integers(0, len(n.text)), max_size=12))))
    spans = [(a, b) for a, b in zip([0, *cuts], [*cuts, len(n.text)], strict=True) if a < b]
    assert n.to_original_many(spans) == [n.to_original(a, b) for a, b in spans]
