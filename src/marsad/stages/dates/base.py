"""The resolver's shared part: the normalised text, the publication date and the lexicon, the
words around a match, and months, years and weeks counted from the publication date."""

from __future__ import annotations

import re
from datetime import date, timedelta

from marsad.stages.dates.lexicon import Lexicon

_DIGITS = re.compile(r"\d+")
_WORD = re.compile(r"[^\W\d_]+")
_NEXT_WORD = re.compile(r"\s*([^\W\d_]+|\d+|\S)")
_PREV_WORDS = re.compile(r"([^\W\d_]+)\W*$")


class ResolverBase:
    """What every part of :class:`~marsad.stages.dates.resolver.Resolver` uses."""

    #: The kind of block being read; ``extract_dates`` sets it before each block.
    block_kind: str

    def __init__(self, norm: str, published: date | None, lex: Lexicon):
        self.t = norm
        self.pub = published
        self.lex = lex

    # -- helpers -------------------------------------------------------------------------
    def rel_of(self, s: str) -> str | None:
        words = set(_WORD.findall(s))
        if words & self.lex.past:
            return "past"
        if words & self.lex.future:
            return "future"
        if words & self.lex.current:
            return "current"
        return None

    def prev_word(self, pos: int) -> str:
        m = _PREV_WORDS.search(self.t, max(0, pos - 30), pos)
        return m.group(1) if m else ""

    def next_word(self, pos: int) -> str:
        m = _NEXT_WORD.match(self.t, pos)
        return m.group(1) if m else ""

    def need_pub(self) -> tuple[str | None, bool, str | None]:
        return None, False, "relative expression without a known publication date"

    def future_context(self, start: int) -> bool:
        """A future marker in the words before ``start`` (same sentence, a few words)."""
        lo = max(0, start - 60)
        seg = self.t[lo:start]
        for stop in (".", "\n", "،", "؟"):
            k = seg.rfind(stop)
            if k >= 0:
                seg = seg[k + 1 :]
        words = _WORD.findall(seg)[-6:]
        for w in words:
            if w in self.lex.future_cues or "مقرر" in w:
                return True
            core = w[1:] if w[:1] in "وف" and len(w) > 4 else w
            if (
                len(core) >= 4
                and core[0] == "س"
                and core[1] in "يتنا"
                and core not in self.lex.future_stop
                and w not in self.lex.future_stop
            ):
                return True
        return False

    def _month_of(self, s: str) -> int | None:
        mm = self.lex.month_re.search(s)
        return self.lex.months[mm.group()] if mm else None

    def _year_of(self, s: str) -> int | None:
        for d in _DIGITS.findall(s):
            if len(d) == 4:
                return int(d)
        return None

    def _rel_year(self, month: int, rel: str | None) -> int | None:
        if self.pub is None:
            return None
        y = self.pub.year
        if rel == "past" and month >= self.pub.month:
            return y - 1 if month > self.pub.month else y
        if rel == "future" and month <= self.pub.month:
            return y + 1 if month < self.pub.month else y
        return y

    def _period_year(self, s: str) -> int | None:
        if self.pub is None:
            return None
        rel = self.rel_of(s)
        back = 2 if "قبل" in s.split() else 1
        if rel == "past":
            return self.pub.year - back
        if rel == "future":
            return self.pub.year + 1
        return self.pub.year

    def _rel_month(self, s, start, end):
        if self.pub is None:
            return (start, end, "date", None, False, *self.need_pub()[2:])
        rel = self.rel_of(s)
        y, mo = self.pub.year, self.pub.month
        if rel == "past":
            mo -= 2 if "قبل" in s.split() else 1
        elif rel == "future":
            mo += 1
        while mo < 1:
            y, mo = y - 1, mo + 12
        while mo > 12:
            y, mo = y + 1, mo - 12
        return start, end, "date", f"{y}-{mo:02d}", True, None

    def _rel_week(self, s, start, end):
        if self.pub is None:
            return (start, end, "date", None, False, *self.need_pub()[2:])
        rel = self.rel_of(s)
        d = self.pub
        if rel == "past":
            d -= timedelta(weeks=2 if "قبل" in s.split() else 1)
        elif rel == "future":
            d += timedelta(weeks=1)
        iy, iw, _ = d.isocalendar()
        return start, end, "date", f"{iy}-W{iw:02d}", True, None
