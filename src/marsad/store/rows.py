"""An analysed article as stored rows, and back: the stored ``documents[]`` object (without the
text, stored once in its own column) and the search passages of a document.

Both the writer (:mod:`marsad.store.ingest`) and the read side (queries, migrations, the web
app) use these; nothing here runs the pipeline.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from marsad.core.article import CONTENT_KINDS
from marsad.store.db import DB
from marsad.store.terms import terms_of_norm
from marsad.text.normalize import normalize

#: Passages of one document get ids ``doc_n << PASSAGE_BITS | seq``.
PASSAGE_BITS = 20


def sha1_text(s: str) -> str:
    return hashlib.sha1(s.encode("utf-8", "surrogatepass")).hexdigest()


def item_key(item_id: Any, data: str) -> str:
    """The key of a collection row: its id, or (for rows without one, e.g. duplicates) a hash
    of its content."""
    return str(item_id) if item_id is not None else "h-" + sha1_text(data)[:16]


def _dump(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))


# -- turning an analysed article into rows ------------------------------------------------------
def compact_document(doc: dict[str, Any]) -> dict[str, Any]:
    """The stored form of a ``documents[]`` object: without ``text`` (stored in its own column)
    and without the blocks' ``text`` (a slice of it). :func:`expand_document` undoes this."""
    out = {k: v for k, v in doc.items() if k != "text"}
    out["blocks"] = [{k: v for k, v in b.items() if k != "text"} for b in doc.get("blocks", [])]
    return out


def expand_document(text: str, stored: dict[str, Any]) -> dict[str, Any]:
    doc: dict[str, Any] = {}
    for k, v in stored.items():
        if k == "path":
            doc[k] = v
            doc["text"] = text
        elif k == "blocks":
            doc[k] = [
                {
                    "start": b["start"],
                    "end": b["end"],
                    "kind": b["kind"],
                    "text": text[b["start"] : b["end"]],
                    **{x: y for x, y in b.items() if x not in ("start", "end", "kind")},
                }
                for b in v
            ]
        else:
            doc[k] = v
    if "text" not in doc:
        doc["text"] = text
    return doc


def passages_of(text: str, doc: dict[str, Any]) -> list[tuple[int, int, int, str, str]]:
    """Search passages of a document: ``(block, start, end, words, stems)`` per content
    sentence (a content block without sentences is one passage)."""
    blocks = doc.get("blocks", [])
    content = {i for i, b in enumerate(blocks) if b["kind"] in CONTENT_KINDS}
    spans: list[tuple[int, int, int]] = []
    covered: set[int] = set()
    for s in doc.get("sentences", []):
        if s["block"] in content:
            spans.append((s["block"], s["start"], s["end"]))
            covered.add(s["block"])
    for i in sorted(content - covered):
        spans.append((i, blocks[i]["start"], blocks[i]["end"]))
    spans.sort(key=lambda x: x[1])
    if not spans:
        return []
    norm = normalize(text)
    out = []
    for block, s, e in spans:
        ns, ne = norm.to_normalized(s, e)
        words, stems = terms_of_norm(norm.text[ns:ne])
        if words:
            out.append((block, s, e, " ".join(words), " ".join(stems)))
    return out


def _tsvector(words: str, stems: str) -> str:
    """A PostgreSQL tsvector literal: word forms at weight A, stems at weight B, by position."""
    parts = []
    for i, (w, s) in enumerate(zip(words.split(), stems.split(), strict=True)):
        pos = min(i + 1, 16383)
        parts.append(f"'{w}':{pos}A")
        parts.append(f"'{s}':{pos}B")
    return " ".join(parts)


def insert_passages(db: DB, n: int, passages: list[tuple[int, int, int, str, str]]) -> None:
    base = n << PASSAGE_BITS
    if db.dialect == "sqlite":
        db.executemany(
            "INSERT INTO passages(n, doc, block, span_start, span_end) VALUES (?,?,?,?,?)",
            [(base + i, n, b, s, e) for i, (b, s, e, _w, _s) in enumerate(passages)],
        )
        db.executemany(
            "INSERT INTO passages_fts(rowid, w, s) VALUES (?,?,?)",
            [(base + i, w, st) for i, (_b, _s, _e, w, st) in enumerate(passages)],
        )
    else:
        db.executemany(
            "INSERT INTO passages(n, doc, block, span_start, span_end, tsv) "
            "VALUES (?,?,?,?,?,?::tsvector)",
            [
                (base + i, n, b, s, e, _tsvector(w, st))
                for i, (b, s, e, w, st) in enumerate(passages)
            ],
        )


def index_document(db: DB, n: int, text: str, stored_doc: str | dict[str, Any]) -> None:
    """(Re)build the search passages of a stored document from its text (used by migrations)."""
    doc = json.loads(stored_doc) if isinstance(stored_doc, str) else stored_doc
    insert_passages(db, n, passages_of(text, expand_document(text, doc)))
