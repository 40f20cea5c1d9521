"""Resolving clock times (``الساعة 15,30``, time ranges), durations (``ثلاثة أشهر`` → ``P3M``,
ranges of them) and sets (``شهريا`` → ``P1M``)."""

from __future__ import annotations

import re
from datetime import timedelta

from marsad.stages.dates.base import _DIGITS, _WORD, ResolverBase
from marsad.text.numbers import parse_number

UNIT_ISO = {"D": "D", "W": "W", "M": "M", "Y": "Y", "H": "H", "MIN": "M", "S": "S"}
UNIT_ISO.update({"DE": "DE", "CE": "CE"})
TIME_UNITS = frozenset({"H", "MIN", "S"})


class TimesAndDurations(ResolverBase):
    """The ``r_<kind>`` methods for times, durations and sets."""

    # -- resolution by kind ----------------------------------------------------------------
    def r_time(self, s, start, end, m):
        if re.search(r"[\d]\s*[-–]\s*$", self.t[max(0, start - 6) : start]):
            return None  # a score ("2 - 2 مساء السبت"), not a clock time
        nums = [int(x) for x in _DIGITS.findall(s)]
        if not nums:
            return None
        hh = nums[0]
        mm = nums[1] if len(nums) > 1 and re.search(r"\d[:.,]\d", s) else 0
        if hh > 24 or mm > 59:
            return None
        words = set(_WORD.findall(s))
        pm = words & {"مساء", "مساءا", "ظهرا", "عصرا", "ليلا", "عصر", "ظهر", "ليل"}
        if pm and hh < 12 and not (words & {"ليلا", "ليل"} and hh < 5):
            if not (hh == 12):
                hh += 12
        if "م" in words and "ت" not in words and hh < 12:
            hh += 12
        clock = f"T{hh:02d}:{mm:02d}"
        day = None
        if self.pub is not None:
            if words & {"امس"}:
                day = self.pub - timedelta(days=1)
            elif words & {"غدا", "غد"}:
                day = self.pub + timedelta(days=1)
            elif words & {"اليوم"} or self.block_kind == "dateline" or words & {"ت"}:
                day = self.pub
        if day is not None:
            return start, end, "time", day.isoformat() + clock, True, None
        return start, end, "time", clock, True, None

    def r_timerange(self, s, start, end, m):
        nums = [int(x) for x in _DIGITS.findall(s)]
        hh = nums[0]
        mm = nums[1] if len(nums) > 1 else 0
        after = self.t[end : end + 40]
        pm = re.search(r"(مساء|ظهرا|عصرا|ليلا)", after)
        if pm and hh < 12:
            hh += 12
        if hh > 24 or mm > 59:
            return None
        return start, end, "time", f"T{hh:02d}:{mm:02d}", True, None

    def _count_unit(self, s: str) -> tuple[float | None, str | None, bool]:
        """(count, unit letter, vague) of a duration phrase."""
        words = _WORD.findall(s)
        unit = None
        form = None
        for w in words:
            if w in self.lex.units:
                unit, form = self.lex.units[w]
                break
            if w.startswith("ال") and self.lex.units.get(w[2:], ("", ""))[1] == "dual":
                unit, form = self.lex.units[w[2:]]
                break
        if unit is None:
            um = self.lex.unit_re.search(s)
            if um is None:
                return None, None, True
            unit, form = self.lex.units[um.group()]
        if form == "dual":
            return 2, unit, False
        nm = self.lex.num_re.search(s)
        if nm is not None:
            v = parse_number(nm.group("x"))
            return v, unit, v is None
        if form == "singular":
            return 1, unit, False
        return None, unit, True

    def _duration_value(self, n: float | None, unit: str) -> str:
        letter = UNIT_ISO[unit]
        t = "T" if unit in TIME_UNITS else ""
        if n is None:
            return f"P{t}X{letter}"
        k = int(n) if float(n).is_integer() else n
        return f"P{t}{k}{letter}"

    def _is_age(self, start: int, unit: str | None, end: int = -1) -> bool:
        if unit != "Y":
            return False
        if self.t[max(0, start - 3) : start].rstrip().endswith("(") and self.t[
            end : end + 3
        ].lstrip().startswith(")"):
            return True
        before = _WORD.findall(self.t[max(0, start - 40) : start])[-3:]
        return any(w in self.lex.age_cues for w in before)

    def r_duration(self, s, start, end, m):
        n, unit, vague = self._count_unit(s)
        if unit is None:
            return None
        words = _WORD.findall(s)
        first = words[0] if words else ""
        if first in self.lex.units and self.lex.units[first][1] == "plural" and len(words) == 1:
            if unit in ("DE", "CE"):
                return None  # عقود is also "contracts"
            # a bare plural: not when it heads a construct (أيام الأسبوع) or is a number's noun
            if self.next_word(end).startswith("ال"):
                return None
        if self._is_age(start, unit, end) and not vague:
            return None
        nm = self.lex.num_re.match(s)
        if nm is not None and nm.group("x").strip() in ("عشر", "احد", "احدي", "ست"):
            return None  # ordinal tails (التاسع عشر قرنا) and words that are rarely numbers
        return start, end, "duration", self._duration_value(None if vague else n, unit), True, None

    def r_cued(self, s, start, end, m):
        a, b = m.span("cued_d")
        return self.r_duration(self.t[a:b], a, b, m)

    def r_since(self, s, start, end, m):
        a, b = m.span("since_d")
        return self.r_duration(self.t[a:b], a, b, m)

    def r_durrange(self, s, start, end, m):
        a, b = m.span("dr2")
        first_end = a
        while first_end > start and not self.t[first_end - 1].isspace():
            first_end -= 1
        first_end = len(self.t[start:first_end].rstrip()) + start
        words = self.t[start:first_end].split()
        if words and words[-1] in ("او", "الي", "حتي"):
            first_end = start + len(" ".join(self.t[start:first_end].split()[:-1]))
            first_end = start + len(self.t[start:first_end].rstrip())
        r1 = self.r_duration(self.t[start:first_end], start, first_end, m)
        if r1 is None:
            return None
        _, unit, _ = self._count_unit(self.t[start:first_end])
        v2 = parse_number(self.t[a:b])
        if v2 is None or unit is None:
            return r1
        return [r1, (a, b, "duration", self._duration_value(v2, unit), True, None)]

    def r_durrev(self, s, start, end, m):
        a, b = m.span("dr1")
        c, d = m.span("dr3")
        r2 = self.r_duration(self.t[c:d], c, d, m)
        if r2 is None:
            return None
        _, unit, _ = self._count_unit(self.t[c:d])
        v1 = parse_number(self.t[a:b])
        if v1 is None or unit is None:
            return r2
        return [(a, b, "duration", self._duration_value(v1, unit), True, None), r2]

    def r_set(self, s, start, end, m):
        key = " ".join(_WORD.findall(s))
        return start, end, "set", self.lex.sets.get(key, "P1D"), True, None
