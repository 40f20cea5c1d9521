"""The ``mentions`` layer: named-entity mentions in an article (the contract between stages).

The ``entities`` stage (:mod:`marsad.stages.entities`) writes ``article.layers["mentions"]``
as :class:`Mention` items, only from title, body and subheading blocks. Later steps read it:
quotes (speaker phrases), entity resolution (the ``entities`` collector, which fills
``entity`` with the cross-document entity id), stories (shared entities) and the store.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

#: The four entity types.
TYPES = ("PER", "ORG", "LOC", "MISC")


@dataclass(slots=True)
class Mention:
    """One entity mention: ``(start, end)`` in the original text, its type, a confidence, and
    (once resolved) the id of the entity it refers to. ``extra`` holds optional attributes
    such as ``role`` (a role phrase the text ties to this mention)."""

    start: int
    end: int
    type: str
    confidence: float = 1.0
    entity: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def to_json(self, article) -> dict[str, Any]:
        return {
            "start": self.start,
            "end": self.end,
            "text": article.text[self.start : self.end],
            "type": self.type,
            "confidence": round(self.confidence, 3),
            "entity": self.entity,
            **self.extra,
        }
