"""The event-gold measures on hand-made data (no shared data needed): per-event purity, angle
recall, distractors kept apart, key-fact matching and near-duplicate counting."""

from __future__ import annotations

import json

from marsad.evaluate.stories import event_rows, event_scores, is_event_gold
from marsad.evaluate.summary import fact_share, near_duplicate_pairs

EVENTS = [
    {
        "event": "e1",
        "corpus": "c",
        "articles": [{"id": "1", "sha1": "x"}, {"id": "2", "sha1": "x"}, {"id": "3", "sha1": "x"}],
        "distractor_of": None,
        "facts": [],
    },
    {
        "event": "d1",
        "corpus": "c",
        "articles": [{"id": "4", "sha1": "x"}],
        "distractor_of": "e1",
        "facts": [],
    },
    {
        "event": "e2",
        "corpus": "c",
        "articles": [{"id": "5", "sha1": "x"}, {"id": "6", "sha1": "x"}],
        "distractor_of": None,
        "facts": [],
    },
]


def test_event_scores():
    rows = event_rows(EVENTS)
    gold = {f"c:{r['id']}": r["cluster"] for r in rows}
    # e1 whole but with its distractor; e2 split in two
    pred = {"c:1": "s1", "c:2": "s1", "c:3": "s1", "c:4": "s1", "c:5": "s2", "c:6": "s3"}
    r = event_scores(EVENTS, gold, pred)
    assert r["events"] == 2
    assert r["angle_recall"] == 0.5
    assert r["distractor_pairs"] == 1 and r["distractors_apart"] == 0.0
    assert r["purity"] == round((3 / 4 + 1.0) / 2, 4)


def test_is_event_gold(tmp_path):
    (tmp_path / "dev.jsonl").write_text(json.dumps(EVENTS[0]) + "\n", "utf-8")
    assert is_event_gold(str(tmp_path))
    (tmp_path / "x.jsonl").write_text('{"corpus": "c", "id": "1", "cluster": "k"}\n', "utf-8")
    assert not is_event_gold(str(tmp_path / "x.jsonl"))
    assert not is_event_gold(None)


def test_fact_matching_like_the_gold():
    # a word matches bare or behind one proclitic; numbers also match their parts
    assert fact_share(["هجوم", "مسجد"], "وأدان الوزير الهجوم على المسجد.") == 1.0
    assert fact_share(["439491", "مسافرا"], "بلغ العدد 439.491 مسافرا") == 1.0
    assert fact_share(["هجوم", "ابها"], "وقع الهجوم في جازان") == 0.5
    # the gold's normalisation: alef forms, taa marbuta, diacritics
    assert fact_share(["اباتشي", "اضطراريا"], "هبوط اضطرارياً لطائرة أباتشي") == 1.0


def test_near_duplicate_pairs():
    a = "أعلنت وزارة الداخلية مقتل 12 شخصا في هجوم على مسجد في أبها."
    b = "وأعلنت وزارة الداخلية مقتل 12 شخصا في الهجوم على مسجد أبها اليوم."
    c = "ومن المقرر أن يزور الأمير المصابين في المستشفى غدا."
    assert near_duplicate_pairs([a, b, c]) == 1
