"""Entity resolution: one entity per referent across all the articles of a run.

Input is the ``mentions`` layer (:class:`marsad.core.items.Mention`, written by the
``entities`` stage). Resolution runs in two steps, both deterministic:

1. **In one article** (:func:`resolve_article`, a pure function of the article): a person's
   mentions are grouped by their *name parts* (normalised words; a particle and the word after it
   are one part: ``عبد الله``, ``بن زايد``, ``أبو الغيط``). A shorter name joins a longer one when
   its parts are a subsequence of the longer name's with the same surname (and the same first
   name when it has two parts or more): ``السوداني``, ``محمد السوداني`` → ``محمد شياع
   السوداني``. Two-part names in either order are one person (``سامح شكري`` / ``شكري سامح``).
   When a short name fits several people of the article, it goes to the nearest one before it.
   A role phrase next to a name (``وزير الخارجية المصري سامح شكري``, ``شكري، وزير الخارجية
   المصري،``) is kept as the person's role, and later occurrences of that role alone in the
   article become mentions of that person (``kind: "role"``). Organisations, places and other
   names are grouped by their key (with the alias table ``entity_aliases.json``).
2. **Across articles** (:class:`EntityCollector`, the ``entities`` collector): an article's
   entities are merged into the run's entities through a dict of name keys (no comparison of
   every pair): equal names merge at once; at the end a shorter name joins the one longer name
   that contains it, and a surname alone joins the one person with that surname — only when
   that is unambiguous, so ``عبد الله علي صالح`` and ``علي عبد الله صالح`` stay two people.

Names are compared on keys: normalised (alef, hamza, yaa, taa marbuta folded), without the
article ال and attached و/ب/ل/ف/ك before it, and with small spelling variation tolerated in
long words (a long vowel added or moved: ``الأمريكي`` / ``الأميركي``, ``نتنياهو`` /
``نتانياهو``). Short words must be equal: ``محمد`` is not ``محمود``, ``حسن`` is not ``حسين``.
"""

from __future__ import annotations

import hashlib
import json
import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

from marsad.core.article import Article
from marsad.core.items import TYPES
from marsad.core.protocols import prepared
from marsad.core.settings import load_settings
from marsad.text.normalize import normalize_text

_WORD = re.compile(r"\w+")
_VOWELS = "اوي"
#: Punctuation that separates a role phrase from a name it is not tied to.
_GAP_OK = re.compile(r"\s*")
_COMMA = re.compile(r"\s*[،,]\s*")


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


def _words(values) -> list[str]:
    return [normalize_text(w) for w in values if not w.startswith("_")]


@lru_cache(maxsize=1)
def lexicon() -> NameLexicon:
    names = _load("entity_names.json")
    cues = _load("cues.json")
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
    """A normalised word without attached و/ف/ب/ك + ال, لل and the article ال."""
    if len(w) > 5 and w[0] in "وفبك" and w[1:3] == "ال":
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


# -- one article ---------------------------------------------------------------------------------
@dataclass
class LocalMention:
    start: int
    end: int
    text: str
    kind: str  # name / role
    type: str
    confidence: float | None
    index: int  # position in the article's mentions layer (-1 for a role mention)


@dataclass
class LocalEntity:
    """The mentions of one referent in one article."""

    type: str
    forms: dict[tuple[str, ...], list[str]] = field(default_factory=dict)  # parts -> surfaces
    mentions: list[LocalMention] = field(default_factory=list)
    roles: list[str] = field(default_factory=list)
    role_keys: list[tuple[str, ...]] = field(default_factory=list)
    types: Counter = field(default_factory=Counter)
    alias_type: str | None = None

    @property
    def longest(self) -> tuple[str, ...]:
        return max(self.forms, key=len)

    def first(self) -> int:
        return min(m.start for m in self.mentions)


@dataclass(slots=True)
class _Tok:
    ns: int  # normalised offsets
    ne: int
    word: str


@dataclass
class _M:
    start: int
    end: int
    ns: int
    ne: int
    type: str
    confidence: float | None
    index: int
    parts: tuple[str, ...]
    surface: str
    roles: list[tuple[int, int]] = field(default_factory=list)  # original spans


def _display(article: Article, s: int, e: int, lex: NameLexicon, typ: str) -> str:
    """The mention's text without a leading conjunction/preposition on ال or a title."""
    norm = article.norm
    ns, ne = norm.to_normalized(s, e)
    toks = list(_WORD.finditer(norm.text, ns, ne))
    if not toks:
        return article.text[s:e].strip()
    i = 0
    if typ == "PER":
        while i < len(toks) - 1 and toks[i].group() in lex.honorifics:
            i += 1
    t0 = toks[i]
    w = t0.group()
    first = t0.start()
    if len(w) > 5 and w[0] in "وفبك" and w[1:3] == "ال":
        first += 1
    os_, oe = norm.to_original(first, toks[-1].end())
    text = article.text[os_:oe]
    if len(w) > 4 and w.startswith("لل") and text.startswith("لل"):
        text = "ال" + text[2:]
    return text


class _BlockTokens:
    """Words of the content blocks on the normalised view, tokenised when first needed."""

    def __init__(self, article: Article) -> None:
        norm = article.norm
        self.text = norm.text
        self.spans = [norm.to_normalized(b.start, b.end) for _i, b in article.content_blocks()]
        self.starts = [s for s, _e in self.spans]
        self._toks: dict[int, list[_Tok]] = {}

    def __len__(self) -> int:
        return len(self.spans)

    def tokens(self, k: int) -> list[_Tok]:
        toks = self._toks.get(k)
        if toks is None:
            ns, ne = self.spans[k]
            toks = [_Tok(m.start(), m.end(), m.group()) for m in _WORD.finditer(self.text, ns, ne)]
            self._toks[k] = toks
        return toks


def _is_head(word: str, lex: NameLexicon) -> bool:
    if word in lex.role_stops:  # أمام (in front of) is written like الإمام without ال
        return False
    if _strip_article(word) in lex.role_heads:
        return True
    return (
        len(word) > 3
        and word[0] in "وبلف"
        and word[1:] not in lex.role_stops
        and _strip_article(word[1:]) in lex.role_heads
    )


def _head_key(word: str, lex: NameLexicon) -> str:
    k = _strip_article(word)
    if k in lex.role_heads:
        return k
    return _strip_article(word[1:])


def _role_key(words: list[str], lex: NameLexicon) -> tuple[str, ...]:
    return (_head_key(words[0], lex), *(tok_key(w, lex) for w in words[1:]))


def _adjacent(n: str, a: _Tok, b: _Tok) -> bool:
    """Only spaces between two words (no punctuation)."""
    return n[a.ne : b.ns].strip() == ""


def _role_before(
    n: str, toks: list[_Tok], i: int, busy, lex: NameLexicon, window: int = 8
) -> tuple[int, int] | None:
    """Token range ``[j, i)`` of a role phrase ending right before token ``i``."""
    j = i - 1
    head = None

    def _rank(k: int) -> bool:  # a rank or courtesy title (اللواء): the role may go on before
        return toks[k].word in lex.honorifics and not toks[k].word.startswith("الرئيس")

    while j >= 0 and i - j <= window:
        t = toks[j]
        if not _adjacent(n, t, toks[j + 1]) or t.word in lex.role_stops or busy(t.ns, t.ne):
            break
        if _is_head(t.word, lex) and (head is None or head == j + 1 or _rank(head)):
            head = j
            # a chain of role heads (نائب رئيس الوزراء) is one role
            while (
                head > 0
                and _adjacent(n, toks[head - 1], toks[head])
                and _is_head(toks[head - 1].word, lex)
                and not busy(toks[head - 1].ns, toks[head - 1].ne)
            ):
                head -= 1
            j = head
            if not _rank(head):
                break
        j -= 1
    return (head, i) if head is not None else None


def _role_after(n: str, toks: list[_Tok], i: int, busy, lex: NameLexicon) -> tuple[int, int] | None:
    """Token range of an apposition after a comma: ``شكري، وزير الخارجية المصري،``."""
    if i + 1 >= len(toks) or not _COMMA.fullmatch(n[toks[i].ne : toks[i + 1].ns]):
        return None
    j = i + 1
    if not _is_head(toks[j].word, lex) or busy(toks[j].ns, toks[j].ne):
        return None
    k = j + 1
    while k < len(toks):
        t = toks[k]
        if not _adjacent(n, toks[k - 1], t) or t.word in lex.role_stops or busy(t.ns, t.ne):
            break  # the apposition ends at punctuation, a clause word or another name
        if k - j >= 6:
            return None  # no clear end: not an apposition
        k += 1
    return j, k


#: Type labels of other tag sets (ANERcorp PERS, AQMAR MIS) read as the contract's types.
_TYPE_ALIASES = {"PERS": "PER", "PERSON": "PER", "MIS": "MISC", "GPE": "LOC"}


def _mentions_of(article: Article, lex: NameLexicon) -> list[_M]:
    """The article's mentions inside content blocks, with their name parts."""
    norm = article.norm
    spans = [(b.start, b.end) for _i, b in article.content_blocks()]
    starts = [s for s, _e in spans]
    out = []
    for idx, m in enumerate(article.layers.get("mentions") or ()):
        s, e = int(m.start), int(m.end)
        k = bisect_right(starts, s) - 1
        if k < 0 or e > spans[k][1] or e <= s:
            continue  # outside title/body/subheading blocks: boilerplate is never an entity
        typ = str(getattr(m, "type", "") or "MISC").upper()
        typ = typ if typ in TYPES else _TYPE_ALIASES.get(typ, "MISC")
        ns, ne = norm.to_normalized(s, e)
        parts = name_parts(norm.text[ns:ne], typ, lex)
        if not parts:
            continue
        conf = getattr(m, "confidence", None)
        out.append(
            _M(
                s,
                e,
                ns,
                ne,
                typ,
                None if conf is None else float(conf),
                idx,
                parts,
                _display(article, s, e, lex, typ),
            )
        )
    out.sort(key=lambda x: (x.start, -x.end))
    # a bare conjunction or preposition on a name (وشكري, لشكري) when the name appears
    # without it in the article
    known = Counter(p for x in out for p in x.parts)
    for x in out:
        p0 = x.parts[0]
        if len(p0) > 3 and p0[0] in "وفبلك" and known[p0[1:]]:
            x.parts = (p0[1:], *x.parts[1:])
    return out


def _nearest(cands: list[LocalEntity], pos: int) -> LocalEntity:
    """The candidate mentioned last before ``pos`` (else the first one after it)."""
    before = [
        (max(m.start for m in c.mentions if m.start < pos), i)
        for i, c in enumerate(cands)
        if any(m.start < pos for m in c.mentions)
    ]
    if before:
        return cands[max(before)[1]]
    return min(cands, key=lambda c: c.first())


def resolve_article(
    article: Article, lex: NameLexicon | None = None, role_window: int = 8
) -> list[LocalEntity]:
    """Group the article's mentions into entities (see the module docs)."""
    lex = lex or lexicon()
    ms = _mentions_of(article, lex)
    if not ms:
        return []
    n = article.norm.text
    # role phrases may contain places and organisations (رئيس دولة الإمارات), not people
    busy_spans = sorted((m.ns, m.ne) for m in ms if m.type == "PER")
    busy_starts = [s for s, _e in busy_spans]

    def busy(s: int, e: int) -> bool:
        k = bisect_right(busy_starts, e - 1) - 1
        while k >= 0 and busy_spans[k][0] < e:
            if busy_spans[k][1] > s:
                return True
            k -= 1
        return False

    # people: longest names first, then shorter ones join them
    people: list[LocalEntity] = []
    owner: dict[int, LocalEntity] = {}
    # people by the key of a name's last part, and of the first part of two-part names (for
    # the other order): each rule below needs one of them to match
    by_last: dict[str, list[int]] = {}
    by_first: dict[str, list[int]] = {}
    for m in sorted((m for m in ms if m.type == "PER"), key=lambda m: (-len(m.parts), m.start)):
        near = set(by_last.get(skel(m.parts[-1]), ()))
        if len(m.parts) == 2:
            near.update(by_first.get(skel(m.parts[-1]), ()))
        cands = [
            people[k]
            for k in sorted(near)
            if any(
                form_eq(m.parts, f) or is_sub(m.parts, f) or swap_eq(m.parts, f)
                for f in people[k].forms
            )
        ]
        ent = _nearest(cands, m.start) if cands else None
        if ent is None:
            ent = LocalEntity("PER")
            people.append(ent)
            ent_k = len(people) - 1
        else:
            ent_k = next(i for i, p in enumerate(people) if p is ent)
        if m.parts not in ent.forms:
            for idx, key in ((by_last, skel(m.parts[-1])), (by_first, skel(m.parts[0]))):
                if idx is by_first and len(m.parts) != 2:
                    continue
                lst = idx.setdefault(key, [])
                if ent_k not in lst:
                    lst.append(ent_k)
        owner[id(m)] = ent
        ent.forms.setdefault(m.parts, []).append(m.surface)
        ent.types[m.type] += 1
        ent.mentions.append(
            LocalMention(
                m.start, m.end, article.text[m.start : m.end], "name", m.type, m.confidence, m.index
            )
        )
    # roles next to a person's name
    blocks = _BlockTokens(article)
    bstarts = blocks.starts
    norm = article.norm
    defining: list[tuple[int, int]] = []
    for m in ms:
        if m.type != "PER":
            continue
        k = bisect_right(bstarts, m.ns) - 1
        if k < 0:
            continue
        toks = blocks.tokens(k)
        tstarts = [t.ns for t in toks]
        i = bisect_right(tstarts, m.ns) - 1
        last = bisect_right(tstarts, m.ne - 1) - 1
        if i < 0 or last < 0:
            continue
        for rng in (
            _role_before(n, toks, i, busy, lex, role_window),
            _role_after(n, toks, last, busy, lex),
        ):
            if rng is None:
                continue
            a, b = rng
            words = [t.word for t in toks[a:b]]
            w0 = words[0]
            clitic = len(w0) > 5 and w0[0] in "وفبك" and w0[1:3] == "ال"  # والرئيس
            rs = toks[a].ns + (1 if clitic or _strip_article(w0) not in lex.role_heads else 0)
            os_, oe = norm.to_original(rs, toks[b - 1].ne)
            ent = owner[id(m)]
            key = _role_key(words, lex)
            if all(w in lex.courtesy for w in words):
                continue  # الدكتور, الشيخ: a courtesy title, not a role
            if key not in ent.role_keys:
                ent.role_keys.append(key)
                ent.roles.append(article.text[os_:oe])
            defining.append((toks[a].ns, toks[b - 1].ne))
    _role_mentions(article, people, blocks, busy, defining, lex)
    # organisations, places, other names: by key (and alias group)
    others: dict[str, list[LocalEntity]] = {}
    for m in ms:
        if m.type == "PER":
            continue
        parts, atype = alias_key(m.parts, lex)
        heads = lex.generic_heads.get(m.type)
        if atype is None and heads and len(parts) > 1 and parts[0] in heads:
            parts, atype = alias_key(parts[1:], lex)  # حركة حماس → حماس
        fk = form_key(parts)
        ent = next((c for c in others.get(fk, ()) if any(form_eq(parts, f) for f in c.forms)), None)
        if ent is None:
            ent = LocalEntity(atype or m.type, alias_type=atype)
            others.setdefault(fk, []).append(ent)
        ent.forms.setdefault(parts, []).append(m.surface)
        ent.types[m.type] += 1
        ent.mentions.append(
            LocalMention(
                m.start, m.end, article.text[m.start : m.end], "name", m.type, m.confidence, m.index
            )
        )
    out = people + [e for group in others.values() for e in group]
    for e in out:
        if e.type != "PER":
            e.type = e.alias_type or e.types.most_common(1)[0][0]
        e.mentions.sort(key=lambda x: x.start)
    out.sort(key=lambda e: e.first())
    return out


def _role_mentions(article, people, blocks, busy, defining, lex) -> None:
    """Later occurrences of a person's role alone (``وزير الخارجية المصري``) are mentions of
    that person, when the role (or its first two words or more) belongs to one person only."""
    roles = [(key, ent) for ent in people for key in ent.role_keys]
    if not roles:
        return
    n = article.norm.text
    norm = article.norm
    for k in range(len(blocks)):
        toks = blocks.tokens(k)
        i = 0
        while i < len(toks):
            t = toks[i]
            if not _is_head(t.word, lex) or busy(t.ns, t.ne):
                i += 1
                continue
            best = 0
            hits: set[int] = set()
            for key, ent in roles:
                length = 0
                while (
                    length < len(key)
                    and i + length < len(toks)
                    and (length == 0 or _adjacent(n, toks[i + length - 1], toks[i + length]))
                    and not busy(toks[i + length].ns, toks[i + length].ne)
                    and (
                        _head_key(toks[i].word, lex) == key[0]
                        if length == 0
                        else tok_eq(tok_key(toks[i + length].word, lex), key[length])
                    )
                ):
                    length += 1
                # a role's first words; its head word alone only with the article (وأضاف الوزير)
                if length < len(key) and length < 2:
                    if length == 0 or _strip_article(toks[i].word) == toks[i].word:
                        continue
                if length > best:
                    best, hits = length, {id(ent)}
                elif length == best:
                    hits.add(id(ent))
            if best == 0 or len(hits) != 1:
                i += 1
                continue
            s, e = toks[i].ns, toks[i + best - 1].ne
            nxt = toks[i + best] if i + best < len(toks) else None
            # followed by more of a role (الأسبق, الأمريكي) or by a name: not this person;
            # one word alone (الوزير) only before punctuation or a clause word (وأضاف الوزير أن)
            if nxt is not None and _adjacent(n, toks[i + best - 1], nxt):
                if (
                    nxt.word.startswith("ال")
                    or busy(nxt.ns, nxt.ne)
                    or (best == 1 and nxt.word not in lex.role_stops)
                ):
                    i += best
                    continue
            if any(ds < e and s < de for ds, de in defining):
                i += best
                continue
            ent = next(ent for _k, ent in roles if id(ent) in hits)
            rs = s + (0 if _strip_article(toks[i].word) in lex.role_heads else 1)
            os_, oe = norm.to_original(rs, e)
            ent.mentions.append(
                LocalMention(os_, oe, article.text[os_:oe], "role", "PER", None, -1)
            )
            i += best


def speaker_entity(quote, entities: list[LocalEntity]) -> int | None:
    """Index in ``entities`` of the entity a quote's speaker span names (a name mention, else a
    role mention tied to a person), or None."""
    sp = getattr(quote, "speaker", None)
    if not sp:
        return None
    s, e = sp
    best = None
    for i, ent in enumerate(entities):
        for m in ent.mentions:
            if m.start < e and s < m.end:
                rank = (m.kind != "name", ent.type != "PER", m.start)
                if best is None or rank < best[0]:
                    best = (rank, i)
    return None if best is None else best[1]


# -- across articles -----------------------------------------------------------------------------
@dataclass
class _Entity:
    """Compact record of one run-level entity (bounded by its mentions, which are output)."""

    cls: str  # PER or X (organisations, places and other names merge with each other)
    types: Counter = field(default_factory=Counter)
    forms: Counter = field(default_factory=Counter)  # parts -> mentions
    surfaces: dict[tuple[str, ...], Counter] = field(default_factory=dict)
    roles: Counter = field(default_factory=Counter)
    mentions: list[tuple] = field(default_factory=list)  # rows in _ROW_KEYS order
    docs: dict[str, int] = field(default_factory=dict)  # doc -> report number
    order: int = 0
    alias_type: str | None = None

    def absorb(self, other: _Entity) -> None:
        self.types.update(other.types)
        self.forms.update(other.forms)
        for f, c in other.surfaces.items():
            self.surfaces.setdefault(f, Counter()).update(c)
        self.roles.update(other.roles)
        self.mentions.extend(other.mentions)
        for d, n in other.docs.items():
            self.docs.setdefault(d, n)
        self.order = min(self.order, other.order)
        self.alias_type = self.alias_type or other.alias_type

    def longest(self) -> tuple[str, ...]:
        return max(self.forms, key=lambda f: (len(f), self.forms[f]))

    # saved by the store: counters as plain dicts (a Counter pickles through Python code)
    def __getstate__(self) -> tuple:
        surfaces = {k: dict(v) for k, v in self.surfaces.items()}
        return (self.cls, dict(self.types), dict(self.forms), surfaces, dict(self.roles),
                self.mentions, self.docs, self.order, self.alias_type)  # fmt: skip

    def __setstate__(self, state: tuple) -> None:
        (self.cls, types, forms, surfaces, roles, self.mentions, self.docs, self.order,
         self.alias_type) = state  # fmt: skip
        self.types, self.forms, self.roles = Counter(types), Counter(forms), Counter(roles)
        self.surfaces = {k: Counter(v) for k, v in surfaces.items()}


#: Keys of a mention row of ``entities[].mentions``.
_ROW_KEYS = ("doc", "start", "end", "text", "type", "kind", "confidence")


class EntityCollector:
    """The ``entities`` collector: run-level entities (top-level list ``entities``).

    State: one :class:`_Entity` per entity (forms, counts, mention rows), a union-find parent
    list and a dict from name keys to entity numbers. ``results()`` also returns report-only
    lists: ``speaker_entities`` (quote id → entity id, to fill ``speaker.entity``) and
    ``entity_report`` (for the report section)."""

    #: The shape of the state the store saves (marsad.store.state): bump it when it changes.
    STATE_VERSION = 2

    def __init__(self, settings=None) -> None:
        cfg = (settings if settings is not None else load_settings())["resolve"]
        self.role_window = int(cfg["role_window"])
        self.max_roles = int(cfg["max_roles"])
        self.max_candidates = int(cfg["max_candidates"])
        self.report_links = int(cfg["report_links"])
        self.ents: list[_Entity | None] = []  # None: merged into another record
        self.parent: list[int] = []
        self.index: dict[str, list[int]] = {}
        self.speakers: list[tuple[str, str, int]] = []  # (doc, quote id, entity)
        self.n = 0
        self.lex = lexicon()
        #: Entities changed since the last results() (root numbers), and each root's rows as
        #: results() last built them: an unchanged entity is not built again.
        self.dirty: set[int] = set()
        self._rows: dict[int, tuple[dict[str, Any], dict[str, Any]]] = {}
        self._changed: set[str] = set()

    # persisted by the store (pickle): the name lexicon is package data, loaded again
    def __getstate__(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if k != "lex"}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self.lex = lexicon()

    # union-find
    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, a: int, b: int) -> int:
        a, b = self.find(a), self.find(b)
        if a == b:
            return a
        if len(self.ents[a].mentions) < len(self.ents[b].mentions):
            a, b = b, a
        self.parent[b] = a
        self.ents[a].absorb(self.ents[b])
        self.ents[b] = None  # the merged record is freed
        self.dirty.add(a)
        return a

    def _keys(self, cls: str, parts: tuple[str, ...]) -> list[str]:
        keys = [f"{cls}|{form_key(parts)}"]
        if cls == "PER" and len(parts) > 1:
            keys.append(f"PER|FL|{skel(parts[0])}|{skel(parts[-1])}")
            keys.append(f"PER|L|{skel(parts[-1])}")
            keys.append(f"PER|F|{skel(parts[0])}")
        return keys

    def _register(self, i: int, cls: str, parts: tuple[str, ...]) -> None:
        for k in self._keys(cls, parts):
            lst = self.index.setdefault(k, [])
            if i not in lst and len(lst) < self.max_candidates:
                lst.append(i)

    def prepare(self, article: Article) -> list[LocalEntity]:
        """The per-article part of :meth:`add` (pure; runs where the stages run, so with
        ``--jobs``/``--scheduler`` it leaves the main process): the article's local entities."""
        return resolve_article(article, self.lex, self.role_window)

    def add(self, article: Article) -> None:
        self.n += 1
        local = prepared(article, "entities")
        if local is None:
            local = self.prepare(article)
        mentions = article.layers.get("mentions") or []
        gids: list[int] = []
        for le in local:
            cls = "PER" if le.type == "PER" else "X"
            # a name given in both orders in this article keeps its more frequent order only
            # (the other order is the same person here, not necessarily elsewhere)
            forms: dict[tuple[str, ...], list[str]] = {}
            for f in sorted(le.forms, key=lambda f: -len(le.forms[f])):
                g = next((g for g in forms if swap_eq(f, g)), f)
                forms.setdefault(g, []).extend(le.forms[f])
            multi = [f for f in forms if len(f) > 1] if cls == "PER" else list(forms)
            # a person named by one word only is matched against one-word entities here and
            # against full names at the end (when it is known whether that is ambiguous)
            lookup = multi or list(forms)
            found: set[int] = set()
            for f in lookup:
                for j in self.index.get(f"{cls}|{form_key(f)}", ()):
                    r = self.find(j)
                    ent = self.ents[r]
                    if ent.cls == cls and any(
                        form_eq(f, g) for g in ent.forms if (len(g) > 1) == (len(f) > 1)
                    ):
                        found.add(r)
            rec = _Entity(cls, order=len(self.ents))
            for f, surfaces in forms.items():
                rec.forms[f] += len(surfaces)
                rec.surfaces.setdefault(f, Counter()).update(surfaces)
            rec.types.update(le.types)
            rec.alias_type = le.alias_type
            for r in le.roles:
                if r in rec.roles or len(rec.roles) < self.max_roles:
                    rec.roles[r] += 1
            rec.docs[article.id] = self.n
            # compact rows (tuples); the output dicts are built once, in results()
            rec.mentions = [
                (
                    article.id,
                    m.start,
                    m.end,
                    m.text,
                    m.type,
                    m.kind,
                    None if m.confidence is None else round(m.confidence, 3),
                )
                for m in le.mentions
            ]
            i = len(self.ents)
            self.ents.append(rec)
            self.parent.append(i)
            for r in sorted(found):
                i = self.union(i, r)
            root = self.find(i)
            self.dirty.add(root)
            for f in lookup:
                self._register(root, cls, f)
            gids.append(root)
            for m in le.mentions:  # provisional id for later collectors in this run (stories)
                if 0 <= m.index < len(mentions):
                    try:
                        mentions[m.index].entity = f"ent~{root}"
                    except AttributeError:
                        pass
        for q in article.layers.get("quotes") or ():
            k = speaker_entity(q, local)
            if k is not None and getattr(q, "id", None):
                self.speakers.append((article.id, str(q.id), gids[k]))

    # -- the end of the run: unambiguous merges of shorter names, ids, rows --------------------
    def _roots(self) -> list[int]:
        return sorted(
            {self.find(i) for i in range(len(self.ents))}, key=lambda r: self.ents[r].order
        )

    def _merge_shorter(self) -> None:
        """A name joins the one longer name that contains it (``محمد السوداني`` → ``محمد شياع
        السوداني``; ``السوداني`` → the one person of that surname, unless it is also someone's
        first name). Longest names first."""
        roots = [r for r in self._roots() if self.ents[r].cls == "PER"]
        # longest names first: a shorter name then meets the longer ones already merged
        roots.sort(key=lambda r: (-len(self.ents[r].longest()), self.ents[r].order))
        for r in roots:
            r = self.find(r)
            short = self.ents[r].longest()
            key = (
                f"PER|L|{skel(short[0])}"
                if len(short) == 1
                else f"PER|FL|{skel(short[0])}|{skel(short[-1])}"
            )
            supers = set()
            for j in self.index.get(key, ()):
                c = self.find(j)
                if c == r or self.ents[c].cls != "PER":
                    continue
                if any(is_sub(short, g) for g in self.ents[c].forms):
                    supers.add(c)
            if not supers and len(short) >= 2:
                # a name cut before its surname (the tagger stopped at محمد شياع): the first
                # words of exactly one longer name
                for j in self.index.get(f"PER|F|{skel(short[0])}", ()):
                    c = self.find(j)
                    if (
                        c != r
                        and self.ents[c].cls == "PER"
                        and any(is_prefix(short, g) for g in self.ents[c].forms)
                    ):
                        supers.add(c)
            if len(short) == 1 and any(
                self.find(j) != r
                and any(
                    len(g) > 1 and tok_eq(g[0], short[0]) for g in self.ents[self.find(j)].forms
                )
                for j in self.index.get(f"PER|F|{skel(short[0])}", ())
            ):
                continue  # also someone's first name (محمد): ambiguous alone
            if len(supers) == 1:
                new = self.union(r, supers.pop())
                for f in list(self.ents[new].forms):
                    self._register(new, "PER", f)

    def _type(self, e: _Entity) -> str:
        if e.cls == "PER":
            return "PER"
        if e.alias_type:
            return e.alias_type
        t = e.types.most_common(1)[0][0] if e.types else "MISC"
        return t if t in ("ORG", "LOC", "MISC") else "MISC"

    def changed(self) -> dict[str, set[str]]:
        """Ids of the ``entities`` rows that the last :meth:`results` built anew (the others are
        the rows it gave before, unchanged)."""
        return {"entities": set(self._changed)}

    def _build(self, r: int, eid: str, typ: str) -> tuple[dict[str, Any], dict[str, Any]]:
        e = self.ents[r]
        best = max(e.forms, key=lambda f: (len(f), e.forms[f]))
        sf = e.surfaces[best]
        name = max(sf, key=lambda s: (len(s.split()), sf[s]))
        e.mentions.sort(key=lambda m: (e.docs.get(m[0], 0), m[1]))
        forms = []
        for f, _c in e.forms.most_common():
            forms.extend(s for s, _n in e.surfaces[f].most_common(3) if s not in forms)
        row = {
            "id": eid,
            "type": typ,
            "name": name,
            "key": " ".join(best),
            "forms": forms[:12],
            "roles": [x for x, _c in e.roles.most_common()],
            "documents": len(e.docs),
            "mention_count": len(e.mentions),
            "mentions": [dict(zip(_ROW_KEYS, m, strict=True)) for m in e.mentions],
        }
        report = {
            "id": eid,
            "type": typ,
            "name": name,
            "roles": [x for x, _c in e.roles.most_common(3)],
            "documents": len(e.docs),
            "mentions": len(e.mentions),
            "links": [[e.docs[m[0]], m[1], m[2], m[5]] for m in e.mentions[: self.report_links]],
        }
        return row, report

    def results(self) -> dict[str, list[dict[str, Any]]]:
        self._merge_shorter()
        rows = []
        report = []
        ids: dict[int, str] = {}
        used: set[str] = set()
        roots = self._roots()
        rebuilt: set[str] = set()
        cache: dict[int, tuple[dict[str, Any], dict[str, Any]]] = {}
        for r in roots:
            e = self.ents[r]
            if not e.mentions:
                continue
            typ = self._type(e)
            best = max(e.forms, key=lambda f: (len(f), e.forms[f]))
            key = f"{typ}|{' '.join(best)}"
            eid = "ent-" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:10]
            k = 1
            base = eid
            while eid in used:
                k += 1
                eid = f"{base}~{k}"
            used.add(eid)
            ids[r] = eid
            got = self._rows.get(r)
            if r in self.dirty or got is None or got[0]["id"] != eid:
                got = self._build(r, eid, typ)
                rebuilt.add(eid)
            cache[r] = got
            rows.append(got[0])
            report.append(got[1])
        self._rows = cache
        self.dirty = set()
        self._changed = rebuilt
        order = sorted(
            range(len(rows)), key=lambda i: (-rows[i]["documents"], -rows[i]["mention_count"], i)
        )
        rows = [rows[i] for i in order]
        report = [report[i] for i in order]
        speakers = [
            {"doc": d, "quote": q, "entity": ids[self.find(g)]}
            for d, q, g in self.speakers
            if self.find(g) in ids
        ]
        return {"entities": rows, "speaker_entities": speakers, "entity_report": report}


def preparer(settings: Any) -> Callable[[Article], list[LocalEntity]]:
    """The per-article part of the collector (:class:`marsad.core.protocols.CollectorSpec`)."""
    return EntityCollector(settings).prepare


def mention_entities(entities: list[dict[str, Any]]) -> dict[tuple[str, int, int], str]:
    """``(doc, start, end)`` of each named mention -> the id of its entity (role-only mentions
    are not in the ``mentions`` layer)."""
    return {
        (m["doc"], m["start"], m["end"]): ent["id"]
        for ent in entities
        for m in ent.get("mentions") or ()
        if m.get("kind", "name") == "name"
    }


def apply_entities(documents: list[Article], entities: list[dict[str, Any]]) -> None:
    """Set ``Mention.entity`` on in-memory articles from the ``entities`` rows (Python API)."""
    where = mention_entities(entities)
    from marsad.core.items import Mention

    for art in documents:
        for m in art.layers.get("mentions") or ():
            if isinstance(m, Mention):
                m.entity = where.get((art.id, m.start, m.end))


def speaker_links(links: list[dict[str, Any]]) -> dict[str, str]:
    """Quote id -> entity id, from the collector's ``speaker_entities`` rows."""
    return {str(r["quote"]): r["entity"] for r in links}


def link_speaker(row: dict[str, Any], by: dict[str, str]) -> bool:
    """Set ``speaker.entity`` of one ``quotes[]`` row from ``by`` (:func:`speaker_links`; null
    when its speaker is not linked); True when that changed the row."""
    sp = row.get("speaker")
    if not isinstance(sp, dict):
        return False
    eid = by.get(str(row.get("id")))
    if sp.get("entity") == eid:
        return False
    sp["entity"] = eid
    return True


def link_speakers(rows: list[dict[str, Any]], links: list[dict[str, Any]]) -> None:
    """Fill ``speaker.entity`` of ``quotes[]`` rows from the collector's ``speaker_entities``."""
    by = speaker_links(links)
    for row in rows:
        link_speaker(row, by)
