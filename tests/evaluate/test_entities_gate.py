"""Quality gate on real data for the entity list: top-200 type accuracy and junk rate on the
entity-list gold (gold/entities/), dev and test halves together.

The gate runs the whole 2,000-article sample (about 40 s on one core: the entities stage and
resolution only). Floors are pinned in tests/evaluate/eval_baseline_entities.json, a little
below the measured figures."""

from __future__ import annotations

import json
from pathlib import Path

BASELINE = json.loads((Path(__file__).parent / "eval_baseline_entities.json").read_text())


def test_entity_list_gate(shared):
    from marsad.evaluate.entities import evaluate

    r = evaluate(None)
    figures = {k: r[k] for k in ("type_accuracy", "junk_rate", "bad_boundary_rate", "judged")}
    assert r["articles"] == 2000, figures
    # entities the gold does not know are not scored: too many means the gold needs judging
    assert len(r["unjudged"]) <= BASELINE["entities_max_unjudged"], r["unjudged"]
    assert r["type_accuracy"] >= BASELINE["entities_top200_type_accuracy"], figures
    assert r["junk_rate"] <= BASELINE["entities_top200_junk_rate_max"], figures
