"""Reading the store back: documents with their layers, the cross-article lists, and the
joins the web app and exports need. Every function takes an open :class:`~marsad.store.db.DB`
and ends its read (so a PostgreSQL connection is not left inside a transaction).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from marsad.store.db import DB
from marsad.store.rows import expand_document


def _done(db: DB, value: Any) -> Any:
    db.end_read()
    return value


def document(db: DB, doc_id: str) -> dict[str, Any] | None:
    """The ``documents[]`` object of ``doc_id`` exactly as analysis.json has it, plus ``layers``
    (every stored layer's rows, by layer name) and ``raw`` (the raw input, when kept)."""
    row = db.one("SELECT n, text, raw, doc FROM documents WHERE id = ?", (doc_id,))
    if row is None:
        return _done(db, None)
    n, text, raw, doc_s = row
    doc = expand_document(text, json.loads(doc_s))
    layers: dict[str, list[dict[str, Any]]] = {}
    for layer, data in db.all(
        "SELECT layer, data FROM items WHERE doc = ? ORDER BY layer, seq", (n,)
    ):
        layers.setdefault(layer, []).append(json.loads(data))
    doc["layers"] = layers
    doc["raw"] = raw
    return _done(db, doc)


def documents(db: DB, limit: int = 50, offset: int = 0) -> list[dict[str, Any]]:
    rows = db.all(
        "SELECT id, title, outlet, published, url FROM documents "
        "ORDER BY published DESC, n DESC LIMIT ? OFFSET ?",
        (limit, offset),
    )
    keys = ("id", "title", "outlet", "published", "url")
    return _done(db, [dict(zip(keys, r, strict=True)) for r in rows])


def document_summaries(db: DB, ids: list[str]) -> dict[str, dict[str, Any]]:
    """Title, outlet, date and URL of the given documents, by id."""
    out: dict[str, dict[str, Any]] = {}
    for i in range(0, len(ids), 500):
        chunk = ids[i : i + 500]
        for r in db.all(
            "SELECT id, title, outlet, published, url FROM documents WHERE id IN "
            f"({','.join('?' * len(chunk))})",
            chunk,
        ):
            out[r[0]] = {"id": r[0], "title": r[1], "outlet": r[2], "published": r[3], "url": r[4]}
    return _done(db, out)


def counts(db: DB) -> dict[str, int]:
    out = {"documents": db.one("SELECT count(*) FROM documents")[0]}
    for name, c in db.all("SELECT list, count(*) FROM collections GROUP BY list"):
        out[name] = c
    for name, c in db.all("SELECT layer, count(*) FROM items GROUP BY layer"):
        out[f"layer:{name}"] = c
    return _done(db, out)


def collection(db: DB, name: str) -> Iterator[dict[str, Any]]:
    """Every row of a cross-article list (``entities``, ``stories``, ...), in stored order."""
    last = -1
    while True:
        rows = db.all(
            "SELECT seq, data FROM collections WHERE list = ? AND seq > ? ORDER BY seq LIMIT 1000",
            (name, last),
        )
        db.end_read()
        if not rows:
            return
        for seq, data in rows:
            last = seq
            yield json.loads(data)


def collection_item(db: DB, name: str, item_id: str) -> dict[str, Any] | None:
    row = db.one("SELECT data FROM collections WHERE list = ? AND id = ?", (name, item_id))
    return _done(db, json.loads(row[0]) if row else None)


def latest_stories(db: DB, limit: int = 30) -> list[dict[str, Any]]:
    """Stories with their newest article date and article count, newest first."""
    rows = db.all(
        "SELECT c.data, max(d.published) AS latest, count(d.n) FROM collections c "
        "LEFT JOIN story_docs sd ON sd.story = c.id LEFT JOIN documents d ON d.id = sd.doc "
        "WHERE c.list = 'stories' GROUP BY c.seq, c.data ORDER BY latest DESC, c.seq LIMIT ?",
        (limit,),
    )
    out = []
    for data, latest, n in rows:
        s = json.loads(data)
        out.append({"story": s, "latest": latest, "articles": n})
    return _done(db, out)


def layer_rows(db: DB, doc_ids: list[str], layer: str) -> list[dict[str, Any]]:
    """Rows of one layer for the given documents, in document then text order."""
    ns: list[int] = []
    for i in range(0, len(doc_ids), 500):
        chunk = doc_ids[i : i + 500]
        ns.extend(
            r[0]
            for r in db.all(
                f"SELECT n FROM documents WHERE id IN ({','.join('?' * len(chunk))})", chunk
            )
        )
    out: list[dict[str, Any]] = []
    # One primary-key range per document: (doc, layer, seq). A join on the layer would let
    # the planner scan the whole layer's index instead.
    for n in sorted(ns):
        rows = db.all("SELECT data FROM items WHERE doc = ? AND layer = ? ORDER BY seq", (n, layer))
        out.extend(json.loads(r[0]) for r in rows)
    return _done(db, out)


def iter_layer(db: DB, layer: str) -> Iterator[dict[str, Any]]:
    """Every stored row of ``layer`` across the store (streamed in pages)."""
    last = (-1, -1)
    while True:
        rows = db.all(
            "SELECT doc, seq, data FROM items WHERE layer = ? AND (doc > ? OR (doc = ? AND seq > ?))"
            " ORDER BY doc, seq LIMIT 2000",
            (layer, last[0], last[0], last[1]),
        )
        db.end_read()
        if not rows:
            return
        for doc, seq, data in rows:
            last = (doc, seq)
            yield json.loads(data)


def iter_documents(db: DB) -> Iterator[dict[str, Any]]:
    """Every stored document (expanded ``documents[]`` object, without layers)."""
    last = 0
    while True:
        rows = db.all(
            "SELECT n, text, doc FROM documents WHERE n > ? ORDER BY n LIMIT 500", (last,)
        )
        db.end_read()
        if not rows:
            return
        for n, text, doc_s in rows:
            last = n
            yield expand_document(text, json.loads(doc_s))


def entity_docs(db: DB, entity_id: str) -> list[str]:
    rows = db.all("SELECT doc FROM entity_docs WHERE entity = ? ORDER BY doc", (entity_id,))
    return _done(db, [r[0] for r in rows])


def cooccurring(db: DB, entity_id: str, limit: int = 12) -> list[tuple[str, int]]:
    """Entities appearing in the same documents as ``entity_id``, with the number shared."""
    rows = db.all(
        "SELECT b.entity, count(*) AS c FROM entity_docs a JOIN entity_docs b "
        "ON a.doc = b.doc AND b.entity <> a.entity WHERE a.entity = ? "
        "GROUP BY b.entity ORDER BY c DESC, b.entity LIMIT ?",
        (entity_id, limit),
    )
    return _done(db, [(r[0], int(r[1])) for r in rows])


def collection_items(db: DB, name: str, ids: list[str]) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for i in range(0, len(ids), 500):
        chunk = ids[i : i + 500]
        for item_id, data in db.all(
            f"SELECT id, data FROM collections WHERE list = ? AND id IN ({','.join('?' * len(chunk))})",
            [name, *chunk],
        ):
            out[item_id] = json.loads(data)
    return _done(db, out)


def items_by_key(db: DB, layer: str, keys: list[tuple[int, int]]) -> list[dict[str, Any] | None]:
    """Rows of ``layer`` by ``(documents.n, seq)``, in the order asked (None where missing)."""
    out: list[dict[str, Any] | None] = []
    for n, seq in keys:
        row = db.one(
            "SELECT data FROM items WHERE doc = ? AND layer = ? AND seq = ?", (n, layer, seq)
        )
        out.append(json.loads(row[0]) if row else None)
    return _done(db, out)


def document_summaries_by_n(db: DB, ns: list[int]) -> dict[int, dict[str, Any]]:
    """Title, outlet, date and URL of the given documents, by ``documents.n``."""
    out: dict[int, dict[str, Any]] = {}
    for i in range(0, len(ns), 500):
        chunk = ns[i : i + 500]
        for r in db.all(
            "SELECT n, id, title, outlet, published, url FROM documents WHERE n IN "
            f"({','.join('?' * len(chunk))})",
            chunk,
        ):
            out[r[0]] = {"id": r[1], "title": r[2], "outlet": r[3], "published": r[4], "url": r[5]}
    return _done(db, out)
