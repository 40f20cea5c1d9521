"""Quality gates on real data for stories: B-cubed on the story gold (test split) and the
summariser's ROUGE against ANT v2.1 abstracts (held-out lead, 100 test articles). Floors are
pinned in tests/evaluate/eval_baseline.json, a little below the measured figures."""

from __future__ import annotations

import json
from pathlib import Path

BASELINE = json.loads((Path(__file__).parent / "eval_baseline.json").read_text())


def test_story_clustering_gate(shared):
    from marsad.evaluate.stories import evaluate

    r = evaluate(None, split="test")
    assert r["articles"] == 275
    assert r["f1"] >= BASELINE["stories_bcubed_f1_test"], r
    assert r["precision"] >= BASELINE["stories_bcubed_precision_test"], r


def test_summary_gate(shared):
    from marsad.core.settings import load_settings
    from marsad.evaluate.summary import single_document

    r = single_document("test", 100, True, load_settings())
    assert r["articles"] == 100
    ours = r["scores"]["abstract_length"]["marsad"]
    assert ours["rouge1"] >= BASELINE["summary_rouge1_heldout_test"], r
    assert ours["rougeL"] >= BASELINE["summary_rougeL_heldout_test"], r
