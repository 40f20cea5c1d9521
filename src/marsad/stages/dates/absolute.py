"""Resolving dates named by their calendar: full dates (Gregorian, Hijri, numeric), months,
years, halves and edges of a year or month (``نهاية العام``)."""

from __future__ import annotations

import re
from datetime import date

from marsad.stages.dates.base import _DIGITS, _WORD, ResolverBase
from marsad.stages.dates.lexicon import _not_year_after


class AbsoluteDates(ResolverBase):
    """The ``r_<kind>`` methods for dates written with a day, month or year."""

    # -- resolution by kind ----------------------------------------------------------------
    def r_numdate(self, s, start, end, m):
        nums = [int(x) for x in _DIGITS.findall(s)]
        if len(nums) < 3:
            return None
        if nums[0] >= 1000:
            y, mo, d = nums[0], nums[1], nums[2]
        else:
            d, mo, y = nums[-3], nums[-2], nums[-1]
        if y < 1600:
            return self._hijri(y, mo, d, start, end)
        try:
            return start, end, "date", date(y, mo, d).isoformat(), True, None
        except ValueError:
            return None

    def _hijri(self, y, mo, d, start, end):
        try:
            from hijridate import Hijri

            g = Hijri(y, mo, d).to_gregorian()
            return start, end, "date", date(g.year, g.month, g.day).isoformat(), True, None
        except Exception:
            return start, end, "date", None, False, "Hijri date out of the convertible range"

    def r_hijri(self, s, start, end, m):
        hm = self.lex.hijri_re.search(s)
        month = self.lex.hijri[hm.group()]
        nums = [int(x) for x in _DIGITS.findall(s)]
        day = nums[0] if nums else None
        year = next((n for n in nums[1:] if n > 1000), None)
        if day is None or not 1 <= day <= 30:
            return None
        if year is None:
            return start, end, "date", None, False, "Hijri date without a year"
        return self._hijri(year, month, day, start, end)

    def r_greg(self, s, start, end, m):
        month = self._month_of(s)
        nums = [int(x) for x in _DIGITS.findall(s)]
        day = next((n for n in nums if n <= 31), None)
        year = next((n for n in nums if n >= 1900), None)
        if month is None or day is None or not 1 <= day <= 31:
            return None
        if year is None and ("العام" in s or "السنه" in s):
            year = self._period_year(s)
        if year is None:
            rel = self.rel_of(s) or ("past" if self.prev_word(start) == "منذ" else None)
            year = self._rel_year(month, rel)
            if year is None:
                return (
                    start,
                    end,
                    "date",
                    f"XXXX-{month:02d}-{day:02d}",
                    False,
                    ("date without a year and no known publication date"),
                )
        try:
            return start, end, "date", date(year, month, day).isoformat(), True, None
        except ValueError:
            return None

    def r_monyear(self, s, start, end, m):
        month = self._month_of(s)
        y = self._year_of(s)
        if month is None or y is None:
            return None
        return start, end, "date", f"{y}-{month:02d}", True, None

    def r_month(self, s, start, end, m, edge: bool = False):
        mm = self.lex.month_re.search(s)
        if mm is None:
            return None
        name = mm.group()
        month = self.lex.months[name]
        rel = self.rel_of(s)
        if rel is None and self.prev_word(start) == "منذ":
            rel = "past"
        supported = (
            edge
            or rel is not None
            or s.startswith("شهر")
            or len(self.lex.month_re.findall(s)) > 1
            or self._year_of(s) is not None
        )
        if not supported and name in self.lex.ambiguous:
            return None  # مارس "practised", آب "father", نيسان the carmaker
        y = self._year_of(s)
        if y is None and ("العام" in s or "السنه" in s):
            y = self._period_year(s)
        if y is None:
            y = self._rel_year(month, rel)
        if y is None:
            return start, end, "date", f"XXXX-{month:02d}", False, self.need_pub()[2]
        return start, end, "date", f"{y}-{month:02d}", True, None

    def r_hmonth(self, s, start, end, m):
        return start, end, "date", None, False, "Hijri month without a day"

    def r_year(self, s, start, end, m):
        y = self._year_of(s)
        has_head = not s[0].isdigit()
        if has_head and y is not None and 1300 <= y < 1500:
            return start, end, "date", None, False, "probably a Hijri year (no Gregorian value)"
        if y is None or not (1900 <= y <= 2099 or (has_head and 1500 <= y <= 2099)):
            return None
        if not has_head:
            # a bare number that looks like a year: not when it counts or measures something
            prev = self.t[max(0, start - 2) : start]
            if re.search(r"[\d.,:/]\s?$", prev):
                return None
            nxt = self.next_word(end)
            if nxt in _not_year_after() or nxt.startswith(("دولار", "ريال", "شخص", "مليون")):
                return None
            if self.t[end : end + 1] in "%.,:/" and self.t[end : end + 2][1:2].isdigit():
                return None
        return start, end, "date", str(y), True, None

    def r_hyear(self, s, start, end, m):
        return start, end, "date", None, False, "Hijri year (no Gregorian equivalent as one value)"

    def r_half(self, s, start, end, m):
        hw = " ".join(_WORD.findall(s)[:2])
        key = hw if hw in self.lex.halves else None
        if key is None:
            return None
        part = self.lex.halves[key]
        y = self._year_of(s) or self._period_year(s)
        if y is None:
            return (start, end, "date", None, False, *self.need_pub()[2:])
        return start, end, "date", f"{y}-{part}", True, None

    def r_edge(self, s, start, end, m):
        words = _WORD.findall(s)
        if self._month_of(s) is not None:
            return self.r_month(s, start, end, m, edge=True)
        y = self._year_of(s)
        if any(w in ("الشهر", "شهر") for w in words):
            return self._rel_month(s, start, end)
        if "الاسبوع" in words:
            return self._rel_week(s, start, end)
        if "الموسم" in words and y is None:
            return None
        if y is None:
            if "عام" in words and not self.rel_of(s):
                return None  # "نهاية عام" without a year: not a date on its own
            y = self._period_year(s)
            if y is None:
                return (start, end, "date", None, False, *self.need_pub()[2:])
        return start, end, "date", str(y), True, None
