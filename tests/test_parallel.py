"""--jobs N gives the same output as one process, and a killed worker loses no article."""

from __future__ import annotations

import time

import marsad
from conftest import EXAMPLES
from marsad.core.article import Article
from marsad.core.settings import load_settings
from marsad.run.processes import run_parallel


def test_jobs_2_equals_single_process(sample_analysis):
    par = marsad.analyze(EXAMPLES, jobs=2)
    assert par.to_json() == sample_analysis.to_json()


def test_killed_worker_loses_nothing(kill_worker_once):
    marker = kill_worker_once("k3")
    arts = [
        Article(text=f"قال الوزير إن الجولة رقم {i} كانت بناءة.", id=f"k{i}") for i in range(40)
    ]
    out = list(run_parallel(iter(arts), load_settings(), jobs=2, batch_size=4))
    assert [a.id for a in out] == [f"k{i}" for i in range(40)]
    assert all(isinstance(a, Article) and "_killer" in a.done for a in out)
    assert marker.exists()


def test_killed_worker_with_many_batches_in_flight(kill_worker_once):
    """Batches submitted after a worker died (the pool is broken before their turn) are run
    again too: nothing is lost, whatever the look-ahead."""
    marker = kill_worker_once("k5")
    arts = [Article(text=f"قال الوزير إن اللقاء رقم {i} كان مثمرا.", id=f"k{i}") for i in range(60)]
    out = []
    for art in run_parallel(iter(arts), load_settings(), jobs=2, batch_size=2, in_flight=8):
        if not out:
            time.sleep(1.5)  # a slow consumer (a store write): the pool breaks meanwhile
        out.append(art)
    assert [a.id for a in out] == [f"k{i}" for i in range(60)]
    assert all(isinstance(a, Article) and "_killer" in a.done for a in out)
    assert marker.exists()
