"""The full pipeline, stage by stage: where the CPU time of ``marsad analyze`` goes.

    PYTHONPATH=src python benchmarks/bench_pipeline.py [--limit 2000] [--corpus ant_v2.1]
                                                        [--disable STAGE] [--json]

Takes the first ``--limit`` readable records of ../shared/data/news/<corpus>.jsonl.gz (held in
memory as raw lines first, so reading the file is not timed) and runs, in one process:

1. the floor: a plain read + tokenise pass over the same input (record → Article, then the
   words of its text by one regular expression): what no analysis can go below;
2. the full run as ``marsad analyze`` does it: every stage, the collectors' per-article parts,
   every collector's ``add``, then its ``results``.

For each stage and collector part it prints CPU seconds (``time.process_time``: comparable on a
loaded machine), its share of the total, articles per CPU-second if it were alone, and at the
end the full run's articles per CPU-second, its ratio to the floor and the peak RSS. The writing
of analysis.json and report.html is not included (``bench_scale.py`` times whole commands).
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import resource
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from marsad import builtins  # noqa: E402
from marsad.core.errors import ArticleError  # noqa: E402
from marsad.core.settings import load_settings  # noqa: E402
from marsad.readers.jsonl import record_to_article  # noqa: E402
from marsad.run.pipeline import Pipeline  # noqa: E402

NEWS = Path(os.environ.get("MARSAD_SHARED", ROOT.parent / "shared")) / "data" / "news"


def raw_records(corpus: str, limit: int) -> list[str]:
    path = NEWS / f"{corpus}.jsonl.gz"
    if not path.exists():
        sys.exit(f"no corpus at {path} (set MARSAD_SHARED)")
    out: list[str] = []
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            if len(out) >= limit:
                break
            if line.strip():
                out.append(line)
    return out


def to_articles(lines: list[str], settings) -> list:
    arts = []
    for n, line in enumerate(lines, 1):
        try:
            arts.append(record_to_article(json.loads(line), "bench", "b", n, "utf-8", settings))
        except ArticleError:
            continue
    return arts


WORD = re.compile(r"\w+")


def floor_pass(lines: list[str], settings) -> tuple[float, int]:
    """CPU seconds of read + a one-regex tokenisation over ``lines``."""
    t = time.process_time()
    n = 0
    for art in to_articles(lines, settings):
        WORD.findall(art.text)
        n += 1
    return time.process_time() - t, n


def full_pass(lines: list[str], settings, disable: list[str]) -> tuple[dict, int, float]:
    """CPU seconds per step of the full run (pipeline stages, collector parts, collectors)."""
    pipe = Pipeline(settings=settings, disable=disable)
    pipe.warm_up()
    specs = builtins.enabled_collectors(settings, disable)
    preps = {c.name: c.prepare(settings) for c in specs if c.prepare is not None}
    collectors = {c.name: c.factory(settings) for c in specs}
    cost: dict[str, float] = defaultdict(float)
    clock = time.process_time
    t_all = clock()
    t = clock()
    arts = to_articles(lines, settings)
    cost["read"] += clock() - t
    n = 0
    for art in arts:
        try:
            for st in pipe.stages:
                t = clock()
                art = st.func(art, settings)
                cost[f"stage {st.name}"] += clock() - t
                art.done.append(st.name)
        except ArticleError:
            continue
        prepared = {}
        for name, fn in preps.items():
            t = clock()
            prepared[name] = fn(art)
            cost[f"prepare {name}"] += clock() - t
        art.__dict__["_prepared"] = prepared
        for name, col in collectors.items():
            t = clock()
            col.add(art)
            cost[f"collect {name}"] += clock() - t
        n += 1
    for name, col in collectors.items():
        t = clock()
        col.results()
        cost[f"results {name}"] += clock() - t
    return dict(cost), n, clock() - t_all


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--limit", type=int, default=2000)
    ap.add_argument("--corpus", default="ant_v2.1", help="ant_v2.1, ant_v1.1 or saudinewsnet")
    ap.add_argument("--disable", action="append", default=[], help="a stage or collector")
    ap.add_argument("--json", action="store_true", help="print the figures as JSON too")
    args = ap.parse_args()
    settings = load_settings()
    lines = raw_records(args.corpus, args.limit)
    print(f"{args.corpus}: {len(lines)} records; load average {os.getloadavg()[0]:.2f}")
    floor_cpu, floor_n = floor_pass(lines, settings)
    cost, n, total = full_pass(lines, settings, args.disable)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\n{'step':<26}{'CPU s':>9}{'share':>8}{'art/CPU-s alone':>17}")
    for step, sec in sorted(cost.items(), key=lambda kv: -kv[1]):
        alone = n / sec if sec else float("inf")
        print(f"{step:<26}{sec:>9.2f}{sec / total:>8.1%}{alone:>17,.0f}")
    rate, floor_rate = n / total, floor_n / floor_cpu
    print(f"\nfull run: {n} articles, {total:.2f} CPU s, {rate:,.1f} articles per CPU-second")
    print(f"floor (read + tokenise): {floor_rate:,.0f} articles per CPU-second")
    print(f"full / floor: {floor_rate / rate:,.1f}x the floor's cost;  peak RSS {rss:,.0f} MB")
    if args.json:
        print(json.dumps({"articles": n, "cpu": total, "rate": rate, "floor_rate": floor_rate,
                          "peak_rss_mb": rss, "steps": cost}, ensure_ascii=False))


if __name__ == "__main__":
    main()
