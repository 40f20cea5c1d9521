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
    off = load_settings(entities={"institutions": False})
    assert "وزارة الصحة المصرية" not in orgs("وأعلنت وزارة الصحة المصرية أمس تسجيل حالات.", off)
