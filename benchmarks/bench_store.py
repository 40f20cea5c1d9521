"""Benchmark: ingest rate into SQLite, search latency (p50/p95) and story page render time.

    python benchmarks/bench_store.py [--limit N] [--db FILE] [--jobs N] [--queries N]

Ingests /work/shared/data/news (all three files, ~72k articles; MARSAD_SHARED as in the tests)
with the stages registered on this branch, then times searches for words sampled from the
stored text (single words and two-word queries, with and without filters), and renders a story
page through the app (a story of the busiest outlet-day is inserted when the store has none).
Targets (issue 7): ingest >= 500 articles/s on 2 cores; search p95 < 50 ms; story page < 200 ms.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from marsad.run.pipeline import Pipeline
from marsad.store.collections import write_lists
from marsad.store.db import DB
from marsad.store.ingest import ingest
from marsad.store.search import search


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, round(p / 100 * (len(xs) - 1)))]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--limit", type=int, default=None, help="articles per file (default: all)")
    ap.add_argument("--db", default="/tmp/marsad-bench.db")
    ap.add_argument("--jobs", type=int, default=os.cpu_count())
    ap.add_argument("--queries", type=int, default=300)
    ap.add_argument("--keep", action="store_true", help="reuse an existing store (skip ingest)")
    args = ap.parse_args()
    shared = (
        Path(os.environ.get("MARSAD_SHARED", Path(__file__).resolve().parents[2] / "shared"))
        / "data"
        / "news"
    )
    files = sorted(shared.glob("*.jsonl.gz"))
    if not files:
        print(f"no data at {shared}", file=sys.stderr)
        return 2
    if args.limit:
        import gzip

        tmp = Path("/tmp/marsad-bench-input")
        tmp.mkdir(exist_ok=True)
        limited = []
        for f in files:
            out = tmp / f.name.replace(".gz", "")
            with gzip.open(f, "rt", encoding="utf-8") as fi, open(out, "w", encoding="utf-8") as fo:
                for k, line in enumerate(fi):
                    if k >= args.limit:
                        break
                    fo.write(line)
            limited.append(out)
        files = limited
    print(f"stages: {', '.join(Pipeline().names)}")
    if not args.keep:
        for suffix in ("", "-wal", "-shm"):
            Path(args.db + suffix).unlink(missing_ok=True)
        t0 = time.perf_counter()
        s = ingest(files, args.db, jobs=args.jobs)
        wall = time.perf_counter() - t0
        cpu = (
            resource.getrusage(resource.RUSAGE_SELF).ru_utime
            + resource.getrusage(resource.RUSAGE_CHILDREN).ru_utime
        )
        print(
            f"ingest          {s.stored:,} stored, {s.failed} failed, {wall:.1f} s wall, {args.jobs} workers"
        )
        print(
            f"articles/s      {s.stored / wall:,.0f} (wall, {os.cpu_count()} cores); CPU {cpu:.0f} s"
        )
        print(f"store size      {os.path.getsize(args.db) / 1e6:,.0f} MB")
        t0 = time.perf_counter()
        s2 = ingest(files, args.db, jobs=args.jobs)
        print(
            f"re-ingest       {s2.stored} stored, {s2.skipped:,} skipped in {time.perf_counter() - t0:.1f} s"
        )
    db = DB(args.db, readonly=True)
    n_docs = db.one("SELECT count(*) FROM documents")[0]
    n_pass = db.one("SELECT count(*) FROM passages")[0]
    print(f"store           {n_docs:,} documents, {n_pass:,} passages")
    # Queries: words sampled from stored passages (so most have hits), mixed lengths.
    rnd = random.Random(1)
    sample = [
        r[0]
        for r in db.all(
            "SELECT title FROM documents WHERE title IS NOT NULL ORDER BY random() LIMIT 2000"
        )
    ]
    words = [w for t in sample for w in t.split() if len(w) > 3]
    outlets = [
        r[0] for r in db.all("SELECT DISTINCT outlet FROM documents WHERE outlet IS NOT NULL")
    ]
    queries = []
    for k in range(args.queries):
        q = " ".join(rnd.sample(words, 2 if k % 3 == 0 else 1))
        f = {"outlet": rnd.choice(outlets)} if k % 5 == 0 and outlets else {}
        if k % 7 == 0:
            f["since"] = "2018-01-01"
        queries.append((q, f))
    for q, f in queries[:10]:
        search(db, q, **f)  # warm the page cache
    times, n_hits = [], 0
    for q, f in queries:
        t0 = time.perf_counter()
        hits = search(db, q, limit=20, **f)
        times.append((time.perf_counter() - t0) * 1000)
        n_hits += bool(hits)
    print(
        f"search          {len(times)} queries ({n_hits} with hits): p50 {pct(times, 50):.1f} ms, "
        f"p95 {pct(times, 95):.1f} ms, max {max(times):.1f} ms"
    )
    # Story page render.
    from fastapi.testclient import TestClient

    from marsad.web.app import create_app

    row = db.one("SELECT id FROM collections WHERE list = 'stories' LIMIT 1")
    db.close()
    if row is None:
        rw = DB(args.db)
        outlet, day = rw.one(
            "SELECT outlet, published FROM documents WHERE published IS NOT NULL "
            "GROUP BY outlet, published ORDER BY count(*) DESC LIMIT 1"
        )
        docs = rw.all(
            "SELECT id, doc, text FROM documents WHERE outlet = ? AND published = ? LIMIT 40",
            (outlet, day),
        )
        summary, timeline = [], []
        for i, d, text in docs:
            doc = json.loads(d)
            s = next(
                (s for s in doc["sentences"] if doc["blocks"][s["block"]]["kind"] == "body"), None
            )
            if s:
                summary.append(
                    {
                        "doc": i,
                        "start": s["start"],
                        "end": s["end"],
                        "text": text[s["start"] : s["end"]],
                    }
                )
                timeline.append(
                    {
                        "date": day,
                        "doc": i,
                        "start": s["start"],
                        "end": s["end"],
                        "text": text[s["start"] : s["end"]],
                    }
                )
        rw.begin()
        write_lists(
            rw,
            {
                "stories": [
                    {
                        "id": "bench",
                        "title": "bench",
                        "documents": [r[0] for r in docs],
                        "summary": summary[:8],
                        "timeline": timeline,
                    }
                ]
            },
            None,
        )
        rw.commit()
        rw.close()
        story, note = "bench", f" (inserted: {len(docs)} articles of {outlet} on {day})"
    else:
        story, note = row[0], ""
    client = TestClient(create_app(args.db))
    client.get(f"/story/{story}")
    rt = []
    for _ in range(30):
        t0 = time.perf_counter()
        r = client.get(f"/story/{story}")
        rt.append((time.perf_counter() - t0) * 1000)
        assert r.status_code == 200
    print(f"story page      p50 {pct(rt, 50):.1f} ms, p95 {pct(rt, 95):.1f} ms{note}")
    print(f"peak RSS        {rss_mb():.0f} MB (main process)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
