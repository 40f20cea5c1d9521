"""The dev error listing of the quotes evaluation: what a helper reads to pick error classes."""

from __future__ import annotations

import pytest

from marsad.core.errors import UsageError
from marsad.evaluate.quotes import format_errors, score_article

TEXT = "وقال الوزير إن الخطة جاهزة. وأضاف المدير أن العمل بدأ."


def _result(split: str) -> dict:
    gold = [
        {"kind": "indirect", "cue": [0, 4], "content": [15, 26], "speaker": [5, 11],
         "speaker_id": "p1", "speaker_kind": "role", "via": None},
        {"kind": "indirect", "cue": [28, 33], "content": [44, 53], "speaker": [34, 40],
         "speaker_id": "p2", "speaker_kind": "role", "via": None},
    ]
    pred = [
        {"cue": {"start": 0, "end": 4, "text": "وقال"}, "content": {"start": 15, "end": 26},
         "speaker": {"start": 5, "end": 11}, "kind": "indirect", "speaker_source": "local"},
        {"cue": {"start": 28, "end": 33, "text": "وأضاف"}, "content": {"start": 44, "end": 53},
         "speaker": {"start": 5, "end": 11}, "kind": "indirect",
         "speaker_source": "continuation"},
    ]
    s = score_article(gold, pred)
    return {"split": split,
            "details": [{"corpus": "c", "id": "a1", "errors": s["errors"], "text": TEXT}]}


def test_lists_the_wrong_speaker_with_gold_and_prediction():
    out = format_errors(_result("dev"))
    assert "== speaker  c:a1" in out
    assert "speaker المدير" in out  # gold
    assert "speaker الوزير (continuation)" in out  # what was predicted, and how
    assert out.endswith("errors: speaker 1")
    assert format_errors(_result("dev"), {"missed"}).endswith("errors: ")


def test_refuses_the_test_split():
    with pytest.raises(UsageError):
        format_errors(_result("test"))
