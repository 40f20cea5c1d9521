"""Quality gate on real data: quotation attribution on the held-out test split of gold/quotes.

The gold set (156 real articles, 1,130 statements, offsets only; test split 93 articles, 635
statements) is loaded against the shared data; floors are pinned in
tests/evaluate/eval_baseline.json a little below the figures measured on the test split.
Development and the models' training used the dev split only.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
BASELINE = json.loads((Path(__file__).parent / "eval_baseline.json").read_text())
GOLD = REPO / "gold" / "quotes" / "test.jsonl"


def test_quotes_gate_heldout(shared):
    if not GOLD.exists():
        pytest.skip(f"quotes gold set not found at {GOLD}")
    from marsad.evaluate.quotes import evaluate

    r = evaluate(str(GOLD), split="test")
    assert r["articles"] > 0
    figures = {
        k: r[k]
        for k in ("content_exact", "content_overlap", "speaker_accuracy", "speaker_exact", "rows")
    }
    assert r["content_overlap"]["f1"] >= BASELINE["quotes_content_overlap_f1"], figures
    assert r["content_exact"]["f1"] >= BASELINE["quotes_content_exact_f1"], figures
    assert r["speaker_accuracy"] >= BASELINE["quotes_speaker_accuracy"], figures
    assert r["speaker_exact"] >= BASELINE["quotes_speaker_exact"], figures
    assert r["rows"]["precision"] >= BASELINE["quotes_rows_precision"], figures
    assert r["rows"]["recall"] >= BASELINE["quotes_rows_recall"], figures
