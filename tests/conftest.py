"""Shared fixtures: the bundled sample, the shared data folder (tests skip when it is absent)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "examples" / "articles"


def shared_data() -> Path:
    base = os.environ.get("MARSAD_SHARED")
    return Path(base) / "data" if base else REPO.parent / "shared" / "data"


@pytest.fixture(scope="session")
def shared() -> Path:
    path = shared_data()
    if not (path / "news").is_dir():
        pytest.skip(
            f"shared data not found at {path} (set MARSAD_SHARED to the folder holding data/)"
        )
    return path


@pytest.fixture(scope="session")
def sample_analysis():
    """The bundled sample analysed once for the whole session (Python API)."""
    import marsad

    return marsad.analyze(EXAMPLES)


@pytest.fixture
def out_dir(tmp_path: Path) -> Path:
    """A per-test output folder; kept under test-output/ when MARSAD_KEEP_OUTPUT is set."""
    return tmp_path


@pytest.fixture
def kill_worker_once(tmp_path: Path, monkeypatch):
    """``kill_worker_once(article_id)`` adds a last stage that kills the worker process running
    that article, the first time only (the worker processes are forked: they see the extended
    stage list); returns the marker file that tells it has fired."""
    from marsad import builtins
    from marsad.core.protocols import Stage

    marker = tmp_path / "killed-once"

    def install(article_id: str) -> Path:
        def killer(article, settings):
            if article.id == article_id and not marker.exists():
                marker.write_text("x")
                os.kill(os.getpid(), 9)
            return article

        stage = Stage("_killer", killer, requires=("blocks",))
        monkeypatch.setattr(builtins, "STAGES", [*builtins.STAGES, stage])
        return marker

    return install
