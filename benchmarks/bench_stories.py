"""Benchmark: story clustering of all of ANT v2.1 + SaudiNewsNet (~62k articles).

    python benchmarks/bench_stories.py [--limit N]

Two phases, timed separately:

1. **features** (not the target): both corpora are streamed and each record becomes a
   :class:`~marsad.collect.stories.features.DocFeatures` (normalised headline and lead stems, sampled
   shingle hashes, publication day) on 2 worker processes; texts are not kept.
2. **clustering** (the target, <= 60 s): the features are sorted by (day, corpus order) and fed
   to :class:`~marsad.collect.stories.cluster.StoryClusterer` one by one: TF-IDF vectors with
   incremental document frequencies, candidate retrieval over the active stories' inverted
   index, scoring, story updates and expiry.

Prints articles/s for both phases (clustering: wall clock and CPU time, since the machine
may be shared), the number of stories, candidate scorings per article,
the largest number of active stories, and peak RSS (ru_maxrss) after each phase.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import resource
import sys
import time
from multiprocessing import Pool
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from marsad.collect.stories.cluster import StoryClusterer, publication_order
from marsad.collect.stories.features import DocFeatures, features_from_text
from marsad.readers.base import parse_published

CORPORA = ("ant_v2.1.jsonl.gz", "saudinewsnet.jsonl.gz")


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _features(arg: tuple[int, str]) -> DocFeatures:
    order, line = arg
    rec = json.loads(line)
    d = parse_published(str(rec.get("date") or ""))
    f = features_from_text(
        str(rec["id"]),
        rec.get("title"),
        rec.get("text") or "",
        d.toordinal() if d else None,
        rec.get("source"),
    )
    f.order = order
    return f


def _lines(folder: Path, limit: int | None):
    n = 0
    for name in CORPORA:
        with gzip.open(folder / name, "rt", encoding="utf-8") as fh:
            for line in fh:
                yield n, line
                n += 1
                if limit and n >= limit:
                    return


def main() -> None:
    ap = argparse.ArgumentParser()
    repo = Path(__file__).resolve().parents[1]
    shared = Path(os.environ.get("MARSAD_SHARED", repo.parent / "shared"))
    ap.add_argument("--data", default=str(shared / "data" / "news"))
    ap.add_argument("--limit", type=int, default=None)
    ap.add_argument("--workers", type=int, default=2)
    args = ap.parse_args()

    t0 = time.perf_counter()
    with Pool(args.workers) as pool:
        feats = []
        for f in pool.imap(_features, _lines(Path(args.data), args.limit), chunksize=256):
            # Share the stem strings between articles (they arrive as copies from the workers).
            f.counts = {sys.intern(t): c for t, c in f.counts.items()}
            f.title_terms = [sys.intern(t) for t in f.title_terms]
            feats.append(f)
    t1 = time.perf_counter()
    n = len(feats)
    print(
        f"features: {n} articles in {t1 - t0:.1f} s ({n / (t1 - t0):.0f} articles/s, "
        f"{args.workers} workers); peak RSS {rss_mb():.0f} MB"
    )

    t2 = time.perf_counter()
    c2 = time.process_time()
    cl = StoryClusterer()
    max_active = 0
    for f in publication_order(feats):
        cl.add(f)
        max_active = max(max_active, len(cl.active))
    t3 = time.perf_counter()
    c3 = time.process_time()
    multi = sum(1 for s in cl.stories if len(s.members) > 1)
    print(
        f"clustering: {n} articles in {t3 - t2:.1f} s wall, {c3 - c2:.1f} s CPU "
        f"({n / (t3 - t2):.0f} articles/s wall, {n / (c3 - c2):.0f}/s CPU, 1 core); "
        f"{len(cl.stories)} stories ({multi} with 2+ articles); "
        f"{cl.scored / max(n, 1):.1f} candidate scorings per article; "
        f"at most {max_active} active stories; peak RSS {rss_mb():.0f} MB"
    )


if __name__ == "__main__":
    main()
