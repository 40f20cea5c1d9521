"""Quality gate on real data: 1,000 ANT v2.1 articles (headline + body) with site chrome inserted
above, inside and below (see marsad.evaluate.boilerplate). Floors are pinned in
tests/evaluate/eval_baseline.json. The test split's chrome was written independently and is
never used for tuning; the dev split is what the cue lists were tuned on."""

from __future__ import annotations

import json
from pathlib import Path

BASELINE = json.loads((Path(__file__).parents[1] / "evaluate" / "eval_baseline.json").read_text())


def test_boilerplate_gate_heldout(shared):
    from marsad.evaluate.boilerplate import evaluate

    r = evaluate(str(shared / "news" / "ant_v2.1.jsonl.gz"), split="test", limit=1000)
    assert r["articles"] == 1000
    assert r["body_kept"] >= BASELINE["boilerplate_body_kept"], r
    assert r["chrome_removed"] >= BASELINE["boilerplate_chrome_removed"], {
        k: r[k] for k in ("body_kept", "chrome_removed")
    }


def test_boilerplate_gate_dev(shared):
    from marsad.evaluate.boilerplate import evaluate

    r = evaluate(str(shared / "news" / "ant_v2.1.jsonl.gz"), split="dev", limit=1000)
    assert r["body_kept"] >= BASELINE["boilerplate_body_kept"], r
    assert r["chrome_removed"] >= BASELINE["boilerplate_dev_chrome_removed"], r
