"""Deterministic selection of the articles in the story-clustering gold set.

Prints one line per selected article: ``corpus<TAB>id``. Reads the shared data from
``$MARSAD_SHARED/data/news`` (default ``/work/shared``). Selection (see README.md):

* SaudiNewsNet: the two consecutive extraction days 2015-08-10 and 2015-08-11 (12 and 13
  outlets, the only days on which the Saudi Press Agency feed ``was`` is present together with
  all big dailies). A day has 1,700 articles, so we take a deterministic subset: for every
  (day, outlet) the first ``SNN_PER_OUTLET`` articles in corpus order (ascending id index,
  i.e. the order of the outlet's crawl, which starts with its lead stories).
* ANT v2.1: every article of categories ``middleEast`` and ``internationalNews`` whose DOCNO
  date suffix is 20180218, 20180219 or 20180220 (all five outlets present on each day).
"""

from __future__ import annotations

import gzip
import json
import os
import sys
from collections import defaultdict
from pathlib import Path

SNN_DAYS = ("2015-08-10", "2015-08-11")
SNN_PER_OUTLET = 10
ANT_DAYS = ("20180218", "20180219", "20180220")
ANT_CATEGORIES = ("middleEast", "internationalNews")


def news_dir() -> Path:
    return Path(os.environ.get("MARSAD_SHARED", "/work/shared")) / "data" / "news"


def _rows(name: str):
    with gzip.open(news_dir() / name, "rt", encoding="utf-8") as fh:
        for line in fh:
            yield json.loads(line)


def _snn_index(article_id: str) -> int:
    return int(article_id.rsplit("-", 1)[1])


def select() -> list[tuple[str, dict]]:
    """Return (corpus, row) pairs of the selected articles, in selection order."""
    out: list[tuple[str, dict]] = []
    groups: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for row in _rows("saudinewsnet.jsonl.gz"):
        day = row["date"][:10]
        if day in SNN_DAYS:
            groups[(day, row["source"])].append(row)
    for key in sorted(groups):
        rows = sorted(groups[key], key=lambda r: _snn_index(r["id"]))
        out.extend(("saudinewsnet", r) for r in rows[:SNN_PER_OUTLET])
    for row in _rows("ant_v2.1.jsonl.gz"):
        if row["category"] in ANT_CATEGORIES and row["id"][-8:] in ANT_DAYS:
            out.append(("ant_v2.1", row))
    return out


if __name__ == "__main__":
    for corpus, row in select():
        sys.stdout.write(f"{corpus}\t{row['id']}\n")
