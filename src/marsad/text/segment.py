"""Sentences and tokens, with offsets into the original text.

Tokens: words (letters, digits and the marks inside them: diacritics, tatweel), numbers with
internal separators (``15,30``, ``2.5``, ``١٢٫٥``) kept whole, and each other visible character
as its own token. Spans are never changed by clitic analysis (see :mod:`marsad.text.clitics`).

Sentences: inside each block, a sentence ends at ``.`` ``؟`` ``?`` ``!`` ``…`` (with any closing
quotes or brackets after them) or at a line break — but not inside a number, after a known
abbreviation or single letter (``د.``), or inside a quotation that closes within the block.
Block boundaries always end a sentence.
"""

from __future__ import annotations

import re
from array import array
from bisect import bisect_right
from functools import lru_cache
from importlib import resources

_MARKS = "\u064b-\u065f\u0670\u0640\u06d6-\u06ed\u200c\u200d"
# Sentence-final punctuation (with closing quotes/brackets after it) or a line break.
# Matched only from the first mark of a run, without backtracking (a line of 40,000 dots would
# otherwise cost quadratic time: every position in the run retried).
_END = re.compile(
    r"(?<![.!?\u061f\u2026])[.!?\u061f\u2026]++[\"'\u00bb\u201d\u2019)\]]*+(?=\s|$)|\n"
)
_HAS_END = re.compile(r"[.!?\u061f\u2026\n]")
_QUOTE_PAIRS = {"«": "»", "“": "”", "‘": "’"}
_STRAIGHT = '"'


@lru_cache(maxsize=1)
def abbreviations() -> frozenset[str]:
    lines = resources.files("marsad.resources.ar").joinpath("abbreviations.txt").read_text("utf-8")
    return frozenset(
        ln.strip() for ln in lines.splitlines() if ln.strip() and not ln.lstrip().startswith("#")
    )


# Character classes for the vectorised tokenizer.
_S, _L, _M, _D, _P, _SEP = 0, 1, 2, 3, 4, 5
_SEPARATORS = ".,\u066b\u066c"


@lru_cache(maxsize=1)
def _class_table():
    """Class of every BMP code point: space/invisible, letter, mark, digit, other, separator."""
    import unicodedata

    import numpy as np

    table = np.full(0x10000, _P, dtype=np.uint8)
    marks = re.compile(f"[{_MARKS}]")
    for cp in range(0x10000):
        ch = chr(cp)
        if ch.isspace() or (unicodedata.category(ch) == "Cf" and ch not in "\u200c\u200d"):
            table[cp] = _S
        elif marks.match(ch):
            table[cp] = _M
        elif ch.isdecimal():
            table[cp] = _D
        elif ch.isalpha():
            table[cp] = _L
        elif ch in _SEPARATORS:
            table[cp] = _SEP
    return table


def tokenize(text: str, start: int = 0, end: int | None = None) -> tuple[array, array]:
    """Token starts and ends in ``text[start:end]`` (absolute offsets).

    Vectorised with numpy (one pass over the code points, no Python loop per token): a word is
    a letter followed by letters and marks; a number is digits with inner ``.`` ``,`` ``٫`` ``٬``
    between digits; every other visible character is a token of its own; white space and
    invisible format characters (bidi marks) separate tokens.
    """
    import numpy as np

    end = len(text) if end is None else end
    segment = text[start:end]
    if not segment:
        return array("i"), array("i")
    cps = np.frombuffer(segment.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    table = _class_table()
    cls = np.where(cps < 0x10000, table[np.minimum(cps, 0xFFFF)], _P).astype(np.int8)
    n = len(cls)
    prev = np.empty(n, dtype=np.int8)
    prev[0] = _S
    prev[1:] = cls[:-1]
    nxt = np.empty(n, dtype=np.int8)
    nxt[-1] = _S
    nxt[:-1] = cls[1:]
    word = (cls == _L) | (cls == _M)
    # a separator between two digits belongs to the number
    sep_in_number = (cls == _SEP) & (prev == _D) & (nxt == _D)
    digitish = (cls == _D) | sep_in_number
    prev_digitish = np.empty(n, dtype=bool)
    prev_digitish[0] = False
    prev_digitish[1:] = digitish[:-1]
    prev_word = np.empty(n, dtype=bool)
    prev_word[0] = False
    prev_word[1:] = word[:-1]
    joins = (word & prev_word) | (digitish & prev_digitish)
    visible = cls != _S
    starts_mask = visible & ~joins
    next_joins = np.empty(n, dtype=bool)
    next_joins[-1] = False
    next_joins[:-1] = joins[1:]
    ends_mask = visible & ~next_joins
    starts = np.flatnonzero(starts_mask) + start
    ends = np.flatnonzero(ends_mask) + start + 1
    return array("i", starts.astype(np.int32).tobytes()), array(
        "i", ends.astype(np.int32).tobytes()
    )


_LAST_WORD = re.compile(r"(\S+)$")
_INITIALS = re.compile(r"(\w\.)+\w")
_QUOTE_CHARS = re.compile('[«»“”‘’"]')


def quote_regions(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Quotations that open and close inside ``[start, end)`` (unclosed ones are ignored)."""
    regions: list[tuple[int, int]] = []
    stack: list[tuple[str, int]] = []
    straight_open: int | None = None
    for m in _QUOTE_CHARS.finditer(text, start, end):
        i = m.start()
        ch = text[i]
        if ch in _QUOTE_PAIRS:
            stack.append((_QUOTE_PAIRS[ch], i))
        elif stack and ch == stack[-1][0]:
            _, o = stack.pop()
            regions.append((o, i + 1))
        elif ch == _STRAIGHT:
            if straight_open is None:
                straight_open = i
            else:
                regions.append((straight_open, i + 1))
                straight_open = None
    return regions


def split_sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Sentence spans inside one block ``[start, end)``, trimmed of surrounding whitespace."""
    if _HAS_END.search(text, start, end) is None:
        s, e = _trim(text, start, end)
        return [(s, e)] if e > s else []
    regions = quote_regions(text, start, end) if _QUOTE_CHARS.search(text, start, end) else ()
    inside = _inside(regions) if regions else None
    abbrev = abbreviations()
    cuts: list[int] = []
    for m in _END.finditer(text, start, end):
        p = m.start()
        ch = text[p]
        if ch == "\n":
            cuts.append(p)
            continue
        if ch == "." and m.end() - p == 1:
            # "د." / "U.S." / a single letter before the dot: an abbreviation, not an end.
            w = _LAST_WORD.search(text, max(start, p - 12), p)
            word = w.group(1) if w else ""
            if word in abbrev or (len(word) == 1 and word.isalpha()) or _INITIALS.fullmatch(word):
                continue
        if regions and inside(p):
            continue
        cuts.append(m.end())
    spans = []
    prev = start
    for c in (*cuts, end):
        if c <= prev:
            continue
        s, e = _trim(text, prev, c)
        if e > s:
            spans.append((s, e))
        prev = c
    return spans


def _inside(regions: list[tuple[int, int]]):
    """``inside(p)``: whether ``a < p < b - 1`` for some region ``(a, b)``, in O(log n) (a block
    with thousands of short quotations and sentence ends would otherwise be quadratic)."""
    merged: list[list[int]] = []
    for a, b in sorted((a + 1, b - 1) for a, b in regions if b - 1 > a + 1):  # open p-range
        if merged and a <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    starts = [m[0] for m in merged]

    def inside(p: int) -> bool:
        i = bisect_right(starts, p) - 1
        return i >= 0 and p < merged[i][1]

    return inside


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
