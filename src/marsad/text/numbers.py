"""Numbers written in digits or Arabic words: a regular expression and a value parser.

Both work on the normalised view (:mod:`marsad.text.normalize`: Arabic-Indic digits are ASCII,
``٫`` is ``.``, ``٬`` is ``,``). The words are data (``resources/ar/numbers.json``).

- digits: ``1500``, ``1,500,000``, ``2.5``, ``2,5``, and the Saudi wire form ``15ر3`` (= 3.15:
  the part after ``ر`` is the integer part);
- words: ``ثلاثة``, ``خمسة وعشرون``, ``ثلاثمائة``, ``ألفان وخمسمائة``, ``اثنا عشر``;
- digits with multiplier words: ``150 ألف``, ``2.5 مليار``, ``300مليون``, ``39 ألفا و225``.

:func:`parse_number` returns ``None`` for vague magnitudes (``عشرات``, ``آلاف`` alone).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from marsad.text.normalize import normalize_text

# Left/right word edges that also work next to digits ("300مليون").
L = r"(?<![^\W_])"
R = r"(?![^\W_])"
DIGITS = r"\d+(?:ر\d+|(?:[.,]\d+)+)?"


def load_resource(name: str) -> dict:
    """A JSON resource from ``resources/ar`` (cached by the callers)."""
    return json.loads(resources.files("marsad.resources.ar").joinpath(name).read_text("utf-8"))


def alternation(words) -> str:
    """A regex alternation of normalised words (a trie: longest match first); spaces match any
    whitespace."""
    ws = {normalize_text(w) for w in words if w}
    return trie_regex(ws)


@dataclass(frozen=True)
class NumberWords:
    small: dict[str, int]  # units, tens, hundreds
    teen: frozenset[str]
    mult: dict[str, int]
    dual: dict[str, int]
    plural: dict[str, int]
    vague: frozenset[str]
    #: one number expression, digits or words (callers put a left word edge before it)
    pattern: str


@lru_cache(maxsize=1)
def number_words() -> NumberWords:
    d = load_resource("numbers.json")

    def norm(m: dict) -> dict:
        return {normalize_text(k): v for k, v in m.items()}

    small = {**norm(d["units"]), **norm(d["tens"]), **norm(d["hundreds"])}
    mult, dual, plural = (
        norm(d["multipliers"]),
        norm(d["dual_multipliers"]),
        norm(d["plural_multipliers"]),
    )
    vague = frozenset(normalize_text(w) for w in d["vague"])
    word = alternation([*small, *mult, *dual, *plural, *vague])
    multw = alternation([*mult, *dual, *plural])
    # a word number: number words joined by spaces or "و"
    wnum = rf"(?:{word}){R}(?:\s+و?(?:{word}){R})*"
    # a digit number, optionally glued or spaced to a multiplier, and "39 ألفا و225"
    dnum = (
        rf"{DIGITS}(?![\d])(?:\s*(?:{multw}){R}"
        rf"(?:\s+و\s?(?:{DIGITS}|(?:{word}){R})(?:\s*(?:{multw}){R})?)*)?"
    )
    return NumberWords(
        small=small,
        teen=frozenset(normalize_text(w) for w in d["teen"]),
        mult=mult,
        dual=dual,
        plural=plural,
        vague=vague,
        pattern=f"(?:{dnum}|{wnum})",
    )


_PIECE = re.compile(rf"{DIGITS}|[^\W\d_]+")


def parse_digits(s: str) -> float:
    """``1,500`` → 1500, ``2.5``/``2,5`` → 2.5, ``15ر3`` → 3.15."""
    if "ر" in s:
        frac, whole = s.split("ر", 1)
        return float(f"{whole}.{frac}")
    if "," in s and "." in s:
        # the separator that comes last is the decimal point, the other groups thousands
        dec, group = (".", ",") if s.rfind(".") > s.rfind(",") else (",", ".")
        t = s.replace(group, "")
        if t.count(dec) > 1:  # ill-formed (2.515,302.5): every separator groups digits
            t = t.replace(dec, "")
        return float(t.replace(",", "."))
    if "," in s:
        parts = s.split(",")
        if all(len(p) == 3 for p in parts[1:]) and len(parts[0]) <= 3:
            return float(s.replace(",", ""))
        return float(s.replace(",", ".", 1).replace(",", ""))
    if s.count(".") > 1:
        return float(s.replace(".", ""))
    return float(s)


def parse_digits_alone(s: str) -> float:
    """Like :func:`parse_digits`, but ``20.000`` (no multiplier after it) is twenty thousand."""
    head, _, tail = s.partition(".")
    if tail and len(tail) == 3 and head.isdigit() and tail.isdigit() and head != "0":
        return float(head + tail)
    return parse_digits(s)


def parse_number(expr: str) -> float | None:
    """The value of a normalised number expression; ``None`` when it is only a vague magnitude."""
    nw = number_words()
    total = 0.0
    current = 0.0
    seen_value = False
    prev_small = False
    pieces = _PIECE.findall(expr)
    for piece in pieces:
        w = piece
        if w[0].isdigit():
            current += parse_digits_alone(w) if len(pieces) == 1 else parse_digits(w)
            seen_value = True
            prev_small = True
            continue
        if w not in nw.small and w not in nw.mult and w not in nw.dual and w not in nw.plural:
            if w.startswith("و") and len(w) > 1:
                w = w[1:]
        if w in nw.teen and prev_small and 0 < current % 10 < 10 and current < 10:
            current += 10
        elif w in nw.small:
            v = nw.small[w]
            if v == 100 and 0 < current < 10:
                current *= 100
            else:
                current += v
            seen_value = True
            prev_small = True
            continue
        elif w in nw.mult:
            current = (current or 1) * nw.mult[w]
            total += current
            current = 0.0
            seen_value = True
        elif w in nw.dual:
            total += (current or 1) * 2 * nw.dual[w] if current == 0 else current * nw.dual[w]
            current = 0.0
            seen_value = True
        elif w in nw.plural:
            if current:
                total += current * nw.plural[w]
                current = 0.0
            else:
                return None if not total else total
        elif w in nw.vague:
            return None
        prev_small = False
    if not seen_value:
        return None
    return total + current


def trie_regex(words) -> str:
    """A regex alternation of ``words`` arranged as a trie (fast in Python's ``re``)."""
    trie: dict = {}
    for w in words:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict) -> str:
        end = "" in node
        branches = [
            (r"\s+" if ch == " " else re.escape(ch)) + build(sub)
            for ch, sub in sorted(node.items())
            if ch
        ]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if end:
            return f"(?:{body})?"
        return body

    return build(trie)
