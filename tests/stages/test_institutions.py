"""Named institutions and platforms added after the tagger (sentences written for these tests)."""

from __future__ import annotations

from marsad.core.settings import load_settings
from marsad.readers.base import make_article
from marsad.run.pipeline import Pipeline

SETTINGS = load_settings()
PIPE = Pipeline(settings=SETTINGS)


def orgs(text: str, settings=SETTINGS) -> list[str]:
    art = Pipeline(settings=settings)(make_article(text, id="t", path=None, settings=settings))
    return [art.text[m.start : m.end] for m in art.layers["mentions"] if m.type == "ORG"]


def test_a_ministry_with_its_field_and_country_is_one_organisation():
    found = orgs("وأعلنت وزارة الصحة المصرية أمس تسجيل حالات جديدة.")
    assert "وزارة الصحة المصرية" in found


def test_a_long_institution_name_with_genitives():
    found = orgs("وقالت الهيئة العامة للسياحة والتراث الوطني إن الموسم بدأ.")
    assert "الهيئة العامة للسياحة والتراث الوطني" in found


def test_the_head_alone_is_a_back_reference_not_a_name():
    assert not any(o == "الوزارة" for o in orgs("وأوضحت الوزارة أن العمل مستمر."))


def test_a_generic_body_is_not_an_institution():
    assert "مجلس الإدارة" not in orgs("وافق مجلس الإدارة على الميزانية الجديدة.")


def test_platforms_are_organisations_and_proclitics_stay_outside():
    found = orgs("ونشر الوزير تغريدة على تويتر ثم كتب منشورا بفيسبوك مساء أمس.")
    assert "تويتر" in found and "فيسبوك" in found


def test_the_setting_turns_it_off():
    # a body the tagger alone does not find (the CRF trained with in-domain data now finds
    # وزارة الصحة المصرية by itself)
    text = "وقالت هيئة الرقابة والتحقيق إن الموظف أوقف."
    off = load_settings(entities={"institutions": False})
    assert "هيئة الرقابة والتحقيق" in orgs(text)
    assert "هيئة الرقابة والتحقيق" not in orgs(text, off)


def test_the_per_word_cache_gives_what_normalising_each_token_gives():
    from marsad.stages import institutions as inst
    from marsad.text.normalize import normalize_text

    lx = inst.lists()
    for token in ("للهيئة", "وبوزارة", "تويتر", "الصحة\u064e", "كلمة"):
        for _ in range(2):  # computed, then read from the cache
            w, cut, head, cut2, plat = inst._word(token, lx)
            assert w == normalize_text(token).strip()
            assert (cut, head) == inst._strip(w, lx.heads)
            assert (cut2, plat) == inst._strip(w, lx.platforms)
    text = "وقالت الهيئة العامة للسياحة والتراث الوطني إن الموسم بدأ."
    assert orgs(text) == orgs(text)
