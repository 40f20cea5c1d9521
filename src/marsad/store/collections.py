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
import logging
from collections import Counter
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from marsad.collect.entities import link_speaker, mention_entities, speaker_links
from marsad.store.db import DB
from marsad.store.rows import _dump, item_key, sha1_text
from marsad.store.terms import name_key

log = logging.getLogger(__name__)

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
    db: DB, name: str, todo: list[dict[str, Any]], candidates: set[str]
) -> dict[str, str]:
    """Collector id -> stored id for the items ``todo`` that share documents with the stored
    items ``candidates`` (the one they share the most with; larger items choose first)."""
    if not candidates or not todo:
        return {}
    table, col = ("story_docs", "story") if name == "stories" else ("entity_docs", "entity")
    by_doc: dict[str, list[str]] = {}
    for oid, docs in _docs_of(db, table, col, candidates).items():
        for d in docs:
            by_doc.setdefault(d, []).append(oid)
    remap: dict[str, str] = {}
    taken: set[str] = set()
    for it in sorted(todo, key=lambda it: -len(_item_docs(name, it))):
        votes = Counter(o for d in _item_docs(name, it) for o in by_doc.get(d, ()))
        best = next((o for o, _n in votes.most_common() if o not in taken), None)
        if best is not None:
            remap[str(it["id"])] = best
            taken.add(best)
    return remap


def _stored_ids(
    db: DB, name: str, items: list[dict[str, Any]], old: set[str], ids: dict[str, str]
) -> set[str]:
    """Give every item its stored id (``ids``: collector id -> stored id, kept between
    ingests, updated here); returns the collector ids seen for the first time."""
    cids = [str(it["id"]) for it in items]
    present = set(cids)
    for c in [c for c in ids if c not in present]:
        del ids[c]  # an item that is gone (merged into another)
    unknown = [c for c in cids if c not in ids]
    if unknown:
        claimed = set(ids.values())
        if name == "entities":
            # entity ids are name keys: one still stored and not claimed is the same entity
            # (story ids are numbers of a clustering order: they prove nothing)
            for c in unknown:
                if c in old and c not in claimed:
                    ids[c] = c
                    claimed.add(c)
        left = set(unknown) - set(ids)
        todo = [it for it in items if str(it["id"]) in left]
        remap = _inherit_ids(db, name, todo, old - claimed)
        used = claimed | set(remap.values())
        for c in unknown:
            if c in ids:
                continue
            sid = remap.get(c)
            if sid is None:
                sid, k = c, 1
                while sid in used or sid in old:
                    k += 1
                    sid = f"{c}~{k}"
            used.add(sid)
            ids[c] = sid
    return set(unknown)


def _version_data(name: str, data: str) -> str:
    """What a version keeps: the whole row, but an entity without its (long) mention list
    (the last key of its JSON: cut without parsing)."""
    if name != "entities":
        return data
    cut = data.rfind(',"mentions":[')
    return data[:cut] + "}" if cut > 0 else data


def write_lists(
    db: DB,
    lists: dict[str, list[dict[str, Any]]],
    speakers: list[dict[str, Any]] | None,
    new_docs: Iterable[str] = (),
    changed: dict[str, set[str]] | None = None,
    ids: dict[str, dict[str, str]] | None = None,
) -> dict[str, int]:
    """Write ``lists`` (inside the caller's transaction); returns the rows written per list.

    ``speakers`` (quote -> entity, from the entities collector) fills ``speaker.entity`` of the
    stored quotes; ``new_docs``: the documents added since the lists were last written (all
    their links are new); ``changed``: per list, the collector ids of the items built anew
    since the last write (the others are taken as unchanged; a list not named is compared
    whole); ``ids``: per versioned list, collector id -> stored id (kept by the caller between
    writes, updated here)."""
    now = _now()
    written: dict[str, int] = {}
    relink_docs = set(new_docs)
    ids = ids if ids is not None else {}
    changed = changed or {}
    for name, items in lists.items():
        old = {
            i: (seq, version, h)
            for i, seq, version, h in db.all(
                "SELECT id, seq, version, sha1 FROM collections WHERE list = ?", (name,)
            )
        }
        fresh: set[str] = set()
        dirty = changed.get(name)
        if name in VERSIONED:
            idmap = ids.setdefault(name, {})
            fresh = _stored_ids(db, name, items, set(old), idmap)
            # a copy only where the stored id differs (the collector keeps its rows)
            items = [
                it if idmap[str(it["id"])] == str(it["id"]) else {**it, "id": idmap[str(it["id"])]}
                for it in items
            ]
            lists[name] = items
            if dirty is not None:
                dirty = {idmap[c] for c in dirty if c in idmap} | {idmap[c] for c in fresh}
        rows = []  # (key, seq, data or None when unchanged, sha1)
        for seq, item in enumerate(items):
            key = str(item["id"]) if item.get("id") is not None else None
            stub = item.get("_unchanged", False)
            if stub or (key is not None and dirty is not None and key not in dirty):
                if key in old:
                    rows.append((key, seq, None, old[key][2]))
                    continue
                if stub:  # the collector says unchanged, the store has no such row
                    log.warning("%s %s: no stored row to keep; rebuild the lists", name, key)
                    continue
            data = _dump(item)
            rows.append((item_key(item.get("id"), data), seq, data, sha1_text(data)))
        keys = {r[0] for r in rows}
        gone = [k for k in old if k not in keys]
        new_rows = [
            r for r in rows if r[2] is not None and (r[0] not in old or old[r[0]][2] != r[3])
        ]
        replaced = [r[0] for r in new_rows if r[0] in old]
        moved = [
            (seq, name, k)
            for k, seq, data, _h in rows
            if k in old and old[k][0] != seq and (data is None or k not in replaced)
        ]
        if name in VERSIONED:
            keep = [*gone, *replaced]
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
        for chunk in _chunks([*gone, *replaced]):
            marks = ",".join("?" * len(chunk))
            db.execute(
                f"DELETE FROM collections WHERE list = ? AND id IN ({marks})", [name, *chunk]
            )
        db.executemany(
            "INSERT INTO collections(list, id, seq, version, sha1, data, updated_at) "
            "VALUES (?,?,?,?,?,?,?)",
            [
                (name, k, seq, old[k][1] + 1 if k in old else 1, h, data, now)
                for k, seq, data, h in new_rows
            ],
        )
        db.executemany("UPDATE collections SET seq = ? WHERE list = ? AND id = ?", moved)
        written[name] = len(new_rows)
        changed_keys = {r[0] for r in new_rows}
        redo = [it for it in items if str(it.get("id")) in changed_keys]
        if name == "stories":
            _index_stories(db, redo, [*gone, *changed_keys])
        if name == "entities":
            for docs in _docs_of(db, "entity_docs", "entity", gone).values():
                relink_docs |= docs  # their mentions now belong to other entities
            _index_entities(db, redo, [*gone, *changed_keys])
    if speakers is not None or "entities" in lists:
        _relink(db, lists.get("entities"), speakers, ids.get("entities", {}), relink_docs)
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
        forms.update(name_key(t) for t in {m.get("text") or "" for m in ent.get("mentions") or []})
        names.extend((str(ent["id"]), f) for f in forms if f)
    db.executemany("INSERT INTO entity_docs(entity, doc, mentions) VALUES (?,?,?)", ed)
    db.executemany("INSERT INTO entity_names(entity, name) VALUES (?, ?)", names)


def _entities_of(db: DB, docs: set[str]) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for chunk in _chunks(sorted(docs)):
        marks = ",".join("?" * len(chunk))
        for e, d in db.all(f"SELECT entity, doc FROM entity_docs WHERE doc IN ({marks})", chunk):
            out.setdefault(d, set()).add(e)
    return out


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
