"""--jobs N gives the same output as one process, and a killed worker loses no article."""

from __future__ import annotations

import os
import signal

import marsad
from conftest import EXAMPLES
from marsad import builtins
from marsad.core.article import Article
from marsad.core.protocols import Stage
from marsad.core.settings import load_settings
from marsad.run.processes import run_parallel


def test_jobs_2_equals_single_process(sample_analysis):
    par = marsad.analyze(EXAMPLES, jobs=2)
    assert par.to_json() == sample_analysis.to_json()


def test_killed_worker_loses_nothing(tmp_path, monkeypatch):
    marker = tmp_path / "killed-once"

    def killer(article, settings):
        # the first time article "k3" is seen, kill the worker process running it
        if article.id == "k3" and not marker.exists():
            marker.write_text("x")
            os.kill(os.getpid(), signal.SIGKILL)
        return article

    # the worker processes are forked: they see the extended list
    monkeypatch.setattr(
        builtins, "STAGES", [*builtins.STAGES, Stage("_killer", killer, requires=("blocks",))]
    )
    arts = [
        Article(text=f"قال الوزير إن الجولة رقم {i} كانت بناءة.", id=f"k{i}") for i in range(40)
    ]
    out = list(run_parallel(iter(arts), load_settings(), jobs=2, batch_size=4))
    assert [a.id for a in out] == [f"k{i}" for i in range(40)]
    assert all(isinstance(a, Article) and "_killer" in a.done for a in out)
    assert marker.exists()
