"""One article (:func:`resolve_article`, a pure function of the article): its mentions
grouped into local entities (:class:`LocalEntity`), the people's roles and role mentions, and
the entity a quote's speaker names (:func:`speaker_entity`)."""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass, field

from marsad.collect.entities.names import (
    _WORD,
    NameLexicon,
    _strip_article,
    alias_key,
    form_eq,
    form_key,
    is_sub,
    key_text,
    lexicon,
    name_parts,
    skel,
    swap_eq,
    tok_eq,
    tok_key,
)
from marsad.collect.entities.roles import (
    _adjacent,
    _BlockTokens,
    _head_key,
    _is_head,
    _role_after,
    _role_before,
    _role_key,
)
from marsad.core.article import Article
from marsad.core.items import TYPES


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
    if len(w) > 5 and w[0] in "وفب" and w[1:3] == "ال":
        first += 1
    os_, oe = norm.to_original(first, toks[-1].end())
    text = article.text[os_:oe]
    if len(w) > 4 and w.startswith("لل") and text.startswith("لل"):
        text = "ال" + text[2:]
    return text


#: Type labels of other tag sets (ANERcorp PERS, AQMAR MIS) read as the contract's types.
_TYPE_ALIASES = {"PERS": "PER", "PERSON": "PER", "MIS": "MISC", "GPE": "LOC"}


#: Per process: name parts by (key text, type) for the lexicon they were made with (names
#: recur across articles; the parts are tuples, safe to share). Cleared when it grows too large.
_PARTS: dict[tuple[str, str], tuple[str, ...]] = {}
_PARTS_LEX: list[NameLexicon] = []


def _name_parts(key: str, typ: str, lex: NameLexicon) -> tuple[str, ...]:
    if not _PARTS_LEX or _PARTS_LEX[0] is not lex or len(_PARTS) >= 100_000:
        _PARTS.clear()
        _PARTS_LEX[:] = [lex]
    parts = _PARTS.get((key, typ))
    if parts is None:
        parts = _PARTS[key, typ] = name_parts(key, typ, lex)
    return parts


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
        parts = _name_parts(key_text(article.text[s:e], norm.text[ns:ne]), typ, lex)
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
    """Group the article's mentions into entities (see the docs of marsad.collect.entities)."""
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
        if atype is None:
            parts, atype = _without_descriptors(parts, m.type, lex)
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


def _without_descriptors(
    parts: tuple[str, ...], typ: str, lex: NameLexicon
) -> tuple[tuple[str, ...], str | None]:
    """An organisation's or place's key without the words that describe it (``عناصر تنظيم
    القاعدة الإرهابي`` → ``القاعدة``; ``حركة حماس`` → ``حماس``), but ``حزب الله`` stays whole;
    with the alias group's type when what remains is an alias."""
    heads = lex.generic_heads.get(typ) or frozenset()
    atype = None
    while len(parts) > 1 and parts[0] in lex.descriptors_before:
        parts = parts[1:]
    while len(parts) > 1 and parts[-1] in lex.descriptors_after:
        parts = parts[:-1]
    if (
        len(parts) > 1
        and parts[0] in heads
        and not (len(parts) == 2 and parts[1] in lex.keep_head_before)
    ):
        parts = parts[1:]  # حركة حماس → حماس
    parts, atype = alias_key(parts, lex)
    return parts, atype


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


class _Span:
    """A bare span standing for a quote whose speaker is ``span`` (its name part)."""

    def __init__(self, span: tuple[int, int]) -> None:
        self.speaker = span


def speaker_entity(quote, entities: list[LocalEntity]) -> int | None:
    """Index in ``entities`` of the entity a quote's speaker span names (a name mention, else a
    role mention tied to a person), or None."""
    sp = getattr(quote, "speaker", None)
    if not sp:
        return None
    name = getattr(quote, "speaker_name", None)
    if name and name != sp:
        k = speaker_entity(_Span(name), entities)
        if k is not None:
            return k
    s, e = sp
    best = None
    for i, ent in enumerate(entities):
        for m in ent.mentions:
            if m.start < e and s < m.end:
                rank = (m.kind != "name", ent.type != "PER", m.start)
                if best is None or rank < best[0]:
                    best = (rank, i)
    return None if best is None else best[1]
