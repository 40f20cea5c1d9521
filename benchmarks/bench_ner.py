"""Benchmark the NER model and the entities stage.

Run: ``MARSAD_SHARED=/work/shared python benchmarks/bench_ner.py [--limit N] [--model crf|neural|stack]``
(default: the tagger of the settings, ``[ner] model``).

1. Tagger alone on ANERcorp ``test.txt`` (25k tokens): tokens/s on one core.
2. The entities stage on real articles (ANT v2.1 by default): the earlier stages (blocks,
   sentences, tokens) run first and are not timed; the figure is the entities stage alone on
   one core, in articles/s and content tokens/s, with mentions found and peak RSS. Each run
   starts with a fresh per-type feature cache (a new tagger), so the cache warms up inside the
   timing as it does in a real batch.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from _corpus import foundation_articles, peak_rss_mb

from marsad.core.settings import load_settings
from marsad.evaluate.common import shared_data
from marsad.stages.entities import find_mentions
from marsad.stages.ner import data
from marsad.stages.ner.tagger import load_tagger


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--limit", type=int, default=2000, help="number of articles (default 2000)")
    ap.add_argument("--corpus", default="ant_v2.1.jsonl.gz")
    ap.add_argument("--model", choices=("crf", "neural", "stack"), default=None)
    args = ap.parse_args(argv)
    settings = load_settings()
    if args.model:
        settings["ner"]["model"] = args.model
    print(f"tagger          {settings['ner']['model']}")
    path = Path(shared_data()) / "news" / args.corpus
    test = Path(shared_data()) / "ner" / "anercorp" / "test.txt"
    if not path.exists() or not test.exists():
        print(f"shared data not found: {path} (set MARSAD_SHARED)", file=sys.stderr)
        return 1
    t0 = time.perf_counter()
    tagger = load_tagger(settings, fresh=True)
    tagger.tag(["تجربة"])
    print(f"model load      {time.perf_counter() - t0:.2f} s")
    sents = data.read_conll(test)
    ntok = sum(map(len, sents))
    for run in ("cold", "warm"):
        t0 = time.perf_counter()
        c0 = time.process_time()
        for s in sents:
            tagger.tag([w for w, _ in s])
        dt = time.perf_counter() - t0
        cpu = time.process_time() - c0
        print(
            f"tagger tokens/s {ntok / dt:.0f} (per CPU-s {ntok / cpu:.0f})"
            f"  ANERcorp test, {ntok} tokens, {run} feature cache"
        )
    arts = foundation_articles(path, args.limit, settings)
    load_tagger(settings).tag(["تجربة"])  # loaded outside the timing; its caches still cold
    t0 = time.perf_counter()
    c0 = time.process_time()
    found = 0
    for art in arts:
        found += len(find_mentions(art, settings))
    dt = time.perf_counter() - t0
    cpu = time.process_time() - c0
    tokens = sum(len(a.tokens) for a in arts)
    rss = peak_rss_mb()
    print(f"articles        {len(arts)}")
    print(f"mentions        {found}")
    print(f"seconds         {dt:.2f} (CPU {cpu:.2f})")
    print(f"articles/s      {len(arts) / dt:.0f} (per CPU-s {len(arts) / cpu:.0f})")
    print(f"tokens/s        {tokens / dt:.0f}  (all tokens of the articles)")
    print(f"peak RSS        {rss:.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
