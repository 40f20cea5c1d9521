"""Benchmark the quotes stage over real articles from SaudiNewsNet.

Run: ``MARSAD_SHARED=/work/shared python benchmarks/bench_quotes.py [--limit N]``.
The earlier stages (blocks, sentences, tokens) run first and are not timed; the figure is the
quotes stage alone on one core (CPU time): articles per CPU-second, tokens/s, statements found
and peak RSS. The entities stage runs first, untimed (the speaker models use its mentions);
``--rules`` measures the rules without the speaker-extent and speaker-choice models.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from _corpus import foundation_articles, peak_rss_mb

from marsad.core.settings import load_settings
from marsad.evaluate.common import shared_data
from marsad.stages.quotes import find_quotes, lexicon


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--limit", type=int, default=2000, help="number of articles (default 2000)")
    ap.add_argument("--corpus", default="saudinewsnet.jsonl.gz")
    ap.add_argument("--rules", action="store_true",
                    help="the rules alone (no speaker-extent or speaker-choice model)")
    ap.add_argument("--no-entities", action="store_true",
                    help="do not run the entities stage first (the models then see no mentions)")
    args = ap.parse_args(argv)
    path = Path(shared_data()) / "news" / args.corpus
    if not path.exists():
        print(f"shared data not found: {path} (set MARSAD_SHARED)", file=sys.stderr)
        return 1
    settings = load_settings()
    if args.rules:
        settings = load_settings(quotes={"speaker_extent": "rules", "speaker_choice": "rules"})
    arts = foundation_articles(path, args.limit, settings)
    if not args.no_entities:  # the quotes stage uses the entity mentions (untimed)
        from marsad.stages.entities import STAGE as ENTITIES

        arts = [ENTITIES.func(a, settings) for a in arts]
    for art in arts:
        _ = art.norm  # the normalised view is shared by all extraction stages
    lexicon()  # load and compile the lexicon outside the timing
    find_quotes(arts[0], settings)  # load the models outside the timing
    t0 = time.process_time()
    found = 0
    for art in arts:
        found += len(find_quotes(art, settings))
    dt = time.process_time() - t0
    tokens = sum(len(a.tokens) for a in arts)
    rss = peak_rss_mb()
    print(f"articles        {len(arts)}")
    print(f"statements      {found}")
    print(f"seconds         {dt:.2f}")
    print(f"articles/CPU-s  {len(arts) / dt:.0f}")
    print(f"tokens/s        {tokens / dt:.0f}")
    print(f"peak RSS        {rss:.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
