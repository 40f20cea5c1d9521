"""Light clitic analysis of one token: conjunction, preposition, future marker, article, suffix.

Arabic attaches و ف ب ل ك س and the article ال to the word, and pronouns to its end
(والحكومة = و + ال + حكومة; حكومتها = حكومة + ها). The lists are data
(``resources/ar/clitics.json``). Analysis never changes the token's span; it gives the stem
used for matching and search. It is deliberately conservative: a clitic is stripped only
when a stem of ``min_stem`` letters remains, so short words are left alone.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources


@dataclass(frozen=True, slots=True)
class Analysis:
    prefixes: tuple[str, ...]
    stem: str
    suffix: str | None

    @property
    def has_article(self) -> bool:
        return "ال" in self.prefixes


@lru_cache(maxsize=1)
def _lexicon() -> dict:
    return json.loads(
        resources.files("marsad.resources.ar").joinpath("clitics.json").read_text("utf-8")
    )


@lru_cache(maxsize=200_000)
def analyse(norm: str, strip_suffix: bool = False) -> Analysis:
    """Analyse a normalised token. Pronoun suffixes are only stripped when ``strip_suffix``
    (they are ambiguous with stem letters; the prefix analysis is reliable on its own)."""
    lex = _lexicon()
    k = lex["min_stem"]
    prefixes: list[str] = []
    w = norm
    if len(w) > k + 1 and w[0] in lex["conjunctions"]:
        prefixes.append(w[0])
        w = w[1:]
    if w.startswith(lex["lam_article"]) and len(w) > k + 2:
        prefixes += ["ل", "ال"]
        w = w[2:]
    else:
        if len(w) > k + 1 and w[0] in lex["prepositions"] and w[1:3] == "ال":
            prefixes.append(w[0])
            w = w[1:]
        elif len(w) > k + 1 and w[0] in lex["future"] and w[1:2] in ("ي", "ت", "ن", "ا"):
            prefixes.append(w[0])
            w = w[1:]
        if w.startswith("ال") and len(w) > k + 2:
            prefixes.append("ال")
            w = w[2:]
    suffix = None
    if strip_suffix and "ال" not in prefixes:
        for s in lex["suffixes"]:
            if w.endswith(s) and len(w) - len(s) >= k + 1:
                suffix = s
                w = w[: -len(s)]
                break
    return Analysis(tuple(prefixes), w, suffix)
