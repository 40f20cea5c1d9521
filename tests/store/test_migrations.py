"""Schema migrations: ordered, recorded, never losing data; a newer store is refused."""

from __future__ import annotations

import pytest

import marsad
from marsad.core.errors import UsageError
from marsad.core.serialise import document_json
from marsad.store import query
from marsad.store.db import DB
from marsad.store.ingest import _write, prepare
from marsad.store.schema import LATEST, MIGRATIONS, migrate, version
from marsad.store.search import search

from .conftest import EXAMPLES


def test_upgrade_from_version_1_keeps_data_and_backfills_search(store_url):
    arts = marsad.analyze(EXAMPLES).documents
    db = DB(store_url)
    try:
        assert migrate(db, target=1) == 1
        db.begin()
        for a in arts:
            p = prepare(a)
            # version 1 had no passages table: write only what it had
            db.execute(
                "INSERT INTO documents(id, sha1, title, outlet, published, text, doc, ingested_at) "
                "VALUES (?,?,?,?,?,?,?,?)",
                (
                    p.id,
                    p.sha1,
                    p.doc.get("title"),
                    p.doc.get("outlet"),
                    p.doc.get("published"),
                    p.text,
                    __import__("json").dumps(p.doc, ensure_ascii=False),
                    "2024-01-01",
                ),
            )
        db.commit()
        assert migrate(db) == LATEST
        assert [r[0] for r in db.all("SELECT version FROM migrations ORDER BY version")] == [
            v for v, _, _ in MIGRATIONS
        ]
        for a in arts:
            got = query.document(db, a.id)
            got.pop("layers"), got.pop("raw")
            assert got == document_json(a)
        assert search(db, "السودان")
        assert migrate(db) == LATEST  # idempotent
    finally:
        db.close()
    assert _write  # (imported to show the write path is separate from migrations)


def test_newer_store_is_refused(store_url):
    db = DB(store_url)
    try:
        migrate(db)
        db.begin()
        db.execute(
            "INSERT INTO migrations(version, name, applied_at) VALUES (?, 'future', 'x')",
            (LATEST + 1,),
        )
        db.commit()
        assert version(db) == LATEST + 1
        with pytest.raises(UsageError) as e:
            migrate(db)
        assert e.value.code == "E017"
    finally:
        db.close()
