"""Reading the NER corpora and mapping their tags to PER, ORG, LOC, MISC (IOB2).

Formats (all one token per line, blank line between sentences):

* ANERcorp (``token TAG``): tags B/I-PERS, LOC, ORG, MISC; PERS → PER.
* NewsFANE / WikiFANE (``token<TAB>TAG``, CRLF, U+200E before most tokens, a BOM): 50
  fine-grained classes, mapped by :data:`FANE_MAP` (docs/entities.md lists the mapping).
* AQMAR (``token TAG``): PER, LOC, ORG and MIS0–MIS3 (→ MISC); the few tag typos are
  repaired (``I--ORG``, ``B-MIS-1``, ``IO``…).

Every reader returns a list of sentences, each a list of ``(token, tag)``; tags are repaired
to valid IOB2 (an ``I-X`` that does not continue an ``X`` becomes ``B-X``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

Sentence = list[tuple[str, str]]

#: NewsFANE/WikiFANE fine class → our type (None: not an entity for us, tagged O).
#: PER: every person class (Group, e.g. العرب "the Arabs", is a collective, not a name → O).
#: LOC: geo-political, natural locations and named facilities.
#: ORG: every organisation class. MISC: works, products, vehicles, weapons, other names.
FANE_MAP: dict[str, str | None] = {
    **dict.fromkeys(
        (
            "Politician", "Athlete", "Artist", "Other_PER", "Religious_PER", "Scientist",
            "Businessperson", "Lawyer", "Engineer", "Police",
        ),
        "PER",
    ),
    "Group": None,
    **dict.fromkeys(
        (
            "Nation", "Population-Center", "State-or-Province", "GPE-Cluster", "Continent",
            "County-or-District", "Water-Body", "Land-Region-Natural", "Celestial",
            "Building-Grounds", "Path", "Airport",
        ),
        "LOC",
    ),
    "Subarea-Facility": None,
    **dict.fromkeys(
        (
            "Government", "Non-Governmental", "Sports", "Media", "Commercial", "Educational",
            "Medical-Science", "Entertainment", "Religious_ORG",
        ),
        "ORG",
    ),
    **dict.fromkeys(
        (
            "Book", "Movie", "Sound", "Software", "Hardware", "Air", "Land", "Water",
            "Projectile", "Food", "Drug", "Plant", "Nuclear", "Shooting", "Blunt", "Exploding",
            "Chemical", "Sharp",
        ),
        "MISC",
    ),
}  # fmt: skip

_ANER = {"PERS": "PER", "PER": "PER", "LOC": "LOC", "ORG": "ORG", "MISC": "MISC"}
_AQMAR_MIS = re.compile(r"^MISS?-?[0-3]?`?$")
_STRIP = str.maketrans("", "", "\u200e\u200f\ufeff")


def map_aner(label: str) -> str | None:
    return _ANER.get(label)


def map_fane(label: str) -> str | None:
    return FANE_MAP.get(label)


def map_aqmar(label: str) -> str | None:
    label = label.strip("-")
    if label in ("PER", "LOC", "ORG"):
        return label
    if _AQMAR_MIS.match(label):
        return "MISC"
    return None  # B-ENGLISH, B-SPANISH: language marks, not entities


def split_tag(tag: str) -> tuple[str, str]:
    """``"B-PERS"`` → ``("B", "PERS")``; ``"O"`` or a broken tag → ``("O", "")``."""
    tag = tag.strip()
    m = re.match(r"^([BI])-+(.+)$", tag)
    if not m:
        return "O", ""
    return m.group(1), m.group(2)


def repair(tags: list[str]) -> list[str]:
    """Make a tag sequence valid IOB2: an I-X not after B-X/I-X becomes B-X."""
    out: list[str] = []
    prev = "O"
    for t in tags:
        if t.startswith("I-") and prev[2:] != t[2:]:
            t = "B-" + t[2:]
        out.append(t)
        prev = t
    return out


def read_conll(path: str | Path, mapper=map_aner) -> list[Sentence]:
    """Read a one-token-per-line file; ``mapper`` maps a class name to PER/ORG/LOC/MISC."""
    sents: list[Sentence] = []
    toks: list[str] = []
    tags: list[str] = []

    def flush() -> None:
        if toks:
            sents.append(list(zip(toks, repair(tags), strict=True)))
            toks.clear()
            tags.clear()

    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.translate(_STRIP).rstrip("\r\n")
            if not line.strip():
                flush()
                continue
            if "\t" in line:
                tok, _, tag = line.rpartition("\t")
            else:
                tok, _, tag = line.rpartition(" ")
            tok = tok.strip()
            if not tok:
                continue
            bio, cls = split_tag(tag)
            typ = mapper(cls) if bio != "O" else None
            tags.append(f"{bio}-{typ}" if typ else "O")
            toks.append(tok)
    flush()
    return sents


def read_fane(path: str | Path) -> list[Sentence]:
    return read_conll(path, map_fane)


def read_aqmar(folder: str | Path) -> list[Sentence]:
    out: list[Sentence] = []
    for p in sorted(Path(folder).glob("*.txt")):
        out.extend(read_conll(p, map_aqmar))
    return out


def spans(tags: Iterable[str]) -> list[tuple[int, int, str]]:
    """Entity spans ``(start, end, type)`` (token indices, end exclusive) of an IOB2 sequence
    (CoNLL style: an I-X without a preceding B-X/I-X starts a new span)."""
    out: list[tuple[int, int, str]] = []
    start, typ = -1, ""
    for i, t in enumerate([*tags, "O"]):
        bio, cls = (t[0], t[2:]) if t != "O" else ("O", "")
        if bio == "B" or bio == "O" or cls != typ:
            if typ:
                out.append((start, i, typ))
            start, typ = (i, cls) if bio != "O" else (-1, "")
    return out


def _ngrams(sent: Sentence, n: int = 5) -> set[tuple[str, ...]]:
    from marsad.text.normalize import normalize_text

    w = [normalize_text(t) for t, _ in sent]
    return {tuple(w[i : i + n]) for i in range(len(w) - n + 1)}


def newsfane_split(
    fane: list[Sentence], aner: list[list[Sentence]], heldout: float = 0.2
) -> tuple[list[Sentence], list[Sentence], int]:
    """NewsFANE without the sentences it shares with ANERcorp (NewsFANE re-annotates much of
    the ANERcorp text, test included), split into train and held-out parts (the held-out part
    is the last ``heldout`` share, contiguous, so that no article straddles the split).
    Returns ``(train, heldout, dropped_tokens)``."""
    seen: set[tuple[str, ...]] = set()
    for corpus in aner:
        for s in corpus:
            seen |= _ngrams(s)
    kept: list[Sentence] = []
    dropped = 0
    for s in fane:
        g = _ngrams(s)
        if g and g & seen:
            dropped += len(s)
            continue
        kept.append(s)
    cut = int(len(kept) * (1 - heldout))
    return kept[:cut], kept[cut:], dropped
