"""Watchlists: saved queries (words, an entity, a speaker) of the web app, in their own table
(migration 6), and what is new for one since a time.

"New" means stored since the time (``documents.ingested_at``): what arrived since a desk last
looked, whatever the articles' publication dates. The articles are those matching the words
and the entity (as :func:`marsad.store.search.search` matches them); statements are those
whose speaker is the watched speaker (an entity id, or a name resolved like search's entity
filter) in the new articles. Only :func:`create` and :func:`delete` write, and only
``marsad serve --allow-watchlists`` calls them.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from marsad.store.db import DB
from marsad.store.search import matching, resolve_entity

FIELDS = ("n", "name", "words", "entity", "speaker", "created_at")


def available(db: DB) -> bool:
    """Whether the store has the watchlists table (version 6 or later)."""
    if db.dialect == "sqlite":
        row = db.one("SELECT 1 FROM sqlite_master WHERE type='table' AND name='watchlists'")
    else:
        row = db.one("SELECT to_regclass('watchlists')")
        row = row if row and row[0] else None
    db.end_read()
    return row is not None


def all_watchlists(db: DB) -> list[dict[str, Any]]:
    if not available(db):
        return []
    rows = db.all(f"SELECT {', '.join(FIELDS)} FROM watchlists ORDER BY n")
    db.end_read()
    return [dict(zip(FIELDS, r, strict=True)) for r in rows]


def get(db: DB, n: int) -> dict[str, Any] | None:
    if not available(db):
        return None
    row = db.one(f"SELECT {', '.join(FIELDS)} FROM watchlists WHERE n = ?", (n,))
    db.end_read()
    return dict(zip(FIELDS, row, strict=True)) if row else None


def create(db: DB, name: str, words: str | None, entity: str | None, speaker: str | None) -> int:
    words, entity, speaker = (v.strip() or None if v else None for v in (words, entity, speaker))
    if not (words or entity or speaker):
        raise ValueError("a watchlist needs words, an entity or a speaker")
    now = datetime.now(UTC).isoformat(timespec="seconds")
    db.begin()
    try:
        row = db.one(
            "INSERT INTO watchlists(name, words, entity, speaker, created_at) VALUES (?,?,?,?,?) "
            "RETURNING n",
            (
                name.strip()[:200] or (words or entity or speaker or "")[:200],
                words,
                entity,
                speaker,
                now,
            ),
        )
        db.commit()
    except BaseException:
        db.rollback()
        raise
    return int(row[0])


def delete(db: DB, n: int) -> bool:
    db.begin()
    try:
        cur = db.execute("DELETE FROM watchlists WHERE n = ?", (n,))
        db.commit()
    except BaseException:
        db.rollback()
        raise
    return bool(cur.rowcount)


def new_since(db: DB, wl: dict[str, Any], since: str, limit: int = 50) -> dict[str, Any]:
    """Articles and statements new for watchlist ``wl`` since ``since`` (ISO time; stored strictly after it), newest
    first: ``{"articles": [...], "statements": [...], "total_articles": N}``."""
    m = matching(db, wl.get("words") or "", entity=wl.get("entity"))
    out: dict[str, Any] = {"articles": [], "statements": [], "total_articles": 0}
    if m is None:
        db.end_read()
        return out
    where, params = m
    where = [*where, "d.ingested_at > ?"]
    params = [*params, since]
    cond = " WHERE " + " AND ".join(where)
    out["total_articles"] = int(db.one(f"SELECT count(*) FROM documents d{cond}", params)[0])
    rows = db.all(
        f"SELECT d.n, d.id, d.title, d.outlet, d.published, d.url, d.ingested_at FROM documents d"
        f"{cond} ORDER BY d.ingested_at DESC, d.n DESC LIMIT ?",
        [*params, limit],
    )
    keys = ("id", "title", "outlet", "published", "url", "ingested_at")
    out["articles"] = [dict(zip(keys, r[1:], strict=True)) for r in rows]
    speaker = wl.get("speaker")
    narrowed = bool(wl.get("words") or wl.get("entity"))
    if speaker and not (narrowed and not rows):
        only = "AND d.n IN (" + ",".join(str(int(r[0])) for r in rows) + ") " if narrowed else ""
        ids = set(resolve_entity(db, speaker)) | {speaker}
        for _n, data, ingested in db.all(
            "SELECT i.doc, i.data, d.ingested_at FROM items i JOIN documents d ON d.n = i.doc "
            "WHERE i.layer = 'quotes' AND d.ingested_at > ? "
            + only
            + "ORDER BY d.ingested_at DESC, i.doc DESC, i.seq LIMIT 20000",
            (since,),
        ):
            q = json.loads(data)
            sp = q.get("speaker") or {}
            if sp.get("entity") in ids or (sp.get("text") and sp["text"] == speaker):
                out["statements"].append({**q, "ingested_at": ingested})
                if len(out["statements"]) >= limit:
                    break
    db.end_read()
    return out
