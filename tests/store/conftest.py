"""Store test fixtures: fake layers/collectors, and a store per backend (SQLite, PostgreSQL).

PostgreSQL tests use the server named by ``MARSAD_TEST_PG`` (``.ci/postgres.sh`` starts one);
each test gets a fresh database. They skip, with the reason, when it is unset or unreachable.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "examples" / "articles"


@pytest.fixture
def fake_analysis(monkeypatch):
    """Use the fake stage and collectors for the duration of a test."""
    from marsad import builtins
    from marsad.core.protocols import CollectorSpec, Stage

    from . import fakes

    fake = Stage("fake_layers", fakes.fake_stage, ("blocks", "sentences"), ("layers",))
    monkeypatch.setattr(builtins, "STAGES", [*builtins.STAGES[:-1], fake, builtins.STAGES[-1]])
    swap = {"entities": fakes.FakeEntities, "stories": fakes.FakeStories}
    monkeypatch.setattr(
        builtins,
        "COLLECTORS",
        [
            CollectorSpec(c.name, swap[c.name], gives=c.gives) if c.name in swap else c
            for c in builtins.COLLECTORS
        ],
    )
    yield fakes


def _pg_admin_url() -> str:
    url = os.environ.get("MARSAD_TEST_PG")
    if not url:
        pytest.skip("MARSAD_TEST_PG is not set (source .ci/postgres.sh to start a server)")
    try:
        import psycopg
    except ImportError:
        pytest.skip("psycopg is not installed (pip install 'psycopg[binary]')")
    try:
        psycopg.connect(url, connect_timeout=3).close()
    except Exception as e:
        pytest.skip(f"PostgreSQL at MARSAD_TEST_PG is unreachable: {e}")
    return url


def new_store_url(kind: str, tmp_path: Path) -> tuple[str, object]:
    """A fresh, empty store URL and a cleanup callable."""
    if kind == "sqlite":
        return str(tmp_path / f"s-{uuid.uuid4().hex[:6]}.db"), lambda: None
    import psycopg

    admin = _pg_admin_url()
    name = "t_" + uuid.uuid4().hex[:12]
    with psycopg.connect(admin, autocommit=True) as c:
        c.execute(f"CREATE DATABASE {name}")
    base = admin.rsplit("/", 1)[0]

    def drop() -> None:
        with psycopg.connect(admin, autocommit=True) as c:
            c.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")

    return f"{base}/{name}", drop


@pytest.fixture(params=["sqlite", "postgres"])
def store_url(request, tmp_path):
    url, cleanup = new_store_url(request.param, tmp_path)
    yield url
    cleanup()
