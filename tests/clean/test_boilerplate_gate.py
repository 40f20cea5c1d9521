"""Quality gate on real data: 1,000 ANT v2.1 bodies with our chrome inserted (see
marsad.evaluate.boilerplate). Floors are pinned in tests/evaluate/eval_baseline.json."""

from __future__ import annotations

import json
from pathlib import Path

BASELINE = json.loads((Path(__file__).parents[1] / "evaluate" / "eval_baseline.json").read_text())


def test_boilerplate_gate(shared):
    from marsad.evaluate.boilerplate import evaluate

    r = evaluate(str(shared / "news" / "ant_v2.1.jsonl.gz"), limit=1000)
    assert r["articles"] == 1000
    assert r["body_kept"] >= BASELINE["boilerplate_body_kept"], r
    assert r["chrome_removed"] >= BASELINE["boilerplate_chrome_removed"], r
