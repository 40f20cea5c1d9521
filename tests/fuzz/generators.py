"""Hostile input files for the fuzz tests, from a ``random.Random``: every format marsad reads,
broken the ways files break at volume (wrong or mixed encodings, truncation, flipped bytes,
giant lines, deep nesting, scripts and styles, invisible and bidi characters, quotations that
never close, damaged feeds and archives).

Written against ``random.Random`` so that the same generators serve a fast seeded loop (the
bulk of the inputs: each input is reproducible from ``(seed, n)``) and hypothesis
(``st.randoms()``, which shrinks a failing input). All Arabic here is our own invented text,
never corpus text.
"""

from __future__ import annotations

import gzip
import json
import os
import random
from html import escape

from readers.builders import atom, http_response, rss, warc_record, warcinfo

SENTENCES = (
    "قال الوزير إن الحكومة ستبني مدرسة جديدة في المدينة هذا العام.",
    "وأضاف أن العمل سيبدأ في الربيع المقبل بتمويل من البلدية.",
    "وأعلنت الشركة أنها ستفتح مصنعا جديدا قرب الميناء بعد شهرين.",
    "وذكر المتحدث باسم الوزارة يوم الأحد 15/3/2024 أن الأسعار ارتفعت بنسبة ١٢٫٥٪.",
    "وقالت رئيسة البلدية: «سنواصل العمل حتى نهاية المشروع».",
    "بلغت قيمة العقد 3.5 مليون دولار، أي نحو عشرين مليار ليرة.",
    "وفي الثالث من رمضان 1445 هـ اجتمع المجلس مرة أخرى، وقال إن «الوضع مستقر».",
    "اقرأ أيضا: أخبار ذات صلة",
    "الرياض - (وكالات) - الخميس 7 آذار/مارس 2024",
    "The minister said the school opens next year.",
    "Le ministre a annoncé une nouvelle école.",
    "وزیر گفت که مدرسه جدید ساخته می‌شود.",
)
INVISIBLE = (
    "\u200b", "\u200c", "\u200d", "\u200e", "\u200f", "\u061c", "\ufeff", "\u00a0", "\u2028",
    "\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069",
    "\u0640", "\u064b", "\u0651", "\u0670", "\r", "\r\n", "\n\n", "\t", "\x00", "\x1b", "\x85",
    "\U0001f600", "\ufdfa", "\ufefb", "\u0301", "ﷲ", "\U000e0001",
)  # fmt: skip
QUOTE_OPENERS = ("«", '"', "“", "„", "'", "‹", "(", "[", "قال: «", 'وأضاف: "', "أكد أن «", "«« ")
FIGURES = ("١٢٣٬٤٥٦٫٧", "99999999999999999999", "31/2/2024", "0/0/0", "٪", "%", "1e309", "-0")
ENCODINGS = ("utf-8", "utf-8-sig", "utf-16", "utf-16-le", "cp1256", "iso-8859-6", "latin-1")


def giant(r: random.Random) -> str:
    unit = r.choice(("ا", "كلمة ", "١", ".", "«", "قال ", "\u200f", " ", "x", "،"))
    return unit * r.randint(2_000, 25_000)


def piece(r: random.Random) -> str:
    k = r.randrange(20)
    if k < 8:
        return r.choice(SENTENCES)
    if k < 10:
        return r.choice(INVISIBLE)
    if k == 10:  # a long quotation that never closes
        return r.choice(QUOTE_OPENERS) + " ".join(r.choices(SENTENCES, k=r.randint(1, 40)))
    if k == 11:  # random code points, any plane (no lone surrogates: text files cannot hold them)
        return "".join(
            chr(r.choice((r.randrange(32, 0xD800), r.randrange(0xE000, 0x110000))))
            for _ in range(r.randint(1, 30))
        )
    if k == 12:
        return r.choice(FIGURES) + " " + r.choice(("مليون", "دولار", "عام", "", "هـ", "٪"))
    if k == 13:
        return "\n" * r.randint(1, 4)
    if k == 14 and r.randrange(12) == 0:
        return giant(r)
    if k == 15:  # a word glued to its neighbours
        return r.choice(SENTENCES).replace(" ", r.choice(("", "\u200c", "ـ")))
    return " "


def text(r: random.Random, max_pieces: int = 25) -> str:
    return "".join(piece(r) for _ in range(r.randint(0, max_pieces)))


def damage(r: random.Random, data: bytes, cut: int = 5, flip: int = 7) -> bytes:
    """Maybe truncate (often inside a multibyte character), maybe flip a few bytes."""
    if data and r.randrange(cut) == 0:
        data = data[: r.randint(0, len(data))]
    if data and r.randrange(flip) == 0:
        buf = bytearray(data)
        for _ in range(r.randint(1, 5)):
            buf[r.randrange(len(buf))] = r.randrange(256)
        data = bytes(buf)
    return data


def encoded(r: random.Random, s: str | None = None) -> bytes:
    """Text as bytes: one encoding, or pieces in different encodings glued together."""
    if s is None:
        s = text(r)
    if r.randrange(6) == 0:
        data = b"".join(
            text(r, 6).encode(r.choice(ENCODINGS), "ignore") for _ in range(r.randint(1, 4))
        )
    else:
        data = s.encode(r.choice(ENCODINGS), "ignore")
    return damage(r, data)


def html_page(r: random.Random) -> str:
    body = text(r)
    paras = "".join(f"<p>{escape(p)}</p>" for p in body.split("\n") if p) or escape(body)
    depth = r.choice((0, 0, 1, 3, 20, 200)) if r.randrange(25) else r.choice((1000, 5000))
    tag = r.choice(("div", "span", "b", "table", "p", "li", "blockquote", "q"))
    close = f"</{tag}>" * depth if r.randrange(2) else ""
    extras = ""
    if r.randrange(3) == 0:
        extras += "<script>var s = '" + text(r, 5).replace("'", "") + "';</script>"
    if r.randrange(4) == 0:
        extras += "<style>p{color:red}" + text(r, 3) + "</style>"
    if r.randrange(10) == 0:
        extras += "<script>" + "x" * r.randint(0, 5000)  # never closed
    if r.randrange(10) == 0:
        extras += "<!-- " + text(r, 3)  # an unclosed comment
    charset = r.choice(
        (
            "",
            '<meta charset="utf-8">',
            '<meta charset="windows-1256">',
            '<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-6">',
            '<meta charset="no-such-charset">',
            '<meta charset="utf-16">',
        )
    )
    date = r.choice(
        (
            "",
            '<meta property="article:published_time" content="2024-03-05">',
            '<meta name="date" content="9999-99-99">',
        )
    )
    page = (
        f"<html><head>{charset}{date}<title>{escape(text(r, 3)[:80])}</title></head>"
        f"<body>{extras}{f'<{tag}>' * depth}{paras}{close}</body></html>"
    )
    return damage(r, page.encode("utf-8", "ignore"), cut=5, flip=10**9).decode("utf-8", "ignore")


def feed(r: random.Random) -> str:
    items = []
    for _ in range(r.randint(0, 4)):
        item = {"title": text(r, 4)[:100], "link": f"https://example.org/{r.randrange(100)}"}
        if r.randrange(2):
            item["pubDate"] = r.choice(("Tue, 05 Mar 2024 10:00:00 GMT", "2024-13-45", "أمس", ""))
        key = r.choice(("description", "content"))
        item[key] = html_page(r) if r.randrange(3) == 0 else text(r, 12)
        items.append(item)
    if r.randrange(2):
        doc = rss(text(r, 3)[:50], items)
    else:
        entries = [
            {
                "title": i["title"],
                "link": i["link"],
                "content": i.get("content") or i.get("description", ""),
            }
            for i in items
        ]
        doc = atom(text(r, 3)[:50], entries)
    if r.randrange(4) == 0:
        doc = doc[: r.randint(0, len(doc))]
    return doc


def warc(r: random.Random) -> bytes:
    records = [warcinfo()] if r.randrange(2) else []
    for i in range(r.randint(0, 4)):
        ctype = r.choice(
            (
                "text/html; charset=utf-8",
                "text/html",
                "image/png",
                "application/pdf",
                "text/html; charset=windows-1256",
                "text/html; charset=bogus",
                "",
            )
        )
        status = r.choice(("200 OK", "200 OK", "404 Not Found", "301 Moved", "999 ?", "abc"))
        if r.randrange(3):
            body = html_page(r).encode("utf-8", "ignore")
        else:
            body = encoded(r)
        block = http_response(body, status=status, content_type=ctype) if ctype else body
        rtype = r.choice(("response", "response", "resource", "request", "metadata", "revisit"))
        records.append(warc_record(rtype, f"https://example.org/{i}", block))
    gz = r.choice((None, None, "record", "file"))
    if gz == "record":
        data = b"".join(gzip.compress(x) for x in records)
    else:
        data = b"".join(records)
        if gz == "file":
            data = gzip.compress(data)
    return damage(r, data, cut=4, flip=6)


def jsonl(r: random.Random) -> bytes:
    lines = []
    for _ in range(r.randint(0, 4)):
        rec: object = {r.choice(("text", "body", "content", "title", "x")): text(r)}
        if r.randrange(2):
            rec["date"] = r.choice(("2024-03-05", "05/03/2024", "nonsense", "", 5))  # type: ignore[index]
        if r.randrange(6) == 0:
            rec = r.choice(([1, 2], "str", None, {"text": 5}, {"text": "\ud800 lone surrogate"}))
        line = json.dumps(rec, ensure_ascii=bool(r.randrange(2)))
        if r.randrange(6) == 0:
            line = line[: r.randint(0, len(line))]
        lines.append(line)
    return "\n".join(lines).encode("utf-8", "surrogatepass")


KINDS = (
    ("txt",) * 10 + ("bin",) * 3 + ("jsonl",) * 3 + ("html",) * 2 + ("feed",) * 2 + ("warc",) * 2
)


def input_file(r: random.Random) -> tuple[str, bytes]:
    """``(file name, bytes)`` of one hostile input file."""
    kind = r.choice(KINDS)
    if kind == "txt":
        name, data = "a.txt", encoded(r)
    elif kind == "bin":
        name = r.choice(("b.txt", "b.html", "b.rss", "b.warc", "b", "b.xml", "b.json"))
        data = r.randbytes(r.randint(0, 3000))
        if r.randrange(3) == 0:  # a plausible start, then noise
            data = (
                r.choice((b"WARC/1.0\r\n", b"<?xml version='1.0'?><rss>", b"\xff\xfe", b"{")) + data
            )
    elif kind == "html":
        name, data = "p.html", encoded(r, html_page(r))
    elif kind == "feed":
        name = r.choice(("f.rss", "f.atom", "feed.xml", "rss.php", "f.html"))
        data = damage(
            r, feed(r).encode(r.choice(("utf-8", "utf-8", "utf-16")), "ignore"), cut=10**9
        )
    elif kind == "warc":
        name, data = r.choice(("w.warc", "w.warc.gz", "w-00001")), warc(r)
    else:
        name, data = r.choice(("j.jsonl", "j.json")), jsonl(r)
    if r.randrange(40) == 0:  # a file name in a legacy encoding (undecodable as UTF-8)
        name = os.fsdecode(b"\xe3\xd1\xd5\xcf-") + name
    if r.randrange(16) == 0 and not name.endswith(".gz"):
        z = gzip.compress(data)
        name, data = name + ".gz", z[: r.randint(5, len(z))] if r.randrange(2) else z
    return name, data
