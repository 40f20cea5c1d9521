"""The central document object: an article's original text, metadata and annotation layers.

Every layer item is a ``(start, end)`` span of Python string indices into ``Article.text``,
which is the text exactly as decoded and is never altered. Normalised Arabic is a separate
view (:attr:`Article.norm`) with a map back to original offsets.
"""

from __future__ import annotations

import hashlib
from array import array
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from marsad.text.clitics import analyse
from marsad.text.normalize import Normalized, normalize, normalize_text

BLOCK_KINDS = ("title", "body", "subheading", "dateline", "caption", "boilerplate")
#: Block kinds whose text belongs to the article proper (entities, quotes, figures come from these).
CONTENT_KINDS = frozenset({"title", "body", "subheading"})


@dataclass(slots=True)
class Block:
    """A line or paragraph of the article, labelled with its role."""

    start: int
    end: int
    kind: str = "body"
    #: Why the classifier chose ``kind`` (a cue name, e.g. ``"cue:read_also"``); for debugging.
    reason: str = ""


@dataclass(slots=True)
class Sentence:
    start: int
    end: int
    #: Index of the block this sentence lies in.
    block: int


@dataclass(slots=True)
class Metadata:
    title: str | None = None
    published: date | None = None
    outlet: str | None = None
    url: str | None = None
    author: str | None = None
    language: str | None = None
    encoding: str | None = None
    #: Where each field came from: ``"record"`` (given by the input), ``"html"``, ``"text"``.
    sources: dict[str, str] = field(default_factory=dict)


class Tokens:
    """Tokens stored column-wise (two integer arrays), like spaCy's ``Doc``.

    Iterating or indexing yields :class:`Token` views; clitic analysis is computed on access.
    """

    __slots__ = ("_article", "ends", "starts")

    def __init__(self, article: Article, starts: array | None = None, ends: array | None = None):
        self._article = article
        self.starts = starts if starts is not None else array("i")
        self.ends = ends if ends is not None else array("i")

    def __len__(self) -> int:
        return len(self.starts)

    def __getitem__(self, i: int) -> Token:
        return Token(self._article, self.starts[i], self.ends[i])

    def __iter__(self) -> Iterator[Token]:
        art = self._article
        for s, e in zip(self.starts, self.ends, strict=True):
            yield Token(art, s, e)

    def in_span(self, start: int, end: int) -> range:
        """Indices of the tokens that lie inside ``[start, end)``."""
        from bisect import bisect_left

        i = bisect_left(self.starts, start)
        j = bisect_left(self.starts, end)
        while j > i and self.ends[j - 1] > end:
            j -= 1
        return range(i, j)


@dataclass(frozen=True, slots=True)
class Token:
    article: Article
    start: int
    end: int

    @property
    def text(self) -> str:
        return self.article.text[self.start : self.end]

    @property
    def norm(self) -> str:
        return normalize_text(self.text)

    @property
    def clitics(self):  # -> marsad.text.clitics.Analysis
        """Proclitics, stem and pronoun suffix of this token (spans are not changed)."""
        return analyse(self.norm)


@dataclass(eq=False)
class Article:
    """One news article: original text, metadata, raw input and annotation layers."""

    text: str
    id: str
    path: str | None = None
    meta: Metadata = field(default_factory=Metadata)
    #: The raw input when it was not plain text (e.g. the HTML page), kept beside the text.
    raw: str | None = None
    blocks: list[Block] = field(default_factory=list)
    sentences: list[Sentence] = field(default_factory=list)
    tokens: Tokens = field(init=False)
    #: Extraction layers filled by later stages, by name ("entities", "quotes", "dates",
    #: "quantities", ...). Each item has ``start``/``end`` and a ``to_json(article)`` method.
    layers: dict[str, list[Any]] = field(default_factory=dict)
    #: Names of the stages that have run on this article, in order.
    done: list[str] = field(default_factory=list)
    _norm: Normalized | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        self.tokens = Tokens(self)

    @property
    def norm(self) -> Normalized:
        """The normalised view of the whole text (computed once)."""
        if self._norm is None:
            self._norm = normalize(self.text)
        return self._norm

    @property
    def sha1(self) -> str:
        return content_hash(self.text)

    def span(self, start: int, end: int) -> str:
        return self.text[start:end]

    def block_at(self, offset: int) -> Block | None:
        """The block that contains ``offset``, if any."""
        from bisect import bisect_right

        i = bisect_right([b.start for b in self.blocks], offset) - 1
        if i >= 0 and self.blocks[i].start <= offset < self.blocks[i].end:
            return self.blocks[i]
        return None

    def content_blocks(self) -> Iterator[tuple[int, Block]]:
        """Title, subheading and body blocks (never boilerplate, captions or datelines)."""
        for i, b in enumerate(self.blocks):
            if b.kind in CONTENT_KINDS:
                yield i, b


def content_hash(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()
