"""The incremental store: what N new articles cost in a store that already holds M.

    python benchmarks/bench_incremental.py [--base 2000] [--new 200] [--corpus ant_v2.1]

Builds a store of the first ``--base`` articles of a real news corpus (``../shared/data/news``),
then ingests the next ``--new`` articles into it, and the same ``--new`` articles into an empty
store; prints the CPU time of each ingest (this process, one worker: ``jobs=1``), their ratio
(target ≤ 1.3), the size of the saved collector state, and peak RSS. The texts are written to
a temporary folder and removed.
"""

from __future__ import annotations

import argparse
import gzip
import itertools
import json
import resource
import shutil
import tempfile
import time
from pathlib import Path

from marsad.core.settings import load_settings
from marsad.evaluate.common import shared_data
from marsad.run.pipeline import Pipeline
from marsad.store.db import DB
from marsad.store.ingest import ingest


def _write(records: list[str], path: Path) -> Path:
    path.write_text("".join(records), encoding="utf-8")
    return path


def _cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def _timed(paths, db, settings, jobs: int = 1) -> tuple[float, float, dict]:
    c0, w0 = _cpu(), time.perf_counter()
    s = ingest(paths, db=db, settings=settings, jobs=jobs)
    return _cpu() - c0, time.perf_counter() - w0, s.to_json()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--base", type=int, default=2000)
    ap.add_argument("--new", type=int, default=200)
    ap.add_argument("--corpus", default="ant_v2.1")
    ap.add_argument("--repeat", type=int, default=2, help="measurements of each ingest")
    ap.add_argument(
        "--base-jobs", type=int, default=1, help="worker processes for building the store"
    )
    a = ap.parse_args()
    src = shared_data() / "news" / f"{a.corpus}.jsonl.gz"
    with gzip.open(src, "rt", encoding="utf-8") as fh:
        texts = (ln for ln in fh if json.loads(ln).get("text"))
        lines = list(itertools.islice(texts, a.base + a.new))
    base, new = lines[: a.base], lines[a.base : a.base + a.new]
    settings = load_settings()
    Pipeline(settings=settings).warm_up()  # both timed ingests find the models loaded
    with tempfile.TemporaryDirectory() as tmp:
        t = Path(tmp)
        base_f = _write(base, t / "base.jsonl")
        new_f = _write(new, t / "new.jsonl")
        full = DB(str(t / "full.db"))
        _, w_base, _ = _timed([base_f], full, settings, a.base_jobs)
        full.close()
        # Each measurement twice (the store copied back in between), the lower kept: a shared
        # machine adds noise, never removes work.
        inc, empty = [], []
        for r in range(a.repeat):
            shutil.copy(t / "full.db", t / f"inc{r}.db")
            db = DB(str(t / f"inc{r}.db"))
            inc.append(_timed([new_f], db, settings))
            state = db.all("SELECT name, length(data) FROM collector_state")
            db.close()
            db = DB(str(t / f"empty{r}.db"))
            empty.append(_timed([new_f], db, settings))
            db.close()
        c_inc, w_inc, s_inc = min(inc)
        c_empty, w_empty, _ = min(empty)
    print(f"corpus {a.corpus}: store of {len(base)} articles, then {len(new)} new ones")
    print(f"  build the store: {w_base:.0f} s wall ({a.base_jobs} worker processes)")
    print(f"  {len(new)} new into the store: {c_inc:.2f} CPU-s ({w_inc:.2f} s wall)")
    print(f"  {len(new)} new into an empty store: {c_empty:.2f} CPU-s ({w_empty:.2f} s wall)")
    print(f"  ratio: {c_inc / c_empty:.2f} (target <= 1.3)")
    print(f"  lists after: {s_inc['collected']}")
    print("  saved collector state: " + ", ".join(f"{n} {b / 1e6:.1f} MB" for n, b in state))
    print(f"  peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
