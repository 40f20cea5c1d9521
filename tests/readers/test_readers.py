"""Every encoding and reader, and broken input: a clear per-article error, never a crash."""

from __future__ import annotations

import gzip
import json
import os

import pytest

from marsad.core.article import Article
from marsad.core.errors import ErrorRecord
from marsad.core.settings import load_settings
from marsad.readers import read

ARTICLE = "قال وزير الخارجية إن المحادثات كانت بناءة.\nوأضاف أن الجولة المقبلة ستعقد الأسبوع المقبل في العاصمة."


def one(path, **overrides):
    items = list(read([path], load_settings(**overrides) if overrides else None))
    assert len(items) == 1, items
    return items[0]


@pytest.mark.parametrize(
    "encoding,data,recorded",
    [
        ("utf-8", ARTICLE.encode("utf-8"), "utf-8"),
        ("utf-8-bom", ARTICLE.encode("utf-8-sig"), "utf-8-bom"),
        ("utf-16", ARTICLE.encode("utf-16"), "utf-16"),
        ("utf-16-be-bom", b"\xfe\xff" + ARTICLE.encode("utf-16-be"), "utf-16"),
        ("cp1256", ARTICLE.encode("cp1256"), "cp1256"),
        ("iso-8859-6", ARTICLE.replace("ة", "ة").encode("iso-8859-6"), "iso-8859-6"),
    ],
)
def test_encodings(tmp_path, encoding, data, recorded):
    p = tmp_path / f"a-{encoding}.txt"
    p.write_bytes(data)
    art = one(p)
    assert isinstance(art, Article), art
    assert art.text == ARTICLE
    assert art.meta.encoding == recorded
    assert art.id == f"a-{encoding}"


def test_text_is_kept_verbatim(tmp_path):
    text = "\ufeff  سطر أول\r\n\r\nسطر ثان\u200f\u00a0\n"
    p = tmp_path / "v.txt"
    p.write_bytes(text.encode("utf-8"))
    art = one(p)
    assert art.text == text.lstrip("\ufeff")  # the BOM is the encoding's, not the text's


def test_jsonl_fields_and_errors(tmp_path):
    p = tmp_path / "feed.jsonl"
    rows = [
        json.dumps(
            {
                "id": "r1",
                "title": "عنوان",
                "date": "2024-01-25T10:00:00+03:00",
                "source": "منفذ",
                "url": "https://x.example/1",
                "text": ARTICLE,
            },
            ensure_ascii=False,
        ),
        "{not json",
        json.dumps({"id": "r3", "title": "بلا نص"}),
        json.dumps({"body": ARTICLE + " ب"}, ensure_ascii=False),
        "",
        json.dumps({"content": "   "}),
    ]
    p.write_text("\n".join(rows), encoding="utf-8")
    items = list(read([p]))
    kinds = [type(i).__name__ for i in items]
    assert kinds == ["Article", "ErrorRecord", "ErrorRecord", "Article", "ErrorRecord"]
    a = items[0]
    assert (a.id, a.meta.title, a.meta.outlet, a.meta.url) == (
        "r1",
        "عنوان",
        "منفذ",
        "https://x.example/1",
    )
    assert a.meta.published.isoformat() == "2024-01-25"
    assert items[1].code == "E007" and items[1].record == 2
    assert items[2].code == "E007" and items[2].doc == "r3"
    assert len(items[3].id) == 16  # no id: content hash
    assert items[4].code == "E005"


def test_json_array_and_gz(tmp_path):
    p = tmp_path / "two.json.gz"
    with gzip.open(p, "wt", encoding="utf-8") as fh:
        json.dump(
            [{"id": "a", "text": ARTICLE}, {"id": "b", "text": ARTICLE + "!"}],
            fh,
            ensure_ascii=False,
        )
    items = list(read([p]))
    assert [i.id for i in items] == ["a", "b"]


def test_html(tmp_path):
    html = (
        "<html><head><meta charset='windows-1256'><title>عنوان الخبر</title>"
        "<meta property='og:site_name' content='موقع'><meta property='article:published_time' content='2024-01-25'></head>"
        "<body><nav><a>الرئيسية</a> | <a>سياسة</a></nav><article><h1>عنوان الخبر</h1>"
        f"<p>{ARTICLE.splitlines()[0]} وتابع الوزير حديثه عن تفاصيل اللقاء مع نظيره.</p><p>{ARTICLE.splitlines()[1]}</p>"
        "</article><footer>جميع الحقوق محفوظة</footer></body></html>"
    )
    p = tmp_path / "page.html"
    p.write_bytes(html.encode("cp1256"))
    art = one(p)
    assert isinstance(art, Article), art
    assert "المحادثات كانت بناءة" in art.text
    assert art.meta.title == "عنوان الخبر" and art.meta.encoding == "cp1256"
    assert art.meta.published.isoformat() == "2024-01-25"
    assert art.raw is not None and "<nav>" in art.raw


def test_gz_text(tmp_path):
    p = tmp_path / "a.txt.gz"
    p.write_bytes(gzip.compress(ARTICLE.encode("utf-8")))
    assert one(p).text == ARTICLE


@pytest.mark.parametrize(
    "name,data,code",
    [
        ("empty.txt", b"", "E005"),
        ("blank.txt", b"  \n\t\n", "E005"),
        ("binary.txt", bytes(range(256)) * 40, "E004"),
        ("image.txt", b"\x89PNG\r\n\x1a\n" + b"\x00\x01\x02" * 500, "E004"),
        ("corrupt.txt.gz", b"\x1f\x8b\x08\x00garbage-not-gzip", "E009"),
        ("truncated.jsonl.gz", gzip.compress(b'{"text": "abc"}\n' * 100)[:-30], "E009"),
        ("notes.docx", b"PK\x03\x04", "E002"),
    ],
)
def test_broken_input_is_an_error_record(tmp_path, name, data, code):
    p = tmp_path / name
    p.write_bytes(data)
    items = list(read([p]))
    assert any(isinstance(i, ErrorRecord) and i.code == code for i in items), items
    for i in items:
        if isinstance(i, ErrorRecord):
            assert i.reason and i.fix and i.path == str(p)


def test_missing_path():
    (item,) = read(["/nonexistent/marsad/file.txt"])
    assert isinstance(item, ErrorRecord) and item.code == "E001"


def test_undecodable_bytes(tmp_path):
    p = tmp_path / "weird.txt"
    p.write_bytes(b"\x81\x8d\x8e\x8f\x90\x9d\x9e" * 200)
    item = one(p)
    assert isinstance(item, ErrorRecord) and item.code == "E003"
    p.write_bytes(b"\xff\xfe" + "نص".encode("utf-16-le") + b"\x00")  # UTF-16 BOM, odd length
    item = one(p)
    assert isinstance(item, ErrorRecord) and item.code == "E003"


def test_fifty_megabyte_file_is_refused_not_crashed(tmp_path):
    p = tmp_path / "huge.txt"
    line = ("قال الوزير إن المحادثات بناءة. " * 40 + "\n").encode("utf-8")
    with open(p, "wb") as fh:
        for _ in range(50_000_000 // len(line) + 1):
            fh.write(line)
    assert os.path.getsize(p) >= 50_000_000
    item = one(p)
    assert isinstance(item, ErrorRecord) and item.code == "E006"
    assert "max_file_bytes" in item.fix


def test_batch_goes_on_after_broken_files(tmp_path):
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "b.txt").write_bytes(b"")
    (tmp_path / "c.txt").write_bytes(bytes(range(256)) * 10)
    (tmp_path / "d.txt").write_bytes(ARTICLE.encode("cp1256"))
    (tmp_path / ".hidden.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "e.txt").write_text(ARTICLE, encoding="utf-8")
    items = list(read([tmp_path]))
    assert [getattr(i, "id", None) or i.code for i in items] == ["a", "E005", "E004", "d", "e"]
