"""Dask scale-out (``--scheduler``): output identical to a single-process run, in input
order, on the sample and on 2,000 real articles; a worker killed mid-run loses no article."""

from __future__ import annotations

import gzip
import itertools
import json
import os
import signal
from pathlib import Path

import pytest

from conftest import EXAMPLES

pytest.importorskip("distributed", reason="the optional extra marsad[dask] is not installed")


@pytest.fixture(scope="module")
def client():
    from distributed import Client, LocalCluster

    cluster = LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    )
    c = Client(cluster)
    yield c
    c.close()
    cluster.close()


def _analysis(paths, out: Path, **kw) -> dict:
    from marsad.output.directory import analyze_to_dir

    analyze_to_dir(paths, out, report=False, **kw)
    data = json.loads((out / "analysis.json").read_text(encoding="utf-8"))
    data["summary"].pop("elapsed_seconds")  # the only timing field
    return data


def test_sample_identical_on_dask(client, tmp_path):
    single = _analysis([EXAMPLES], tmp_path / "single")
    dask = _analysis([EXAMPLES], tmp_path / "dask", scheduler=client)
    assert single["documents"] and single["stories"]
    assert dask == single


def test_2000_real_articles_identical_on_dask(shared, client, tmp_path):
    # 1,000 articles from each of two corpora (read from ../shared, written to a temp file).
    path = tmp_path / "real.jsonl"
    with open(path, "wb") as out:
        for name in ("saudinewsnet", "ant_v2.1"):
            with gzip.open(shared / "news" / f"{name}.jsonl.gz", "rb") as fh:
                out.writelines(itertools.islice(fh, 1000))
    single = _analysis([path], tmp_path / "single")
    dask = _analysis([path], tmp_path / "dask", scheduler=client)
    assert single["summary"]["read"] == 2000
    assert [d["id"] for d in dask["documents"]] == [d["id"] for d in single["documents"]]
    assert dask == single


def test_killed_worker_loses_no_article(client, tmp_path):
    from marsad.core.settings import load_settings
    from marsad.evaluate.synthetic import articles, write_jsonl
    from marsad.output.json import document_json
    from marsad.run.analyze import _read_unique, analyze_stream
    from marsad.run.cluster import run_dask

    path = write_jsonl(tmp_path / "gen.jsonl", articles(240))
    settings = load_settings()
    expected = [
        json.dumps(document_json(a), sort_keys=True) for a in analyze_stream(path, settings)
    ]
    before = set(client.run(os.getpid).values())
    got, killed = [], None
    # 30 batches, up to 16 in flight: when the first results are back, most are still queued.
    stream = run_dask(
        _read_unique([path], settings), settings, (), client, batch_size=8, in_flight=16
    )
    for item in stream:
        got.append(json.dumps(document_json(item), sort_keys=True))
        if killed is None:
            # Kill the worker process with the most tasks in hand (SIGKILL: no goodbye).
            busy = client.processing()
            addr = max(busy, key=lambda a: len(busy[a]))
            if busy[addr]:  # it has work that must be retried elsewhere
                killed = client.run(os.getpid, workers=[addr])[addr]
                os.kill(killed, signal.SIGKILL)
    assert killed is not None
    assert killed not in set(client.run(os.getpid).values())  # really gone (restarted)
    assert before - {killed}  # the other worker carried on
    assert got == expected  # every article, analysed once, in input order


def test_ingest_on_dask_stores_the_same(client, tmp_path):
    from marsad.store.db import DB
    from marsad.store.ingest import ingest

    a = ingest([EXAMPLES], str(tmp_path / "a.db"), jobs=1)
    b = ingest([EXAMPLES], str(tmp_path / "b.db"), scheduler=client)
    assert (b.read, b.stored, b.failed) == (a.read, a.stored, a.failed) and a.stored > 0
    rows = {}
    for name in ("a", "b"):
        db = DB(str(tmp_path / f"{name}.db"))
        rows[name] = [
            db.all("SELECT id, sha1 FROM documents ORDER BY id"),
            db.all("SELECT COUNT(*) FROM items"),
        ]
        db.close()
    assert rows["a"] == rows["b"]
