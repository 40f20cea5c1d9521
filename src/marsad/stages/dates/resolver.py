"""The :class:`Resolver`: one regex match to a :class:`~marsad.stages.dates.items.TimeExpr`
value; resolves the expressions relative to the publication date (``أمس``, ``الجمعة الماضية``,
``قبل أسبوع``, ``الشهر الماضي``) itself and the others through its parts, ``absolute.py`` and
``durations.py``."""

from __future__ import annotations

import re
from datetime import date, timedelta

from marsad.stages.dates.absolute import AbsoluteDates
from marsad.stages.dates.base import _DIGITS, _WORD
from marsad.stages.dates.durations import TimesAndDurations


class Resolver(AbsoluteDates, TimesAndDurations):
    """Turns one regex match into a :class:`TimeExpr` (or None to drop it).

    ``resolve`` calls the method ``r_<kind>`` for the match's kind of expression: those for
    expressions relative to the publication date are here, the others in
    :class:`AbsoluteDates` and :class:`TimesAndDurations`.
    """

    # -- resolution by kind ----------------------------------------------------------------
    def resolve(self, kind: str, s: str, start: int, end: int, m: re.Match) -> tuple | None:
        """Return ``(start, end, kind, value, resolved, reason)`` or None."""
        fn = getattr(self, "r_" + kind)
        return fn(s, start, end, m)

    def r_curday(self, s, start, end, m):
        if self.pub is None:
            return (start, end, "date", None, False, *self.need_pub()[2:])
        d = int(_DIGITS.search(s).group())
        try:
            return start, end, "date", self.pub.replace(day=d).isoformat(), True, None
        except ValueError:
            return None

    def r_dayrange(self, s, start, end, m):
        a, b = m.span("drd")
        c, d = m.span("drt")
        tail = self.t[c:d]
        r2 = self.r_greg(tail, c, d, m) if self._month_of(tail) else self.r_curday(tail, c, d, m)
        if r2 is None:
            return None
        v = r2[3]
        day = int(self.t[a:b])
        v1 = None
        if v and len(v) == 10:
            try:
                v1 = date.fromisoformat(v).replace(day=day).isoformat()
            except ValueError:
                return [r2]
        return [(a, b, "date", v1, v1 is not None, None if v1 else r2[5]), r2]

    def r_relday(self, s, start, end, m):
        words = _WORD.findall(s)
        if words[-1] == "اليوم" or (words[0] == "اليوم" and len(words) == 1):
            nxt = self.next_word(end)
            if nxt in self.lex.today_not:
                return None
        if self.pub is None:
            return (start, end, "date", None, False, *self.need_pub()[2:])
        if "اول" in words:
            off = -2
        elif "بعد" in words:
            off = 2
        elif "امس" in words or "البارحه" in words or "الامس" in words:
            off = -1
        elif "غدا" in words or "غد" in words or "الغد" in words:
            off = 1
        else:
            off = 0
        return start, end, "date", (self.pub + timedelta(days=off)).isoformat(), True, None

    def r_weekday(self, s, start, end, m):
        wm = self.lex.weekday_re.search(s)
        if wm is None:
            return None
        wd = self.lex.weekdays[wm.group()]
        if self.pub is None:
            return (start, end, "date", None, False, *self.need_pub()[2:])
        rel = self.rel_of(s[wm.end() :])
        pub_wd = self.pub.isoweekday()
        if rel is None and self.prev_word(start) in ("هذا", "وهذا"):
            rel = "future"  # هذا الأحد: the coming one
        if rel == "future" or (rel is None and self.future_context(start)):
            delta = (wd - pub_wd) % 7 or 7
            d = self.pub + timedelta(days=delta)
        elif rel == "past":
            delta = (pub_wd - wd) % 7 or 7
            d = self.pub - timedelta(days=delta)
        else:
            d = self.pub - timedelta(days=(pub_wd - wd) % 7)
        return start, end, "date", d.isoformat(), True, None

    def r_relperiod(self, s, start, end, m):
        words = _WORD.findall(s)
        if "الشهر" in words:
            return self._rel_month(s, start, end)
        if "الاسبوع" in words:
            return self._rel_week(s, start, end)
        season = next((self.lex.seasons[w] for w in words if w in self.lex.seasons), None)
        y = self._period_year(s)
        if y is None:
            return (start, end, "date", None, False, *self.need_pub()[2:])
        if season:
            y = self._season_year(season, s)
            return start, end, "date", f"{y}-{season}", True, None
        return start, end, "date", str(y), True, None

    def _season_year(self, season: str, s: str) -> int:
        """The year of a season named relative to the publication date."""
        assert self.pub is not None
        first = {"SP": 3, "SU": 6, "FA": 9, "WI": 12}[season]
        last = {"SP": 5, "SU": 8, "FA": 11, "WI": 14}[season]
        rel = self.rel_of(s)
        y, mo = self.pub.year, self.pub.month
        if rel == "future":
            return y if mo < first else y + 1
        if rel == "past":
            return y if mo > last else y - 1
        return y

    def r_bareweek(self, s, start, end, m):
        """``الأسبوع`` alone after a verb of ending/trading (أنهى المؤشر الأسبوع): this week."""
        words = _WORD.findall(self.t[max(0, start - 40) : start])[-3:]
        cues = self.lex.week_cues
        if not any(w in cues or (w[:1] in "وف" and w[1:] in cues) for w in words):
            return None
        return self._rel_week(s, start, end)

    def r_offset(self, s, start, end, m):
        nxt = self.next_word(end)
        words = _WORD.findall(s)
        rest = s[len(words[0]) :].lstrip()
        a = end - len(rest)
        if nxt in ("من", "علي", "علی"):
            return self.r_duration(rest, a, end, m)
        n, unit, vague = self._count_unit(rest)
        if unit is None:
            return None
        if vague or n is None:
            return start, end, "date", None, False, "vague offset from the publication date"
        if self.pub is None:
            return (start, end, "date", None, False, *self.need_pub()[2:])
        sign = -1 if words[0] == "قبل" else 1
        k = int(n * sign)
        if unit == "D":
            return start, end, "date", (self.pub + timedelta(days=k)).isoformat(), True, None
        if unit == "W":
            return start, end, "date", (self.pub + timedelta(weeks=k)).isoformat(), True, None
        if unit == "M":
            y, mo = self.pub.year, self.pub.month + k
            while mo < 1:
                y, mo = y - 1, mo + 12
            while mo > 12:
                y, mo = y + 1, mo - 12
            return start, end, "date", f"{y}-{mo:02d}", True, None
        if unit == "Y":
            if abs(k) > 3000:
                return start, end, "date", None, False, "too far in the past for a calendar year"
            return start, end, "date", str(self.pub.year + k), True, None
        return self.r_duration(rest, a, end, m)
