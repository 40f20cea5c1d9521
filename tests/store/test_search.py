"""Arabic-aware search: diacritics, tatweel, letter and spelling variants, clitics and plurals;
highlights are exact spans of the original text; filters. Both backends."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from marsad.store.db import DB
from marsad.store.ingest import ingest
from marsad.store.search import search
from marsad.store.terms import query_terms, stem_form, word_form

# Invented sentences (no shared data): one idea per article.
ARTICLES = {
    "a1": ("2024-03-01", "منفذ أ", "عنوان أول", "قالت الإدارة الأمريكية إن المحادثات مستمرة."),
    "a2": ("2024-03-02", "منفذ ب", "عنوان ثان", "رحبت الحكومات العربية بالاتفاق الجديد."),
    "a3": ("2024-03-05", "منفذ أ", "عنوان ثالث", "وصل الوفدُ إلى العاصمةِ مساءَ أمس."),
    "a4": ("2024-03-09", "منفذ ب", "عنوان رابع", "أكد المسؤولون الأميركيون دعمهم للحكومة."),
    "a5": ("2024-03-10", "منفذ ج", "عنوان خامس", "انتهت الجولــــة الأولى دون نتائج واضحة."),
}


@pytest.fixture
def corpus(store_url, tmp_path: Path) -> str:
    with open(tmp_path / "c.jsonl", "w", encoding="utf-8") as fh:
        for i, (d, outlet, title, body) in ARTICLES.items():
            fh.write(
                json.dumps(
                    {
                        "id": i,
                        "date": d,
                        "source": outlet,
                        "title": title,
                        "text": f"{title}\n\n{body}\n",
                    },
                    ensure_ascii=False,
                )
                + "\n"
            )
    ingest([tmp_path / "c.jsonl"], store_url, jobs=1)
    return store_url


def docs(url: str, q: str, **kw) -> list[str]:
    return [h.doc for h in search(url, q, **kw)]


def test_terms_fold_variants_and_stems():
    assert word_form("الاميركيه") == word_form("الامريكيه")
    assert stem_form("الحكومات") == stem_form("حكومه") == stem_form("والحكومه")
    assert stem_form("الامريكيون") == stem_form("الامريكيه")
    assert [t.word for t in query_terms("الوفدُ الوفد")] == ["الوفد"]


@pytest.mark.parametrize(
    "query,expected",
    [
        ("الأميركية", {"a1", "a4"}),  # spelling variant (ي before ر), hamza; stem: الأميركيون
        ("الامريكيه", {"a1", "a4"}),  # taa marbuta / alef folded in the query
        ("الأمريكيين", {"a1", "a4"}),  # plural and nisba stems
        ("حكومة", {"a2", "a4"}),  # plural الحكومات, clitic للحكومة
        ("الوفد العاصمة", {"a3"}),  # diacritics in the text; AND of words
        ("الجولة", {"a5"}),  # tatweel in the text
        ("غائب", set()),
    ],
)
def test_arabic_matching(corpus, query, expected):
    assert set(docs(corpus, query)) == expected


def test_highlights_are_original_spans(corpus):
    with DB(corpus, readonly=True) as db:
        texts = dict(db.all("SELECT id, text FROM documents"))
    for q, word in [("الجولة", "الجولــــة"), ("العاصمة", "العاصمةِ"), ("الإدارة", "الإدارة")]:
        hits = search(corpus, q)
        assert hits
        for h in hits:
            for s in h.snippets:
                assert texts[h.doc][s.start : s.end] == s.text
                assert s.highlights
                for a, b in s.highlights:
                    assert texts[h.doc][a:b] == word


def test_exact_form_ranks_above_stem_only(corpus):
    assert docs(corpus, "الأميركية")[0] == "a1"
    hits = search(corpus, "الحكومات")
    assert next(h.doc for h in hits) == "a2"  # exact word beats للحكومة (stem only)
    assert hits[0].score > hits[-1].score


def test_filters(corpus):
    assert set(docs(corpus, "حكومة", outlet="منفذ ب")) == {"a2", "a4"}
    assert set(docs(corpus, "حكومة", since="2024-03-05")) == {"a4"}
    assert set(docs(corpus, "حكومة", until="2024-03-05")) == {"a2"}
    assert set(docs(corpus, "", outlet="منفذ أ")) == {"a1", "a3"}
    assert docs(corpus, "حكومة", entity="لا أحد") == []


def test_story_and_entity_filters(store_url, fake_analysis):
    from .conftest import EXAMPLES

    ingest([EXAMPLES], store_url, jobs=1)
    with DB(store_url, readonly=True) as db:
        stories = dict(db.all("SELECT id, data FROM collections WHERE list = 'stories'"))
    sid, data = next(iter(stories.items()))
    in_story = set(json.loads(data)["documents"])
    got = set(docs(store_url, "", story=sid, limit=100))
    assert got == in_story
    assert set(docs(store_url, "القاهرة", story=sid, limit=100)) <= in_story
    by_name = set(docs(store_url, "", entity="بغداد", limit=100))
    by_id = set(docs(store_url, "", entity=fake_analysis.entity_id("بغداد"), limit=100))
    assert by_name and by_name == by_id
