"""What is ingested comes back identical (text, metadata, blocks, sentences, every layer span);
re-ingesting adds nothing; cross-article lists are stored and recomputed. Both backends."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import marsad
from marsad.core.serialise import document_json
from marsad.store import query
from marsad.store.db import DB
from marsad.store.ingest import ingest

from .conftest import EXAMPLES


def _counts(url: str) -> dict[str, int]:
    with DB(url, readonly=True) as db:
        c = query.counts(db)
        c["passages"] = db.one("SELECT count(*) FROM passages")[0]
        return c


def test_examples_round_trip_with_every_layer(store_url, fake_analysis):
    direct = marsad.analyze(EXAMPLES)
    summary = ingest([EXAMPLES], store_url, jobs=1)
    assert summary.stored == len(direct.documents) and summary.failed == 0
    assert summary.collected == {
        "entities": len(direct.extra["entities"]),
        "stories": len(direct.extra["stories"]),
    }
    with DB(store_url, readonly=True) as db:
        for art in direct.documents:
            got = query.document(db, art.id)
            layers = got.pop("layers")
            got.pop("raw")
            want = document_json(art)
            assert got == want
            for name, items in art.layers.items():
                rows = [dict(i.to_json(art), doc=art.id) for i in items]
                assert layers.get(name, []) == rows
                for r in rows:
                    assert art.text[r["start"] : r["end"]] == r["text"]
        assert list(query.collection(db, "entities")) == direct.extra["entities"]
        assert list(query.collection(db, "stories")) == direct.extra["stories"]


def test_reingest_is_a_no_op(store_url, fake_analysis):
    ingest([EXAMPLES], store_url, jobs=1)
    before = _counts(store_url)
    again = ingest([EXAMPLES], store_url, jobs=1)
    assert again.stored == 0 and again.skipped == again.read
    assert _counts(store_url) == before


def test_same_id_different_content_is_kept_apart(store_url, tmp_path: Path):
    a = tmp_path / "a"
    b = tmp_path / "b"
    a.mkdir()
    b.mkdir()
    (a / "x.txt").write_text("عنوان أول\n\nقالت الحكومة إن المحادثات مستمرة.\n", encoding="utf-8")
    (b / "x.txt").write_text("عنوان ثان\n\nقالت الوزارة إن الاجتماع انتهى.\n", encoding="utf-8")
    ingest([a], store_url, jobs=1)
    ingest([b], store_url, jobs=1)
    ingest([a, b], store_url, jobs=1)
    with DB(store_url, readonly=True) as db:
        assert sorted(r[0] for r in db.all("SELECT id FROM documents")) == ["x", "x~2"]


def test_new_articles_update_cross_article_lists(store_url, fake_analysis, tmp_path: Path):
    first = tmp_path / "first"
    first.mkdir()
    files = sorted(p for p in EXAMPLES.iterdir() if p.suffix == ".txt")
    for p in files[:3]:
        (first / p.name).write_bytes(p.read_bytes())
    ingest([first], store_url, jobs=1)
    with DB(store_url, readonly=True) as db:
        n_before = sum(len(s["documents"]) for s in query.collection(db, "stories"))
    ingest([EXAMPLES], store_url, jobs=1)
    direct = marsad.analyze(EXAMPLES)
    with DB(store_url, readonly=True) as db:
        stories = list(query.collection(db, "stories"))
        assert sum(len(s["documents"]) for s in stories) > n_before
        assert {s["id"] for s in stories} == {s["id"] for s in direct.extra["stories"]}
        assert {frozenset(s["documents"]) for s in stories} == {
            frozenset(s["documents"]) for s in direct.extra["stories"]
        }


# -- generated articles -------------------------------------------------------------------------
LETTERS = "ابتثجحخدذرزسشصضطظعغفقكلمنهويءآأإؤئىة"
MARKS = "\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652\u0640"
word = st.text(alphabet=LETTERS, min_size=1, max_size=8).flatmap(
    lambda w: st.lists(st.sampled_from(MARKS), max_size=2).map(
        lambda ms: w[:1] + "".join(ms) + w[1:]
    )
)
sentence = st.lists(word, min_size=1, max_size=12).map(lambda ws: " ".join(ws) + ".")
paragraph = st.lists(sentence, min_size=1, max_size=4).map(" ".join)
article = st.tuples(
    st.lists(word, min_size=1, max_size=6), st.lists(paragraph, min_size=1, max_size=4)
)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(articles=st.lists(article, min_size=1, max_size=4))
def test_generated_articles_round_trip(tmp_path_factory, articles):
    d = tmp_path_factory.mktemp("gen")
    with open(d / "a.jsonl", "w", encoding="utf-8") as fh:
        for k, (title, paras) in enumerate(articles):
            text = " ".join(title) + "\n\n" + "\n\n".join(paras) + "\n"
            fh.write(
                json.dumps(
                    {"id": f"g{k}", "text": text, "date": "2024-03-0" + str(1 + k % 9)},
                    ensure_ascii=False,
                )
                + "\n"
            )
    url = str(d / "s.db")
    direct = marsad.analyze(d / "a.jsonl")
    ingest([d / "a.jsonl"], url, jobs=1)
    ingest([d / "a.jsonl"], url, jobs=1)
    with DB(url, readonly=True) as db:
        ids = [r[0] for r in db.all("SELECT id FROM documents ORDER BY n")]
        assert len(ids) == len({a.sha1 for a in direct.documents})
        for art in direct.documents:
            if art.id not in ids:
                continue  # same text as an earlier record: stored once
            got = query.document(db, art.id)
            got.pop("layers"), got.pop("raw")
            assert got == document_json(art)
