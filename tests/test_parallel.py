"""--jobs N gives the same output as one process, and a killed worker loses no article."""

from __future__ import annotations

import os
import signal

import marsad
from conftest import EXAMPLES
from marsad.core.article import Article
from marsad.core.settings import load_settings
from marsad.run.pipeline import _REGISTRY, stage
from marsad.run.processes import run_parallel


def test_jobs_2_equals_single_process(sample_analysis):
    par = marsad.analyze(EXAMPLES, jobs=2)
    assert par.to_json() == sample_analysis.to_json()


def test_killed_worker_loses_nothing(tmp_path):
    marker = tmp_path / "killed-once"

    @stage("_killer", requires=("blocks",), order=997)
    def killer(article, settings):
        # the first time article "k3" is seen, kill the worker process running it
        if article.id == "k3" and not marker.exists():
            marker.write_text("x")
            os.kill(os.getpid(), signal.SIGKILL)
        return article

    try:
        arts = [
            Article(text=f"قال الوزير إن الجولة رقم {i} كانت بناءة.", id=f"k{i}") for i in range(40)
        ]
        out = list(run_parallel(iter(arts), load_settings(), jobs=2, batch_size=4))
        assert [a.id for a in out] == [f"k{i}" for i in range(40)]
        assert all(isinstance(a, Article) and "_killer" in a.done for a in out)
        assert marker.exists()
    finally:
        del _REGISTRY["_killer"]
