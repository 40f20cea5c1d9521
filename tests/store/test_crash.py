"""An ingest killed with SIGKILL midway leaves a consistent store; re-running completes it
with every article exactly once. Both backends."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from marsad.store.db import DB
from marsad.store.ingest import ingest

from .conftest import REPO

N = 300
WORDS = "قال الوزير إن الحكومة ستعقد اجتماعا مع الوفد في العاصمة لبحث الاتفاق والمحادثات الجارية بين الطرفين".split()


def _corpus(path: Path) -> None:
    rnd = random.Random(7)
    with open(path, "w", encoding="utf-8") as fh:
        for k in range(N):
            body = "\n\n".join(
                " ".join(rnd.choice(WORDS) for _ in range(rnd.randint(8, 30))) + "."
                for _ in range(rnd.randint(2, 6))
            )
            rec = {
                "id": f"c{k}",
                "title": f"خبر رقم {k}",
                "text": f"خبر رقم {k}\n\n{body}\n",
                "date": "2024-03-01",
            }
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")


def _count(url: str) -> int:
    try:
        with DB(url, readonly=True) as db:
            return db.one("SELECT count(*) FROM documents")[0]
    except Exception:
        return 0


def test_kill_midway_then_rerun(store_url, tmp_path: Path):
    src = tmp_path / "c.jsonl"
    _corpus(src)
    script = (
        "import sys, time\n"
        "from marsad.store.ingest import ingest\n"
        "ingest([sys.argv[1]], sys.argv[2], jobs=2, batch=10, progress=lambda n: time.sleep(0.03))\n"
    )
    env = dict(os.environ, PYTHONPATH=str(REPO / "src"))
    proc = subprocess.Popen(
        [sys.executable, "-c", script, str(src), store_url], env=env, start_new_session=True
    )
    deadline = time.time() + 60
    while time.time() < deadline and _count(store_url) < 40 and proc.poll() is None:
        time.sleep(0.01)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL, "the ingest finished before it could be killed"
    partial = _count(store_url)
    assert 0 < partial < N

    with DB(store_url, readonly=True) as db:
        # Consistent after the kill: every stored article has its passages, no orphans.
        assert (
            db.one(
                "SELECT count(*) FROM documents d WHERE NOT EXISTS "
                "(SELECT 1 FROM passages p WHERE p.doc = d.n)"
            )[0]
            == 0
        )

    summary = ingest([src], store_url, jobs=2)
    assert summary.stored == N - partial
    with DB(store_url, readonly=True) as db:
        ids = [r[0] for r in db.all("SELECT id FROM documents")]
        assert sorted(ids) == sorted(f"c{k}" for k in range(N))
        per_doc = db.all(
            "SELECT d.id, count(p.n) FROM documents d JOIN passages p ON p.doc = d.n GROUP BY d.id"
        )
        assert len(per_doc) == N and all(c > 0 for _, c in per_doc)
        # The same article ingested in one go has the same number of passages.
        assert db.one("SELECT count(*) FROM passages")[0] == sum(c for _, c in per_doc)


def test_killed_worker_process_loses_nothing(store_url, tmp_path: Path, kill_worker_once):
    """A worker process of ``ingest --jobs 2`` that dies (killed, out of memory) is replaced and
    its batch analysed again: every article is stored once and collected (no hang, no loss)."""
    marker = kill_worker_once("c17")
    src = tmp_path / "corpus.jsonl"
    _corpus(src)
    summary = ingest([src], store_url, jobs=2, batch=40)
    assert marker.exists(), "the killer stage never ran"
    assert summary.stored == N and summary.failed == 0
    with DB(store_url, readonly=True) as db:
        ids = [r[0] for r in db.all("SELECT id FROM documents")]
        assert sorted(ids) == sorted(f"c{k}" for k in range(N))
        assert db.one("SELECT count(*) FROM documents WHERE doc LIKE ?", ("%_killer%",))[0] == N
