"""Quality gate: dates and figures on the gold test split must not fall below the pinned floors.

The floors are in ``tests/evaluate/eval_baseline.json`` (set a little below the measured
figures). The gold (``gold/time/test.jsonl``: ids and offsets only) is scored against the shared
news corpora; the test skips when either is absent.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SHARED = Path(os.environ.get("MARSAD_SHARED", REPO.parent / "shared")) / "data"
GOLD = Path(os.environ.get("MARSAD_GOLD_TIME", REPO / "gold" / "time")) / "test.jsonl"
BASELINE = json.loads((Path(__file__).parent / "eval_baseline.json").read_text("utf-8"))

pytestmark = [
    pytest.mark.skipif(
        not (SHARED / "news" / "ant_v2.1.jsonl.gz").exists()
        or not (SHARED / "news" / "saudinewsnet.jsonl.gz").exists(),
        reason=f"shared news corpora not found under {SHARED} (set MARSAD_SHARED)",
    ),
    pytest.mark.skipif(not GOLD.exists(), reason=f"gold file not found: {GOLD}"),
]


def test_dates_gate() -> None:
    from marsad.evaluate.time import evaluate

    r = evaluate(str(GOLD))
    assert r["overlap"]["f1"] >= BASELINE["time_date_span_f1"], r["overlap"]
    assert r["value_accuracy"] >= BASELINE["time_value_accuracy"], r["value_accuracy"]


def test_figures_gate() -> None:
    from marsad.evaluate.figures import evaluate

    r = evaluate(str(GOLD))
    assert r["overlap"]["f1"] >= BASELINE["figures_f1"], r["overlap"]
    assert r["value_accuracy"] >= BASELINE["figures_value_accuracy"], r["value_accuracy"]
