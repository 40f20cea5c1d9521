"""The incremental store: an ingest analyses only its new articles, the collectors' saved state
carries the rest, lists change row by row with versions, and ids stay stable.

Runs the real stages and collectors on the bundled sample (texts written by us)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import marsad
from marsad.core.settings import load_settings
from marsad.run import worker
from marsad.store import query
from marsad.store.db import DB
from marsad.store.ingest import ingest, run_collectors

from .conftest import EXAMPLES

FIRST = [
    "almasaa-coalition-talks.txt",
    "alrased-baghdad-talks.txt",
    "almidan-sudan-talks.txt",
    "alnabaa-feed.jsonl",
]


def _split(tmp_path: Path) -> tuple[Path, Path]:
    a, b = tmp_path / "first", tmp_path / "second"
    a.mkdir()
    b.mkdir()
    for f in sorted(EXAMPLES.iterdir()):
        if f.name != "README.md":
            shutil.copy(f, (a if f.name in FIRST else b) / f.name)
    return a, b


class _Count:
    """Counts the articles the pipeline runs on (in this process: jobs=1)."""

    def __init__(self, monkeypatch):
        self.n = 0
        real = worker.Worker.__call__

        def counted(w, article):
            self.n += 1
            return real(w, article)

        monkeypatch.setattr(worker.Worker, "__call__", counted)


def _quotes(db: DB) -> list[dict]:
    out = []
    for (doc_id,) in db.all("SELECT id FROM documents ORDER BY n"):
        out.extend(query.document(db, doc_id)["layers"].get("quotes", []))
    return out


def test_ingest_gives_what_analyze_gives(tmp_path):
    """The same input through `analyze` and through `ingest` into an empty store: the same
    entities, stories and quotes (speaker links included)."""
    want = marsad.analyze(EXAMPLES).to_json()
    url = str(tmp_path / "s.db")
    ingest([EXAMPLES], url, jobs=1)
    with DB(url, readonly=True) as db:
        assert list(query.collection(db, "entities")) == want["entities"]
        assert list(query.collection(db, "stories")) == want["stories"]
        got = _quotes(db)
    key = lambda q: (q["doc"], q["start"])  # noqa: E731
    assert sorted(got, key=key) == sorted(want["quotes"], key=key)
    assert any(q["speaker"] and q["speaker"].get("entity") for q in got)


def test_second_ingest_analyses_only_new_articles(tmp_path, monkeypatch):
    first, second = _split(tmp_path)
    url = str(tmp_path / "s.db")
    count = _Count(monkeypatch)
    s1 = ingest([first], url, jobs=1)
    assert count.n == s1.stored > 0
    with DB(url, readonly=True) as db:
        stories1 = {s["id"]: s for s in query.collection(db, "stories")}
        versions1 = dict(db.all("SELECT id, version FROM collections WHERE list = 'stories'"))
    count.n = 0
    s2 = ingest([second], url, jobs=1)
    assert count.n == s2.stored > 0  # the stored articles were not analysed again
    with DB(url, readonly=True) as db:
        stories2 = {s["id"]: s for s in query.collection(db, "stories")}
        versions2 = dict(db.all("SELECT id, version FROM collections WHERE list = 'stories'"))
        kept = db.all("SELECT id, version, data FROM collection_versions WHERE list = 'stories'")
        (upto,) = db.one("SELECT max(upto) FROM collector_state")
        (n_docs,) = db.one("SELECT max(n) FROM documents")
    assert upto == n_docs
    # a story that grew keeps its id, gets the next version, and its earlier form is kept
    grown = [i for i in stories1 if i in stories2 and stories2[i] != stories1[i]]
    assert grown, "the second half of the sample adds articles to a story of the first"
    for i in grown:
        assert set(stories1[i]["documents"]) <= set(stories2[i]["documents"])
        assert versions2[i] == versions1[i] + 1
        assert (i, versions1[i]) in {(k, v) for k, v, _d in kept}
        old = next(json.loads(d) for k, v, d in kept if k == i and v == versions1[i])
        assert old == stories1[i]
    # every stored article is in exactly one story
    docs = [d for s in stories2.values() for d in s["documents"]]
    assert len(docs) == len(set(docs)) == n_docs


def test_no_collect_then_collect_catches_up(tmp_path, monkeypatch):
    """Articles stored without collecting (or by an ingest killed before its last transaction)
    are analysed again and added by the next collection; nothing is added twice."""
    first, second = _split(tmp_path)
    url = str(tmp_path / "s.db")
    ingest([first], url, jobs=1)
    ingest([second], url, jobs=1, collect=False)
    with DB(url, readonly=True) as db:
        assert db.one("SELECT value FROM state WHERE key = 'collect_pending'") is not None
    count = _Count(monkeypatch)
    summary = ingest([second], url, jobs=1)  # nothing new: only the catch-up
    assert summary.stored == 0 and count.n > 0
    count.n = 0
    run_collectors(DB(url))  # nothing left to catch up
    assert count.n == 0
    with DB(url, readonly=True) as db:
        assert db.one("SELECT value FROM state WHERE key = 'collect_pending'") is None
        docs = [d for s in query.collection(db, "stories") for d in s["documents"]]
        (n_docs,) = db.one("SELECT count(*) FROM documents")
    assert len(docs) == len(set(docs)) == n_docs


def test_changed_settings_rebuild_the_state(tmp_path, monkeypatch):
    url = str(tmp_path / "s.db")
    ingest([EXAMPLES], url, jobs=1)
    count = _Count(monkeypatch)
    settings = load_settings(stories={"threshold": 0.5})
    run_collectors(DB(url), settings)
    with DB(url, readonly=True) as db:
        (n_docs,) = db.one("SELECT count(*) FROM documents")
    assert count.n == n_docs  # every stored article, analysed again for the new settings


def test_rows_the_collectors_did_not_rebuild_are_left_as_they_are(tmp_path, monkeypatch):
    """Only rows built anew are compared and written (the others reach the store as stubs);
    what is stored afterwards is the lists the collectors gave, in their order, a stub's row
    being the one stored before."""
    from marsad.store import state

    first, second = _split(tmp_path)
    url = str(tmp_path / "s.db")
    ingest([first], url, jobs=1)
    with DB(url, readonly=True) as db:
        before = {
            n: {r.get("id"): r for r in query.collection(db, n)} for n in ("entities", "stories")
        }
    given: dict[str, list] = {}
    real = state.write_lists

    def spy(db, lists, *a, **k):
        out = real(db, lists, *a, **k)
        given.update({name: list(items) for name, items in lists.items()})
        return out

    monkeypatch.setattr(state, "write_lists", spy)
    ingest([second], url, jobs=1)
    stubs = 0
    with DB(url, readonly=True) as db:
        for name in ("entities", "stories", "duplicates"):
            stored = list(query.collection(db, name))
            assert len(stored) == len(given[name]), name
            for got, want in zip(stored, given[name], strict=True):
                if want.get("_unchanged"):
                    stubs += 1
                    assert got == before[name][want["id"]], (name, want["id"])
                else:
                    assert got == want, name
        v = dict(db.all("SELECT version, count(*) FROM collections GROUP BY version"))
    assert stubs > 0 and v.get(1, 0) > 0  # untouched rows keep their first version


def test_a_rebuilt_state_keeps_the_stored_ids(tmp_path):
    """When the saved state must be rebuilt (new settings or marsad version), entities keep
    their stored ids and stories the ids of the stored stories with the same articles."""
    first, second = _split(tmp_path)
    url = str(tmp_path / "s.db")
    ingest([first], url, jobs=1)

    def lists():
        with DB(url, readonly=True) as db:
            ents = {e["id"]: e["key"] for e in query.collection(db, "entities")}
            stories = {s["id"]: tuple(s["documents"]) for s in query.collection(db, "stories")}
        return ents, stories

    before = lists()
    run_collectors(DB(url), rebuild=True)
    assert lists() == before
    ingest([second], url, jobs=1)
    ents, _ = lists()
    for eid, key in before[0].items():
        assert ents.get(eid, key) == key  # an id never moves to another entity


def test_recollect_analyses_every_stored_article_again(tmp_path, monkeypatch):
    url = str(tmp_path / "s.db")
    ingest([EXAMPLES], url, jobs=1)
    with DB(url, readonly=True) as db:
        before = list(query.collection(db, "stories"))
        (n_docs,) = db.one("SELECT count(*) FROM documents")
    count = _Count(monkeypatch)
    summary = ingest([EXAMPLES], url, jobs=1, recollect=True)
    assert summary.stored == 0 and count.n == n_docs
    with DB(url, readonly=True) as db:
        assert list(query.collection(db, "stories")) == before  # same articles, same lists


def test_an_ingest_whose_stories_close_on_the_way_gives_what_analyze_gives(tmp_path):
    """With the stories collector flushing every two articles (stories that left the window
    are described during the ingest and their digests dropped), the store's stories are those
    of an analyze with the same settings."""
    settings = load_settings(stories={"flush_docs": 2})
    want = marsad.analyze(EXAMPLES, settings=settings).to_json()["stories"]
    url = str(tmp_path / "s.db")
    ingest([EXAMPLES], url, settings=settings, jobs=1)
    with DB(url, readonly=True) as db:
        assert list(query.collection(db, "stories")) == want
    assert len(want) > 1 and any(len(s["documents"]) > 1 for s in want)
