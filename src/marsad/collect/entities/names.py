"""Name knowledge and name keys: the lexicon of ``entity_names.json`` and
``entity_aliases.json`` (:class:`NameLexicon`, :func:`lexicon`), a mention's name parts
(:func:`name_parts`, :func:`tok_key`) and the comparisons of names (:func:`tok_eq`,
:func:`form_eq`, :func:`swap_eq`, :func:`is_sub`, :func:`is_prefix`) with their index keys
(:func:`skel`, :func:`form_key`, :func:`alias_key`)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from marsad.text.normalize import normalize_text

_WORD = re.compile(r"\w+")
_VOWELS = "اوي"


def _load(name: str) -> dict:
    return json.loads(resources.files("marsad.resources.ar").joinpath(name).read_text("utf-8"))


@dataclass(frozen=True)
class NameLexicon:
    particles: frozenset[str]
    particle_same: dict[str, str]
    compound_suffixes: frozenset[str]
    honorifics: frozenset[str]
    courtesy: frozenset[str]
    generic_heads: dict[str, frozenset[str]]  # type -> head word keys
    role_heads: frozenset[str]  # keys (without ال)
    role_stops: frozenset[str]
    variants: dict[str, str]
    aliases: dict[str, tuple[str, str]]  # name key -> (group key, type)
    descriptors_before: frozenset[str] = frozenset()  # keys (entity_variants.json)
    descriptors_after: frozenset[str] = frozenset()
    keep_head_before: frozenset[str] = frozenset()


def _words(values) -> list[str]:
    return [normalize_text(w) for w in values if not w.startswith("_")]


@lru_cache(maxsize=1)
def lexicon() -> NameLexicon:
    names = _load("entity_names.json")
    cues = _load("cues.json")
    var = _load("entity_variants.json")
    variants = {
        normalize_text(k): normalize_text(v)
        for k, v in names["token_variants"].items()
        if not k.startswith("_")
    }
    heads = set()
    for w in _words(cues["role_heads"]["words"]) + _words(names["role_extra_heads"]["words"]):
        toks = _WORD.findall(w)
        if len(toks) == 1:
            heads.add(_strip_article(toks[0]))
    lex = NameLexicon(
        particles=frozenset(_words(names["particles"]["words"])),
        particle_same={
            normalize_text(k): normalize_text(v)
            for k, v in names["particle_same"].items()
            if not k.startswith("_")
        },
        compound_suffixes=frozenset(_words(names["compound_suffixes"]["words"])),
        honorifics=frozenset(_words(names["honorifics"]["words"])),
        courtesy=frozenset(_words(names["courtesy_titles"]["words"])),
        generic_heads={
            t: frozenset(_strip_article(w) for w in _words(names["generic_heads"][t]))
            for t in ("ORG", "LOC")
        },
        role_heads=frozenset(heads),
        role_stops=frozenset(_words(names["role_stops"]["words"])),
        variants=variants,
        aliases={},
        descriptors_before=frozenset(
            _strip_article(w) for w in _words(var["descriptors_before"]["words"])
        ),
        descriptors_after=frozenset(
            _strip_article(w) for w in _words(var["descriptors_after"]["words"])
        ),
        keep_head_before=frozenset(_words(var["keep_head_before"]["words"])),
    )
    aliases: dict[str, tuple[str, str]] = {}
    for group in _load("entity_aliases.json")["groups"]:
        keys = [" ".join(name_parts(normalize_text(n), group["type"], lex)) for n in group["names"]]
        for k in keys:
            aliases.setdefault(k, (keys[0], group["type"]))
    lex.aliases.update(aliases)
    return lex


# -- keys and comparison -------------------------------------------------------------------------
def _strip_article(w: str) -> str:
    """A normalised word without attached و/ف/ب + ال, لل and the article ال (ك + ال is left:
    كاليفورنيا is not ك + اليفورنيا)."""
    if len(w) > 5 and w[0] in "وفب" and w[1:3] == "ال":
        w = w[1:]
    elif len(w) > 4 and w.startswith("لل"):
        w = "ال" + w[2:]
    if w.startswith("ال") and len(w) >= 5:
        w = w[2:]
    return w


def tok_key(w: str, lex: NameLexicon | None = None) -> str:
    """The comparison key of one normalised word."""
    lex = lex or lexicon()
    w = _strip_article(w)
    return lex.variants.get(w, w)


def name_parts(norm: str, typ: str, lex: NameLexicon | None = None) -> tuple[str, ...]:
    """The name parts of a normalised name. For people a particle joins the word after it
    (``عبد الله``, ``بن زايد``) and courtesy titles at the start are dropped."""
    lex = lex or lexicon()
    toks: list[str] = []
    for t in _WORD.findall(norm):
        if t.startswith("عبدال") and len(t) > 6:  # عبدالله written as one word
            toks += ["عبد", t[3:]]
        else:
            toks.append(t)
    if typ != "PER":
        return tuple(tok_key(t, lex) for t in toks)
    while len(toks) > 1 and toks[0] in lex.honorifics:
        toks.pop(0)
    parts: list[str] = []
    i = 0
    while i < len(toks):
        t = toks[i]
        if t in lex.particles and i + 1 < len(toks):
            words = [lex.particle_same.get(t, t)]
            i += 1
            while toks[i] in lex.particles and i + 1 < len(toks):
                words.append(lex.particle_same.get(toks[i], toks[i]))
                i += 1
            words.append(toks[i])
            parts.append(" ".join(words))
        elif t in lex.compound_suffixes and parts:
            parts[-1] = parts[-1] + " " + t
        else:
            parts.append(tok_key(t, lex))
        i += 1
    return tuple(parts)


@lru_cache(maxsize=1)
def _distinct() -> frozenset[tuple[str, str]]:
    """Pairs of name words that are different names though the vowel rule would join them
    (``entity_variants.json``), both ways round, as keys."""
    out = set()
    for a, b in _load("entity_variants.json")["distinct"]["pairs"]:
        ka, kb = _strip_article(normalize_text(a)), _strip_article(normalize_text(b))
        out |= {(ka, kb), (kb, ka)}
    return frozenset(out)


_FINAL_YEH_HAMZA = re.compile(r"ئ\b")


def key_text(original: str, normalised: str) -> str:
    """The text a name's key is made from: the normalised text, except that a word-final ئ
    stays apart from ي (الهادئ the ocean is not الهادي the name)."""
    if "ئ" not in original:
        return normalised
    return normalize_text(_FINAL_YEH_HAMZA.sub("ء", original))


@lru_cache(maxsize=100_000)
def skel(part: str) -> str:
    """A coarse key of a name part, equal for spellings that differ by a long vowel."""
    out = []
    for w in part.split(" "):
        if len(w) > 3:
            w = w[0] + "".join(c for c in w[1:-1] if c not in _VOWELS) + w[-1]
        out.append(w)
    return " ".join(out)


def tok_eq(a: str, b: str) -> bool:
    """Two name parts are the same name: equal, or long words differing by one long vowel
    added, dropped or moved by one letter (``امريكي`` / ``اميركي``)."""
    if a == b:
        return True
    if (a, b) in _distinct():
        return False
    if " " in a or " " in b:
        sa, sb = a.split(" "), b.split(" ")
        return len(sa) == len(sb) and all(tok_eq(x, y) for x, y in zip(sa, sb, strict=True))
    if skel(a) != skel(b):
        return False
    la, lb = len(a), len(b)
    if la == lb:
        if la < 5:
            return False
        d = [i for i in range(la) if a[i] != b[i]]
        return (
            len(d) == 2
            and d[1] == d[0] + 1
            and a[d[0]] == b[d[1]]
            and a[d[1]] == b[d[0]]
            and (a[d[0]] in _VOWELS or a[d[1]] in _VOWELS)
        )
    if abs(la - lb) == 1 and min(la, lb) >= 5:
        long, short = (a, b) if la > lb else (b, a)
        return any(
            long[i] in _VOWELS and long[:i] + long[i + 1 :] == short for i in range(len(long))
        )
    return False


def form_eq(p: tuple[str, ...], q: tuple[str, ...]) -> bool:
    return len(p) == len(q) and all(tok_eq(a, b) for a, b in zip(p, q, strict=True))


def swap_eq(p: tuple[str, ...], q: tuple[str, ...]) -> bool:
    """Two-part names in either order (``سامح شكري`` / ``شكري سامح``)."""
    return len(p) == 2 and len(q) == 2 and tok_eq(p[0], q[1]) and tok_eq(p[1], q[0])


def is_sub(short: tuple[str, ...], long: tuple[str, ...]) -> bool:
    """``short`` is a shorter way to name ``long``: its parts appear in ``long`` in order, with
    the same surname (last part), and the same first name when ``short`` has two parts or more
    (``السوداني``, ``محمد السوداني`` → ``محمد شياع السوداني``)."""
    if not short or len(short) >= len(long) or not tok_eq(short[-1], long[-1]):
        return False
    if len(short) > 1 and not tok_eq(short[0], long[0]):
        return False
    j = 0
    for part in short:
        while j < len(long) and not tok_eq(part, long[j]):
            j += 1
        if j == len(long):
            return False
        j += 1
    return True


def is_prefix(short: tuple[str, ...], long: tuple[str, ...]) -> bool:
    """``short`` (two parts or more) is the beginning of ``long`` (``محمد شياع`` → ``محمد شياع
    السوداني``)."""
    return 2 <= len(short) < len(long) and all(
        tok_eq(a, b) for a, b in zip(short, long[: len(short)], strict=True)
    )


def form_key(parts: tuple[str, ...]) -> str:
    return " ".join(skel(p) for p in parts)


def alias_key(parts: tuple[str, ...], lex: NameLexicon) -> tuple[tuple[str, ...], str | None]:
    """Parts of the alias group's preferred name (and its type) when ``parts`` is an alias."""
    hit = lex.aliases.get(" ".join(parts))
    if hit is None:
        return parts, None
    return tuple(hit[0].split(" ")), hit[1]
