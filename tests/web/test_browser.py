"""The story page in real headless Chromium: a click on a summary citation opens the article
with exactly the cited span highlighted; pages are right to left. Skips without Chromium."""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("MARSAD_CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
OUT = Path(__file__).resolve().parents[2] / "test-output"


@pytest.fixture
def server(web_store):
    pytest.importorskip("uvicorn", reason="uvicorn is not installed (pip install 'marsad[web]')")
    import uvicorn

    from marsad.web.app import create_app

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    srv = uvicorn.Server(
        uvicorn.Config(create_app(web_store), host="127.0.0.1", port=port, log_level="warning")
    )
    t = threading.Thread(target=srv.run, daemon=True)
    t.start()
    deadline = time.time() + 10
    while not srv.started and time.time() < deadline:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    t.join(5)


@pytest.fixture
def browser():
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        pytest.skip(
            f"Chromium not found at {CHROMIUM} (apt-get install chromium; see .ci/browser.sh)"
        )
    sync_api = pytest.importorskip(
        "playwright.sync_api", reason="playwright is not installed (pip install playwright)"
    )
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield b
        b.close()


def test_citation_click_highlights_the_cited_sentence(server, browser, web_store):
    import sqlite3

    con = sqlite3.connect(web_store)
    story = con.execute("SELECT id FROM collections WHERE list='stories' ORDER BY seq").fetchone()[
        0
    ]
    con.close()
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.goto(f"{server}/story/{story}")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    cite = page.locator("a.citation").first
    doc, start, end = (cite.get_attribute(k) for k in ("data-doc", "data-start", "data-end"))
    cited_sentence = page.locator("#summary li").first.evaluate(
        "li => li.childNodes[0].textContent.trim()"
    )
    cite.click()
    page.wait_for_load_state()
    assert f"/article/{doc}" in page.url
    hl = page.locator("mark.hl")
    assert hl.count() == 1
    assert hl.get_attribute("data-start") == start and hl.get_attribute("data-end") == end
    assert hl.inner_text() == cited_sentence
    # the highlighted sentence is visible (scrolled into view through #hl)
    assert hl.is_visible()
    assert (
        page.evaluate("getComputedStyle(document.querySelector('mark.hl')).backgroundColor")
        != "rgba(0, 0, 0, 0)"
    )
    OUT.mkdir(exist_ok=True)
    page.screenshot(path=str(OUT / "article-citation.png"), full_page=False)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{server}/story/{story}")
    page.screenshot(path=str(OUT / "story.png"), full_page=True)
    # No request left the machine: every resource came from the app itself.
    assert page.evaluate(
        "performance.getEntriesByType('resource').every(e => e.name.startsWith(location.origin))"
    )


def _ids(web_store: str) -> dict[str, str]:
    import sqlite3

    con = sqlite3.connect(web_store)
    one = lambda sql: con.execute(sql).fetchone()[0]  # noqa: E731
    out = {
        "story": one(
            "SELECT story FROM story_docs GROUP BY story ORDER BY count(*) DESC, story LIMIT 1"
        ),
        "entity": one("SELECT entity FROM entity_docs GROUP BY entity ORDER BY count(*) DESC"),
        "article": one("SELECT id FROM documents WHERE id <> 'hostile' ORDER BY n"),
        "outlet": one(
            "SELECT outlet FROM documents WHERE outlet IS NOT NULL AND id <> 'hostile' "
            "GROUP BY outlet ORDER BY count(*) DESC"
        ),
        "day": one("SELECT substr(max(published), 1, 10) FROM documents"),
    }
    con.close()
    return out


def _pages(ids: dict[str, str]) -> dict[str, str]:
    from urllib.parse import quote

    return {
        "home": f"/?day={ids['day']}",
        "quotes": "/quotes",
        "entities": "/entities",
        "entity": f"/entity/{ids['entity']}",
        "speaker": f"/speaker/{ids['entity']}",
        "outlets": "/outlets",
        "outlet": f"/outlet/{quote(ids['outlet'], safe='')}",
        "story": f"/story/{ids['story']}",
        "article": f"/article/{ids['article']}",
        "search": "/search?q=" + quote("بغداد"),
        "watchlists": "/watchlists",
        "hostile": "/article/hostile",
    }


def test_every_page_renders_rtl_without_console_errors(server, browser, web_store):
    ids = _ids(web_store)
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.on("dialog", lambda d: problems.append("dialog: " + d.message))
    OUT.mkdir(exist_ok=True)
    for name, path in _pages(ids).items():
        r = page.goto(server + path)
        assert r is not None and r.status in (200, 404), path
        if name == "speaker" and r.status == 404:
            continue
        assert r.status == 200, path
        page.wait_for_load_state()
        assert page.locator("html").get_attribute("dir") == "rtl", path
        assert page.evaluate("getComputedStyle(document.body).direction") == "rtl", path
        assert page.locator("main h1").count() == 1, path
        # nothing overflows the page sideways (the tables scroll inside their box)
        assert page.evaluate(
            "document.documentElement.scrollWidth <= document.documentElement.clientWidth + 1"
        ), path
        page.screenshot(path=str(OUT / f"page-{name}.png"), full_page=False)
    assert problems == []
    assert page.evaluate(
        "performance.getEntriesByType('resource').every(e => e.name.startsWith(location.origin))"
    )


def test_keyboard_navigation(server, browser, web_store):
    ids = _ids(web_store)
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(f"{server}/?day={ids['day']}")
    # the first Tab reaches the skip link, which moves focus to the content
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip"
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none" or (
        page.evaluate("document.activeElement.getBoundingClientRect().left") >= 0
    )
    page.keyboard.press("Enter")
    page.wait_for_url("**#content")
    # from the top, Tab walks the brand, then the sections' links: Enter on "who said what"
    page.goto(f"{server}/?day={ids['day']}")
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.getAttribute('href')") == "/quotes":
            break
    else:
        pytest.fail("the who-said-what link is not reachable with Tab")
    focus = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert focus != "none"  # a visible focus ring
    page.keyboard.press("Enter")
    page.wait_for_url("**/quotes")
    # Tab to the first statement's words and open them: the article shows exactly that span
    words = page.locator("a.words").first
    want = words.inner_text().strip()
    start, end = words.get_attribute("data-start"), words.get_attribute("data-end")
    for _ in range(80):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('words')"):
            break
    else:
        pytest.fail("no statement reachable with Tab")
    page.keyboard.press("Enter")
    page.wait_for_url("**/article/**")
    hl = page.locator("mark.hl")
    assert hl.count() == 1
    assert (hl.get_attribute("data-start"), hl.get_attribute("data-end")) == (start, end)
    assert " ".join(hl.inner_text().split()) == " ".join(want.split())
    assert hl.is_visible()
    page.screenshot(path=str(OUT / "page-quote-in-article.png"), full_page=False)
