"""Exports: JSONL, CSV and CoNLL of articles, entities, quotes and stories."""

from __future__ import annotations

import csv
import io
import json

import pytest

from marsad.cli.main import main
from marsad.store.db import DB
from marsad.store.export import export
from marsad.store.ingest import ingest

from .conftest import EXAMPLES


@pytest.fixture
def sample_store(tmp_path, fake_analysis):
    url = str(tmp_path / "x.db")
    ingest([EXAMPLES], url, jobs=1)
    return url


@pytest.mark.parametrize("what", ["articles", "entities", "quotes", "stories"])
def test_jsonl_and_csv(sample_store, what):
    with DB(sample_store, readonly=True) as db:
        out = io.StringIO()
        n = export(db, "jsonl", what, out)
        rows = [json.loads(line) for line in out.getvalue().splitlines()]
        assert n == len(rows) > 0
        out = io.StringIO()
        assert export(db, "csv", what, out) == n
        assert len(list(csv.DictReader(io.StringIO(out.getvalue())))) == n
    if what == "articles":
        assert all(r["text"][b["start"] : b["end"]] == b["text"] for r in rows for b in r["blocks"])


def test_conll_tags_entities(sample_store):
    with DB(sample_store, readonly=True) as db:
        out = io.StringIO()
        export(db, "conll", "articles", out)
        text = dict(db.all("SELECT id, text FROM documents"))
    doc = None
    tags = set()
    for line in out.getvalue().splitlines():
        if line.startswith("-DOCSTART-"):
            doc = line.split(" ", 1)[1]
        elif line:
            tok, s, e, tag = line.split("\t")
            assert text[doc][int(s) : int(e)] == tok
            tags.add(tag)
    assert "B-LOC" in tags and "O" in tags


def test_cli_export_to_file(sample_store, tmp_path):
    out = tmp_path / "q.jsonl"
    assert main(["export", "--db", sample_store, "--what", "quotes", "-o", str(out)]) == 0
    assert out.read_text(encoding="utf-8").strip()
    assert main(["export", "--db", sample_store, "--what", "stories", "--format", "conll"]) == 2
