"""Mention boundaries and junk at the entities stage (``tidy_mentions``; rules in
resources/ar/entity_junk.json): mentions are placed by hand on real Arabic sentences so that
each rule is tested on exactly the words it is about, independently of the tagger."""

from __future__ import annotations

import pytest

from marsad.core.article import Article
from marsad.core.items import Mention
from marsad.run.pipeline import Pipeline
from marsad.stages.entities import tidy_mentions
from marsad.stages.ner.model import load


@pytest.fixture(scope="module")
def tidy():
    pipe = Pipeline(["language", "blocks", "metadata", "sentences", "tokens"])
    lex_stem = load(None, 1000).features.lex_stem

    def run(text: str, spans: list[tuple[str, str]]) -> list[tuple[str, str]]:
        art = pipe(Article(text=text, id="t"))
        ms, pos = [], 0
        for surface, typ in spans:
            s = text.index(surface, pos)
            ms.append(Mention(s, s + len(surface), typ, 0.9))
            pos = s + len(surface)
        return [(art.text[m.start : m.end], m.type) for m in tidy_mentions(art, ms, lex_stem)]

    return run


def test_currencies_months_weekdays_are_dropped(tidy):
    text = "ارتفع سعر الدولار الأمريكي يوم الخميس في أغسطس إلى 3.75 ريال في الرياض."
    spans = [("الدولار الأمريكي", "MISC"), ("الخميس", "MISC"), ("أغسطس", "MISC"),
             ("ريال", "MISC"), ("الرياض", "LOC")]  # fmt: skip
    assert tidy(text, spans) == [("الرياض", "LOC")]


def test_real_madrid_and_khamis_mushait_stay(tidy):
    text = "فاز ريال مدريد على فريق من خميس مشيط."
    assert tidy(text, [("ريال مدريد", "ORG"), ("خميس مشيط", "LOC")]) == [
        ("ريال مدريد", "ORG"),
        ("خميس مشيط", "LOC"),
    ]


def test_ambiguous_month_only_in_date_context(tidy):
    text = "أطلقت شركة نيسان طرازا جديدا في أبريل (نيسان) 2015."
    assert tidy(text, [("نيسان", "ORG"), ("نيسان", "ORG")]) == [("نيسان", "ORG")]


def test_formulas_and_letters_are_dropped(tidy):
    text = "قال الملك سلمان حفظه الله إن مصرف جيه. بي. مورجان سيفتح فرعا."
    spans = [("سلمان", "PER"), ("حفظه الله", "ORG"), ("بي", "ORG")]
    assert tidy(text, spans) == [("سلمان", "PER")]


def test_two_places_joined_by_wa_are_two_mentions(tidy):
    text = "وصل الوفد إلى القاهرة والإسكندرية ثم إلى الرياض وجدة."
    spans = [("القاهرة والإسكندرية", "LOC"), ("الرياض", "LOC"), ("وجدة", "LOC")]
    assert tidy(text, spans) == [
        ("القاهرة", "LOC"),
        ("الإسكندرية", "LOC"),
        ("الرياض", "LOC"),
        ("جدة", "LOC"),
    ]


def test_organisation_keeps_its_wa(tidy):
    text = "أعلنت وزارة التجارة والصناعة عن قرار جديد."
    assert tidy(text, [("وزارة التجارة والصناعة", "ORG")]) == [("وزارة التجارة والصناعة", "ORG")]


def test_prepositions_outside_the_name(tidy):
    text = "وصل الرئيس لدمشق ثم سافر بعدها إلى بموسكو ولوكاس معه."
    spans = [("لدمشق", "LOC"), ("بموسكو", "LOC"), ("لوكاس", "PER")]
    assert tidy(text, spans) == [("دمشق", "LOC"), ("موسكو", "LOC"), ("لوكاس", "PER")]


def test_role_words_and_descriptors_outside_the_name(tidy):
    text = "استقبل الأمير محمد بن سلمان ولي ولي العهد وفدا، وقتل عناصر تنظيم القاعدة جنديا."
    spans = [("محمد بن سلمان ولي", "PER"), ("عناصر تنظيم القاعدة", "ORG")]
    assert tidy(text, spans) == [("محمد بن سلمان", "PER"), ("تنظيم القاعدة", "ORG")]


def test_generic_head_cut_from_its_name_is_joined(tidy):
    text = "زار الوفد جمهورية مصر العربية أمس."
    assert tidy(text, [("جمهورية", "LOC"), ("مصر العربية", "LOC")]) == [
        ("جمهورية مصر العربية", "LOC")
    ]
