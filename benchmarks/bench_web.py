"""Web app latency on a large store: p50/p95/max per page type, HTML pages and JSON twins.

    nice marsad ingest ../shared/data/news/saudinewsnet.jsonl.gz --db /tmp/bench_web/store.db
    python benchmarks/bench_web.py --db /tmp/bench_web/store.db [--per-type 30]

Requests go through the real FastAPI app in-process (Starlette's TestClient: routing,
validation, store reads, templates; no network). Each URL is distinct (days, entities,
speakers, stories, articles, outlets, queries and filters sampled from the store) and is asked
once, so the figures are for pages not seen before; the in-memory digest is built once first
(its time is printed). Wall time and CPU time (time.process_time, which survives a loaded
machine) per request. Prints the store's size and counts.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import sqlite3
import statistics
import time
from urllib.parse import quote, urlencode


def pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]


def sample_urls(db: str, per: int, rng: random.Random) -> dict[str, list[str]]:
    con = sqlite3.connect(db)
    q = lambda sql, *a: [r[0] for r in con.execute(sql, a)]  # noqa: E731
    days = q("SELECT DISTINCT substr(published, 1, 10) FROM documents WHERE published IS NOT NULL")
    top_ents = q(
        "SELECT entity FROM entity_docs GROUP BY entity ORDER BY count(*) DESC LIMIT ?", per
    )
    any_ents = q("SELECT entity FROM entity_docs GROUP BY entity HAVING count(*) > 2")
    ents = list(
        dict.fromkeys(top_ents[: per // 2] + rng.sample(any_ents, min(per, len(any_ents))))
    )[:per]
    speakers = q(
        "SELECT json_extract(data, '$.speaker.entity') AS e FROM items WHERE layer = 'quotes' "
        "AND e IS NOT NULL GROUP BY e ORDER BY count(*) DESC LIMIT ?",
        per,
    )
    big = q("SELECT story FROM story_docs GROUP BY story ORDER BY count(*) DESC LIMIT ?", per // 2)
    all_st = q("SELECT story FROM story_docs GROUP BY story HAVING count(*) > 1")
    stories = list(dict.fromkeys(big + rng.sample(all_st, min(per, len(all_st)))))[:per]
    n_docs = con.execute("SELECT max(n) FROM documents").fetchone()[0]
    articles = q(
        f"SELECT id FROM documents WHERE n IN ({','.join(str(rng.randint(1, n_docs)) for _ in range(per * 3))})"
    )[:per]
    outlets = q("SELECT DISTINCT outlet FROM documents WHERE outlet IS NOT NULL")
    names = q(
        "SELECT json_extract(data, '$.name') FROM collections WHERE list = 'entities' "
        "AND id IN (SELECT entity FROM entity_docs GROUP BY entity ORDER BY count(*) DESC LIMIT 200)"
    )
    con.close()
    words = [
        "السعودية",
        "الملك",
        "وزير",
        "اليمن",
        "الحوثي",
        "النفط",
        "الرياض",
        "داعش",
        "الأمطار",
        "مجلس الوزراء",
        "الهلال",
        "الاتفاق النووي",
        "التعليم",
        "الصحة",
        "إيران",
    ]
    queries = list(dict.fromkeys(words + [n for n in names if n]))
    cues = ["said", "denied", "warned", "called_for", "announced", "affirmed"]
    pick = lambda xs: rng.choice(xs)  # noqa: E731
    urls: dict[str, list[str]] = {
        "home": ["/?day=" + d for d in rng.sample(days, min(per, len(days)))],
        "quotes": [],
        "speaker": [f"/speaker/{quote(s, safe='')}" for s in speakers],
        "entities": [],
        "entity": [f"/entity/{quote(e, safe='')}" for e in ents],
        "outlets": ["/outlets"] * 3,
        "outlet": [f"/outlet/{quote(o, safe='')}" for o in outlets][:per],
        "story": [f"/story/{quote(s, safe='')}" for s in stories],
        "article": [f"/article/{quote(a, safe='')}" for a in articles],
        "search": [],
        "watchlists": ["/watchlists"] * 3,
    }
    for k in range(per):
        f: dict[str, str] = {}
        kind = k % 6
        if kind == 0:
            f["cue"] = pick(cues)
        elif kind == 1:
            f["outlet"] = pick(outlets)
        elif kind == 2 and speakers:
            f["speaker"] = pick(speakers)
        elif kind == 3:
            f["entity"] = pick(ents)
        elif kind == 4:
            d = pick(days)
            f.update(since=d, until=d)
        else:
            f.update(cue=pick(cues), outlet=pick(outlets))
        if k % 4 == 3:
            f["page"] = "2"
        urls["quotes"].append("/quotes?" + urlencode(f))
    types = ["PER", "ORG", "LOC", "MISC", ""]
    for k in range(per):
        f = {"type": types[k % 5]}
        if k % 3 == 1:
            f["outlet"] = pick(outlets)
        if k % 5 == 4:
            f["q"] = pick(queries)[:4]
        urls["entities"].append("/entities?" + urlencode({a: b for a, b in f.items() if b}))
    for k in range(per):
        f = {"q": queries[k % len(queries)]}
        if k % 3 == 1:
            f["outlet"] = pick(outlets)
        if k % 4 == 2:
            d = pick(days)
            f.update(since=d, until=d)
        urls["search"].append("/search?" + urlencode(f))
    return urls


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--db", default="/tmp/bench_web/store.db")
    ap.add_argument("--per-type", type=int, default=30)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()

    from fastapi.testclient import TestClient

    from marsad.web.app import create_app

    con = sqlite3.connect(args.db)
    counts = {
        "documents": con.execute("SELECT count(*) FROM documents").fetchone()[0],
        "statements": con.execute("SELECT count(*) FROM items WHERE layer='quotes'").fetchone()[0],
        "mentions": con.execute("SELECT count(*) FROM items WHERE layer='mentions'").fetchone()[0],
        "entities": con.execute(
            "SELECT count(*) FROM collections WHERE list='entities'"
        ).fetchone()[0],
        "stories": con.execute("SELECT count(*) FROM collections WHERE list='stories'").fetchone()[
            0
        ],
    }
    con.close()
    size = sum(os.path.getsize(p) for p in (args.db, args.db + "-wal") if os.path.exists(p))
    print(
        f"store {args.db}: {size / 1e6:.0f} MB; " + ", ".join(f"{v} {k}" for k, v in counts.items())
    )

    client = TestClient(create_app(args.db))
    t0, c0 = time.perf_counter(), time.process_time()
    client.get("/outlets")  # builds the digest
    print(
        f"digest: {time.perf_counter() - t0:.1f} s wall, {time.process_time() - c0:.1f} s CPU; "
        f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB"
    )
    urls = sample_urls(args.db, args.per_type, random.Random(args.seed))
    print(
        f"{'page':12} {'n':>4} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'CPU p95':>8}  (HTML; JSON twin p95)"
    )
    worst = 0.0
    for name, paths in urls.items():
        walls, cpus, jwalls = [], [], []
        for p in paths:
            t, c = time.perf_counter(), time.process_time()
            r = client.get(p)
            walls.append((time.perf_counter() - t) * 1000)
            cpus.append((time.process_time() - c) * 1000)
            assert r.status_code in (200, 404), (p, r.status_code)
            jp = (
                "/index.json" + p[1:]
                if p.startswith("/?")
                else p.replace("?", ".json?", 1)
                if "?" in p
                else p + ".json"
            )
            t = time.perf_counter()
            client.get(jp)
            jwalls.append((time.perf_counter() - t) * 1000)
        if not walls:
            continue
        worst = max(worst, pct(walls, 95))
        print(
            f"{name:12} {len(walls):4d} {statistics.median(walls):8.1f} {pct(walls, 95):8.1f} "
            f"{max(walls):8.1f} {pct(cpus, 95):8.1f}  {pct(jwalls, 95):8.1f}"
        )
    print(f"worst page p95: {worst:.1f} ms (target <= 150 ms); machine shared with other jobs")


if __name__ == "__main__":
    main()
