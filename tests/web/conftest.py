"""Web test fixtures: a SQLite store built from examples/articles with fake layers, stories and
entities (see tests/store/fakes.py), plus one article containing markup."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from store.conftest import EXAMPLES, fake_analysis  # noqa: F401  (fixture re-export)

HOSTILE = '<script>alert("x")</script> خبر <img src=x onerror=alert(1)> عن بغداد'
#: Markup in an outlet name and inside quoted words (no slash: outlets are path segments).
HOSTILE_OUTLET = '"><svg onload=alert(3)>منفذ'
HOSTILE_QUOTE = "<script>alert(2)</script><iframe src=javascript:alert(4)> كلام"
#: What must never reach a page unescaped.
UNSAFE = ("<script", "<img src=x", "<svg onload", "<iframe")


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
                "text": f"{HOSTILE}\n\nقال مسؤول في بغداد إن {HOSTILE}.\n\n"
                f"وقال مسؤول في بغداد «{HOSTILE_QUOTE}» للصحفيين.\n",
                "date": "2024-03-12",
                "source": HOSTILE_OUTLET,
            },
            ensure_ascii=False,
        )
        + "\n",
        encoding="utf-8",
    )
    url = str(tmp_path / "web.db")
    ingest([EXAMPLES, extra], url, jobs=1)
    _link_speakers(url)
    return url


def _link_speakers(url: str) -> None:
    """The fake entities collector gives no speaker links: set ``speaker.entity`` of each stored
    quote to the entity of a mention overlapping its speaker span, as the real one does."""
    import sqlite3

    con = sqlite3.connect(url)
    mentions: dict[int, list[tuple[int, int, str]]] = {}
    for doc, s, e, ent in con.execute(
        "SELECT doc, span_start, span_end, json_extract(data, '$.entity') FROM items "
        "WHERE layer = 'mentions' AND json_extract(data, '$.entity') IS NOT NULL"
    ):
        mentions.setdefault(doc, []).append((s, e, ent))
    rows = con.execute("SELECT doc, seq, data FROM items WHERE layer = 'quotes'").fetchall()
    for doc, seq, data in rows:
        q = json.loads(data)
        sp = q.get("speaker")
        if not sp:
            continue
        hit = [m for m in mentions.get(doc, []) if m[0] < sp["end"] and sp["start"] < m[1]]
        if hit:
            sp["entity"] = hit[0][2]
            con.execute(
                "UPDATE items SET data = ? WHERE doc = ? AND layer = 'quotes' AND seq = ?",
                (json.dumps(q, ensure_ascii=False), doc, seq),
            )
    con.commit()
    con.close()
