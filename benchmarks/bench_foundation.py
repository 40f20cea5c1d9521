"""Benchmark: reading, cleaning, normalising and segmenting ANT v2.1 (issue 2's target:
>= 2,000 articles/s on one core, peak memory flat as the corpus grows).

    python benchmarks/bench_foundation.py [--limit N] [--path FILE]

Prints articles/s, tokens/s and peak RSS, with RSS checkpoints to show memory stays flat.
Only the foundation stages run (language, blocks, metadata, sentences, tokens) plus the
normalised view of every article; extraction stages are benchmarked separately.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from marsad.core.article import Article
from marsad.readers import read
from marsad.run.pipeline import Pipeline

FOUNDATION = ["language", "blocks", "metadata", "sentences", "tokens"]


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    ap = argparse.ArgumentParser()
    repo = Path(__file__).resolve().parents[1]
    shared = Path(os.environ.get("MARSAD_SHARED", repo.parent / "shared"))
    ap.add_argument("--path", default=str(shared / "data" / "news" / "ant_v2.1.jsonl.gz"))
    ap.add_argument("--limit", type=int, default=None)
    args = ap.parse_args()
    pipe = Pipeline(stages=FOUNDATION)
    n = tokens = chars = errors = 0
    t_read = 0.0
    t0 = time.perf_counter()
    cpu0 = time.process_time()
    checkpoints = []
    it = read([args.path])
    while True:
        tr = time.perf_counter()
        item = next(it, None)
        t_read += time.perf_counter() - tr
        if item is None:
            break
        if not isinstance(item, Article):
            errors += 1
            continue
        art = pipe(item)
        _ = art.norm  # the normalised view with its offset map
        n += 1
        tokens += len(art.tokens)
        chars += len(art.text)
        if n % 5000 == 0:
            checkpoints.append((n, rss_mb()))
        if args.limit and n >= args.limit:
            break
    wall = time.perf_counter() - t0
    cpu = time.process_time() - cpu0
    print(f"articles        {n:,} ({errors} errors), {chars / max(n, 1):,.0f} chars/article")
    print(
        f"wall            {wall:.1f} s (reading+decoding JSON: {t_read:.1f} s), CPU {cpu:.1f} s, 1 core"
    )
    print(f"articles/s      {n / wall:,.0f} wall, {n / cpu:,.0f} per CPU-second")
    print(f"tokens/s        {tokens / wall:,.0f} ({tokens:,} tokens)")
    print(f"peak RSS        {rss_mb():.0f} MB")
    print("RSS by articles " + ", ".join(f"{k:,}: {v:.0f} MB" for k, v in checkpoints))


if __name__ == "__main__":
    main()
