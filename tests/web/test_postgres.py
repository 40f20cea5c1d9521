"""The briefing pages and watchlists on a PostgreSQL store (the digest's JSON paths, search
facets, watchlist writes). Skips without a server (MARSAD_TEST_PG; .ci/postgres.sh)."""

from __future__ import annotations

import pytest

pytest.importorskip("fastapi", reason="fastapi is not installed (pip install 'marsad[web]')")
from fastapi.testclient import TestClient

from store.conftest import EXAMPLES, new_store_url


@pytest.fixture
def pg_store(tmp_path, fake_analysis):
    from marsad.store.ingest import ingest

    url, drop = new_store_url("postgres", tmp_path)
    ingest([EXAMPLES], url, jobs=1)
    yield url
    drop()


def test_pages_on_postgres(pg_store):
    from marsad.web.app import create_app

    c = TestClient(create_app(pg_store, allow_watchlists=True))
    home = c.get("/index.json").json()
    assert home["articles"] > 0 and home["entities"]
    quotes = c.get("/quotes.json").json()
    assert quotes["total"] > 0
    ent = c.get("/entities.json").json()["entities"][0]["id"]
    assert c.get(f"/entity/{ent}.json").json()["articles_count"] > 0
    outlet = c.get("/outlets.json").json()["outlets"][0]["outlet"]
    assert c.get("/outlet/" + outlet + ".json").status_code == 200
    fc = c.get("/search.json?q=بغداد").json()["facets"]
    assert fc["total"] > 0 and fc["outlet"]
    r = c.post("/watchlists", data={"name": "w", "words": "بغداد"}, follow_redirects=False)
    assert r.status_code == 303
    n = r.headers["location"].rsplit("/", 1)[1]
    assert c.get(f"/watchlist/{n}.json?since=2000-01-01").json()["total_articles"] > 0
    assert c.get(f"/watchlist/{n}.atom").status_code == 200
    assert c.post(f"/watchlists/{n}/delete", follow_redirects=False).status_code == 303
    for p in ("/", "/quotes", "/entities", f"/entity/{ent}", "/outlets", "/search?q=بغداد"):
        assert c.get(p).status_code == 200, p
