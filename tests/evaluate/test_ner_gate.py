"""Quality gate on real data: the shipped NER model on the ANERcorp test split.

The model is trained on ANERcorp ``train.txt`` only (settings chosen on a held-out part of
train); floors are pinned in tests/evaluate/eval_baseline.json a little below the figures
measured once on ``test.txt``.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

BASELINE = json.loads((Path(__file__).parent / "eval_baseline.json").read_text())


def test_ner_gate_anercorp_test(shared):
    test = shared / "ner" / "anercorp" / "test.txt"
    if not test.exists():
        pytest.skip(f"../shared/data absent: ANERcorp test split not found at {test}")
    from marsad.evaluate.ner import evaluate

    r = evaluate(str(test))
    assert r["tokens"] > 20_000
    figures = {k: r[k] for k in ("precision", "recall", "f1")}
    figures["per_type"] = {t: v["f1"] for t, v in r["per_type"].items()}
    assert r["f1"] >= BASELINE["ner_anercorp_test_f1"], figures
    assert r["precision"] >= BASELINE["ner_anercorp_test_precision"], figures
    assert r["recall"] >= BASELINE["ner_anercorp_test_recall"], figures
