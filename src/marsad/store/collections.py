"""Writing the cross-article lists (entities, stories, duplicates) into the store, row by row.

A collector's ``results()`` gives whole lists; the store keeps one row per item
(``collections``, keyed by list and id) and rewrites only the rows that changed (by a hash of
their JSON). A changed row gets the next version and its previous data goes to
``collection_versions``; an item that disappears (a story merged into another, an entity
absorbed by a longer name) is moved there too: nothing is rewritten silently.

Ids stay stable as the corpus grows: a story keeps the id of the stored story it shares the
most documents with; an entity whose id is new takes the id of a vanished entity it shares
the most documents with (its name key changed, e.g. a longer form of the name arrived).

Stored mentions and quotes carry the entity id of their mention or speaker; only the
documents whose links can have changed are rewritten: the new documents and those of ids that
vanished.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from marsad.collect.entities import link_speaker, mention_entities, speaker_links
from marsad.store.db import DB
from marsad.store.rows import _dump, item_key, sha1_text
from marsad.store.terms import name_key

#: Lists whose items have ids that users follow (pages, links): versioned, ids inherited.
VERSIONED = ("stories", "entities")


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _chunks(seq: list, n: int = 500) -> Iterable[list]:
    for i in range(0, len(seq), n):
        yield seq[i : i + n]


def _docs_of(db: DB, table: str, col: str, ids: Iterable[str]) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    ids = list(ids)
    for chunk in _chunks(ids):
        marks = ",".join("?" * len(chunk))
        for i, d in db.all(f"SELECT {col}, doc FROM {table} WHERE {col} IN ({marks})", chunk):
            out.setdefault(i, set()).add(d)
    return out


def _item_docs(name: str, item: dict[str, Any]) -> set[str]:
    if name == "stories":
        return {str(d) for d in item.get("documents") or []}
    return {str(m["doc"]) for m in item.get("mentions") or []}


def _inherit_ids(
    db: DB, name: str, items: list[dict[str, Any]], old_ids: set[str]
) -> dict[str, str]:
    """Collector id -> stored id for the items of ``name`` (see the module docstring)."""
    if not old_ids:
        return {}
    table, col = ("story_docs", "story") if name == "stories" else ("entity_docs", "entity")
    new_ids = {str(it["id"]) for it in items}
    if name == "stories":
        candidates = old_ids  # story ids are numbers of a clustering order: match them all
        todo = list(items)
    else:
        candidates = old_ids - new_ids  # entity ids are name keys: only vanished ones move
        todo = [it for it in items if str(it["id"]) not in old_ids]
    if not candidates or not todo:
        return {}
    old_docs = _docs_of(db, table, col, candidates)
    by_doc: dict[str, list[str]] = {}
    for oid, docs in old_docs.items():
        for d in docs:
            by_doc.setdefault(d, []).append(oid)
    remap: dict[str, str] = {}
    taken: set[str] = set()
    # larger items first: they have the strongest claim on an old id
    for it in sorted(todo, key=lambda it: -len(_item_docs(name, it))):
        votes = Counter(o for d in _item_docs(name, it) for o in by_doc.get(d, ()))
        best = next((o for o, _n in votes.most_common() if o not in taken), None)
        if best is not None:
            remap[str(it["id"])] = best
            taken.add(best)
    # an id given up by its old item must not be reused by another one
    used = set(remap.values())
    final: dict[str, str] = {}
    for it in items:
        cid = str(it["id"])
        if cid in remap:
            final[cid] = remap[cid]
            continue
        nid, k = cid, 1
        while nid in used or (nid in old_ids and name == "stories"):
            k += 1
            nid = f"{cid}~{k}"
        used.add(nid)
        if nid != cid:
            final[cid] = nid
    return final


def _version_data(name: str, data: str) -> str:
    """What a version keeps: the whole row, but an entity without its (long) mention list."""
    if name != "entities":
        return data
    d = json.loads(data)
    d.pop("mentions", None)
    return _dump(d)


def write_lists(
    db: DB,
    lists: dict[str, list[dict[str, Any]]],
    speakers: list[dict[str, Any]] | None,
    new_docs: Iterable[str] = (),
) -> dict[str, int]:
    """Write ``lists`` (inside the caller's transaction). ``speakers`` (quote -> entity, from
    the entities collector) fills ``speaker.entity`` of the stored quotes; ``new_docs`` are the
    documents added since the lists were last written (their links are all new). Returns the
    number of rows written per list."""
    now = _now()
    written: dict[str, int] = {}
    relink_docs = set(new_docs)
    entity_remap: dict[str, str] = {}
    for name, items in lists.items():
        old = {
            i: (seq, version, h)
            for i, seq, version, h in db.all(
                "SELECT id, seq, version, sha1 FROM collections WHERE list = ?", (name,)
            )
        }
        if name in VERSIONED:
            remap = _inherit_ids(db, name, items, set(old))
            if remap:
                items = [{**it, "id": remap.get(str(it["id"]), it["id"])} for it in items]
                lists[name] = items
            if name == "entities":
                entity_remap = remap
        rows = []
        for seq, item in enumerate(items):
            data = _dump(item)
            rows.append((item_key(item.get("id"), data), seq, data, sha1_text(data)))
        keys = {k for k, *_ in rows}
        gone = [k for k in old if k not in keys]
        changed = [r for r in rows if r[0] not in old or old[r[0]][2] != r[3]]
        moved = [
            (seq, name, k)
            for k, seq, _d, h in rows
            if k in old and old[k][2] == h and old[k][0] != seq
        ]
        if name in VERSIONED:
            keep = [*gone, *(r[0] for r in changed if r[0] in old)]
            for chunk in _chunks(keep):
                marks = ",".join("?" * len(chunk))
                prev = db.all(
                    f"SELECT id, version, data FROM collections WHERE list = ? AND id IN ({marks})",
                    [name, *chunk],
                )
                db.executemany(
                    "INSERT INTO collection_versions(list, id, version, data, created_at) "
                    "VALUES (?,?,?,?,?) ON CONFLICT DO NOTHING",
                    [(name, i, v, _version_data(name, d), now) for i, v, d in prev],
                )
        for chunk in _chunks(gone + [r[0] for r in changed if r[0] in old]):
            marks = ",".join("?" * len(chunk))
            db.execute(
                f"DELETE FROM collections WHERE list = ? AND id IN ({marks})", [name, *chunk]
            )
        db.executemany(
            "INSERT INTO collections(list, id, seq, version, sha1, data, updated_at) "
            "VALUES (?,?,?,?,?,?,?)",
            [
                (name, k, seq, old[k][1] + 1 if k in old else 1, h, data, now)
                for k, seq, data, h in changed
            ],
        )
        db.executemany("UPDATE collections SET seq = ? WHERE list = ? AND id = ?", moved)
        written[name] = len(changed)
        if name == "stories":
            _index_stories(
                db,
                [it for it in items if item_key(it.get("id"), "") in {r[0] for r in changed}],
                gone + [r[0] for r in changed],
            )
        if name == "entities":
            vanished = _docs_of(db, "entity_docs", "entity", gone)
            for docs in vanished.values():
                relink_docs |= docs
            changed_keys = {r[0] for r in changed}
            _index_entities(
                db, [it for it in items if str(it["id"]) in changed_keys], gone + list(changed_keys)
            )
    if speakers is not None or "entities" in lists:
        _relink(db, lists.get("entities"), speakers, entity_remap, relink_docs)
    return written


def _index_stories(db: DB, items: list[dict[str, Any]], drop: list[str]) -> None:
    for chunk in _chunks(drop):
        db.execute(f"DELETE FROM story_docs WHERE story IN ({','.join('?' * len(chunk))})", chunk)
    db.executemany(
        "INSERT INTO story_docs(story, doc) VALUES (?, ?)",
        [(str(s["id"]), str(d)) for s in items for d in dict.fromkeys(s.get("documents") or [])],
    )


def _index_entities(db: DB, items: list[dict[str, Any]], drop: list[str]) -> None:
    for chunk in _chunks(drop):
        marks = ",".join("?" * len(chunk))
        db.execute(f"DELETE FROM entity_docs WHERE entity IN ({marks})", chunk)
        db.execute(f"DELETE FROM entity_names WHERE entity IN ({marks})", chunk)
    ed, names = [], []
    for ent in items:
        counts: Counter[str] = Counter(str(m["doc"]) for m in ent.get("mentions") or [])
        ed.extend((str(ent["id"]), d, c) for d, c in counts.items())
        forms = {name_key(ent.get("name") or "")}
        forms.update(name_key(m.get("text") or "") for m in ent.get("mentions") or [])
        names.extend((str(ent["id"]), f) for f in forms if f)
    db.executemany("INSERT INTO entity_docs(entity, doc, mentions) VALUES (?,?,?)", ed)
    db.executemany("INSERT INTO entity_names(entity, name) VALUES (?, ?)", names)


def _relink(
    db: DB,
    entities: list[dict[str, Any]] | None,
    speakers: list[dict[str, Any]] | None,
    remap: dict[str, str],
    docs: set[str],
) -> None:
    """Set ``entity`` of the stored mentions and ``speaker.entity`` of the stored quotes of
    ``docs`` from the resolved lists (the items are stored before entities are resolved)."""
    if not docs:
        return
    where = mention_entities(entities or []) if entities is not None else None
    by = None
    if speakers is not None:
        by = speaker_links([{**s, "entity": remap.get(s["entity"], s["entity"])} for s in speakers])
    doc_n = dict(db.all("SELECT id, n FROM documents")) if len(docs) > 2000 else {}
    ns = []
    for chunk in _chunks(sorted(docs)):
        if doc_n:
            ns.extend(doc_n[d] for d in chunk if d in doc_n)
        else:
            marks = ",".join("?" * len(chunk))
            ns.extend(n for (n,) in db.all(f"SELECT n FROM documents WHERE id IN ({marks})", chunk))
    layers = [("mentions", where)] if where is not None else []
    if by is not None:
        layers.append(("quotes", by))
    for chunk in _chunks(ns):
        marks = ",".join("?" * len(chunk))
        for layer, links in layers:
            changed = []
            for doc, seq, data in db.all(
                f"SELECT doc, seq, data FROM items WHERE layer = ? AND doc IN ({marks})",
                [layer, *chunk],
            ):
                row = json.loads(data)
                if layer == "quotes":
                    moved = link_speaker(row, links)
                else:
                    eid = links.get((row.get("doc"), row.get("start"), row.get("end")))
                    moved = row.get("entity") != eid
                    row["entity"] = eid
                if moved:
                    changed.append((_dump(row), doc, layer, seq))
            if changed:
                db.executemany(
                    "UPDATE items SET data = ? WHERE doc = ? AND layer = ? AND seq = ?", changed
                )
