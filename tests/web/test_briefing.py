"""The briefing desk: the day's briefing, who said what, speakers, entities, outlets, a story's
coverage, search facets and watchlists; every HTML page has a JSON twin listed in OpenAPI;
hostile titles, outlets and quotes are never written unescaped on any page type."""

from __future__ import annotations

import json
import re
import sqlite3
import xml.etree.ElementTree as ET

import pytest

pytest.importorskip("fastapi", reason="fastapi is not installed (pip install 'marsad[web]')")
from fastapi.testclient import TestClient

from marsad.web.app import create_app

from .conftest import HOSTILE_OUTLET, UNSAFE


@pytest.fixture
def client(web_store):
    return TestClient(create_app(web_store))


@pytest.fixture
def ids(web_store):
    con = sqlite3.connect(web_store)
    one = lambda sql: con.execute(sql).fetchone()[0]  # noqa: E731
    out = {
        "story": one(
            "SELECT story FROM story_docs sd JOIN documents d ON d.id = sd.doc "
            "WHERE d.id = 'hostile'"
        ),
        "entity": one("SELECT entity FROM entity_docs GROUP BY entity ORDER BY count(*) DESC"),
        "speaker": one(
            "SELECT json_extract(data, '$.speaker.entity') FROM items WHERE layer = 'quotes' "
            "AND json_extract(data, '$.speaker.entity') IS NOT NULL "
            "GROUP BY 1 ORDER BY count(*) DESC"
        ),
        "article": one("SELECT id FROM documents WHERE id <> 'hostile' ORDER BY n"),
        "outlet": one(
            "SELECT outlet FROM documents WHERE outlet IS NOT NULL AND id <> 'hostile' "
            "GROUP BY outlet ORDER BY count(*) DESC"
        ),
        "day": one("SELECT substr(max(published), 1, 10) FROM documents"),
        "days": [
            r[0]
            for r in con.execute(
                "SELECT DISTINCT substr(published, 1, 10) FROM documents WHERE published IS NOT NULL "
                "ORDER BY 1"
            )
        ],
    }
    con.close()
    return out


def all_pages(ids) -> list[tuple[str, str]]:
    """(HTML page, its JSON twin) for every page type."""
    from urllib.parse import quote

    o = quote(ids["outlet"], safe="")
    return [
        ("/", "/index.json"),
        (f"/?day={ids['days'][0]}", f"/index.json?day={ids['days'][0]}"),
        ("/quotes", "/quotes.json"),
        ("/quotes?cue=said&outlet=" + o, "/quotes.json?cue=said&outlet=" + o),
        (f"/speaker/{ids['speaker']}", f"/speaker/{ids['speaker']}.json"),
        ("/entities", "/entities.json"),
        ("/entities?type=LOC", "/entities.json?type=LOC"),
        (f"/entity/{ids['entity']}", f"/entity/{ids['entity']}.json"),
        ("/outlets", "/outlets.json"),
        (f"/outlet/{o}", f"/outlet/{o}.json"),
        (f"/story/{ids['story']}", f"/story/{ids['story']}.json"),
        (f"/article/{ids['article']}", f"/article/{ids['article']}.json"),
        ("/search?q=بغداد", "/search.json?q=بغداد"),
        ("/watchlists", "/watchlists.json"),
    ]


def test_every_page_has_a_json_twin_with_the_same_data(client, ids):
    for page, twin in all_pages(ids):
        r = client.get(page)
        assert r.status_code == 200, page
        assert '<html lang="ar" dir="rtl">' in r.text, page
        j = client.get(twin)
        assert j.status_code == 200 and j.headers["content-type"] == "application/json", twin
        assert client.get(page, headers={"Accept": "application/json"}).json() == j.json(), page
        assert not any(k.startswith("_") for k in j.json())


def test_openapi_lists_every_page_and_its_twin(client):
    spec = client.get("/openapi.json").json()["paths"]
    html_pages = [
        r.path
        for r in client.app.routes
        if getattr(r, "methods", None) == {"GET"} and "pages" in (getattr(r, "tags", None) or [])
    ]
    assert len(html_pages) >= 12
    for p in html_pages:
        twin = "/index.json" if p == "/" else p + ".json"
        assert p in spec and twin in spec, p
        assert "get" in spec[twin]
    assert "/watchlist/{n}.atom" in spec


def test_home_is_the_days_briefing(client, ids):
    data = client.get(f"/index.json?day={ids['day']}").json()
    assert data["day"] == ids["day"] and data["articles"] > 0
    assert data["previous"] is None or data["previous"] < data["day"]
    for s in data["stories"]:
        assert s["today"] >= 1 and s["size"] >= s["today"]
        assert s["growth"] == s["today"] - s["yesterday"]
    ranked = [(-s["today"], -s["growth"], -s["size"]) for s in data["stories"]]
    assert ranked == sorted(ranked)
    ents = [e for typ in data["entities"].values() for e in typ]
    assert ents and all(len(e["sparkline"]) == 14 for e in ents)
    assert all(e["sparkline"][-1]["day"] == ids["day"] for e in ents)
    html = client.get(f"/?day={ids['day']}").text
    assert 'class="spark"' in html and 'type="date"' in html
    assert 'href="/quotes"' in html  # who said what is one click from home
    # an earlier day: previous/next links move between days that have articles
    first = client.get(f"/index.json?day={ids['days'][0]}").json()
    assert first["day"] == ids["days"][0] and first["previous"] is None
    assert first["next"] == ids["days"][1]
    assert client.get("/?day=2024-13-99").status_code in (200, 422)


def test_who_said_what_rows_cite_the_exact_words(client):
    data = client.get("/quotes.json").json()
    assert data["total"] > 0 and data["statements"]
    for q in data["statements"][:10]:
        c = q["content"]
        assert q["link"].endswith(f"?hl={c['start']}-{c['end']}#hl")
        art = client.get(q["link"].split("#")[0].replace("?", ".json?", 1)).json()
        assert art["highlight"]["text"] == c["text"]
    html = client.get("/quotes").text
    assert f'href="{data["statements"][0]["link"]}"' in html


def test_who_said_what_filters(client, ids):
    base = client.get("/quotes.json").json()
    total = base["total"]
    by_outlet = client.get("/quotes.json", params={"outlet": ids["outlet"]}).json()
    assert all(q["outlet"] == ids["outlet"] for q in by_outlet["statements"])
    assert 0 < by_outlet["total"] <= total
    sp = client.get("/quotes.json", params={"speaker": ids["speaker"]}).json()
    assert sp["total"] > 0 and all(
        q["speaker"]["entity"] == ids["speaker"] for q in sp["statements"]
    )
    st = client.get("/quotes.json", params={"story": ids["story"]}).json()
    assert st["total"] > 0
    assert all(ids["story"] in [s["id"] for s in q["stories"]] for q in st["statements"])
    day = ids["days"][0]
    dated = client.get("/quotes.json", params={"since": day, "until": day}).json()
    assert all(q["published"].startswith(day) for q in dated["statements"])
    cue = client.get("/quotes.json", params={"cue": "denied"}).json()
    assert all(q["cue_class"] == "denied" for q in cue["statements"])
    assert sum(c["count"] for c in base["facets"]["cue"]) == total
    ent = client.get("/quotes.json", params={"entity": ids["entity"]}).json()
    for q in ent["statements"]:
        assert ids["entity"] in [m["id"] for m in q["mentions"]] or (
            q["speaker"] and q["speaker"]["entity"] == ids["entity"]
        )
    assert client.get("/quotes.json", params={"since": "nonsense"}).status_code == 422


def test_speaker_page_groups_by_story(client, ids):
    data = client.get(f"/speaker/{ids['speaker']}.json").json()
    assert data["total"] > 0
    n = sum(len(g["statements"]) for g in data["stories"])
    assert n == data["shown"]
    for g in data["stories"]:
        for q in g["statements"]:
            assert q["speaker"]["entity"] == ids["speaker"]
            if g["id"]:
                assert g["id"] in [s["id"] for s in q["stories"]]
    assert client.get("/speaker/nobody.json").status_code == 404


def test_entity_index_facets_and_entity_page(client, ids):
    data = client.get("/entities.json").json()
    assert data["total"] > 0
    counts = [e["articles"] for e in data["entities"]]
    assert counts == sorted(counts, reverse=True)
    types = {f["value"]: f["count"] for f in data["facets"]["type"]}
    loc = client.get("/entities.json?type=LOC").json()
    assert loc["total"] == types["LOC"] and all(e["type"] == "LOC" for e in loc["entities"])
    o = data["facets"]["outlet"][0]
    by_outlet = client.get("/entities.json", params={"outlet": o["value"]}).json()
    assert by_outlet["total"] == o["count"]
    e = client.get(f"/entity/{ids['entity']}.json").json()
    # articles without a publication date have no day
    assert 0 < sum(p["articles"] for p in e["per_day"]) <= e["articles_count"]
    assert e["stories"] and e["cooccurring"]
    html = client.get(f"/entity/{ids['entity']}").text
    assert 'class="graph"' in html and 'class="bars"' in html


def test_outlets_and_story_coverage(client, ids, web_store):
    data = client.get("/outlets.json").json()
    con = sqlite3.connect(web_store)
    expect = dict(
        con.execute(
            "SELECT outlet, count(*) FROM documents WHERE outlet IS NOT NULL GROUP BY outlet"
        )
    )
    con.close()
    assert {o["outlet"]: o["articles"] for o in data["outlets"]} == expect
    page = client.get("/outlet/" + ids["outlet"] + ".json").json()
    assert sum(p["articles"] for p in page["per_day"]) == expect[ids["outlet"]]
    st = client.get(f"/story/{ids['story']}.json").json()
    cv = st["coverage"]
    carried = {c["outlet"] for c in cv["carried"]}
    assert carried == {a["outlet"] for a in st["articles"] if a["outlet"]}
    assert not carried & {s["outlet"] for s in cv["silent"]}
    for q in cv["only_one_outlet_statements"]:
        assert q["outlet"] in carried


def test_search_facets_match_the_hits(client, web_store):
    data = client.get("/search.json?q=بغداد").json()
    fc = data["facets"]
    assert fc["total"] >= len(data["hits"]) > 0
    assert sum(c["count"] for c in fc["outlet"]) <= fc["total"]
    o = fc["outlet"][0]
    narrowed = client.get("/search.json", params={"q": "بغداد", "outlet": o["value"]}).json()
    assert narrowed["facets"]["total"] == o["count"]
    assert all(h["outlet"] == o["value"] for h in narrowed["hits"])
    html = client.get("/search?q=بغداد").text
    assert 'id="facets"' in html and "<mark>" in html


def test_cli_search_facets(web_store, capsys):
    from marsad.cli.main import main

    assert main(["search", "بغداد", "--db", web_store, "--facets", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["facets"]["total"] >= len(out["hits"]) > 0


def test_watchlists_read_only_unless_allowed(client, web_store):
    r = client.post("/watchlists", data={"name": "x", "words": "بغداد"})
    assert r.status_code == 405
    assert client.get("/watchlists.json").json()["writable"] is False


def test_watchlists_when_allowed(web_store):
    c = TestClient(create_app(web_store, allow_watchlists=True))
    r = c.post(
        "/watchlists",
        data={"name": "بغداد", "words": "بغداد", "speaker": ""},
        follow_redirects=False,
    )
    assert r.status_code == 303
    n = int(r.headers["location"].rsplit("/", 1)[1])
    wl = c.get(f"/watchlist/{n}.json?since=2000-01-01").json()
    assert wl["watchlist"]["words"] == "بغداد" and wl["total_articles"] > 0
    assert c.get(f"/watchlist/{n}.json").json()["total_articles"] == 0  # nothing since creation
    feed = ET.fromstring(c.get(f"/watchlist/{n}.atom?since=2000-01-01").text)
    ns = {"a": "http://www.w3.org/2005/Atom"}
    assert len(feed.findall("a:entry", ns)) == len(wl["articles"])
    assert c.post("/watchlists", data={"name": "empty"}).status_code == 400
    # a form posted from another site is refused
    evil = {"Origin": "http://evil.example", "Sec-Fetch-Site": "cross-site"}
    assert c.post("/watchlists", data={"words": "x"}, headers=evil).status_code == 403
    # articles stay read-only: only the watchlist paths take a POST
    assert c.post("/article/hostile").status_code == 405
    assert c.request("DELETE", f"/watchlist/{n}").status_code == 405
    assert c.post(f"/watchlists/{n}/delete", follow_redirects=False).status_code == 303
    assert c.get(f"/watchlist/{n}.json").status_code == 404
    con = sqlite3.connect(web_store)
    assert con.execute("SELECT count(*) FROM watchlists").fetchone()[0] == 0
    con.close()


def test_hostile_titles_outlets_and_quotes_are_escaped_everywhere(web_store, ids):
    from urllib.parse import quote

    c = TestClient(create_app(web_store, allow_watchlists=True))
    r = c.post(
        "/watchlists",
        data={"name": "<script>alert(5)</script>", "words": "بغداد", "speaker": "مسؤول"},
        follow_redirects=False,
    )
    n = r.headers["location"].rsplit("/", 1)[1]
    con = sqlite3.connect(web_store)
    hostile_speaker = con.execute(
        "SELECT json_extract(i.data, '$.speaker.entity') FROM items i JOIN documents d "
        "ON d.n = i.doc WHERE d.id = 'hostile' AND i.layer = 'quotes'"
    ).fetchone()[0]
    con.close()
    o = quote(HOSTILE_OUTLET, safe="")
    pages = [p for p, _ in all_pages(ids)] + [
        "/article/hostile",
        f"/outlet/{o}",
        f"/quotes?outlet={o}",
        f"/entities?outlet={o}",
        f"/search?outlet={o}",
        "/search?q=" + quote("<script>alert(1)</script>"),
        f"/speaker/{hostile_speaker}",
        f"/watchlist/{n}?since=2000-01-01",
        f"/watchlist/{n}.atom?since=2000-01-01",
        "/nothing/<script>",
    ]
    seen_outlet = seen_quote = 0
    for p in pages:
        r = c.get(p)
        assert r.status_code in (200, 404), p
        for bad in UNSAFE:
            assert bad not in r.text, (p, bad)
        seen_outlet += "&#34;&gt;&lt;svg onload=alert(3)&gt;" in r.text or (
            "&quot;&gt;&lt;svg onload=alert(3)&gt;" in r.text
        )
        seen_quote += bool(re.search(r"<blockquote>(<a [^>]*>)?&lt;script&gt;alert\(", r.text))
    assert seen_outlet >= 4 and seen_quote >= 4  # the hostile text is shown, escaped


def test_digest_follows_the_store(web_store, tmp_path, monkeypatch):
    """An article ingested while the app runs shows up once the digest is rebuilt (in the
    background; the old digest answers meanwhile)."""
    import time

    from marsad.store.ingest import ingest
    from marsad.web import digest

    monkeypatch.setattr(digest, "RECHECK", 0.0)
    c = TestClient(create_app(web_store))
    before = sum(o["articles"] for o in c.get("/outlets.json").json()["outlets"])
    new = tmp_path / "new"
    new.mkdir()
    (new / "n.jsonl").write_text(
        json.dumps(
            {
                "id": "late",
                "title": "خبر متأخر عن بغداد",
                "source": "منفذ جديد",
                "text": "خبر متأخر عن بغداد\n\nقال مسؤول إن الوضع هادئ.",
                "date": "2024-03-13",
            },
            ensure_ascii=False,
        )
        + "\n",
        encoding="utf-8",
    )
    ingest([new], web_store, jobs=1)
    deadline = time.time() + 20
    while time.time() < deadline:
        outlets = {o["outlet"]: o["articles"] for o in c.get("/outlets.json").json()["outlets"]}
        if outlets.get("منفذ جديد"):
            break
        time.sleep(0.2)
    assert outlets.get("منفذ جديد") == 1 and sum(outlets.values()) == before + 1


def test_svg_series_and_charts_escape():
    from marsad.web import svg

    vals, days = svg.series({"2024-01-01": 2, "2024-01-03": 1})
    assert days == ["2024-01-01", "2024-01-02", "2024-01-03"] and vals == [2, 0, 1]
    vals, months = svg.series({"2023-11-05": 1, "2024-03-01": 4, "2024-03-09": 1})
    assert months == ["2023-11", "2023-12", "2024-01", "2024-02", "2024-03"]
    assert vals == [1, 0, 0, 0, 5]
    bars = svg.bars([1, 2], ["<b>", "x"])
    assert "<b>" not in bars and "&lt;b&gt;" in bars
    assert "<script" not in svg.sparkline([1, 0, 3], "<script>")
