"""Build ``src/marsad/resources/ar/story_df.tsv.gz``: document frequencies of light stems.

Counts, for every stem (:func:`marsad.collect.stories.features.content_stems`), how many articles of
the unlabelled news corpora in the shared data (ANT v1.1, ANT v2.1, SaudiNewsNet; title and
text) contain it. Only a derived count table is written (no text): stems seen in at least
``--min-df`` articles, at most ``--max-terms`` of them.

    MARSAD_SHARED=/work/shared PYTHONPATH=src python scripts/build_story_df.py
"""

from __future__ import annotations

import argparse
import gzip
import json
from collections import Counter
from multiprocessing import Pool
from pathlib import Path

from marsad.collect.stories.features import content_stems
from marsad.evaluate.common import CORPORA, shared_data
from marsad.text.normalize import normalize_text

OUT = (
    Path(__file__).resolve().parents[1] / "src" / "marsad" / "resources" / "ar" / "story_df.tsv.gz"
)


def _terms(line: str) -> set[str]:
    rec = json.loads(line)
    return set(content_stems(normalize_text((rec.get("title") or "") + "\n" + rec.get("text", ""))))


def _lines():
    for name in CORPORA.values():
        with gzip.open(shared_data() / "news" / name, "rt", encoding="utf-8") as fh:
            yield from fh


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--min-df", type=int, default=3)
    ap.add_argument("--max-terms", type=int, default=80_000)
    args = ap.parse_args()
    df: Counter[str] = Counter()
    n = 0
    with Pool(2) as pool:
        for terms in pool.imap_unordered(_terms, _lines(), chunksize=200):
            df.update(terms)
            n += 1
    rows = sorted(((t, c) for t, c in df.items() if c >= args.min_df), key=lambda r: (-r[1], r[0]))
    rows = rows[: args.max_terms]
    body = "".join(f"{t}\t{c}\n" for t, c in rows)
    header = f"#N\t{n}\n# stem<TAB>document frequency; built by scripts/build_story_df.py\n"
    OUT.write_bytes(gzip.compress((header + body).encode("utf-8"), mtime=0))
    print(f"{n} documents, {len(rows)} stems -> {OUT}")


if __name__ == "__main__":
    main()
