"""Arabic-aware full-text search over the store, ranked, with snippets from the original text.

Query words go through :mod:`marsad.store.terms` like the index: a query word matches a passage
word with the same canonical spelling (weight 2 in SQLite's BM25, weight A in PostgreSQL) or the
same light stem (weight 1 / B). All query words must match (AND). SQLite ranks with FTS5's
``bm25``; PostgreSQL with ``ts_rank_cd`` over a ``tsvector`` built from the same terms.

Snippets are passages (content sentences) cut from the ORIGINAL text with their offsets, and
the highlighted words are found again on the passage's normalised view and mapped back, so a
highlight ``(start, end)`` always satisfies ``text[start:end] ==`` the shown word.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass, field
from html import escape
from typing import Any

from marsad.store.db import DB
from marsad.store.rows import PASSAGE_BITS
from marsad.store.terms import QueryTerm, matches, name_key, query_terms

log = logging.getLogger(__name__)

#: Longest snippet shown (characters of original text); longer passages are cut around a match.
SNIPPET_CHARS = 280


@dataclass
class Snippet:
    start: int
    end: int
    text: str
    #: Highlighted words, as offsets into the document's original text.
    highlights: list[tuple[int, int]] = field(default_factory=list)

    def html(self) -> str:
        out, pos = [], self.start
        for s, e in self.highlights:
            out.append(escape(self.text[pos - self.start : s - self.start]))
            out.append(f"<mark>{escape(self.text[s - self.start : e - self.start])}</mark>")
            pos = e
        out.append(escape(self.text[pos - self.start :]))
        return "".join(out)

    def to_json(self) -> dict[str, Any]:
        return {
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "highlights": [{"start": s, "end": e} for s, e in self.highlights],
        }


@dataclass
class SearchHit:
    doc: str
    title: str | None
    outlet: str | None
    published: str | None
    score: float
    snippets: list[Snippet] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "doc": self.doc,
            "title": self.title,
            "outlet": self.outlet,
            "published": self.published,
            "score": round(self.score, 4),
            "snippets": [s.to_json() for s in self.snippets],
        }


def fts5_query(terms: list[QueryTerm]) -> str:
    return " AND ".join(f'({{w}} : "{t.word}" OR {{s}} : "{t.stem}")' for t in terms)


def tsquery(terms: list[QueryTerm]) -> str:
    return " & ".join(f"('{t.word}':A | '{t.stem}':B)" for t in terms)


def resolve_entity(db: DB, name: str) -> list[str]:
    """Entity ids whose id equals ``name`` or whose name/mention text normalises like it."""
    rows = db.all("SELECT DISTINCT entity FROM entity_names WHERE name = ?", (name_key(name),))
    rows += db.all("SELECT id FROM collections WHERE list = 'entities' AND id = ?", (name,))
    db.end_read()
    return sorted({r[0] for r in rows})


def _filters(
    db: DB,
    entity: str | None,
    outlet: str | None,
    since: str | None,
    until: str | None,
    story: str | None,
) -> tuple[list[str], list[Any]] | None:
    where: list[str] = []
    params: list[Any] = []
    if outlet:
        where.append("d.outlet = ?")
        params.append(outlet)
    if since:
        where.append("d.published >= ?")
        params.append(since)
    if until:
        where.append("d.published <= ?")
        params.append(until)
    if story:
        where.append("d.id IN (SELECT doc FROM story_docs WHERE story = ?)")
        params.append(story)
    if entity:
        ids = resolve_entity(db, entity)
        if not ids:
            return None
        where.append(
            f"d.id IN (SELECT doc FROM entity_docs WHERE entity IN ({','.join('?' * len(ids))}))"
        )
        params.extend(ids)
    return where, params


def _snippet(doc_start: int, text: str, terms: list[QueryTerm]) -> Snippet:
    hl = [(doc_start + s, doc_start + e) for s, e in matches(text, terms)]
    start, end = doc_start, doc_start + len(text)
    if len(text) > SNIPPET_CHARS:
        centre = hl[0][0] if hl else start
        start = max(doc_start, centre - SNIPPET_CHARS // 3)
        end = min(doc_start + len(text), start + SNIPPET_CHARS)
        # Cut at spaces so that no word is split.
        if start > doc_start:
            sp = text.find(" ", start - doc_start)
            if 0 <= sp < (end - doc_start):
                start = doc_start + sp + 1
        if end < doc_start + len(text):
            sp = text.rfind(" ", start - doc_start, end - doc_start)
            if sp > start - doc_start:
                end = doc_start + sp
        hl = [(s, e) for s, e in hl if s >= start and e <= end]
    return Snippet(start, end, text[start - doc_start : end - doc_start], hl)


def search(
    db: DB | str,
    query: str,
    *,
    entity: str | None = None,
    outlet: str | None = None,
    since: str | None = None,
    until: str | None = None,
    story: str | None = None,
    limit: int = 20,
    snippets: int = 2,
) -> list[SearchHit]:
    """Documents matching ``query`` (and the filters), best first, with highlighted snippets.

    An empty query lists the documents that pass the filters, newest first.
    """
    own = not isinstance(db, DB)
    store = DB(db, readonly=True) if own else db
    try:
        return _search(store, query, entity, outlet, since, until, story, limit, snippets)
    finally:
        if own:
            store.close()
        else:
            store.end_read()


def _search(
    db: DB,
    query: str,
    entity: str | None,
    outlet: str | None,
    since: str | None,
    until: str | None,
    story: str | None,
    limit: int,
    n_snippets: int,
) -> list[SearchHit]:
    f = _filters(db, entity, outlet, since, until, story)
    if f is None:
        return []
    where, params = f
    terms = query_terms(query)
    cols = "d.id, d.title, d.outlet, d.published"
    if not terms:
        sql = f"SELECT {cols} FROM documents d"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY d.published DESC, d.n DESC LIMIT ?"
        return [SearchHit(r[0], r[1], r[2], r[3], 0.0) for r in db.all(sql, [*params, limit])]
    fetch = max(limit * 5, 50)
    passage = "p.span_start, substr(d.text, p.span_start + 1, p.span_end - p.span_start)"
    if db.dialect == "sqlite":
        match = fts5_query(terms)
        if where:
            sql = (
                f"SELECT {cols}, {passage}, -bm25(passages_fts, 2.0, 1.0) AS r "
                "FROM passages_fts JOIN passages p ON p.n = passages_fts.rowid "
                "JOIN documents d ON d.n = p.doc WHERE passages_fts MATCH ? AND "
                + " AND ".join(where)
                + " ORDER BY r DESC LIMIT ?"
            )
            rows = db.all(sql, [match, *params, fetch])
        else:
            # Top-k inside FTS5 first (its fast path), then join.
            sql = (
                f"SELECT {cols}, {passage}, t.r FROM (SELECT rowid, -bm25(passages_fts, 2.0, 1.0)"
                " AS r FROM passages_fts WHERE passages_fts MATCH ? ORDER BY r DESC LIMIT ?) t"
                " JOIN passages p ON p.n = t.rowid JOIN documents d ON d.n = p.doc"
                " ORDER BY t.r DESC"
            )
            rows = db.all(sql, [match, fetch])
    else:
        sql = (
            f"SELECT {cols}, {passage}, ts_rank_cd(p.tsv, q) AS r "
            "FROM passages p JOIN documents d ON d.n = p.doc, CAST(? AS tsquery) q "
            "WHERE p.tsv @@ q"
            + "".join(f" AND {w}" for w in where)
            + " ORDER BY r DESC, p.n LIMIT ?"
        )
        rows = db.all(sql, [tsquery(terms), *params, fetch])
    hits: dict[str, SearchHit] = {}
    for doc, title, outlet_, published, start, text, score in rows:
        hit = hits.get(doc)
        if hit is None:
            if len(hits) >= limit:
                continue
            hit = hits[doc] = SearchHit(doc, title, outlet_, published, float(score))
        if len(hit.snippets) < n_snippets:
            hit.snippets.append(_snippet(int(start), text, terms))
    return list(hits.values())


def matching(
    db: DB,
    query: str,
    entity: str | None = None,
    outlet: str | None = None,
    since: str | None = None,
    until: str | None = None,
    story: str | None = None,
) -> tuple[list[str], list[Any]] | None:
    """SQL conditions on ``documents d`` selecting every article that matches the query words
    (all of them, as in :func:`search`) and the filters; None when none can match."""
    f = _filters(db, entity, outlet, since, until, story)
    if f is None:
        return None
    where, params = f
    terms = query_terms(query)
    if terms:
        if db.dialect == "sqlite":
            where = [
                f"d.n IN (SELECT rowid >> {PASSAGE_BITS} FROM passages_fts "
                "WHERE passages_fts MATCH ?)",
                *where,
            ]
            params = [fts5_query(terms), *params]
        else:
            where = [
                "d.n IN (SELECT p.doc FROM passages p WHERE p.tsv @@ CAST(? AS tsquery))",
                *where,
            ]
            params = [tsquery(terms), *params]
    return where, params


#: Facets are counted over at most this many matching articles (the newest ones).
FACET_CAP = 1000


def facets(
    db: DB | str,
    query: str,
    *,
    entity: str | None = None,
    outlet: str | None = None,
    since: str | None = None,
    until: str | None = None,
    story: str | None = None,
    top: int = 12,
) -> dict[str, Any]:
    """Counts beside the hits: matching articles per outlet, day, story and entity.

    ``total`` is the number of matching articles; outlets and days are counted over all of
    them, stories and entities over the ``FACET_CAP`` newest (``counted``), so that a one-word
    query over a large store stays fast.
    """
    own = not isinstance(db, DB)
    store = DB(db, readonly=True) if own else db
    try:
        return _facets(store, query, entity, outlet, since, until, story, top)
    finally:
        if own:
            store.close()
        else:
            store.end_read()


def _facets(
    db: DB,
    query: str,
    entity: str | None,
    outlet: str | None,
    since: str | None,
    until: str | None,
    story: str | None,
    top: int,
) -> dict[str, Any]:
    empty: dict[str, Any] = {
        "total": 0,
        "counted": 0,
        "outlet": [],
        "day": [],
        "story": [],
        "entity": [],
    }
    m = matching(db, query, entity, outlet, since, until, story)
    if m is None or not (query_terms(query) or any((entity, outlet, since, until, story))):
        return empty
    where, params = m
    cond = " WHERE " + " AND ".join(where) if where else ""
    # one pass over the matches: outlet and day are counted over all of them
    rows = db.all(
        f"SELECT d.n, d.outlet, substr(d.published, 1, 10) FROM documents d{cond} "
        "ORDER BY d.n DESC",
        params,
    )
    if not rows:
        return empty
    ns = [r[0] for r in rows[:FACET_CAP]]
    inn = f"d.n IN ({','.join('?' * len(ns))})"
    out = {**empty, "total": len(rows), "counted": len(ns)}
    outlets = Counter(r[1] for r in rows if r[1] is not None)
    days = Counter(r[2] for r in rows if r[2])
    out["outlet"] = [
        {"value": o, "count": c}
        for o, c in sorted(outlets.items(), key=lambda x: (-x[1], x[0]))[:top]
    ]
    out["day"] = [{"value": d, "count": c} for d, c in sorted(days.items(), reverse=True)[:31]]
    out["story"] = [
        {"value": s, "count": c}
        for s, c in db.all(
            f"SELECT sd.story, count(*) AS c FROM documents d JOIN story_docs sd ON sd.doc = d.id "
            f"WHERE {inn} GROUP BY sd.story ORDER BY c DESC, sd.story LIMIT ?",
            [*ns, top],
        )
    ]
    out["entity"] = [
        {"value": e, "count": c}
        for e, c in db.all(
            f"SELECT ed.entity, count(*) AS c FROM documents d JOIN entity_docs ed ON ed.doc = d.id "
            f"WHERE {inn} GROUP BY ed.entity ORDER BY c DESC, ed.entity LIMIT ?",
            [*ns, top],
        )
    ]
    return out
