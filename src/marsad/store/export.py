"""``marsad export``: the store's articles, entities, quotes or stories as JSONL, CSV or CoNLL.

* ``jsonl`` — one JSON object per line: an article is its ``documents[]`` object plus
  ``layers``; entities and stories are their analysis.json rows; quotes their ``quotes[]`` rows.
* ``csv`` — one row per item with the main fields flattened (UTF-8 with a header).
* ``conll`` — tokens of content sentences, one per line, ``TOKEN START END TAG`` with BIO tags:
  entity types from the ``mentions`` layer (``--what articles`` or ``entities``), or
  ``QUOTE``/``CUE``/``SPEAKER`` from the ``quotes`` layer (``--what quotes``); a blank line
  between sentences and ``-DOCSTART- <id>`` before each article.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from typing import IO, Any

from marsad.core.article import CONTENT_KINDS
from marsad.store import query
from marsad.store.db import DB
from marsad.text.segment import tokenize

FORMATS = ("jsonl", "csv", "conll")
WHAT = ("articles", "entities", "quotes", "stories")


def rows(db: DB, what: str) -> Iterator[dict[str, Any]]:
    if what == "articles":
        for doc in query.iter_documents(db):
            full = query.document(db, doc["id"]) or doc
            full.pop("raw", None)
            yield full
    elif what == "quotes":
        yield from query.iter_layer(db, "quotes")
    else:
        yield from query.collection(db, what)


def _text(x: Any) -> str:
    if isinstance(x, dict):
        return str(x.get("text") or "")
    return "" if x is None else str(x)


def _csv_row(what: str, r: dict[str, Any]) -> dict[str, Any]:
    if what == "articles":
        keys = ("id", "title", "outlet", "published", "url", "author", "language", "sha1", "path")
        out = {k: r.get(k) for k in keys}
        out["text"] = r.get("text")
        return out
    if what == "entities":
        mentions = r.get("mentions") or []
        return {
            "id": r.get("id"),
            "type": r.get("type"),
            "name": r.get("name"),
            "mentions": len(mentions),
            "documents": len({m.get("doc") for m in mentions}),
        }
    if what == "quotes":
        sp = r.get("speaker") or {}
        content = r.get("content") or {}
        return {
            "id": r.get("id"),
            "doc": r.get("doc"),
            "kind": r.get("kind"),
            "speaker": _text(sp) or None,
            "speaker_entity": sp.get("entity") if isinstance(sp, dict) else None,
            "cue": _text(r.get("cue")),
            "content": _text(content),
            "start": content.get("start", r.get("start")),
            "end": content.get("end", r.get("end")),
        }
    docs = r.get("documents") or []
    return {
        "id": r.get("id"),
        "title": r.get("title"),
        "documents": len(docs),
        "doc_ids": " ".join(map(str, docs)),
        "summary": " ".join(_text(s) for s in r.get("summary") or []),
    }


def _conll_spans(doc: dict[str, Any], what: str) -> list[tuple[int, int, str]]:
    layers = doc.get("layers") or {}
    spans: list[tuple[int, int, str]] = []
    if what == "quotes":
        for q in layers.get("quotes", []):
            for key, tag in (("content", "QUOTE"), ("cue", "CUE"), ("speaker", "SPEAKER")):
                part = q.get(key)
                if isinstance(part, dict) and part.get("start") is not None:
                    spans.append((part["start"], part["end"], tag))
    else:
        for m in layers.get("mentions", []):
            spans.append((m["start"], m["end"], str(m.get("type") or m.get("label") or "ENT")))
    spans.sort(key=lambda s: (s[0], -(s[1] - s[0])))
    return spans


def _conll(db: DB, what: str, out: IO[str]) -> int:
    n = 0
    for doc in query.iter_documents(db):
        full = query.document(db, doc["id"]) or doc
        text = full["text"]
        spans = _conll_spans(full, what)
        out.write(f"-DOCSTART- {full['id']}\n\n")
        blocks = full.get("blocks", [])
        for s in full.get("sentences", []):
            if blocks[s["block"]]["kind"] not in CONTENT_KINDS:
                continue
            starts, ends = tokenize(text, s["start"], s["end"])
            for ts, te in zip(starts, ends, strict=True):
                tag = "O"
                for ss, se, label in spans:
                    if ss <= ts and te <= se:
                        tag = ("B-" if ts == ss or not text[ss:ts].strip() else "I-") + label
                        break
                    if ss > ts:
                        break
                out.write(f"{text[ts:te]}\t{ts}\t{te}\t{tag}\n")
            out.write("\n")
        n += 1
    return n


def export(db: DB, fmt: str, what: str, out: IO[str]) -> int:
    """Write ``what`` from the store to ``out`` in ``fmt``; return the number of items."""
    if fmt not in FORMATS or what not in WHAT:
        raise ValueError(f"format must be one of {FORMATS} and what one of {WHAT}")
    if fmt == "conll":
        if what == "stories":
            raise ValueError("stories have no token-level CoNLL form; use jsonl or csv")
        return _conll(db, what, out)
    n = 0
    if fmt == "jsonl":
        for r in rows(db, what):
            out.write(json.dumps(r, ensure_ascii=False) + "\n")
            n += 1
        return n
    writer: csv.DictWriter | None = None
    for r in rows(db, what):
        row = _csv_row(what, r)
        if writer is None:
            writer = csv.DictWriter(out, fieldnames=list(row))
            writer.writeheader()
        writer.writerow(row)
        n += 1
    return n
