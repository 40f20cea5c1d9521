"""WARC archives: HTML responses become articles; other records are skipped with a reason."""

from __future__ import annotations

from datetime import date

import pytest

from marsad.core.article import Article
from marsad.core.errors import ErrorRecord
from marsad.readers import read

from .builders import (
    AR_1,
    AR_2,
    AR_3,
    EN_1,
    EN_2,
    page,
    request,
    response,
    warc,
    warc_record,
    warcinfo,
)

URL = "https://example.org/news/{}"


def crawl() -> list[bytes]:
    """A small crawl: what each record should become is in EXPECTED."""
    return [
        warcinfo(),  # 1: passed over
        request(URL.format(1)),  # 2: passed over
        response(URL.format(1), page("مدرسة جديدة", [AR_1, AR_2]), date="2024-03-05T23:30:00Z"),
        response(URL.format(2), b"\x89PNG\r\n\x1a\n" + bytes(100), content_type="image/png"),
        response(URL.format(3), b"", status="301 Moved Permanently"),
        response(URL.format(4), page("School", [EN_1, EN_2])),
        response(URL.format(5), b"   "),
        warc_record(  # 8: a metadata record: passed over
            "metadata", URL.format(5), b"via: x\r\n", content_type="application/warc-fields"
        ),
        response(
            URL.format(6),
            page("مصنع قرب الميناء", [AR_3, AR_1], published="2024-01-20T09:00:00+03:00"),
        ),
    ]


EXPECTED = [
    ("article", 3),
    ("E018", 4),  # image/png
    ("E018", 5),  # HTTP 301
    ("E019", 6),  # English
    ("E021", 7),  # no payload
    ("article", 9),
]


def summary(out):
    return [
        ("article", int(x.id.rsplit("-", 1)[1])) if isinstance(x, Article) else (x.code, x.record)
        for x in out
    ]


@pytest.mark.parametrize("gz", [None, "record", "file"])
def test_crawl_records(tmp_path, gz):
    name = "crawl.warc" + (".gz" if gz else "")
    p = tmp_path / name
    p.write_bytes(warc(crawl(), gz=gz))
    out = list(read([p]))
    assert summary(out) == EXPECTED
    skips = [x for x in out if isinstance(x, ErrorRecord)]
    assert {x.severity for x in skips} == {"skip"}
    assert {x.doc for x in skips} == {f"crawl-{n}" for n in (4, 5, 6, 7)}
    a, b = (x for x in out if isinstance(x, Article))
    assert a.text.split("\n")[-2:] == [AR_1, AR_2]
    assert a.meta.url == URL.format(1) and a.meta.sources["url"] == "record"
    # no date in the page: the capture date stands in (UTC day of WARC-Date)
    assert a.meta.published == date(2024, 3, 5) and a.meta.sources["published"] == "capture"
    assert a.meta.title == "مدرسة جديدة"
    assert b.meta.published == date(2024, 1, 20) and b.meta.sources["published"] == "html"
    assert b.meta.url == URL.format(6)
    assert AR_3 in b.text


def test_sniffed_without_suffix(tmp_path):
    p = tmp_path / "crawl-00001"
    p.write_bytes(warc(crawl()[:3]))
    (art,) = read([tmp_path])
    assert isinstance(art, Article) and art.id == "crawl-00001-3"


def test_http_charset_is_used(tmp_path):
    body = page("عنوان", [AR_1, AR_2]).replace(b'<meta charset="utf-8">', b"")
    body = body.decode("utf-8").encode("cp1256")
    p = tmp_path / "legacy.warc"
    p.write_bytes(
        warc([response(URL.format(1), body, content_type="text/html; charset=windows-1256")])
    )
    (art,) = read([p])
    assert isinstance(art, Article) and art.meta.encoding == "cp1256"
    assert AR_1 in art.text


@pytest.mark.parametrize("cut", [0.02, 0.3, 0.6, 0.9])
def test_truncated_archive_keeps_earlier_records(tmp_path, cut):
    records = [response(URL.format(1), page("أ", [AR_1, AR_2]))]
    records.append(response(URL.format(2), page("ب", [AR_3, AR_1])))
    data = warc(records)
    first = len(records[0])
    p = tmp_path / "cut.warc"
    p.write_bytes(data[: first + int(cut * len(records[1]))])
    out = list(read([p]))
    assert isinstance(out[0], Article) and out[0].id == "cut-1"
    assert len(out) == 2
    assert isinstance(out[1], ErrorRecord) and out[1].severity == "error", out[1]
    assert out[1].code == "E020" and out[1].record == 2


@pytest.mark.parametrize(
    "data", [b"WARC/1.0\r\nthis is not a header\r\n\r\n", b"\x1f\x8b\x08\x00broken gzip"]
)
def test_broken_archive_is_an_error(tmp_path, data):
    p = tmp_path / "broken.warc.gz"
    p.write_bytes(data)
    (err,) = read([p])
    assert (err.code, err.severity) == ("E020", "error"), err


def test_ingest_counts_skips_apart(tmp_path):
    from marsad.store.ingest import ingest

    p = tmp_path / "crawl.warc"
    p.write_bytes(warc(crawl()))
    s = ingest([p], db=str(tmp_path / "m.db"), jobs=1, collect=False)
    assert (s.stored, s.failed, s.skipped_records) == (2, 0, 4)
    assert s.skipped_by_code == {"E018": 2, "E019": 1, "E021": 1}
    assert s.to_json()["skipped_records"] == 4
    again = ingest([p], db=str(tmp_path / "m.db"), jobs=1, collect=False)
    assert (again.stored, again.skipped, again.skipped_records) == (0, 2, 4)


def test_a_reader_bug_is_an_error_record_and_the_batch_goes_on(tmp_path, monkeypatch):
    import marsad.readers.warc as warc_reader

    def broken(*args, **kwargs):
        raise KeyError("a bug")

    monkeypatch.setattr(warc_reader, "_record_article", broken)
    (tmp_path / "a.warc").write_bytes(warc([response(URL.format(1), page("أ", [AR_1]))]))
    (tmp_path / "b.txt").write_text(AR_2, encoding="utf-8")
    out = list(read([tmp_path]))
    assert (out[0].code, out[0].severity) == ("E010", "error") and "read (warc)" in out[0].reason
    assert isinstance(out[1], Article) and out[1].text == AR_2
