"""Checks on the bundled sample articles in examples/articles/.

The samples are the demo input and a small committed corpus for other tests, so they must stay
readable (UTF-8, or Windows-1256 for the file named so), cover every input format the readers
support, and keep the features later stages look for. Standard library only: the readers are
tested elsewhere.
"""

from __future__ import annotations

import json
import re
from datetime import datetime
from html.parser import HTMLParser
from pathlib import Path

import pytest

SAMPLES = Path(__file__).resolve().parents[1] / "examples" / "articles"
ARTICLE_SUFFIXES = {".txt", ".html", ".jsonl"}
ARABIC = re.compile("[\u0621-\u064a]")
JSONL_FIELDS = {"id", "title", "date", "source", "url", "text"}


def sample_files() -> list[Path]:
    return sorted(p for p in SAMPLES.iterdir() if p.suffix in ARTICLE_SUFFIXES)


def is_cp1256(path: Path) -> bool:
    return "cp1256" in path.stem


def decode(path: Path) -> str:
    data = path.read_bytes()
    return data.decode("cp1256" if is_cp1256(path) else "utf-8")


def jsonl_records(path: Path) -> list[dict[str, str]]:
    return [json.loads(line) for line in decode(path).splitlines() if line.strip()]


class _PageParser(HTMLParser):
    """Collects tag names, meta properties, and the text of selected elements."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: set[str] = set()
        self.meta: dict[str, str] = {}
        self.text: dict[str, list[str]] = {"title": [], "h1": [], "p": [], "figcaption": []}
        self._open: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        a = dict(attrs)
        if tag == "meta" and (a.get("property") or a.get("name")):
            self.meta[a.get("property") or a.get("name") or ""] = a.get("content") or ""
        if tag in self.text:
            self._open.append(tag)
            self.text[tag].append("")

    def handle_endtag(self, tag: str) -> None:
        if self._open and self._open[-1] == tag:
            self._open.pop()

    def handle_data(self, data: str) -> None:
        if self._open:
            self.text[self._open[-1]][-1] += data


def parse_page(path: Path) -> _PageParser:
    parser = _PageParser()
    parser.feed(decode(path))
    return parser


def article_texts() -> list[tuple[str, str]]:
    """``(name, body text)`` for every article, JSONL records counted one by one."""
    out: list[tuple[str, str]] = []
    for path in sample_files():
        if path.suffix == ".jsonl":
            out += [(f"{path.name}#{r['id']}", r["text"]) for r in jsonl_records(path)]
        elif path.suffix == ".html":
            out.append((path.name, "\n".join(parse_page(path).text["p"])))
        else:
            out.append((path.name, decode(path)))
    return out


def test_folder_exists_with_readme() -> None:
    assert SAMPLES.is_dir(), f"missing {SAMPLES}"
    assert (SAMPLES / "README.md").is_file()


@pytest.mark.parametrize("path", sample_files(), ids=lambda p: p.name)
def test_file_decodes_and_is_arabic(path: Path) -> None:
    text = decode(path)  # raises UnicodeDecodeError when the encoding is wrong
    assert "\ufffd" not in text
    assert len(ARABIC.findall(text)) > 500, "expected an Arabic article"
    assert re.fullmatch(r"[a-z0-9-]+\.(txt|html|jsonl)", path.name), "use a short ASCII slug"


def test_cp1256_file_is_really_legacy() -> None:
    legacy = [p for p in sample_files() if is_cp1256(p)]
    assert len(legacy) == 1
    with pytest.raises(UnicodeDecodeError):
        legacy[0].read_bytes().decode("utf-8")


def test_formats_present() -> None:
    files = sample_files()
    assert any(p.suffix == ".html" for p in files)
    assert any(p.suffix == ".jsonl" for p in files)
    assert any(is_cp1256(p) for p in files)


def test_article_count() -> None:
    assert 8 <= len(article_texts()) <= 12


@pytest.mark.parametrize("name,text", article_texts(), ids=[n for n, _ in article_texts()])
def test_article_length(name: str, text: str) -> None:
    # 150-400 words of body; text files also carry some site chrome, hence the margin.
    assert 150 <= len(text.split()) <= 450, name


def test_jsonl_records() -> None:
    for path in (p for p in sample_files() if p.suffix == ".jsonl"):
        records = jsonl_records(path)
        assert 2 <= len(records) <= 3
        assert len({r["id"] for r in records}) == len(records)
        for r in records:
            assert JSONL_FIELDS <= r.keys()
            assert all(isinstance(r[f], str) and r[f] for f in JSONL_FIELDS)
            assert datetime.fromisoformat(r["date"]).tzinfo is not None
            assert r["url"].startswith("https://")
            assert r["title"] not in r["text"], "text must not repeat the title"


def test_html_page_structure() -> None:
    for path in (p for p in sample_files() if p.suffix == ".html"):
        page = parse_page(path)
        assert {"nav", "article", "h1", "p", "figure", "figcaption", "aside", "footer"} <= page.tags
        assert page.text["title"][0].strip()
        assert page.meta.get("og:site_name")
        assert datetime.fromisoformat(page.meta["article:published_time"]).tzinfo is not None
        assert page.text["h1"][0].strip() in page.text["title"][0]


def test_readme_lists_every_file() -> None:
    readme = (SAMPLES / "README.md").read_text(encoding="utf-8")
    for path in sample_files():
        assert f"`{path.name}" in readme, f"{path.name} not described in README.md"
    assert "fictional" in readme.lower()


# Features that later stages (quotes, dates, figures, comparison, cleaning) expect to find.
REQUIRED = [
    "«",
    '"',
    "قال",
    "إن ",
    "أكد",
    "وأضاف",
    "أوضح بيان",
    "نقلت وكالة رويترز عن مصدر حكومي قوله",
    "مصدر مطلع",
    "مصادر دبلوماسية",
    "السوداني: ",
    "نفى",
    "أمس الأربعاء",
    "يوم الخميس",
    "الأسبوع المقبل",
    "الشهر الماضي",
    "يناير 2024",
    "كانون الثاني",
    "هـ",
    "10:30 صباحا بتوقيت بغداد",
    "2500 عسكري",
    "2,000 عسكري",
    "نحو 300 مليون دولار",
    "15 في المئة",
    "١٢",
    "ثلاثة آلاف",
    "اقرأ أيضا:",
    "مواضيع ذات صلة:",
    "رئيس التحرير:",
    "العودة إلى الأعلى",
    "شارك الخبر",
    "جميع الحقوق محفوظة © 2024",
    "نشر في: 25/01/2024",
    "وزير الخارجية المصري",
]


def test_corpus_has_required_features() -> None:
    corpus = "\n".join(decode(p) for p in sample_files())
    missing = [f for f in REQUIRED if f not in corpus]
    assert not missing, f"features missing from the samples: {missing}"
