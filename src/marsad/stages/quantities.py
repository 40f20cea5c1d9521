"""Figures: numbers that count or measure something, with value, unit and qualifier.

One precompiled regular expression finds number expressions on the normalised view (digits
with ``,`` ``.`` ``٬`` ``٫`` separators or the Saudi ``15ر3``, number words, multipliers,
digits glued to words as in ``300مليون``), with a following currency or percent word inside the
span. The counted noun after the number becomes the ``unit`` (outside the span);
approximation words before it (``حوالي``, ``نحو``, ``أكثر من`` …) become the ``qualifier``.

Not figures: anything inside a temporal expression (years, dates, times, durations — the
``dates`` layer runs first), phone numbers, numbers that label something (``الدقيقة 82``,
``بوينغ 737``), and anything outside content blocks. Word lists are in
``resources/ar/figures.json`` and ``numbers.json``.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise
from typing import Any

from marsad.core.article import CONTENT_KINDS, Article
from marsad.core.protocols import Stage
from marsad.core.settings import Settings
from marsad.text.normalize import normalize_text
from marsad.text.numbers import L, R, alternation, load_resource, number_words, parse_number


@dataclass(slots=True)
class Quantity:
    start: int
    end: int
    value: float | None
    unit: str | None = None
    unit_kind: str = "count"
    qualifier: str | None = None
    unit_start: int | None = None
    unit_end: int | None = None

    def to_json(self, article: Article) -> dict[str, Any]:
        v = self.value
        if v is not None and float(v).is_integer():
            v = int(v)
        return {
            "start": self.start,
            "end": self.end,
            "text": article.text[self.start : self.end],
            "value": v,
            "unit": self.unit,
            "unit_kind": self.unit_kind,
            "qualifier": self.qualifier,
            "unit_start": self.unit_start,
            "unit_end": self.unit_end,
        }


@dataclass(frozen=True)
class FigLexicon:
    pattern: re.Pattern[str]
    currencies: frozenset[str]
    measures: frozenset[str]
    not_units: frozenset[str]
    not_before: frozenset[str]
    index_words: frozenset[str]
    qualifiers: list[tuple[tuple[str, ...], str]]  # word sequences (normalised), label
    after_qualifiers: list[tuple[tuple[str, ...], str]]
    lone_words: frozenset[str]
    multipliers: dict[str, int]
    #: qualifiers by their last word (a one-word qualifier may carry a proclitic: بنحو)
    qual_by_last: dict[str, list[tuple[tuple[str, ...], str]]]
    after_words: frozenset[str]


def _norm_set(words) -> frozenset[str]:
    return frozenset(normalize_text(w) for w in words)


@lru_cache(maxsize=1)
def lexicon() -> FigLexicon:
    fig = load_resource("figures.json")
    nw = number_words()
    cur = alternation(fig["currencies"])
    pct = alternation([p for p in fig["percent"] if p != "%"])
    vague_counts = alternation(load_resource("numbers.json")["vague_counts"])
    tail = rf"(?P<tail>\s*%|\s*(?:{pct}){R}|\s*(?:{cur}){R}(?:\s+(?:امريكي|اميركي|استرليني){R})?)?"
    pattern = re.compile(
        rf"{L}(?:[وفبل]|وب|ول|لل)?"
        rf"(?:(?P<n>{nw.pattern}){tail}|(?P<vc>(?:{vague_counts}){R})(?=\s+[^\W\d_])"
        rf"|(?<=[^\W\d_]\s)(?P<dn>ال(?:{alternation(fig['definite_numbers'])})){R})"
    )

    def seqs(table: dict[str, list[str]]) -> list[tuple[tuple[str, ...], str]]:
        out = [(tuple(normalize_text(w).split()), label) for label, ws in table.items() for w in ws]
        return sorted(out, key=lambda x: -len(x[0]))

    quals = seqs(fig["qualifiers"])
    by_last: dict[str, list[tuple[tuple[str, ...], str]]] = {}
    for seq, label in quals:
        by_last.setdefault(seq[-1], []).append((seq, label))
    after = seqs(fig["qualifiers_after"])
    return FigLexicon(
        qual_by_last=by_last,
        after_words=frozenset(w for seq, _ in after for w in seq),
        pattern=pattern,
        currencies=_norm_set(fig["currencies"]),
        measures=_norm_set(fig["measures"]),
        not_units=_norm_set(fig["not_units"]),
        not_before=_norm_set(fig["not_figure_before"]),
        index_words=_norm_set(fig["index_words"]),
        qualifiers=quals,
        after_qualifiers=after,
        lone_words=_norm_set(["احد", "احدي", "واحد", "واحده", "واحدا", "ست", "عشر"]),
        multipliers={**nw.mult, **nw.plural},
    )


_WORDS_BEFORE = re.compile(r"[^\W\d_]+|\d+")
_NEXT = re.compile(r"[ \t\u00a0]*(?:[»\"”)\]][ \t\u00a0]*)?(\(|«)?[ \t]*([^\W\d_]+)")
_PREV_NOUN = re.compile(r"(?<![^\W_])(?:[وفبل]|لل)?(ال[^\W\d_]{2,})\s+$")
_PHONE = re.compile(r"^(?:\+|00|0)\d{6,}$|^\d{8,}$")
_LATIN = re.compile(r"[A-Za-z]")


def _prev_words(t: str, pos: int, n: int = 4) -> list[str]:
    return _WORDS_BEFORE.findall(t, max(0, pos - 40), pos)[-n:]


def _strip_clitic(w: str) -> str:
    for p in ("وب", "ول", "فب", "و", "ب", "ف", "ل"):
        if w.startswith(p) and len(w) - len(p) >= 3:
            return w[len(p) :]
    return w


def extract_quantities(
    article: Article, blocked: list[tuple[int, int]] | None = None
) -> list[Quantity]:
    """Figures in the article's content blocks, skipping the spans in ``blocked`` (original)."""
    lex = lexicon()
    norm = article.norm
    t = norm.text
    blocks = [(b.start, b.end) for b in article.blocks if b.kind in CONTENT_KINDS]
    if not article.blocks:
        blocks = [(0, len(article.text))]
    # temporal spans in normalised offsets, sorted
    spans = sorted(norm.to_normalized(s, e) for s, e in (blocked or []))
    bstarts = [s for s, _ in spans]
    out: list[Quantity] = []
    for bs, be in blocks:
        ns, ne = norm.to_normalized(bs, be)
        for m in lex.pattern.finditer(t, ns, ne):
            q = _resolve(m, t, lex, spans, bstarts)
            if q is None:
                continue
            s, e, value, kind, qual, us, ue = q
            os_, oe = norm.to_original(s, e)
            unit = None
            ous = oue = None
            if us is not None:
                ous, oue = norm.to_original(us, ue)
                unit = article.text[ous:oue]
            out.append(Quantity(os_, oe, value, unit, kind, qual, ous, oue))
    _share_units(article, out, lex)
    return out


_RANGE_GAP = re.compile(r"\s*\)?\s*(?:و|او|الي|حتي|-|–)\s*\(?\s*$")


def _share_units(article: Article, items: list[Quantity], lex: FigLexicon) -> None:
    """In a range (``بين 60 و100 مليون دولار``, ``(17 - 25) سنة``) the first number takes the
    second one's unit, and its multiplier when it has none of its own."""
    text = article.text
    for a, b in pairwise(items):
        if a.unit is not None or b.unit is None or b.start - a.end > 8:
            continue
        gap = text[a.end : b.start]
        if not (_RANGE_GAP.match(normalize_text(gap)) or re.fullmatch(r"\s*ـ+\s*", gap)):
            continue
        a.unit, a.unit_start, a.unit_end, a.unit_kind = (
            b.unit,
            b.unit_start,
            b.unit_end,
            b.unit_kind,
        )
        nb = normalize_text(text[b.start : b.end])
        na = normalize_text(text[a.start : a.end])
        if a.value is not None and b.value is not None and na.replace(".", "").isdigit():
            for w, mult in lex.multipliers.items():
                if w in nb.split():
                    a.value *= mult
                    break


def _overlaps(s: int, e: int, spans: list[tuple[int, int]], starts: list[int]) -> bool:
    """Whether ``[s, e)`` overlaps one of the (sorted, non-overlapping) blocked spans."""
    i = bisect_right(starts, e - 1) - 1
    return i >= 0 and spans[i][1] > s


def _resolve(m: re.Match, t: str, lex: FigLexicon, spans, starts):
    if m.group("dn") is not None:
        # a definite number after a definite noun: the noun is the unit (الوزراء الخمسة)
        s, e = m.span("dn")
        pm = _PREV_NOUN.search(t, max(0, s - 30), s)
        if pm is None or pm.group(1) in lex.not_units or _overlaps(s, e, spans, starts):
            return None
        value = parse_number(t[s + 2 : e])
        return s, e, value, "count", None, pm.start(1), pm.end(1)
    if m.group("vc") is not None:
        s, e = m.span("vc")
        if _overlaps(s, e, spans, starts):
            return None
        nm = _NEXT.match(t, e)
        if nm is None:
            return None
        w = nm.group(2)
        if w in lex.not_units:
            return None
        return s, e, None, "count", _qualifier(t, s, e, lex), nm.start(2), nm.end(2)
    s, e = m.span("n")
    core = t[s:e]
    ts, te = m.span("tail")
    end = te if ts >= 0 and te > ts else e
    if _overlaps(s, end, spans, starts):
        return None
    if core in lex.lone_words and ts < 0:
        return None
    if core.isdigit() and _PHONE.match(core):
        return None
    before = t[max(0, s - 6) : s]
    if re.search(r"(?:\d{3,}|\+)[\s\-/]?$", before) or (
        len(core) >= 3 and core.isdigit() and re.search(r"\d[\s\-/]$", before)
    ):
        return None  # a phone number or code split by spaces/dashes
    if re.search(r"[A-Za-z][\-\s]?$", before) or _LATIN.match(t[e : e + 1]):
        return None  # F-16, G20, model numbers
    if re.match(r"\s?[\-/]\s?\d{3,}", t[end : end + 6]) and core.isdigit() and len(core) >= 3:
        return None
    prev = _prev_words(t, s, 4)
    if prev and (prev[-1] in lex.not_before or _strip_clitic(prev[-1]) in lex.not_before):
        return None
    if prev and prev[-1] == "و":
        prev = prev[:-1]
    if len(prev) >= 2 and prev[-1].isdigit() and prev[-2] in lex.not_before:
        return None  # the second of two labels: "الدقيقتين 35 و50"
    value = parse_number(core)
    if ts >= 0 and te > ts:
        tail = t[ts:te].strip()
        us = ts + (len(t[ts:te]) - len(t[ts:te].lstrip()))
        kind = "percent" if tail == "%" or "مي" in tail or "ماي" in tail else "currency"
        return s, end, value, kind, _qualifier(t, s, end, lex), us, te
    if t[max(0, s - 1) : s] == "%" or t[max(0, s - 2) : s] == "% ":
        p = t.rfind("%", max(0, s - 2), s)
        return p, e, value, "percent", _qualifier(t, p, e, lex), p, p + 1
    nm = _NEXT.match(t, e)
    us = ue = None
    kind = "count"
    if nm is not None and not nm.group(1):
        w = nm.group(2)
        if w not in lex.not_units and _strip_clitic(w) not in lex.not_units:
            us, ue = nm.start(2), nm.end(2)
            if w in lex.measures:
                kind = "measure"
                if w in ("نقطه", "نقاط"):
                    ctx = set(_prev_words(t, s, 8))
                    kind = "measure" if ctx & lex.index_words else "count"
    return s, e, value, kind, _qualifier(t, s, e, lex), us, ue


def _qualifier(t: str, s: int, e: int, lex: FigLexicon) -> str | None:
    words = _prev_words(t, s, 4)
    if words:
        last = words[-1]
        cands = lex.qual_by_last.get(last) or lex.qual_by_last.get(_strip_clitic(last))
        for seq, label in cands or ():
            n = len(seq)
            if len(words) < n:
                continue
            tail = words[-n:]
            if tuple(tail[1:]) == seq[1:] and (
                tail[0] == seq[0] or _strip_clitic(tail[0]) == seq[0]
            ):
                return label
    after = _WORDS_BEFORE.findall(t, e, min(len(t), e + 30))[:3]
    if after and not (set(after) & lex.after_words):
        return None
    for seq, label in lex.after_qualifiers:
        n = len(seq)
        for k in range(0, 2):
            if tuple(after[k : k + n]) == seq:
                return label
    return None


def quantities_stage(article: Article, settings: Settings) -> Article:
    blocked = [(d.start, d.end) for d in article.layers.get("dates", [])]
    article.layers["quantities"] = extract_quantities(article, blocked)
    return article


STAGE = Stage(
    "quantities",
    quantities_stage,
    requires=("blocks", "sentences", "tokens"),
    assigns=("quantities",),
    uses=("dates",),  # a number inside a date is not a figure
)
