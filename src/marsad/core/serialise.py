"""The one serialisation of an analysed article: its ``documents[]`` object and the items of
its layers that go to top-level lists (schema ``marsad/1``, docs/schema.md). ``analysis.json``,
the Python API and the store all build their rows here.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from marsad.core.article import Article

SCHEMA = "marsad/1"
#: Top-level lists, in the order they appear in the file.
TOP_LEVEL = (
    "documents",
    "entities",
    "quotes",
    "dates",
    "quantities",
    "stories",
    "duplicates",
    "errors",
)
#: Article layers whose items go to a top-level list (layer name -> list name).
LAYER_LISTS = {"quotes": "quotes", "dates": "dates", "quantities": "quantities"}


def document_json(article: Article) -> dict[str, Any]:
    """The ``documents[]`` entry for one article."""
    meta = article.meta
    text = article.text
    return {
        "id": article.id,
        "path": article.path,
        "text": text,
        "title": meta.title,
        "published": meta.published.isoformat() if meta.published else None,
        "outlet": meta.outlet,
        "url": meta.url,
        "author": meta.author,
        "language": meta.language,
        "encoding": meta.encoding,
        "sha1": article.sha1,
        "metadata_sources": dict(meta.sources),
        "blocks": [
            {
                "start": b.start,
                "end": b.end,
                "kind": b.kind,
                "text": text[b.start : b.end],
                "reason": b.reason,
            }
            for b in article.blocks
        ],
        "sentences": [
            {"start": s.start, "end": s.end, "block": s.block} for s in article.sentences
        ],
        "stages": list(article.done),
    }


def layer_items(article: Article) -> dict[str, list[dict[str, Any]]]:
    """Per-document items for the top-level lists, each with its ``doc`` id."""
    out: dict[str, list[dict[str, Any]]] = {}
    for layer, key in LAYER_LISTS.items():
        items = article.layers.get(layer)
        if not items:
            continue
        rows = []
        for item in items:
            d = item.to_json(article)
            d["doc"] = article.id
            rows.append(d)
        out[key] = rows
    return out


class LazyRows(Sequence):
    """A read-only sequence of output rows (dicts) built when read from compact items: the
    collectors' run-level lists, so that the end of a large run does not build every row at
    once. Subclasses give :meth:`_row`. Iterate it; an index or a slice builds only those rows.
    :func:`plain` turns it into a list (``json.dumps(..., default=plain)``)."""

    __slots__ = ("_items",)

    def __init__(self, items: Sequence[Any]) -> None:
        self._items = items

    def _row(self, item: Any) -> dict[str, Any]:
        raise NotImplementedError

    def __len__(self) -> int:
        return len(self._items)

    def __getitem__(self, i):  # type: ignore[override]
        if isinstance(i, slice):
            return [self._row(x) for x in self._items[i]]
        return self._row(self._items[i])

    def __iter__(self) -> Iterator[dict[str, Any]]:
        for x in self._items:
            yield self._row(x)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Sequence) and list(self) == list(other)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"{type(self).__name__}({len(self)} rows)"


def plain(obj: Any) -> list[dict[str, Any]]:
    """``default`` for :func:`json.dumps`: a :class:`LazyRows` as a list."""
    if isinstance(obj, LazyRows):
        return list(obj)
    raise TypeError(f"Object of type {type(obj).__name__} is not JSON serializable")
