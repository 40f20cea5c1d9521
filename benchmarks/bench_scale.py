"""Scale benchmark: the full ``analyze`` (analysis.json + report.html) single-process, with
``--jobs N`` and on a Dask LocalCluster of N workers, side by side.

    PYTHONPATH=src python benchmarks/bench_scale.py --limit 5000 [--jobs 2] [--modes single,jobs,dask]

Input: the first ``--limit`` records of ../shared/data/news/*.jsonl.gz taken in turn from each
file (or ``--input FILE.jsonl``; or ``--synthetic`` for generated articles). Each mode runs
in a fresh subprocess; figures: wall seconds, articles/s, CPU seconds (main process and its
workers, user + system), articles per CPU-second, peak RSS of the main process and of the
largest worker. The load average is printed: the machine may be shared.
"""

from __future__ import annotations

import argparse
import gzip
import itertools
import json
import os
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NEWS = ROOT.parent / "shared" / "data" / "news"

RUN = textwrap.dedent(
    """
    import json, resource, sys, time
    from marsad.output.directory import analyze_to_dir
    path, out, mode, n = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    kw = {"single": {}, "jobs": {"jobs": n}, "dask": {"scheduler": "local", "dask_workers": n}}
    t = time.perf_counter()
    s = analyze_to_dir([path], out, **kw[mode])
    wall = time.perf_counter() - t
    me = resource.getrusage(resource.RUSAGE_SELF)
    ch = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(json.dumps({
        "read": s.read, "analysed": s.analysed, "wall": wall,
        "cpu_main": me.ru_utime + me.ru_stime, "cpu_children": ch.ru_utime + ch.ru_stime,
        "rss_main_mb": me.ru_maxrss / 1024, "rss_worker_mb": ch.ru_maxrss / 1024,
    }))
    """
)


def make_input(args, tmp: Path) -> Path:
    if args.input:
        return Path(args.input)
    path = tmp / "input.jsonl"
    if args.synthetic:
        sys.path.insert(0, str(ROOT / "src"))
        from marsad.evaluate.synthetic import articles, write_jsonl

        return write_jsonl(path, articles(args.limit))
    files = sorted(NEWS.glob("*.jsonl.gz"))
    if not files:
        sys.exit(f"no corpus at {NEWS}: use --input or --synthetic")
    streams = [gzip.open(f, "rb") for f in files]
    with open(path, "wb") as out:
        lines = (x for group in itertools.zip_longest(*streams) for x in group if x)
        out.writelines(itertools.islice(lines, args.limit))
    return path


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--limit", type=int, default=5000, help="articles (default 5000)")
    ap.add_argument("--jobs", type=int, default=2, help="processes / Dask workers (default 2)")
    ap.add_argument("--modes", default="single,jobs,dask")
    ap.add_argument("--input", help="a .jsonl file instead of the corpus")
    ap.add_argument("--synthetic", action="store_true", help="generated articles")
    ap.add_argument("--json", action="store_true", help="print the figures as JSON too")
    args = ap.parse_args()
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    print(f"load average before: {os.getloadavg()}  cpus: {os.cpu_count()}")
    rows = {}
    with tempfile.TemporaryDirectory(prefix="marsad-bench-") as tmp:
        path = make_input(args, Path(tmp))
        for mode in args.modes.split(","):
            r = subprocess.run(
                [sys.executable, "-c", RUN, str(path), f"{tmp}/out-{mode}", mode, str(args.jobs)],
                capture_output=True,
                text=True,
                env=env,
            )
            if r.returncode != 0:
                print(f"{mode}: failed\n{r.stderr[-2000:]}")
                continue
            rows[mode] = json.loads(r.stdout.strip().splitlines()[-1])
    print(f"load average after: {os.getloadavg()}")
    label = {"single": "single", "jobs": f"--jobs {args.jobs}", "dask": f"dask x{args.jobs}"}
    head = f"{'mode':<10}{'articles':>9}{'wall s':>9}{'art/s':>8}{'CPU s':>8}{'art/CPU-s':>10}"
    print(head + f"{'RSS main':>10}{'RSS wkr':>9}{'vs single':>10}")
    base = rows.get("single")
    for mode, r in rows.items():
        cpu = r["cpu_main"] + r["cpu_children"]
        rate = r["analysed"] / r["wall"]
        speed = f"{(base['wall'] / r['wall']):.2f}x" if base else "-"
        print(
            f"{label[mode]:<10}{r['analysed']:>9}{r['wall']:>9.1f}{rate:>8.1f}{cpu:>8.1f}"
            f"{r['analysed'] / cpu:>10.1f}{r['rss_main_mb']:>9.0f}M{r['rss_worker_mb']:>8.0f}M"
            f"{speed:>10}"
        )
    if args.json:
        print(json.dumps(rows))


if __name__ == "__main__":
    main()
