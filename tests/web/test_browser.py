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
