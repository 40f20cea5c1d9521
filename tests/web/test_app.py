"""The web app: every page and its JSON twin, OpenAPI, escaping, id validation, read-only."""

from __future__ import annotations

import json
import sqlite3

import pytest

pytest.importorskip("fastapi", reason="fastapi is not installed (pip install 'marsad[web]')")
from fastapi.testclient import TestClient

from marsad.web.app import create_app

from .conftest import HOSTILE


@pytest.fixture
def client(web_store):
    return TestClient(create_app(web_store))


@pytest.fixture
def ids(web_store):
    con = sqlite3.connect(web_store)
    story = con.execute("SELECT id FROM collections WHERE list='stories' ORDER BY seq").fetchone()[
        0
    ]
    entity = con.execute(
        "SELECT entity FROM entity_docs GROUP BY entity ORDER BY count(*) DESC"
    ).fetchone()[0]
    doc = con.execute("SELECT id FROM documents WHERE id <> 'hostile' ORDER BY n").fetchone()[0]
    con.close()
    return {"story": story, "entity": entity, "article": doc}


def test_pages_and_json_twins(client, ids):
    paths = [
        "/",
        f"/story/{ids['story']}",
        f"/article/{ids['article']}",
        f"/entity/{ids['entity']}",
        "/search?q=بغداد",
    ]
    twins = [
        "/index.json",
        f"/story/{ids['story']}.json",
        f"/article/{ids['article']}.json",
        f"/entity/{ids['entity']}.json",
        "/search.json?q=بغداد",
    ]
    for page, twin in zip(paths, twins, strict=True):
        r = client.get(page)
        assert r.status_code == 200, page
        assert r.headers["content-type"].startswith("text/html")
        assert '<html lang="ar" dir="rtl">' in r.text
        j = client.get(twin)
        assert j.status_code == 200 and j.headers["content-type"] == "application/json"
        accept = client.get(page, headers={"Accept": "application/json"})
        assert accept.json() == j.json()
        assert not any(k.startswith("_") for k in j.json())


def test_story_page_content(client, ids):
    data = client.get(f"/story/{ids['story']}.json").json()
    assert data["summary"] and data["timeline"] and data["articles"]
    html = client.get(f"/story/{ids['story']}").text
    s = data["summary"][0]
    assert f'href="/article/{s["doc"]}?hl={s["start"]}-{s["end"]}#hl"' in html
    assert "<svg" in html and "<script" not in html


def test_citation_highlight_is_the_cited_span(client, ids):
    s = client.get(f"/story/{ids['story']}.json").json()["summary"][0]
    art = client.get(f"/article/{s['doc']}.json?hl={s['start']}-{s['end']}").json()
    assert art["highlight"]["text"] == s["text"]
    assert art["document"]["text"][s["start"] : s["end"]] == s["text"]


def test_entity_page(client, ids):
    data = client.get(f"/entity/{ids['entity']}.json").json()
    assert data["mentions"] and data["cooccurring"]
    html = client.get(f"/entity/{ids['entity']}").text
    assert 'class="graph"' in html


def test_openapi(client):
    spec = client.get("/openapi.json").json()
    for p in (
        "/story/{story_id}.json",
        "/article/{doc_id}.json",
        "/entity/{entity_id}.json",
        "/search.json",
    ):
        assert p in spec["paths"]
        assert list(spec["paths"][p]) == ["get"]


def test_markup_in_articles_is_text(client):
    for path in ("/article/hostile", "/", "/search?q=بغداد", "/search?q=" + HOSTILE):
        html = client.get(path).text
        assert "<script>alert" not in html and "<img src=x" not in html
    html = client.get("/article/hostile").text
    assert (
        "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html
        or "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    )
    assert "default-src 'none'" in client.get("/").headers["content-security-policy"]


@pytest.mark.parametrize(
    "path",
    [
        "/article/%2e%2e",
        "/article/.%2e",
        "/article/..%2F..%2Fetc%2Fpasswd",
        "/article/a%5Cb",
        "/story/%2e%2e%2fx.json",
        "/entity/%00",
        "/article/..%5c..%5cwin.ini",
    ],
)
def test_no_path_traversal(client, path):
    r = client.get(path)
    assert r.status_code in (400, 404)
    assert "root:" not in r.text


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE"])
@pytest.mark.parametrize("path", ["/", "/search", "/article/hostile", "/nothing"])
def test_non_get_rejected(client, method, path):
    r = client.request(method, path)
    assert r.status_code == 405
    assert r.headers["allow"] == "GET, HEAD"


def test_store_opened_read_only(web_store):
    from marsad.store.db import DB

    with DB(web_store, readonly=True) as db, pytest.raises(sqlite3.OperationalError):
        db.execute("DELETE FROM documents")


def test_bad_highlight_and_unknown_ids(client):
    assert client.get("/article/hostile?hl=abc").status_code == 422
    assert client.get("/article/hostile?hl=5-999999").status_code == 200  # out of range: ignored
    assert client.get("/story/nope").status_code == 404
    assert client.get("/entity/nope.json").json() == {"detail": "entity not found"}
    assert json.loads(client.get("/search.json?q=").text)["hits"] == []
