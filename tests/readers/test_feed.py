"""RSS/Atom feeds: one article per entry, metadata from the feed, skips counted with a reason."""

from __future__ import annotations

import gzip
from datetime import date

import pytest

from marsad.core.article import Article
from marsad.core.errors import ErrorRecord
from marsad.core.settings import load_settings
from marsad.readers import read

from .builders import AR_1, AR_2, AR_3, EN_1, EN_2, atom, rss

ITEMS = [
    {
        "title": "مدرسة جديدة في المدينة",
        "link": "https://example.org/news/1",
        "pubDate": "Tue, 05 Mar 2024 10:00:00 GMT",
        "author": "سعاد الكاتبة",
        "description": f"<p>{AR_1}</p><p>{AR_2}</p>",
    },
    {"title": "School", "link": "https://example.org/en/2", "description": f"<p>{EN_1} {EN_2}</p>"},
    {"title": "عنوان بلا نص", "link": "https://example.org/news/3"},
    {
        "title": "مصنع قرب الميناء",
        "link": "https://example.org/news/4",
        "pubDate": "2024-03-07T08:00:00+03:00",
        "description": "ملخص قصير",
        "content": f"<div><p>{AR_3}</p><script>var x = 1;</script><p>{AR_1}</p></div>",
    },
]


def items(path, **overrides):
    return list(read([path], load_settings(**overrides) if overrides else None))


@pytest.fixture
def feed_file(tmp_path):
    p = tmp_path / "akhbar.rss"
    p.write_text(rss("صحيفة النخيل", ITEMS), encoding="utf-8")
    return p


def test_rss_entries_metadata_and_skips(feed_file):
    out = items(feed_file)
    assert [type(x).__name__ for x in out] == ["Article", "ErrorRecord", "ErrorRecord", "Article"]
    a1, en, empty, a4 = out
    assert a1.id == "akhbar-1" and a4.id == "akhbar-4"
    assert a1.text.split("\n") == [AR_1, AR_2]
    assert a1.meta.title == "مدرسة جديدة في المدينة"
    assert a1.meta.url == "https://example.org/news/1"
    assert a1.meta.published == date(2024, 3, 5)
    assert a1.meta.outlet == "صحيفة النخيل"
    assert a1.meta.author == "سعاد الكاتبة"
    assert {a1.meta.sources[k] for k in ("title", "url", "published", "outlet")} == {"record"}
    # content:encoded (longer) wins over the description; the script is not text
    assert AR_3 in a4.text and AR_1 in a4.text and "var x" not in a4.text
    assert "ملخص قصير" not in a4.text
    assert a4.meta.published == date(2024, 3, 7)
    assert (en.code, en.severity, en.record, en.doc) == ("E019", "skip", 2, "akhbar-2")
    assert "'en'" in en.reason
    assert (empty.code, empty.severity, empty.record) == ("E021", "skip", 3)
    assert en.to_json()["severity"] == "skip"


def test_non_arabic_entries_kept_when_configured(feed_file):
    out = items(feed_file, read={"skip_non_arabic": "never"})
    kinds = [x.code if isinstance(x, ErrorRecord) else x.id for x in out]
    assert kinds == ["akhbar-1", "akhbar-2", "E021", "akhbar-4"]


def test_atom_feed(tmp_path):
    p = tmp_path / "site.atom"
    entries = [
        {
            "title": "خبر أول",
            "link": "https://example.org/a",
            "updated": "2024-02-01T12:00:00Z",
            "author": "محرر",
            "content": f"<p>{AR_2}</p><p>{AR_3}</p>",
        }
    ]
    p.write_text(atom("وكالة الأنباء", entries), encoding="utf-8")
    (art,) = items(p)
    assert isinstance(art, Article)
    assert art.text == f"{AR_2}\n{AR_3}"
    assert (art.meta.title, art.meta.url, art.meta.outlet) == (
        "خبر أول",
        "https://example.org/a",
        "وكالة الأنباء",
    )
    assert art.meta.published == date(2024, 2, 1)
    assert art.meta.author == "محرر"


@pytest.mark.parametrize("name", ["rss.php", "feed", "feed.html", "news.xml", "feed.xml.gz"])
def test_saved_feed_url_is_sniffed(tmp_path, name):
    data = rss("صحيفة النخيل", ITEMS[:1]).encode("utf-8")
    p = tmp_path / name
    p.write_bytes(gzip.compress(data) if name.endswith(".gz") else data)
    out = items(p)
    assert len(out) == 1 and isinstance(out[0], Article), out
    assert out[0].meta.outlet == "صحيفة النخيل"
    # and a folder finds it too
    assert [x.id for x in items(tmp_path)] == [out[0].id]


def test_xml_that_is_not_a_feed(tmp_path):
    p = tmp_path / "sitemap.xml"
    p.write_text('<?xml version="1.0"?><urlset><url><loc>https://x</loc></url></urlset>')
    (err,) = items(p)
    assert (err.code, err.severity) == ("E002", "error")
    assert items(tmp_path) == []  # not an article file: passed over in a folder


@pytest.mark.parametrize(
    "data",
    [
        b"not xml at all \x00\x01",
        b"<?xml version='1.0'?><rss version='2.0'><channel><title>x</tit",
        b"",
    ],
)
def test_broken_feed_is_an_error(tmp_path, data):
    p = tmp_path / "broken.rss"
    p.write_bytes(data)
    (err,) = items(p)
    assert isinstance(err, ErrorRecord)
    assert err.severity == "error"
    assert err.code in ("E020", "E005"), err


def test_truncated_feed_keeps_complete_entries(tmp_path):
    text = rss("صحيفة", [ITEMS[0], ITEMS[3]])
    cut = text.index("<item>", text.index("</item>"))  # inside the second item's start
    p = tmp_path / "cut.rss"
    p.write_text(text[: cut + 30], encoding="utf-8")
    out = items(p)
    assert isinstance(out[0], Article) and out[0].text.split("\n") == [AR_1, AR_2]
    # feedparser's lenient parser recovers what it can: the cut-off item has no text
    assert [(e.code, e.severity) for e in out[1:]] == [("E021", "skip")]


def test_feed_through_the_pipeline_offsets_and_json(tmp_path, feed_file):
    import json
    from importlib import resources

    import jsonschema

    import marsad

    schema = json.loads(
        resources.files("marsad.output").joinpath("marsad-1.schema.json").read_text("utf-8")
    )

    result = marsad.analyze(feed_file)
    assert [d.id for d in result.documents] == ["akhbar-1", "akhbar-4"]
    assert result.ok  # skips are not failures
    data = result.to_json()
    assert [(e["code"], e["severity"]) for e in data["errors"]] == [
        ("E019", "skip"),
        ("E021", "skip"),
    ]
    jsonschema.validate(data, schema)
    for doc in result.documents:
        for s in doc.sentences:
            assert 0 <= s.start < s.end <= len(doc.text)


def test_skip_non_arabic_all_and_bad_value(tmp_path):
    from marsad.core.errors import UsageError

    p = tmp_path / "en.txt"
    p.write_text(f"{EN_1} {EN_2}", encoding="utf-8")
    (kept,) = items(p)  # default: a standalone file is kept (the language stage flags it)
    assert isinstance(kept, Article)
    (skipped,) = items(p, read={"skip_non_arabic": "all"})
    assert (skipped.code, skipped.severity) == ("E019", "skip")
    with pytest.raises(UsageError):
        items(p, read={"skip_non_arabic": "sometimes"})
