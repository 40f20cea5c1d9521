"""Streaming: memory does not grow with the number of articles beyond the collectors' small
per-article digests. Each measurement runs in a fresh subprocess on generated articles
(marsad.evaluate.synthetic, no corpus text) and reads the resident set size after a quarter of the
articles and at the end (before the collectors' results)."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

from marsad.collect.stories.collector import StoriesCollector
from marsad.core.settings import load_settings
from marsad.readers.base import make_article
from marsad.run.pipeline import Pipeline

SCRIPT = textwrap.dedent(
    """
    import json, sys
    from marsad import builtins
    from marsad.evaluate.synthetic import articles, write_jsonl
    from marsad.output.directory import analyze_to_dir

    n, keep, path, out = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
    write_jsonl(path, articles(n))
    builtins.COLLECTORS[:] = [c for c in builtins.COLLECTORS if c.name in keep.split(",")]

    def rss_kb():
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * 4

    marks = {}
    seen = [0]

    def progress(item):
        seen[0] += 1
        if seen[0] in (n // 4, n):
            marks[seen[0]] = rss_kb()

    analyze_to_dir([path], out, progress=progress)
    print(json.dumps(marks))
    """
)


def _growth_kb_per_article(tmp_path: Path, n: int, keep: str) -> float:
    src = Path(__file__).resolve().parents[1] / "src"
    # The NER tagger's per-word caches are bounded ([entities] cache_words, ~3 KB a word) but
    # fill slowly on generated text; a small bound here shows that nothing else grows.
    config = tmp_path / "small-caches.toml"
    config.write_text("[entities]\ncache_words = 200\n", encoding="utf-8")
    r = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(n), keep, str(tmp_path / "a.jsonl"), str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=120,
        env={"PYTHONPATH": str(src), "PATH": "/usr/bin:/bin", "MARSAD_CONFIG": str(config)},
    )
    assert r.returncode == 0, r.stderr[-2000:]
    marks = {int(k): v for k, v in json.loads(r.stdout.strip().splitlines()[-1]).items()}
    return (marks[n] - marks[n // 4]) / (n - n // 4)


def test_stream_without_collectors_is_flat(tmp_path):
    # Reading, the stages, analysis.json and report.html: nothing kept per article but a
    # table-of-contents line and the id (well under 1 KB); an article kept would be ~20 KB.
    # (With the entities stage the first ~1,000 articles still warm the allocator up: 2.3 KB
    # per article measured over 1,200 articles, 0.5 over 3,600.)
    growth = _growth_kb_per_article(tmp_path, 2400, keep="")
    assert growth < 2.0, f"{growth:.2f} KB per article"


def test_collectors_keep_small_digests(tmp_path):
    # The stories collector keeps a digest per article for the final clustering (TF-IDF
    # vectors, candidate summary sentences) and the reported duplicates; who-said-what and the
    # timeline keep bounded rows. Documented in docs/scale.md ("Memory").
    growth = _growth_kb_per_article(tmp_path, 800, keep="stories,quotes,timeline")
    assert growth < 48.0, f"{growth:.2f} KB per article"


def _event_articles() -> list:
    """Three events ten days apart, two outlets each (texts written for this test)."""
    settings = load_settings()
    pipe = Pipeline(settings=settings)
    texts = [
        ("2024-05-01", "افتتاح جسر جديد", "افتتح محافظ المدينة جسرا جديدا يربط ضفتي النهر."),
        ("2024-05-11", "إضراب المعلمين", "بدأ المعلمون في المدارس الحكومية إضرابا مفتوحا."),
        ("2024-05-21", "فيضان في الوادي", "غمرت مياه الفيضان قرى الوادي الشرقي بعد الأمطار."),
    ]
    out = []
    for k, (day, title, body) in enumerate(texts):
        for o, outlet in enumerate(("منفذ أول", "منفذ ثان")):
            extra = " وقال شهود إن الوضع هادئ." if o else " وأكد مسؤول محلي أن العمل مستمر."
            a = make_article(
                body + extra, id=f"e{k}-{o}", path=None, settings=settings, title=title,
                outlet=outlet, published=day,
            )  # fmt: skip
            out.append(pipe(a))
    return out


def test_closed_stories_keep_only_what_their_rows_read():
    # A story that left the clusterer's window is described at once; what it keeps to the end
    # of the run is its id, members (id, order, day), first and last day: not its entity
    # counts nor its headline centroid. The rows are those of a run without the flush.
    arts = _event_articles()
    rows = {}
    for every in (0, 2):
        col = StoriesCollector(load_settings(stories={"flush_docs": every}))
        for a in arts:
            col.add(a)
        rows[every] = list(col.results()["stories"])
        if every:
            closed = [st for st in col.clusterer.stories if st.id in col._done]
            assert closed, "no story closed during the run"
            for st in closed:
                assert st.entities == {} and st.title_centroid == {} and st.indexed == ()
                assert st.documents and st.first is not None
    assert rows[2] == rows[0]
