"""Search terms of Arabic text: the words of a passage, each with a normalised and a stem form.

The index and the query go through the same functions, so they always agree:

* the *word* form is the normalised view (``marsad.text.normalize``: diacritics, tatweel,
  alef/hamza/yaa/taa-marbuta variants folded), lower-cased, with the spelling variants of
  ``resources/ar/search.json`` rewritten to one canonical spelling (الأميركية → الامريكيه);
* the *stem* form removes proclitics and the article (``marsad.text.clitics.analyse``) and then
  one plural/feminine suffix (rules in ``search.json``), so والحكومات, الحكومة and حكومته's
  stem-mates match each other.

Words are found on the normalised text of a passage and mapped back to the ORIGINAL text with
the normalised view's offset map, so highlights are exact original spans.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from marsad.text.clitics import analyse
from marsad.text.normalize import normalize, normalize_text

WORD = re.compile(r"\w+")


@lru_cache(maxsize=1)
def _rules() -> dict:
    return json.loads(
        resources.files("marsad.resources.ar").joinpath("search.json").read_text("utf-8")
    )


@lru_cache(maxsize=500_000)
def word_form(norm_word: str) -> str:
    """Canonical spelling of a normalised word (lower case, spelling variants rewritten)."""
    w = norm_word.lower()
    for src, dst in _rules()["variants"]:
        if src in w:
            w = w.replace(src, dst)
    return w


@lru_cache(maxsize=500_000)
def stem_form(norm_word: str) -> str:
    """Light stem: clitics and the article removed, then one plural/feminine suffix."""
    w = word_form(norm_word)
    stem = analyse(w).stem
    rules = _rules()
    k = rules["min_stem"]
    for suf in rules["suffixes"]:
        if stem.endswith(suf) and len(stem) - len(suf) >= k:
            return stem[: -len(suf)]
    return stem


def terms_of_norm(norm_text: str) -> tuple[list[str], list[str]]:
    """Word forms and stem forms of an already normalised text (for the index)."""
    words = [word_form(m) for m in WORD.findall(norm_text)]
    return words, [stem_form(w) for w in words]


def name_key(name: str) -> str:
    """A name as a lookup key: normalised word forms joined by one space (for entity names)."""
    return " ".join(word_form(w) for w in WORD.findall(normalize_text(name)))


@dataclass(frozen=True, slots=True)
class QueryTerm:
    text: str
    word: str
    stem: str


def query_terms(query: str) -> list[QueryTerm]:
    """The words of a user query, normalised like the index (duplicates dropped)."""
    out: list[QueryTerm] = []
    seen = set()
    for raw in WORD.findall(normalize_text(query)):
        w = word_form(raw)
        if w in seen:
            continue
        seen.add(w)
        out.append(QueryTerm(raw, w, stem_form(w)))
    return out


def matches(text: str, terms: list[QueryTerm]) -> Iterator[tuple[int, int]]:
    """Original-text spans of the words of ``text`` that match a query term (word or stem)."""
    if not terms:
        return
    words = {t.word for t in terms}
    stems = {t.stem for t in terms}
    n = normalize(text)
    for m in WORD.finditer(n.text):
        w = word_form(m.group())
        if w in words or stem_form(w) in stems:
            yield n.to_original(m.start(), m.end())
