"""Quotation marks and look-ups on the normalised text (all positions are normalised offsets).

The shared character classes, :func:`quote_regions` (quotations and how their marks pair),
trimming and word counts, and ``_Ctx``: one article's normalised view with its content blocks,
sentences, quotations and mentions, and the sentence, block and quotation look-ups on it."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from typing import Any

from marsad.stages.quotes.lexicon import Lexicon

_W = r"[^\W\d_]"  # a letter
_OPENERS = {"«": "»", "“": "”", "‘": "’", "„": "“"}
_CLOSERS = {"»", "”", "’"}
_QUOTE_CHARS = re.compile(r"[«»“”‘’„\"]")
_END = re.compile(r"[.!?\u061f\u2026]+")
_WORD = re.compile(r"[^\W_][^\s،,:;؛.!?\u061f«»“”\"()\[\]]*")
_STRIP = " \t\n\r،,:;؛.-–—"


def quote_regions(n: str, start: int, end: int) -> list[tuple[int, int, bool]]:
    """Quotations in ``n[start:end]`` as ``(open, close_end, closed)``.

    Guillemets and curly quotes pair by nesting; straight quotes pair in turn (a stray mark that
    can only close, ``كلمة". ``, opens nothing); an opening mark
    with no closing one runs to the end of its sentence (scraped text is often unbalanced).
    A closing curly quote used as an opener (reversed marks) opens a quotation too.
    """
    out: list[tuple[int, int, bool]] = []
    stack: list[tuple[str, int]] = []
    straight: int | None = None
    for m in _QUOTE_CHARS.finditer(n, start, end):
        ch, i = m.group(), m.start()
        if ch == '"':
            if straight is None:
                if _closing_only(n, i, start, end):
                    continue  # a stray closing mark (its opener lost): opens nothing
                straight = i
            else:
                out.append((straight, i + 1, True))
                straight = None
        elif stack and (
            ch == stack[-1][0]
            or (ch in "”“" and stack[-1][0] in "”“" and not _opening_only(n, i, start, end))
        ):
            _, o = stack.pop()
            out.append((o, i + 1, True))
        elif ch in _OPENERS:
            stack.append((_OPENERS[ch], i))
        elif ch == "”" and not _closing_only(n, i, start, end):
            stack.append(("“", i))  # reversed curly quotes
    for _, o in stack:
        out.append((o, _unclosed_end(n, o, end), False))
    if straight is not None:
        out.append((straight, _unclosed_end(n, straight, end), False))
    out.sort()
    return out


_SENTENCE_END = re.compile(r"[.!?؟](?=\s)|\n")


def _unclosed_end(n: str, o: int, end: int) -> int:
    """Where a quotation that never closes ends: at the end of its sentence (as the gold
    guidelines annotate it), else of the block."""
    m = _SENTENCE_END.search(n, o + 1, end)
    return m.start() if m else end


def _opening_only(n: str, i: int, start: int, end: int) -> bool:
    """A mark after a space (or the start) and before a word: it opens (``قال “نص``)."""
    before = n[i - 1] if i > start else " "
    after = n[i + 1] if i + 1 < end else " "
    return before.isspace() and after.isalnum()


def _closing_only(n: str, i: int, start: int, end: int) -> bool:
    """A straight quote that can only close: right after a word or a mark and before a space,
    a mark or the end (``… وتمنعهم".``), when no straight quotation is open."""
    before = n[i - 1] if i > start else " "
    after = n[i + 1] if i + 1 < end else " "
    return (before.isalnum() or before in ".،,!؟?") and not after.isalnum()


def _inside(regions: list[tuple[int, int, bool]], p: int) -> tuple[int, int, bool] | None:
    """The outermost quotation that strictly contains position ``p``."""
    for r in regions:
        if r[0] < p < r[1] - (1 if r[2] else 0):
            return r
        if r[0] > p:
            break
    return None


def _trim(n: str, s: int, e: int, chars: str = _STRIP) -> tuple[int, int]:
    while s < e and n[s] in chars:
        s += 1
    while e > s and n[e - 1] in chars:
        e -= 1
    return s, e


def feminine_noun(w: str) -> bool:
    """A definite noun with the feminine ending (ة, folded to ه in the normalised view):
    المملكة، الهيئة."""
    return w.startswith(("ال", "وال")) and w.endswith(("ه", "ة")) and len(w) > 4


def _words(n: str, s: int, e: int) -> int:
    return len(_WORD.findall(n, s, e))


@dataclass(slots=True)
class _Ctx:
    n: str
    lex: Lexicon
    blocks: list[tuple[int, int, int, str]]  # (nstart, nend, block index, kind)
    sent_starts: list[int]
    sent_ends: list[int]
    regions: list[tuple[int, int, bool]]
    region_starts: list[int]
    mentions: list[tuple[int, int, str]]  # normalised (start, end, type)
    max_zone_words: int
    min_direct_words: int
    window: int
    keep_pronoun: bool
    np_objects: bool
    max_statement_chars: int = 2000
    #: block end -> (match starts, match ends, first statement end from each match on); see
    #: :func:`_statement_end`.
    end_cache: dict[int, tuple[list[int], list[int], list[int]]] = field(default_factory=dict)
    #: ``reach[i]``: the furthest inner end among ``regions[: i + 1]`` (see :meth:`inside`).
    reach: list[int] = field(default_factory=list)
    closed_by_end: dict[int, tuple[int, int, bool]] | None = None
    #: the speaker-extent model (:mod:`.extent`), or None for the rules alone
    extent: Any = None
    #: training only: every speaker zone seen, as (words, rule's word count)
    trace: list[Any] | None = None
    #: the speaker-choice model (:mod:`.choice`), or None for the most recent agreeing speaker
    choice: Any = None
    #: start offsets of ``mentions`` (built on first use, see :meth:`overlapping`)
    mention_starts: list[int] | None = None
    #: the subject of each sentence-initial verb, by (sentence start, end) (:mod:`.choice`)
    subjects: dict[tuple[int, int], Any] = field(default_factory=dict)
    #: training only: the candidates of every cue without a subject, as (cue, [(span, feats)])
    choice_trace: list[Any] | None = None

    def __post_init__(self) -> None:
        best = -1
        for r in self.regions:
            best = max(best, r[1] - (1 if r[2] else 0))
            self.reach.append(best)

    def mention_start_list(self) -> list[int]:
        """The start offsets of ``mentions`` (built once)."""
        if self.mention_starts is None:
            self.mention_starts = [m[0] for m in self.mentions]
        return self.mention_starts

    def overlapping(self, s: int, e: int) -> list[tuple[int, int, str]]:
        """The entity mentions that overlap ``[s, e)`` (mentions do not overlap each other)."""
        i = bisect_right(self.mention_start_list(), s) - 1
        if i < 0 or self.mentions[i][1] <= s:
            i += 1
        out = []
        while i < len(self.mentions) and self.mentions[i][0] < e:
            out.append(self.mentions[i])
            i += 1
        return out

    def inside(self, p: int) -> tuple[int, int, bool] | None:
        """The outermost quotation that strictly contains ``p`` (as :func:`_inside`, in
        O(log n): the first region, in start order, whose inner end lies beyond ``p``)."""
        k = bisect_left(self.region_starts, p)  # regions starting before p
        j = bisect_right(self.reach, p)
        return self.regions[j] if j < k else None

    def closed_ending_at(self, q: int) -> tuple[int, int, bool] | None:
        """The first closed quotation (in start order) that ends at ``q``."""
        if self.closed_by_end is None:
            self.closed_by_end = {}
            for r in self.regions:
                if r[2]:
                    self.closed_by_end.setdefault(r[1], r)
        return self.closed_by_end.get(q)


def _sentence_of(ctx: _Ctx, p: int) -> tuple[int, int]:
    i = bisect_right(ctx.sent_starts, p) - 1
    if i >= 0 and p < ctx.sent_ends[i]:
        return ctx.sent_starts[i], ctx.sent_ends[i]
    return p, p


def _block_of(ctx: _Ctx, p: int) -> tuple[int, int, int, str] | None:
    i = bisect_right([b[0] for b in ctx.blocks], p) - 1
    if i >= 0 and p < ctx.blocks[i][1]:
        return ctx.blocks[i]
    return None


def _region_at(ctx: _Ctx, p: int) -> tuple[int, int, bool] | None:
    i = bisect_left(ctx.region_starts, p)
    if i < len(ctx.regions) and ctx.regions[i][0] == p:
        return ctx.regions[i]
    return None
