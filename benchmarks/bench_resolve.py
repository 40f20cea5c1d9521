"""Benchmark entity resolution (the ``entities`` collector) on real articles.

Usage: MARSAD_SHARED=/work/shared PYTHONPATH=src python benchmarks/bench_resolve.py [--limit N]
       [--trace]

The first N ANT v2.1 articles go through the foundation stages and the ``entities`` stage (the
NER model; not timed). Timed: ``add`` for every article and ``results`` (process time). Prints
articles/s, mentions/s, entities, the size of the name-key index, and peak RSS before, after
``add`` and after ``results``; ``--trace`` also measures the memory the collector holds.
"""

from __future__ import annotations

import argparse
import time

from _corpus import FOUNDATION, foundation_articles, peak_rss_mb

from marsad.collect.entities import EntityCollector
from marsad.core.settings import load_settings
from marsad.evaluate.timegold import shared_data


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--limit", type=int, default=2000)
    ap.add_argument("--trace", action="store_true", help="measure the collector's memory")
    args = ap.parse_args()
    settings = load_settings()
    path = shared_data() / "news" / "ant_v2.1.jsonl.gz"
    arts = foundation_articles(path, args.limit, settings, [*FOUNDATION, "entities"])
    n_mentions = sum(len(a.layers["mentions"]) for a in arts)
    rss0 = peak_rss_mb()
    for a in arts:
        a.norm  # noqa: B018  (the normalised view is the article's, built by earlier stages)
    coll = EntityCollector(settings)
    t0 = time.process_time()
    for a in arts:
        coll.add(a)
    t_add = time.process_time() - t0
    if args.trace:  # memory held by the collector after every add (slow: tracemalloc)
        import tracemalloc

        tracemalloc.start()
        c2 = EntityCollector(settings)
        for a in arts:
            c2.add(a)
        held = tracemalloc.get_traced_memory()[0] / 2**20
        tracemalloc.stop()
        del c2
        print(f"collector state after add: {held:.1f} MB (tracemalloc)")
    rss_add = peak_rss_mb()
    t0 = time.process_time()
    res = coll.results()
    t_res = time.process_time() - t0
    rss1 = peak_rss_mb()
    ents = res["entities"]
    total = t_add + t_res
    print(f"articles: {len(arts)}, mentions: {n_mentions} ({n_mentions / len(arts):.1f}/article)")
    print(
        f"resolution: {len(arts) / total:.0f} articles/s, {n_mentions / total:.0f} mentions/s "
        f"(add {t_add:.2f} s, results {t_res:.2f} s)"
    )
    by_type: dict[str, int] = {}
    for e in ents:
        by_type[e["type"]] = by_type.get(e["type"], 0) + 1
    print(
        f"entities: {len(ents)} {by_type}; in 2+ documents: "
        f"{sum(1 for e in ents if e['documents'] > 1)}"
    )
    print(
        f"name-key index: {len(coll.index)} keys, "
        f"{sum(len(v) for v in coll.index.values())} entries"
    )
    print(
        f"peak RSS: {rss0:.0f} MB before resolution, {rss_add:.0f} MB after add, "
        f"{rss1:.0f} MB after results (output rows built)"
    )
    for e in ents[:10]:
        print(f"  {e['type']} {e['name']} docs={e['documents']} mentions={e['mention_count']}")


if __name__ == "__main__":
    main()
