"""The normalised view of Arabic text, with a map back to original offsets.

Matching (cue phrases, gazetteers, search) runs on the normalised view; results are
reported on the original text. Folding rules are data (``resources/ar/normalize.json``);
which groups apply is set in ``settings.toml`` ``[normalize]``.

The map is piecewise: runs of characters that map one-to-one form one segment, a character
that expands (a presentation-form ligature) forms its own segment, and deleted characters
(diacritics, tatweel, bidi marks) only shift the original start of the next segment. Cost is
proportional to the number of deleted or expanded characters, not to the text length.
"""

from __future__ import annotations

import json
import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

ALL_GROUPS = (
    "alef",
    "alef_maqsura",
    "hamza_carriers",
    "taa_marbuta",
    "persian_letters",
    "diacritics",
    "tatweel",
    "digits",
    "spaces",
    "invisible",
    "presentation_forms",
)

# Marks that belong to the preceding letter: a span that ends on a letter also covers these.
_TRAILING_MARKS = re.compile("[\u064b-\u065f\u0670\u0640\u06d6-\u06ed\u08d3-\u08ff]*")
#: The characters of ``_TRAILING_MARKS``, as a set.
_MARKS = frozenset(
    chr(c)
    for lo, hi in (
        (0x064B, 0x065F),
        (0x0670, 0x0670),
        (0x0640, 0x0640),
        (0x06D6, 0x06ED),
        (0x08D3, 0x08FF),
    )
    for c in range(lo, hi + 1)
)


def _expand_key(key: str) -> list[str]:
    if key.startswith("U+"):
        if "-" in key:
            lo, hi = key.split("-")
            return [chr(c) for c in range(int(lo[2:], 16), int(hi[2:], 16) + 1)]
        return [chr(int(key[2:], 16))]
    return [key]


@lru_cache(maxsize=16)
def _tables(
    groups: tuple[str, ...],
) -> tuple[dict[int, str], re.Pattern[str] | None, re.Pattern[str] | None]:
    data = json.loads(
        resources.files("marsad.resources.ar").joinpath("normalize.json").read_text("utf-8")
    )
    table: dict[int, str] = {}
    for group in groups:
        for key, value in data[group].items():
            if key.startswith("_"):
                continue
            for ch in _expand_key(key):
                if value == "NFKC":
                    repl = unicodedata.normalize("NFKC", ch)
                    if repl == ch or not repl.strip():
                        continue
                    table[ord(ch)] = repl
                else:
                    table[ord(ch)] = value
    # Close the table under itself so that normalising twice changes nothing (idempotence):
    # a replacement may contain characters that other groups fold (e.g. NFKC gives hamzated alef).
    for _ in range(3):
        changed = False
        for k, v in table.items():
            w = v.translate(table)  # closure only; runs once per table
            if w != v:
                table[k] = w
                changed = True
        if not changed:
            break
    irregular = "".join(re.escape(chr(k)) for k, v in table.items() if len(v) != 1)
    pattern = re.compile(f"[{irregular}]") if irregular else None
    # Folding with a regular expression that visits only the characters to fold is about three
    # times faster than str.translate on Arabic text, where most characters stay as they are.
    everything = "".join(re.escape(chr(k)) for k in table)
    fold = re.compile(f"[{everything}]") if everything else None
    return table, pattern, fold


def _fold(text: str, table: dict[int, str], fold: re.Pattern[str] | None) -> str:
    if fold is None:
        return text
    get = table.__getitem__
    return fold.sub(lambda m: get(ord(m.group())), text)


@dataclass(frozen=True, slots=True)
class Normalized:
    """A normalised view of ``original`` with offset maps in both directions."""

    original: str
    text: str
    # Segment starts in the normalised text and in the original; ``_expand[i]`` is True when
    # segment i is the expansion of a single original character.
    _nstarts: tuple[int, ...] = (0,)
    _ostarts: tuple[int, ...] = (0,)
    _expand: tuple[bool, ...] = (False,)

    def orig_index(self, i: int) -> int:
        """Original index of the normalised character at ``i`` (``len(text)`` maps to the end)."""
        if i >= len(self.text):
            return len(self.original)
        j = bisect_right(self._nstarts, i) - 1
        if self._expand[j]:
            return self._ostarts[j]
        return self._ostarts[j] + (i - self._nstarts[j])

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map a normalised span to the original span that produced it.

        The original span covers the marks (diacritics, tatweel) that follow its last letter.
        """
        if end <= start:
            o = self.orig_index(start)
            return o, o
        ostart = self.orig_index(start)
        oend = self.orig_index(end - 1) + 1
        m = _TRAILING_MARKS.match(self.original, oend)
        if m.end() > oend:
            # Include marks up to the next kept character: they were deleted by normalisation.
            oend = max(oend, min(m.end(), self.orig_index(end)))
        return ostart, oend

    def to_original_many(self, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
        """:meth:`to_original` of many non-empty spans (a tokeniser maps every word of a text);
        when normalising expanded or deleted nothing, the offsets are the same."""
        ns, os_, ex = self._nstarts, self._ostarts, self._expand
        if len(ns) == 1 and os_[0] == 0 and not ex[0]:
            return list(spans)
        # :meth:`orig_index` inlined for both ends; a span whose end is followed by a mark
        # (or that reaches past the text) takes :meth:`to_original`'s full path.
        ntext, orig, norig = len(self.text), self.original, len(self.original)
        out = []
        for start, end in spans:
            if not start < end <= ntext:
                out.append(self.to_original(start, end))
                continue
            j = bisect_right(ns, start) - 1
            a = os_[j] if ex[j] else os_[j] + start - ns[j]
            k = end - 1
            j = bisect_right(ns, k, j) - 1
            b = (os_[j] if ex[j] else os_[j] + k - ns[j]) + 1
            if b < norig and orig[b] in _MARKS:
                out.append(self.to_original(start, end))
            else:
                out.append((a, b))
        return out

    def to_normalized(self, ostart: int, oend: int) -> tuple[int, int]:
        """Map an original span to the normalised span covering it."""
        return self._norm_index(ostart, False), self._norm_index(oend, True)

    def _norm_index(self, p: int, is_end: bool) -> int:
        if p >= len(self.original):
            return len(self.text)
        j = bisect_right(self._ostarts, p) - 1
        if j < 0:
            return 0
        nstart, ostart = self._nstarts[j], self._ostarts[j]
        nlen = (self._nstarts[j + 1] if j + 1 < len(self._nstarts) else len(self.text)) - nstart
        if self._expand[j]:
            return nstart + (nlen if (is_end and p > ostart) else 0)
        off = p - ostart
        if off <= nlen:
            return nstart + off
        # p falls on deleted characters after this segment: the next segment starts there.
        return nstart + nlen


def normalize(text: str, groups: tuple[str, ...] = ALL_GROUPS) -> Normalized:
    """Return the normalised view of ``text`` with its offset map.

    >>> n = normalize("قالَ إنّ")
    >>> n.text
    'قال ان'
    >>> n.to_original(4, 6)
    (5, 8)
    """
    table, irregular, fold = _tables(tuple(groups))
    norm = _fold(text, table, fold)
    if irregular is None or (len(norm) == len(text) and irregular.search(text) is None):
        return Normalized(text, norm)
    nstarts: list[int] = [0]
    ostarts: list[int] = [0]
    expand: list[bool] = [False]
    npos = 0  # normalised position reached
    opos = 0  # original position reached
    for m in irregular.finditer(text):
        p = m.start()
        npos += p - opos  # the regular run before this character maps 1:1
        repl = table[ord(text[p])]
        if repl:
            nstarts.append(npos)
            ostarts.append(p)
            expand.append(True)
            npos += len(repl)
        opos = p + 1
        nstarts.append(npos)
        ostarts.append(opos)
        expand.append(False)
    # Drop empty regular segments (two irregular characters in a row), keeping order.
    keep_n: list[int] = []
    keep_o: list[int] = []
    keep_e: list[bool] = []
    for i in range(len(nstarts)):
        nxt = nstarts[i + 1] if i + 1 < len(nstarts) else len(norm)
        if nxt == nstarts[i] and not expand[i] and i + 1 < len(nstarts):
            continue
        keep_n.append(nstarts[i])
        keep_o.append(ostarts[i])
        keep_e.append(expand[i])
    return Normalized(text, norm, tuple(keep_n), tuple(keep_o), tuple(keep_e))


def normalize_text(text: str, groups: tuple[str, ...] = ALL_GROUPS) -> str:
    """The normalised string only (no map): for lexicons, model features and search keys."""
    table, _, fold = _tables(tuple(groups))
    return _fold(text, table, fold)
