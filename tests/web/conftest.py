"""Web test fixtures: a SQLite store built from examples/articles with fake layers, stories and
entities (see tests/store/fakes.py), plus one article containing markup."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from store.conftest import EXAMPLES, fake_analysis  # noqa: F401  (fixture re-export)

HOSTILE = '<script>alert("x")</script> خبر <img src=x onerror=alert(1)> عن بغداد'


@pytest.fixture
def web_store(tmp_path: Path, fake_analysis) -> str:  # noqa: F811
    from marsad.store.ingest import ingest

    extra = tmp_path / "extra"
    extra.mkdir()
    (extra / "hostile.jsonl").write_text(
        json.dumps(
            {
                "id": "hostile",
                "title": HOSTILE,
                "text": f"{HOSTILE}\n\nقال مسؤول في بغداد إن {HOSTILE}.\n",
                "date": "2024-03-12",
            },
            ensure_ascii=False,
        )
        + "\n",
        encoding="utf-8",
    )
    url = str(tmp_path / "web.db")
    ingest([EXAMPLES, extra], url, jobs=1)
    return url
