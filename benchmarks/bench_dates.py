"""Benchmark the dates + quantities stages, and compare with dateparser's search_dates.

Usage: MARSAD_SHARED=/work/shared PYTHONPATH=src python benchmarks/bench_dates.py [--limit N]
       [--dateparser-limit M] [--no-dateparser]

1. Speed: runs the base stages (not timed) over the first N ANT v2.1 articles, then times the
   ``dates`` and ``quantities`` stages (with the normalised view built inside the timed part,
   and separately with it built beforehand). Prints articles/s and peak RSS.
2. dateparser (a benchmark-only dependency; ``pip install dateparser``): ``search_dates`` on
   the first M of the same texts (articles/s), and span F1 / value accuracy of both systems on
   the gold dev and test splits (``gold/time``, or ``--gold DIR``).
"""

from __future__ import annotations

import argparse
import sys
import time
import warnings
from datetime import datetime
from pathlib import Path

from _corpus import FOUNDATION, foundation_articles, peak_rss_mb

from marsad.core.settings import load_settings
from marsad.evaluate.timegold import analysed, load_gold, match_spans, prf, shared_data
from marsad.run.pipeline import Pipeline


def load_articles(limit: int):
    settings = load_settings()
    path = shared_data() / "news" / "ant_v2.1.jsonl.gz"
    arts = foundation_articles(path, limit, settings)
    texts = [(art.text, art.meta.published) for art in arts]
    return arts, texts, settings


def bench_marsad(arts, settings) -> tuple[float, float, int, int]:
    pipe = Pipeline(stages=[*FOUNDATION, "dates", "quantities"], settings=settings)
    stages = [s for s in pipe.stages if s.name in ("dates", "quantities")]
    # one-time start-up (compiling the word-list regexes) is not part of the per-article rate
    from copy import copy

    warm = copy(arts[0])
    warm.layers = {}
    for st in stages:
        st.func(warm, settings)
    t0 = time.process_time()
    nd = nq = 0
    for a in arts:
        for st in stages:
            st.func(a, settings)
        nd += len(a.layers["dates"])
        nq += len(a.layers["quantities"])
    t_with_norm = time.process_time() - t0
    # again, with the normalised view already built (it is shared with later stages)
    t0 = time.process_time()
    for a in arts:
        for st in stages:
            st.func(a, settings)
    t_no_norm = time.process_time() - t0
    return len(arts) / t_with_norm, len(arts) / t_no_norm, nd, nq


def _dp():
    try:
        from dateparser.search import search_dates
    except ImportError:
        return None
    warnings.filterwarnings("ignore")
    return search_dates


def bench_dateparser(texts, limit: int) -> float | None:
    search_dates = _dp()
    if search_dates is None:
        return None
    sample = texts[:limit]
    t0 = time.process_time()
    for text, pub in sample:
        base = datetime(pub.year, pub.month, pub.day) if pub else datetime.now()
        try:
            search_dates(text, languages=["ar"], settings={"RELATIVE_BASE": base})
        except Exception:
            pass
    return len(sample) / (time.process_time() - t0)


def accuracy(gold_path: Path) -> dict:
    """Span F1 (exact, overlap) and value accuracy of marsad and dateparser on one gold file."""
    recs = load_gold(gold_path)
    search_dates = _dp()
    res = {}
    tallies = {"marsad": [0, 0, 0, 0, 0], "dateparser": [0, 0, 0, 0, 0]}
    for rec, art in analysed(recs, ["dates"]):
        g = [tuple(d["span"]) for d in rec["dates"]]
        gv = [d["value"] for d in rec["dates"]]
        preds = {"marsad": [((x.start, x.end), x.value) for x in art.layers["dates"]]}
        if search_dates is not None:
            pub = art.meta.published
            base = datetime(pub.year, pub.month, pub.day)
            found = search_dates(art.text, languages=["ar"], settings={"RELATIVE_BASE": base}) or []
            spans, pos = [], 0
            for sub, dt in found:
                i = art.text.find(sub, pos)
                if i < 0:
                    i = art.text.find(sub)
                if i < 0:
                    continue
                pos = i + len(sub)
                spans.append(((i, i + len(sub)), dt.date().isoformat()))
            preds["dateparser"] = spans
        for name, pv in preds.items():
            p = [s for s, _ in pv]
            exact, overlap = match_spans(g, p)
            t = tallies[name]
            t[0] += len(g)
            t[1] += len(p)
            t[2] += len(exact)
            t[3] += len(overlap)
            for i, j in overlap:
                v = pv[j][1]
                # lenient for dateparser, which always returns a full date: prefix match
                t[4] += v == gv[i] or (name == "dateparser" and bool(gv[i]) and v.startswith(gv[i]))
    for name, (ng, np_, ex, ov, vok) in tallies.items():
        if name == "dateparser" and search_dates is None:
            continue
        res[name] = {
            "exact_f1": prf(ex, ng, np_)["f1"],
            "overlap_f1": prf(ov, ng, np_)["f1"],
            "value_accuracy": round(vok / ov, 4) if ov else 0.0,
        }
    return res


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--limit", type=int, default=2000)
    ap.add_argument("--dateparser-limit", type=int, default=200)
    ap.add_argument("--no-dateparser", action="store_true")
    ap.add_argument("--gold", default=str(Path(__file__).resolve().parents[1] / "gold" / "time"))
    args = ap.parse_args()
    if not (shared_data() / "news" / "ant_v2.1.jsonl.gz").exists():
        print("shared data not found: set MARSAD_SHARED", file=sys.stderr)
        return 2
    arts, texts, settings = load_articles(args.limit)
    rate, rate_no_norm, nd, nq = bench_marsad(arts, settings)
    chars = sum(len(a.text) for a in arts)
    print(
        f"marsad dates+quantities: {len(arts)} articles ({chars / len(arts):.0f} chars avg), "
        f"{nd} dates, {nq} figures"
    )
    print(
        f"  {rate:,.0f} articles/s of CPU time (normalised view built in the stage), "
        f"{rate_no_norm:,.0f} articles/s (view prebuilt)"
    )
    if not args.no_dateparser:
        dp = bench_dateparser(texts, args.dateparser_limit)
        if dp is None:
            print("dateparser not installed: pip install dateparser (benchmark-only)")
        else:
            print(
                f"dateparser search_dates: {dp:,.1f} articles/s "
                f"(first {min(args.dateparser_limit, len(texts))} articles)"
            )
    for split in ("dev", "test"):
        path = Path(args.gold) / f"{split}.jsonl"
        if path.exists():
            for name, r in accuracy(path).items():
                print(
                    f"  {split:4} {name:10} span F1 exact {r['exact_f1']:.3f} overlap "
                    f"{r['overlap_f1']:.3f}  value accuracy {r['value_accuracy']:.3f}"
                )
    print(f"peak RSS {peak_rss_mb():.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
