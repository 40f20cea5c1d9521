"""The item of the ``dates`` layer: :class:`TimeExpr`, one temporal expression."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from marsad.core.article import Article


@dataclass(slots=True)
class TimeExpr:
    """One temporal expression: a span of the original text and its normalised value."""

    start: int
    end: int
    kind: str  # date | time | duration | set
    value: str | None
    resolved: bool
    reason: str | None = None
    #: The kind of block the expression is in (a dateline or a content block).
    block_kind: str = "body"

    def to_json(self, article: Article) -> dict[str, Any]:
        d: dict[str, Any] = {
            "start": self.start,
            "end": self.end,
            "text": article.text[self.start : self.end],
            "kind": self.kind,
            "value": self.value,
            "resolved": self.resolved,
        }
        if self.reason:
            d["reason"] = self.reason
        d["block_kind"] = self.block_kind
        return d
