"""``marsad watch`` against a loopback HTTP server serving feeds that change between rounds:
only new entries are ingested, an unchanged feed costs a 304, broken feeds are logged and
counted while the good ones in the same round are still stored, folders give only their new
or changed files, and nothing is ever stored twice."""

from __future__ import annotations

import argparse
import gzip
import logging
import os
import signal
import socket
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from xml.sax.saxutils import escape

import pytest

from marsad import __version__
from marsad.core.article import Article
from marsad.core.settings import load_settings
from marsad.readers.feed import read_feed
from marsad.store.db import DB
from marsad.store.ingest import ingest
from marsad.store.schema import LATEST
from marsad.store.watch import (
    USER_AGENT,
    RoundSummary,
    add_parser,
    entry_document,
    expand_sources,
    run,
    watch,
    watch_round,
)

# Short news items written for these tests (fictional).
TEXTS = [
    "افتتحت بلدية المدينة صباح الاثنين مكتبة عامة جديدة في الحي القديم، تضم أكثر من عشرين ألف "
    "كتاب وقاعة واسعة للأطفال. وقال رئيس البلدية إن المكتبة ستفتح أبوابها مجانا لجميع السكان.",
    "هطلت أمطار غزيرة على المناطق الشمالية مساء الأحد، وأدت إلى إغلاق عدد من الطرق الفرعية. "
    "وأعلنت هيئة الأرصاد الجوية أن الطقس سيبقى باردا وممطرا حتى نهاية الأسبوع الجاري.",
    "أعلنت وزارة النقل أمس عن توسعة الميناء التجاري لاستقبال السفن الكبيرة، على أن تنتهي "
    "الأعمال خلال عامين. وأوضح الوزير أن المشروع سيوفر نحو ثلاثة آلاف فرصة عمل للشباب.",
    "فاز فريق النادي الأهلي بكأس البطولة المحلية بعد مباراة نهائية مثيرة انتهت بهدفين مقابل "
    "هدف. واحتفل آلاف المشجعين في الشوارع حتى ساعة متأخرة من الليل.",
    "بدأت وزارة الصحة حملة وطنية للتطعيم ضد الإنفلونزا في المدارس والمراكز الصحية. وقالت "
    "الوزارة إن الحملة تستمر شهرا كاملا وتستهدف نصف مليون طفل في مختلف المحافظات.",
    "افتتح مهرجان الفيلم العربي دورته العاشرة مساء الخميس بعرض فيلم وثائقي عن الصيادين. "
    "ويشارك في المهرجان أكثر من ستين فيلما من اثنتي عشرة دولة عربية.",
    "أعلن البنك المركزي تثبيت سعر الفائدة للشهر الثالث على التوالي، مشيرا إلى تراجع معدل "
    "التضخم. وتوقع محافظ البنك أن يستقر النمو الاقتصادي خلال العام المقبل.",
    "وصلت قافلة مساعدات إنسانية إلى القرى المتضررة من الفيضانات، وتحمل مواد غذائية وأدوية "
    "وأغطية. وقال منسق القافلة إن فرق الإغاثة ستبقى في المنطقة أسبوعين.",
    "أطلقت الجامعة الوطنية برنامجا جديدا لتعليم البرمجة للطلاب في السنة الأولى، بالتعاون مع "
    "شركات التقنية المحلية. وسجل في البرنامج حتى الآن أكثر من ألف طالب وطالبة.",
    "شهدت أسواق الخضار ارتفاعا ملحوظا في أسعار الطماطم والبطاطس هذا الأسبوع بسبب موجة البرد. "
    "وطالب التجار الحكومة بدعم المزارعين وتخفيف تكاليف النقل.",
]
FAST = ("entities", "quotes")  # the stages watch does not care about; keeps the tests quick


@dataclass
class Route:
    body: bytes = b""
    etag: str | None = None
    last_modified: str | None = None
    status: int = 200
    content_type: str = "application/rss+xml; charset=utf-8"
    hang: bool = False
    #: Send the headers and this many bytes of the body, then stall.
    stall_after: int | None = None
    #: Send the full Content-Length but only this many bytes, then close.
    truncate: int | None = None
    gzip: bool = False


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        srv = self.server
        srv.requests.append((self.path, dict(self.headers)))
        r = srv.routes.get(self.path)
        if r is None:
            self.send_error(404)
            return
        if r.hang:
            srv.release.wait(10)
            return
        if (r.etag and self.headers.get("If-None-Match") == r.etag) or (
            r.last_modified and self.headers.get("If-Modified-Since") == r.last_modified
        ):
            self.send_response(304)
            if r.etag:
                self.send_header("ETag", r.etag)
            self.end_headers()
            return
        body = gzip.compress(r.body) if r.gzip else r.body
        self.send_response(r.status)
        self.send_header("Content-Type", r.content_type)
        self.send_header("Content-Length", str(len(body)))
        if r.gzip:
            self.send_header("Content-Encoding", "gzip")
        if r.etag:
            self.send_header("ETag", r.etag)
        if r.last_modified:
            self.send_header("Last-Modified", r.last_modified)
        self.end_headers()
        if r.stall_after is not None:
            self.wfile.write(body[: r.stall_after])
            self.wfile.flush()
            srv.release.wait(10)
            return
        self.wfile.write(body if r.truncate is None else body[: r.truncate])

    def log_message(self, *args) -> None:
        pass


class FeedServer:
    def __init__(self) -> None:
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self.httpd.routes = {}
        self.httpd.requests = []
        self.httpd.release = threading.Event()
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.05,), daemon=True)
        self.thread.start()

    @property
    def routes(self) -> dict[str, Route]:
        return self.httpd.routes

    @property
    def requests(self) -> list[tuple[str, dict[str, str]]]:
        return self.httpd.requests

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}{path}"

    def hits(self, path: str) -> int:
        return sum(1 for p, _ in self.requests if p == path)

    def close(self) -> None:
        self.httpd.release.set()
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def server(monkeypatch):
    for var in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(var, raising=False)
    s = FeedServer()
    yield s
    s.close()


@pytest.fixture(scope="module")
def settings():
    return load_settings()


def rss(title: str, items: list[int], base: str = "https://news.example/a/") -> bytes:
    """An RSS 2.0 feed of TEXTS[i] for i in items (newest first), odd ones as HTML."""
    out = [
        '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel>',
        f"<title>{escape(title)}</title><link>https://news.example/</link>",
    ]
    for i in items:
        text = TEXTS[i]
        body = f"<p>{text}</p><p>المصدر: مراسلنا</p>" if i % 2 else text
        out.append(
            f"<item><title>خبر {i}</title><link>{base}{i}</link>"
            f"<pubDate>Mon, 0{1 + i % 9} Apr 2024 10:00:00 +0000</pubDate>"
            f"<description>{escape(body)}</description></item>"
        )
    out.append("</channel></rss>\n")
    return "".join(out).encode("utf-8")


def count(db_url: str) -> int:
    with DB(db_url) as db:
        return db.one("SELECT count(*) FROM documents")[0]


def one_round(sources, db, settings, **kw) -> RoundSummary:
    kw.setdefault("timeout", 5)
    return watch_round(
        [str(s) for s in sources], db, settings, jobs=1, collect=False, disable=FAST, **kw
    )


def by_source(r: RoundSummary) -> dict:
    return {s.source: s for s in r.sources}


# -- feeds ---------------------------------------------------------------------------------------
def test_feed_rounds_ingest_only_new_entries(server, store_url, settings):
    server.routes["/feed"] = Route(rss("صحيفة الأفق", [1, 0]))
    url = server.url("/feed")

    r1 = one_round([url], store_url, settings)
    (s1,) = r1.sources
    assert (s1.status, s1.entries, s1.new, s1.stored, s1.failed) == ("ok", 2, 2, 2, 0), s1
    assert r1.ok and count(store_url) == 2
    headers = server.requests[-1][1]
    assert headers["User-Agent"] == USER_AGENT == f"marsad/{__version__}"

    # A new entry on top: only that one is passed to ingest and stored.
    server.routes["/feed"] = Route(rss("صحيفة الأفق", [2, 1, 0]))
    (s2,) = one_round([url], store_url, settings).sources
    assert (s2.status, s2.entries, s2.new, s2.stored, s2.skipped) == ("ok", 3, 1, 1, 0), s2
    assert count(store_url) == 3

    # Same body again, and the server gives no validators: downloaded, not read again.
    (s3,) = one_round([url], store_url, settings).sources
    assert (s3.status, s3.new, s3.stored) == ("unchanged", 0, 0)

    with DB(store_url) as db:
        rows = db.all("SELECT url, path, outlet, title, raw FROM documents ORDER BY url")
        assert [r[0] for r in rows] == [f"https://news.example/a/{i}" for i in (0, 1, 2)]
        # the stored path is the feed, not the temporary file the entry was read from
        assert {r[1] for r in rows} == {url}
        assert {r[2] for r in rows} == {"صحيفة الأفق"}
        assert [r[3] for r in rows] == ["خبر 0", "خبر 1", "خبر 2"]
        assert rows[1][4] and "<p>" in rows[1][4]  # the entry's HTML is kept as raw
        assert db.one("SELECT max(version) FROM migrations")[0] == LATEST
        assert db.one("SELECT count(*) FROM watch_items WHERE source = ?", (url,))[0] == 3
        doc = db.one("SELECT doc FROM documents WHERE url = ?", ("https://news.example/a/2",))
        assert url in doc[0] and "marsad-watch-" not in doc[0]


def test_conditional_get_304_ingests_nothing(server, tmp_path, settings):
    db = str(tmp_path / "s.db")
    server.routes["/etag"] = Route(rss("أ", [0, 1]), etag='"v1"')
    server.routes["/lm"] = Route(
        rss("ب", [2, 3]), last_modified="Mon, 01 Apr 2024 10:00:00 GMT", gzip=True
    )
    urls = [server.url("/etag"), server.url("/lm")]
    r1 = one_round(urls, db, settings)
    assert [s.stored for s in r1.sources] == [2, 2] and r1.ok

    r2 = one_round(urls, db, settings)
    assert [s.status for s in r2.sources] == ["not-modified", "not-modified"]
    assert r2.new == r2.stored == 0 and count(db) == 4
    sent = [h for p, h in server.requests if p == "/etag"][-1]
    assert sent["If-None-Match"] == '"v1"'
    sent = [h for p, h in server.requests if p == "/lm"][-1]
    assert sent["If-Modified-Since"] == "Mon, 01 Apr 2024 10:00:00 GMT"

    # A new version with a new ETag: fetched again, only the new entry stored.
    server.routes["/etag"] = Route(rss("أ", [4, 0, 1]), etag='"v2"')
    s = by_source(one_round(urls, db, settings))[urls[0]]
    assert (s.status, s.new, s.stored) == ("ok", 1, 1)
    with DB(db) as store:
        assert store.one("SELECT etag FROM watch_sources WHERE source = ?", (urls[0],))[0] == '"v2"'


def test_broken_feeds_are_logged_and_the_good_one_is_ingested(server, tmp_path, settings, caplog):
    db = str(tmp_path / "s.db")
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        down = f"http://127.0.0.1:{s.getsockname()[1]}/feed"
    good = rss("الأفق", [0, 1])
    server.routes["/good"] = Route(good)
    server.routes["/slow"] = Route(hang=True)  # never answers
    server.routes["/trickle"] = Route(rss("ب", [2]), stall_after=200)  # stalls mid-body
    server.routes["/html"] = Route(
        b"<!DOCTYPE html><html><body><h1>502 Bad Gateway</h1></body></html>",
        content_type="text/html",
    )
    server.routes["/junk"] = Route(
        b"\x00\x01 this is not XML at all \xff\xfe", content_type="text/plain"
    )
    server.routes["/cut"] = Route(rss("ج", [2, 3]), truncate=300)  # Content-Length says more
    server.routes["/cut2"] = Route(rss("ج", [2, 3])[:-40])  # ends mid-document
    server.routes["/503"] = Route(b"busy", status=503, content_type="text/plain")
    paths = ("/slow", "/trickle", "/html", "/junk", "/cut", "/cut2", "/503")
    bad = [down] + [server.url(p) for p in paths]

    caplog.set_level(logging.INFO, logger="marsad.store.watch")
    t0 = time.monotonic()
    r = one_round([*bad, server.url("/good")], db, settings, timeout=0.5)
    assert time.monotonic() - t0 < 8
    res = by_source(r)
    assert res[server.url("/good")].stored == 2 and count(db) == 2
    reasons = {u: res[u].error for u in bad}
    assert all(res[u].status == "error" for u in bad), reasons
    assert "connection refused" in reasons[down]
    assert "timed out after 0.5 s" in reasons[server.url("/slow")]
    assert "timed out after 0.5 s" in reasons[server.url("/trickle")]
    assert "not an RSS/Atom feed" in reasons[server.url("/html")]
    assert "text/html" in reasons[server.url("/html")]
    assert "not an RSS/Atom feed" in reasons[server.url("/junk")]
    assert "truncated" in reasons[server.url("/cut")]
    assert "truncated" in reasons[server.url("/cut2")]
    assert "HTTP 503" in reasons[server.url("/503")]
    assert len(r.errors) == len(bad) and not r.ok
    assert f"{len(bad)} source errors (" in r.line()
    warned = [rec.getMessage() for rec in caplog.records if rec.levelno == logging.WARNING]
    for u in bad:
        assert any(u in m and reasons[u] in m for m in warned), u
    infos = [
        rec.getMessage()
        for rec in caplog.records
        if rec.levelno == logging.INFO and rec.name == "marsad.store.watch"
    ]
    assert len(infos) == len(bad) + 1  # one line per source
    assert any("2 new, 2 stored, 0 skipped, 0 failed, 0 errors" in m for m in infos)
    with DB(db) as store:
        failures = dict(
            store.all("SELECT source, failures FROM watch_sources WHERE error IS NOT NULL")
        )
    assert failures == {u: 1 for u in bad}

    # The next round retries: the broken feeds now work and are ingested.
    for p in ("/html", "/junk", "/cut", "/cut2"):
        server.routes[p] = Route(rss("د", [{"/html": 4, "/junk": 5}.get(p, 6)]))
    r2 = one_round([*bad, server.url("/good")], db, settings, timeout=0.5)
    res = by_source(r2)
    assert [res[server.url(p)].status for p in ("/html", "/junk", "/cut", "/cut2")] == ["ok"] * 4
    assert res[server.url("/good")].status == "unchanged"
    assert count(db) == 5  # /cut and /cut2 serve the same entry: stored once
    assert len(r2.errors) == 4  # still down, slow, trickling, 503


def test_folder_picks_up_only_new_or_changed_files(tmp_path, settings):
    db = str(tmp_path / "s.db")
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(TEXTS[0], encoding="utf-8")
    (folder / "b.txt").write_text(TEXTS[1], encoding="utf-8")
    (folder / ".partial.txt").write_text(TEXTS[2], encoding="utf-8")  # hidden: not yet
    (s1,) = one_round([folder], db, settings).sources
    assert (s1.kind, s1.entries, s1.new, s1.stored) == ("folder", 2, 2, 2)

    (folder / ".partial.txt").rename(folder / "c.txt")  # an atomic write finished
    (s2,) = one_round([folder], db, settings).sources
    assert (s2.entries, s2.new, s2.stored) == (3, 1, 1)

    (s3,) = one_round([folder], db, settings).sources
    assert (s3.new, s3.stored) == (0, 0)

    # A changed file is read again; an article already stored is skipped by its hash.
    a = folder / "a.txt"
    a.write_text(TEXTS[3], encoding="utf-8")
    st = a.stat()
    os.utime(a, ns=(st.st_atime_ns, st.st_mtime_ns + 2_000_000_000))
    (folder / "d.txt").write_text(TEXTS[1], encoding="utf-8")  # same text as b.txt
    (folder / "b.txt").unlink()
    (s4,) = one_round([folder], db, settings).sources
    assert (s4.new, s4.stored, s4.skipped) == (2, 1, 1)
    assert count(db) == 4
    with DB(db) as store:
        paths = {Path(p).name for (p,) in store.all("SELECT path FROM watch_files")}
    assert paths == {"a.txt", "c.txt", "d.txt"}  # b.txt forgotten once gone


def test_rerun_never_duplicates(server, tmp_path, settings):
    db = str(tmp_path / "s.db")
    server.routes["/feed"] = Route(rss("الأفق", [0, 1, 2]), etag='"x"')
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(TEXTS[3], encoding="utf-8")
    (folder / "b.txt").write_text(TEXTS[0], encoding="utf-8")  # also in the feed
    sources = [server.url("/feed"), str(folder)]
    r1 = one_round(sources, db, settings)
    assert (r1.new, r1.stored, r1.skipped) == (5, 4, 1)
    assert count(db) == 4

    # The watch state is lost (or another store copy is watched): the content hash still
    # keeps every article from being stored twice.
    with DB(db) as store:
        store.begin()
        for table in ("watch_sources", "watch_items", "watch_files"):
            store.execute(f"DELETE FROM {table}")
        store.commit()
    r2 = one_round(sources, db, settings)
    feed, fold = r2.sources
    assert feed.new == 0  # the stored documents' urls are known
    assert (fold.new, fold.stored, fold.skipped) == (2, 0, 2)
    assert count(db) == 4
    r3 = one_round(sources, db, settings)
    assert r3.new == r3.stored == 0 and count(db) == 4
    with DB(db) as store:
        assert store.one("SELECT count(DISTINCT sha1) FROM documents")[0] == 4


def test_watched_entries_equal_ingesting_the_saved_feed(server, tmp_path, settings):
    """An entry read through watch's one-entry files is stored as ``marsad ingest`` stores the
    saved feed (text, metadata, raw HTML), apart from path and id."""
    body = rss("صحيفة الأفق", [1, 2, 3])
    saved = tmp_path / "saved.xml"
    saved.write_bytes(body)
    direct, watched = str(tmp_path / "direct.db"), str(tmp_path / "watched.db")
    ingest([saved], direct, settings, disable=FAST, jobs=1, collect=False)
    server.routes["/feed"] = Route(body)
    assert one_round([server.url("/feed")], watched, settings).stored == 3
    cols = "url, sha1, title, outlet, published, language, text, raw"
    q = f"SELECT {cols} FROM documents ORDER BY url"
    with DB(direct) as a, DB(watched) as b:
        assert a.all(q) == b.all(q)

    # A saved copy already ingested: watching the live feed adds nothing.
    server.routes["/feed2"] = Route(body)
    assert one_round([server.url("/feed2")], direct, settings).new == 0


def test_entry_document_round_trips(settings):
    """The one-entry file read by ingest gives the article the feed reader read from the feed:
    same text, raw HTML, metadata and encoding (here Windows-1256, no link, CDATA, a script)."""
    html = f"<p>{TEXTS[1]}</p>\r\n<script>x()</script><p>فقرة ثانية &amp; أخيرة</p>"
    xml = (
        '<?xml version="1.0" encoding="windows-1256"?><rss version="2.0"><channel>'
        "<title>الأفق &amp; الغد</title>"
        f"<item><title>خبر &lt;عاجل&gt;</title><description>{TEXTS[0]}</description>"
        "<author>مراسلنا</author><pubDate>Tue, 02 Apr 2024 23:30:00 +0300</pubDate></item>"
        f"<item><title>ب</title><link> https://news.example/b </link>"
        f"<description><![CDATA[{html}]]></description></item>"
        "</channel></rss>"
    ).encode("cp1256")
    arts = list(read_feed(xml, "feed", "feed", settings))
    assert len(arts) == 2 and all(isinstance(a, Article) for a in arts)
    for a in arts:
        doc = entry_document(a)
        assert doc.startswith(b'<?xml version="1.0" encoding="windows-1256"?>')
        (b,) = read_feed(doc, "x", "x", settings)
        assert (b.text, b.raw, b.meta) == (a.text, a.raw, a.meta)


def test_linkless_and_non_arabic_entries(server, tmp_path, settings):
    db = str(tmp_path / "s.db")
    items = [
        f"<item><title>أ</title><description>{TEXTS[2]}</description></item>",
        "<item><title>E</title><link>https://news.example/en</link><description>The city "
        "opened a new public library on Monday, with twenty thousand books.</description></item>",
    ]
    body = f'<rss version="2.0"><channel><title>ت</title>{"".join(items)}</channel></rss>'
    server.routes["/feed"] = Route(body.encode("utf-8"))
    (s1,) = one_round([server.url("/feed")], db, settings).sources
    assert (s1.entries, s1.new, s1.stored, s1.skipped) == (2, 1, 1, 1)  # English: E019 skip
    body = body.replace(
        "<title>ت</title>", f"<title>ت</title><item><description>{TEXTS[3]}</description></item>"
    )
    server.routes["/feed"] = Route(body.encode("utf-8"))
    (s2,) = one_round([server.url("/feed")], db, settings).sources
    assert (s2.entries, s2.new, s2.stored) == (3, 1, 1)  # the linkless entry is known by its text
    with DB(db) as store:
        assert store.all("SELECT DISTINCT path FROM documents") == [(server.url("/feed"),)]


# -- the loop, the command line, signals ---------------------------------------------------------
def test_watch_loop_rounds_and_list_file(server, tmp_path, settings):
    db = str(tmp_path / "s.db")
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(TEXTS[7], encoding="utf-8")
    server.routes["/feed"] = Route(rss("الأفق", [0]), etag='"1"')
    listing = tmp_path / "sources.txt"
    listing.write_text(
        "# feeds to watch\n\n"
        f"{server.url('/feed')}   # the main feed\n"
        f"{server.url('/feed')}\n"  # listed twice: polled once
        "in\n"  # relative to the list file
        "no-such-folder\n",
        encoding="utf-8",
    )
    found, problems = expand_sources([str(listing)])
    assert [(s.kind, Path(s.location).name) for s in found] == [("feed", "feed"), ("folder", "in")]
    assert problems == [(f"{listing}:6", "not an http(s) URL or a folder: 'no-such-folder'")]

    seen: list[RoundSummary] = []

    def next_round(r: RoundSummary) -> None:
        seen.append(r)
        if r.round == 1:
            server.routes["/feed"] = Route(rss("الأفق", [9, 0]), etag='"2"')

    last = watch(
        [str(listing)],
        db,
        settings,
        every=0.01,
        max_rounds=3,
        timeout=5,
        jobs=1,
        disable=FAST,
        on_round=next_round,
        handle_signals=False,
    )
    assert [r.stored for r in seen] == [2, 1, 0]
    assert [r.round for r in seen] == [1, 2, 3] and last is seen[-1]
    assert [len(r.errors) for r in seen] == [1, 1, 1]  # the bad line, every round
    assert seen[0].collected  # the collectors ran after the round that stored articles
    assert server.hits("/feed") == 3


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="marsad")
    add_parser(p.add_subparsers(dest="command"))
    return p


def test_cli_once(server, tmp_path, capsys):
    db = str(tmp_path / "s.db")
    server.routes["/feed"] = Route(rss("الأفق", [5, 6]))
    argv = ["watch", server.url("/feed"), "--db", db, "--once", "--timeout", "3", "--no-collect"]
    argv += ["--disable", "entities", "--disable", "quotes"]
    args = _parser().parse_args(argv)
    assert (args.every, args.jobs, args.max_rounds) == (300.0, 1, None)
    assert run(args) == 0
    err = capsys.readouterr().err
    assert (
        "marsad watch: round 1: 1 source, 2 new, 2 stored, 0 skipped, 0 failed, 0 source errors"
        in err
        and db in err
    )
    assert count(db) == 2

    # -q: nothing on stderr; a failed source makes the exit status 1.
    server.routes["/feed"] = Route(b"<html>oops</html>", content_type="text/html")
    assert run(_parser().parse_args([*argv, "-q"])) == 1
    assert capsys.readouterr().err == ""

    # usage errors: 2
    assert run(_parser().parse_args(["watch", str(tmp_path / "nothing"), "--db", db])) == 2
    saved = tmp_path / "saved.rss"
    saved.write_bytes(rss("x", [0]))
    assert run(_parser().parse_args(["watch", str(saved), "--db", db])) == 2
    assert "not a list of sources" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        _parser().parse_args(["watch", "x", "--every", "0"])


def test_sigterm_stops_between_rounds(tmp_path, settings):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(TEXTS[8], encoding="utf-8")
    before = signal.getsignal(signal.SIGTERM)
    rounds: list[int] = []

    def on_round(r: RoundSummary) -> None:
        rounds.append(r.round)
        os.kill(os.getpid(), signal.SIGTERM)  # arrives after the round, during the wait

    t0 = time.monotonic()
    last = watch(
        [str(folder)],
        str(tmp_path / "s.db"),
        settings,
        every=60,
        collect=False,
        disable=FAST,
        on_round=on_round,
    )
    assert time.monotonic() - t0 < 10
    assert rounds == [1] and last is not None and last.stored == 1
    assert signal.getsignal(signal.SIGTERM) is before  # handlers restored
