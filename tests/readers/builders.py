"""Small WARC files and RSS/Atom feeds built in the tests themselves (our own sentences)."""

from __future__ import annotations

import gzip
import uuid
from html import escape

AR_1 = "قال الوزير إن الحكومة ستبني مدرسة جديدة في المدينة هذا العام."
AR_2 = "وأضاف أن العمل سيبدأ في الربيع المقبل بتمويل من البلدية."
AR_3 = "وأعلنت الشركة أنها ستفتح مصنعا جديدا قرب الميناء بعد شهرين."
EN_1 = "The minister said the government will build a new school in the city this year."
EN_2 = "Work will begin next spring with funding from the municipality."


def page(title: str, paragraphs: list[str], published: str | None = None) -> bytes:
    meta = f'<meta property="article:published_time" content="{published}">' if published else ""
    body = "".join(f"<p>{escape(p)}</p>" for p in paragraphs)
    return (
        f'<!DOCTYPE html><html lang="ar"><head><meta charset="utf-8"><title>{escape(title)}'
        f"</title>{meta}</head><body><article><h1>{escape(title)}</h1>{body}</article>"
        "</body></html>"
    ).encode()


def http_response(
    body: bytes, status: str = "200 OK", content_type: str = "text/html; charset=utf-8"
) -> bytes:
    head = f"HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\n"
    head += f"Content-Length: {len(body)}\r\n\r\n"
    return head.encode() + body


def warc_record(
    rtype: str,
    url: str,
    block: bytes,
    date: str = "2024-03-05T10:00:00Z",
    content_type: str = "application/http; msgtype=response",
) -> bytes:
    head = (
        f"WARC/1.0\r\nWARC-Type: {rtype}\r\nWARC-Record-ID: <urn:uuid:{uuid.uuid4()}>\r\n"
        f"WARC-Date: {date}\r\n"
        + (f"WARC-Target-URI: {url}\r\n" if url else "")
        + f"Content-Type: {content_type}\r\nContent-Length: {len(block)}\r\n\r\n"
    )
    return head.encode() + block + b"\r\n\r\n"


def response(url: str, body: bytes, date: str = "2024-03-05T10:00:00Z", **http) -> bytes:
    return warc_record("response", url, http_response(body, **http), date=date)


def warcinfo() -> bytes:
    return warc_record(
        "warcinfo", "", b"software: marsad-tests\r\n", content_type="application/warc-fields"
    )


def request(url: str) -> bytes:
    return warc_record(
        "request",
        url,
        f"GET {url} HTTP/1.1\r\nHost: example.org\r\n\r\n".encode(),
        content_type="application/http; msgtype=request",
    )


def warc(records: list[bytes], gz: str | None = None) -> bytes:
    """``gz``: None (plain), ``"record"`` (one gzip member per record, as crawlers write),
    ``"file"`` (the whole file as one gzip member)."""
    if gz == "record":
        return b"".join(gzip.compress(r) for r in records)
    data = b"".join(records)
    return gzip.compress(data) if gz == "file" else data


def rss(title: str, items: list[dict[str, str]], extra_ns: bool = True) -> str:
    """RSS 2.0; an item's keys: title, link, pubDate, author, description, content (CDATA)."""
    out = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">',
        f"<channel><title>{escape(title)}</title><link>https://example.org/</link>",
    ]
    for it in items:
        out.append("<item>")
        for key in ("title", "link", "pubDate", "author"):
            if key in it:
                out.append(f"<{key}>{escape(it[key])}</{key}>")
        if "description" in it:
            out.append(f"<description><![CDATA[{it['description']}]]></description>")
        if "content" in it:
            out.append(f"<content:encoded><![CDATA[{it['content']}]]></content:encoded>")
        out.append("</item>")
    out.append("</channel></rss>")
    return "\n".join(out)


def atom(title: str, entries: list[dict[str, str]]) -> str:
    """Atom 1.0; an entry's keys: title, link, updated, author, content (HTML, escaped)."""
    out = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<feed xmlns="http://www.w3.org/2005/Atom">',
        f"<title>{escape(title)}</title><id>urn:x-marsad:test</id>",
        "<updated>2024-03-05T10:00:00Z</updated>",
    ]
    for e in entries:
        out.append("<entry>")
        if "title" in e:
            out.append(f"<title>{escape(e['title'])}</title>")
        if "link" in e:
            out.append(f'<link rel="alternate" href="{escape(e["link"])}"/>')
        out.append(f"<id>{escape(e.get('link', 'urn:x'))}</id>")
        if "updated" in e:
            out.append(f"<updated>{e['updated']}</updated>")
        if "author" in e:
            out.append(f"<author><name>{escape(e['author'])}</name></author>")
        if "content" in e:
            out.append(f'<content type="html">{escape(e["content"])}</content>')
        out.append("</entry>")
    out.append("</feed>")
    return "\n".join(out)
