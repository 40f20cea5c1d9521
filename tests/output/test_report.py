"""report.html and its folder: a page per article, story and entity that opens from disk; every
relative link leads to an existing file and anchor; a large run's report.html is an index
without the articles inline, under 5 MB at 10,000 articles."""

from __future__ import annotations

import copy
import re
import time
from pathlib import Path
from urllib.parse import unquote

import pytest

from conftest import EXAMPLES

LINK = re.compile(r'href="([^"]+)"')
IDS = re.compile(r'\bid="([^"]+)"|\bid=\'([^\']+)\'')


def check_links(root: Path) -> int:
    """Every relative link of every page resolves to a file and, when it has one, an anchor."""
    pages = [root / "report.html", *sorted((root / "report").rglob("*.html"))]
    ids: dict[Path, set[str]] = {}
    n = 0
    for p in pages:
        html = p.read_text("utf-8")
        assert '<html lang="ar" dir="rtl">' in html, p
        for href in LINK.findall(html):
            if href.startswith(("http://", "https://")):
                continue
            target, _, frag = href.partition("#")
            dest = (p.parent / unquote(target)).resolve() if target else p.resolve()
            assert dest.exists(), (p, href)
            frag = frag.split(":~:")[0]
            if frag:
                if dest not in ids:
                    text = dest.read_text("utf-8")
                    ids[dest] = {a or b for a, b in IDS.findall(text)}
                assert frag in ids[dest], (p, href)
            n += 1
    return n


def test_report_folder_opens_from_disk(tmp_path):
    from marsad.output.directory import analyze_to_dir

    analyze_to_dir([EXAMPLES], tmp_path)
    pages = tmp_path / "report"
    assert len(list((pages / "articles").glob("*.html"))) == 11
    assert list((pages / "stories").glob("*.html")) and list((pages / "entities").glob("*.html"))
    index = (tmp_path / "report.html").read_text("utf-8")
    # a small run keeps every article inline too (one file to mail) and links to the pages
    assert index.count('<article class="doc"') == 11
    assert 'href="report/stories/' in index and 'href="report/entities/' in index
    assert check_links(tmp_path) > 100
    assert not list(tmp_path.glob("*.part"))
    # run again: the folder is replaced, not mixed with the previous one
    (pages / "articles" / "999.html").write_text("old", encoding="utf-8")
    analyze_to_dir([EXAMPLES], tmp_path)
    assert not (pages / "articles" / "999.html").exists()


def test_large_run_index_links_into_the_folder(tmp_path, monkeypatch):
    from marsad.output import report
    from marsad.output.directory import analyze_to_dir

    monkeypatch.setattr(report, "INLINE_MAX", 3)
    analyze_to_dir([EXAMPLES], tmp_path)
    index = (tmp_path / "report.html").read_text("utf-8")
    assert '<article class="doc"' not in index
    assert 'href="report/articles/1.html' in index and 'href="#doc-' not in index
    assert "<section class='entities'>" in index and '<section class="stories">' in index
    assert check_links(tmp_path) > 50
    art = (tmp_path / "report" / "articles" / "1.html").read_text("utf-8")
    assert '<article class="doc" id="doc-1"' in art


def test_hostile_text_is_escaped_on_every_report_page(tmp_path):
    from marsad.output.directory import analyze_to_dir

    src = tmp_path / "in"
    src.mkdir()
    (src / "evil.jsonl").write_text(
        '{"id": "e<1>", "title": "<script>alert(1)</script> بغداد", "source": "\\"><img src=x '
        'onerror=alert(2)>", "text": "<script>alert(1)</script> بغداد\\n\\nقال وزير الخارجية '
        'العراقي فؤاد حسين إن «<iframe src=javascript:alert(3)> الوضع مستقر» في بغداد."}\n',
        encoding="utf-8",
    )
    out = tmp_path / "out"
    analyze_to_dir([src, EXAMPLES], out)
    pages = [out / "report.html", *(out / "report").rglob("*.html")]
    for p in pages:
        html = p.read_text("utf-8")
        for bad in ("<script", "<img src=x", "<iframe"):
            assert bad not in html, (p, bad)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in (out / "report.html").read_text("utf-8")


def test_index_under_5_mb_at_10000_articles(tmp_path, sample_analysis):
    """The sample's articles and run-level lists repeated to 10,000 articles (ids and
    positions renumbered): the index stays under 5 MB; the articles are in their pages."""
    from marsad.output.report import ReportWriter

    base = sample_analysis.documents
    extra = sample_analysis.extra if hasattr(sample_analysis, "extra") else None
    if extra is None:
        pytest.skip("the Python API result does not expose the run-level lists")
    copies = 10_000 // len(base) + 1
    t0 = time.perf_counter()
    with open(tmp_path / "report.html", "w", encoding="utf-8") as fh:
        w = ReportWriter(fh, folder=tmp_path / "report")
        ids = []
        for k in range(copies):
            for a in base:
                if w.n >= 10_000:
                    break
                b = copy.copy(a)
                b.id = f"{a.id}~{k}"
                ids.append(b.id)
                w.add(b)
        big = _scaled(extra, len(base), copies)
        w.close(big, {"read": w.n, "analysed": w.n, "failed": 0})
    size = (tmp_path / "report.html").stat().st_size
    assert w.n == 10_000
    assert size < 5_000_000, f"index {size / 1e6:.1f} MB"
    assert len(list((tmp_path / "report" / "articles").iterdir())) == 10_000
    print(f"index {size / 1e6:.2f} MB at 10,000 articles in {time.perf_counter() - t0:.0f} s")


def _scaled(extra: dict, n: int, copies: int) -> dict:
    """The run-level lists of ``n`` articles repeated ``copies`` times with new ids and
    article numbers (what a run of n * copies similar articles would give)."""
    from marsad.core.settings import load_settings

    cap = load_settings()["dates"]["report_max_rows"]  # the timeline collector keeps no more
    out: dict = {}
    for key, rows in extra.items():
        if not isinstance(rows, list):
            out[key] = rows
            continue
        grown = []
        for k in range(copies):
            for r in rows:
                r = copy.deepcopy(r)
                if isinstance(r, dict):
                    if "id" in r:
                        r["id"] = f"{r['id']}~{k}"
                    if "n" in r:
                        r["n"] = r["n"] + k * n
                    if "quote" in r:
                        r["quote"] = f"{r['quote']}~{k}"
                    if "entity" in r and isinstance(r["entity"], str):
                        r["entity"] = f"{r['entity']}~{k}"
                    if "document_positions" in r:
                        r["document_positions"] = [p + k * n for p in r["document_positions"]]
                    if "links" in r:
                        r["links"] = [[p + k * n, *rest] for p, *rest in r["links"]]
                grown.append(r)
        out[key] = grown[:cap] if key in ("report_timeline", "report_figures") else grown
    return out
