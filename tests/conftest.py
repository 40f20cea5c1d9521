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
