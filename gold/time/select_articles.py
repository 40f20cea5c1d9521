"""Deterministic selection of the articles annotated in the time/figures gold set.

Reads the two news corpora from the shared data folder, keeps articles whose ``text`` has
300-1200 characters, contains a digit (ASCII or Arabic-Indic) and a weekday or month name
(Gregorian, Levantine or Hijri), shuffles the eligible ids of each corpus with a fixed seed and
takes them in that order, at most ``PER_OUTLET`` per outlet, until ``PER_CORPUS`` are drawn.
Then it splits the selection into dev/test per corpus with a second seeded shuffle.

Prints only ids (no text) as JSON lines: {"corpus", "id", "source", "split"}.
Usage: MARSAD_SHARED=/work/shared python gold/time/select_articles.py > /tmp/time_scratch/sel.jsonl
"""

from __future__ import annotations

import gzip
import json
import os
import random
import re
from pathlib import Path

SEED = 20240611
SPLIT_SEED = 7
PER_CORPUS = 17
PER_OUTLET = 4
DEV_PER_CORPUS = 7  # 14 of 34 = ~41 % dev
MIN_LEN, MAX_LEN = 300, 1200
CORPORA = {"saudinewsnet": "saudinewsnet.jsonl.gz", "ant": "ant_v2.1.jsonl.gz"}

_NAMES = (
    "يناير فبراير مارس أبريل إبريل ابريل مايو يونيو يوليو أغسطس اغسطس سبتمبر أكتوبر اكتوبر "
    "نوفمبر ديسمبر كانون شباط آذار اذار نيسان أيار ايار حزيران تموز آب أيلول ايلول تشرين "
    "محرم ربيع جمادى رجب شعبان رمضان شوال القعدة الحجة "
    "الأحد الاحد الاثنين الإثنين الثلاثاء الأربعاء الاربعاء الخميس الجمعة السبت"
).split()
NAME_RE = re.compile(r"(?<![\w])(?:[وبلف]?)(?:" + "|".join(_NAMES) + r")(?![\w])")
DIGIT_RE = re.compile(r"[0-9\u0660-\u0669]")


def eligible(text: str) -> bool:
    return (
        MIN_LEN <= len(text) <= MAX_LEN
        and bool(DIGIT_RE.search(text))
        and bool(NAME_RE.search(text))
    )


def main() -> None:
    root = Path(os.environ.get("MARSAD_SHARED", Path(__file__).resolve().parents[3] / "shared"))
    news = root / "data" / "news"
    for corpus, fname in CORPORA.items():
        pool = []
        with gzip.open(news / fname, "rt", encoding="utf-8") as fh:
            for line in fh:
                rec = json.loads(line)
                if eligible(rec["text"]):
                    pool.append((rec["id"], rec["source"]))
        pool.sort()
        random.Random(SEED).shuffle(pool)
        chosen: list[tuple[str, str]] = []
        per: dict[str, int] = {}
        for rid, src in pool:
            if per.get(src, 0) >= PER_OUTLET:
                continue
            per[src] = per.get(src, 0) + 1
            chosen.append((rid, src))
            if len(chosen) == PER_CORPUS:
                break
        order = sorted(chosen)
        random.Random(SPLIT_SEED).shuffle(order)
        dev = {rid for rid, _ in order[:DEV_PER_CORPUS]}
        for rid, src in chosen:
            row = {
                "corpus": corpus,
                "id": rid,
                "source": src,
                "split": "dev" if rid in dev else "test",
                "pool": len(pool),
            }
            print(json.dumps(row, ensure_ascii=False))


if __name__ == "__main__":
    main()
