"""Consumers of the collector's results: entity ids on in-memory mentions (Python API) and
``speaker.entity`` of ``quotes[]`` rows (``analysis.json`` and the store)."""

from __future__ import annotations

from typing import Any

from marsad.core.article import Article
from marsad.core.items import Mention


def mention_entities(entities: list[dict[str, Any]]) -> dict[tuple[str, int, int], str]:
    """``(doc, start, end)`` of each named mention -> the id of its entity (role-only mentions
    are not in the ``mentions`` layer)."""
    return {
        (m["doc"], m["start"], m["end"]): ent["id"]
        for ent in entities
        for m in ent.get("mentions") or ()
        if m.get("kind", "name") == "name"
    }


def apply_entities(documents: list[Article], entities: list[dict[str, Any]]) -> None:
    """Set ``Mention.entity`` on in-memory articles from the ``entities`` rows (Python API)."""
    where = mention_entities(entities)
    for art in documents:
        for m in art.layers.get("mentions") or ():
            if isinstance(m, Mention):
                m.entity = where.get((art.id, m.start, m.end))


def speaker_links(links: list[dict[str, Any]]) -> dict[str, str]:
    """Quote id -> entity id, from the collector's ``speaker_entities`` rows."""
    return {str(r["quote"]): r["entity"] for r in links}


def link_speaker(row: dict[str, Any], by: dict[str, str]) -> bool:
    """Set ``speaker.entity`` of one ``quotes[]`` row from ``by`` (:func:`speaker_links`; null
    when its speaker is not linked); True when that changed the row."""
    sp = row.get("speaker")
    if not isinstance(sp, dict):
        return False
    eid = by.get(str(row.get("id")))
    if sp.get("entity") == eid:
        return False
    sp["entity"] = eid
    return True


def link_speakers(rows: list[dict[str, Any]], links: list[dict[str, Any]]) -> None:
    """Fill ``speaker.entity`` of ``quotes[]`` rows from the collector's ``speaker_entities``."""
    by = speaker_links(links)
    for row in rows:
        link_speaker(row, by)
