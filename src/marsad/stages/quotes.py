"""Who said what: quotations, their cues, speakers and relaying agencies.

The stage finds reported statements in the article's content blocks (title, body, subheadings;
never boilerplate) and writes them to ``article.layers["quotes"]`` as :class:`Quote` items.

Kinds:

- ``direct``: the words are quoted (``قال: «...»``, ``وأضاف "..."``, a headline
  ``الصدر: لا تحالف``, or a quotation followed by its cue ``«...»، قال المسؤول``);
- ``indirect``: a cue verb, a speaker and a clause introduced by إن/أن/بأن (or a nominal cue,
  ``بحسب``/``وفقا لـ``), with no quotation marks in the clause;
- ``mixed``: an indirect clause that contains quoted words (``قال إن المحادثات «بناءة»``).

How it works, on the normalised view (:attr:`Article.norm`, reported back on original offsets):

1. Cue verbs, in all the forms listed in ``resources/ar/cues.json`` (with و/ف), are found by one
   precompiled expression. For each cue, the text after it is scanned (a bounded window, up to
   the end of the sentence) for what opens the statement: a complementizer (إن، أن، بأن), a
   colon, a quotation of at least a few words, or, after a relay verb (نقل عن), ``قوله``.
   The span between the cue and that opener is the speaker phrase, cut at adverbials
   (``في بيان``, ``أمس``, ``لوكالة``, ``،``...).
2. The statement's content runs from the opener to the end of the sentence, where sentence ends
   inside a quotation do not count (a quotation may cross them), and stops before the next cue
   of the same sentence (``، مضيفا أن``).
3. Speakers: the phrase next to the cue (with the entity mention inside it, when the entities
   stage has run); when it is empty (``وأضاف``, ``وأضافت في بيان``, ``من جانبه، قال``) the
   previous speaker whose gender and number agree with the cue's form; a relay (``نقلت وكالة
   رويترز عن مصدر مطلع قوله``) gives ``via`` = the agency and speaker = the source. With no
   evidence the speaker is null.
4. Quotations whose cue follows them (``«...»، قال X``), nominal cues (``بحسب X``) and headline
   quotes are found in separate passes.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

from marsad.core.article import Article
from marsad.core.protocols import Stage
from marsad.core.settings import Settings
from marsad.text.normalize import normalize_text

# --------------------------------------------------------------------------------------------
# Lexicon
# --------------------------------------------------------------------------------------------

_W = r"[^\W\d_]"  # a letter
_OPENERS = {"«": "»", "“": "”", "‘": "’", "„": "“"}
_CLOSERS = {"»", "”", "’"}
_QUOTE_CHARS = re.compile(r"[«»“”‘’„\"]")
_END = re.compile(r"[.!?\u061f\u2026]+")
_WORD = re.compile(r"[^\W_][^\s،,:;؛.!?\u061f«»“”\"()\[\]]*")
_STRIP = " \t\n\r،,:;؛.-–—"


@dataclass(frozen=True, slots=True)
class CueForm:
    lemma: str
    gender: str | None
    number: str | None
    hal: bool
    relay: bool
    continuation: bool
    #: Prepositions that open a reported noun phrase (أشار إلى، أعرب عن), normalised.
    preps: tuple[str, ...] = ()
    #: Takes what was said as a direct object (نفت الوزارة أي صلة، أعلن الرئيس فوزه).
    np: bool = False
    #: Present tense (يقول، تشير): with no subject after it, it is impersonal (يُتوقع أن).
    present: bool = False


@dataclass(frozen=True)
class Lexicon:
    forms: dict[str, CueForm]
    cue_re: re.Pattern[str]
    comp_re: re.Pattern[str]
    saying_re: re.Pattern[str]
    from_re: re.Pattern[str]
    inline_relay_re: re.Pattern[str]
    nominal_re: re.Pattern[str]
    prep_re: re.Pattern[str]
    after_re: re.Pattern[str]
    relayed_by_re: re.Pattern[str]
    stop_re: re.Pattern[str]
    anonymous: frozenset[str]
    organisation: frozenset[str]
    roles: frozenset[str]
    media: tuple[str, ...]
    openers: tuple[str, ...]
    not_comp_before: frozenset[str]


def _n(s: str) -> str:
    return normalize_text(s).strip()


def _alt(phrases: list[str]) -> str:
    return "|".join(re.escape(p) for p in sorted(set(phrases), key=len, reverse=True))


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """The cue lexicon from ``resources/ar/cues.json``, compiled once."""
    data = json.loads(
        resources.files("marsad.resources.ar").joinpath("cues.json").read_text("utf-8")
    )
    forms: dict[str, CueForm] = {}
    for lemma, spec in data["verbs"].items():
        if lemma.startswith("_"):
            continue
        for form, tag in spec["forms"].items():
            parts = tag.split(".")
            forms[_n(form)] = CueForm(
                lemma=lemma,
                gender=parts[0] if parts[0] in ("m", "f") else None,
                number=parts[1] if len(parts) > 1 else None,
                hal="hal" in parts,
                relay=bool(spec.get("relay")),
                continuation=bool(spec.get("continuation")),
                preps=tuple(_n(p) for p in spec.get("complement", [])),
                np=bool(spec.get("object")),
                present=_n(form)[:1] == "ي"
                or (_n(form)[:1] == "ت" and not _n(lemma).startswith("ت")),
            )
    cue_re = re.compile(rf"(?<!\w)(?:[وف](?=\w))?(?P<form>{_alt(list(forms))})(?!\w)")
    comp = data["complementizers"]
    words = {_n(w) for w in comp["words"]}
    prons = "|".join(sorted((_n(p) for p in comp["pronouns"]), key=len, reverse=True))
    comp_re = re.compile(rf"(?<![\w.])(?P<w>{_alt(list(words))})(?P<pron>{prons})?(?!\w)")
    relay = data["relay_markers"]
    saying_re = re.compile(rf"(?<!\w)(?:{_alt([_n(w) for w in relay['saying']])})(?!\w)")
    from_re = re.compile(r"(?<!\w)عن(?P<pron>ه|ها|هم|هما|هن)?(?!\w)")
    inline_relay_re = re.compile(rf"(?<!\w)(?:{_alt([_n(w) for w in relay['inline']])})(?!\w)")
    nominal = [_n(p) for p in data["nominal"]["phrases"]]
    # A phrase ending in the preposition ل attaches to the next word (وفقا لمصادر).
    nom_alts = []
    for p in sorted(set(nominal), key=len, reverse=True):
        if p.endswith(" ل"):
            nom_alts.append(re.escape(p))
        else:
            nom_alts.append(re.escape(p) + r"(?!\w)")
    nominal_re = re.compile(rf"(?<!\w)(?:[وف](?=\w))?(?P<cue>{'|'.join(nom_alts)})")
    stops = [_n(p) for p in data["speaker_stops"]["phrases"]]
    stop_re = re.compile(
        rf"(?<!\w)(?:{_alt(stops)})(?!\w)|(?<!\w)ل(?=[«\"“A-Za-z]|\s)|[،,:;؛«»“”\"()\[\]]"
    )
    all_preps = {p for f in forms.values() for p in f.preps}
    prep_re = re.compile(rf"(?<!\w)(?:{_alt(sorted(all_preps))})(?!\w)")
    after_re = re.compile(rf"\s*(?:{_alt([_n(w) for w in data['after_cues']['words']])})(?!\w)")
    return Lexicon(
        forms=forms,
        prep_re=prep_re,
        after_re=after_re,
        relayed_by_re=re.compile(rf"(?<!\w)(?:{_alt([_n(w) for w in relay['relayed_by']])})(?!\w)"),
        cue_re=cue_re,
        comp_re=comp_re,
        saying_re=saying_re,
        from_re=from_re,
        inline_relay_re=inline_relay_re,
        nominal_re=nominal_re,
        stop_re=stop_re,
        anonymous=frozenset(_n(w) for w in data["anonymous_heads"]["words"]),
        organisation=frozenset(_n(w) for w in data["organisation_heads"]["words"]),
        roles=frozenset(_n(w) for w in data["role_heads"]["words"]),
        media=tuple(_n(w) for w in data["media"]["words"]),
        openers=tuple(
            sorted((_n(p) for p in data["continuation_openers"]["phrases"]), key=len, reverse=True)
        ),
        not_comp_before=frozenset(
            _n(w) for w in ("بعد", "قبل", "منذ", "دون", "حتى", "رغم", "بدل", "إلا", "لو", "كما")
        ),
    )


# --------------------------------------------------------------------------------------------
# Output items
# --------------------------------------------------------------------------------------------


@dataclass(slots=True)
class Quote:
    """One reported statement. All spans are original-text offsets."""

    start: int
    end: int
    kind: str  # direct / indirect / mixed
    cue: tuple[int, int]
    content: tuple[int, int]
    speaker: tuple[int, int] | None = None
    via: tuple[int, int] | None = None
    confidence: float = 0.5
    cue_type: str = "verb"  # verb / relay / nominal / headline / end
    cue_lemma: str | None = None
    gender: str | None = None
    number: str | None = None
    speaker_kind: str | None = None  # named / role / anonymous / organisation
    speaker_source: str | None = None  # local / continuation / pronoun
    speaker_mention_type: str | None = None
    refers_to: tuple[int, int] | None = None
    id: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    def to_json(self, article: Article) -> dict[str, Any]:
        t = article.text

        def span(s: tuple[int, int] | None) -> dict[str, Any] | None:
            return None if s is None else {"start": s[0], "end": s[1], "text": t[s[0] : s[1]]}

        speaker = None
        if self.speaker is not None:
            speaker = {"entity": None, **span(self.speaker)}  # type: ignore[dict-item]
        return {
            "id": self.id,
            "doc": article.id,
            "start": self.start,
            "end": self.end,
            "text": t[self.start : self.end],
            "kind": self.kind,
            "cue": span(self.cue),
            "content": span(self.content),
            "speaker": speaker,
            "via": span(self.via),
            "confidence": round(self.confidence, 2),
            "cue_type": self.cue_type,
            "cue_lemma": self.cue_lemma,
            "gender": self.gender,
            "number": self.number,
            "speaker_kind": self.speaker_kind,
            "speaker_source": self.speaker_source,
            "speaker_mention_type": self.speaker_mention_type,
            "speaker_refers_to": span(self.refers_to),
        }


# --------------------------------------------------------------------------------------------
# Helpers on the normalised text (all positions below are normalised offsets)
# --------------------------------------------------------------------------------------------


def quote_regions(n: str, start: int, end: int) -> list[tuple[int, int, bool]]:
    """Quotations in ``n[start:end]`` as ``(open, close_end, closed)``.

    Guillemets and curly quotes pair by nesting; straight quotes pair in turn; an opening mark
    with no closing one runs to the end of the block (scraped text is often unbalanced).
    A closing curly quote used as an opener (reversed marks) opens a quotation too.
    """
    out: list[tuple[int, int, bool]] = []
    stack: list[tuple[str, int]] = []
    straight: int | None = None
    for m in _QUOTE_CHARS.finditer(n, start, end):
        ch, i = m.group(), m.start()
        if ch == '"':
            if straight is None:
                straight = i
            else:
                out.append((straight, i + 1, True))
                straight = None
        elif stack and (ch == stack[-1][0] or (ch in "”“" and stack[-1][0] in "”“")):
            _, o = stack.pop()
            out.append((o, i + 1, True))
        elif ch in _OPENERS:
            stack.append((_OPENERS[ch], i))
        elif ch == "”":
            stack.append(("“", i))  # reversed curly quotes
    for _, o in stack:
        out.append((o, end, False))
    if straight is not None:
        out.append((straight, end, False))
    out.sort()
    return out


def _inside(regions: list[tuple[int, int, bool]], p: int) -> tuple[int, int, bool] | None:
    """The outermost quotation that strictly contains position ``p``."""
    for r in regions:
        if r[0] < p < r[1] - (1 if r[2] else 0):
            return r
        if r[0] > p:
            break
    return None


def _trim(n: str, s: int, e: int, chars: str = _STRIP) -> tuple[int, int]:
    while s < e and n[s] in chars:
        s += 1
    while e > s and n[e - 1] in chars:
        e -= 1
    return s, e


def _words(n: str, s: int, e: int) -> int:
    return len(_WORD.findall(n, s, e))


@dataclass(slots=True)
class _Ctx:
    n: str
    lex: Lexicon
    blocks: list[tuple[int, int, int, str]]  # (nstart, nend, block index, kind)
    sent_starts: list[int]
    sent_ends: list[int]
    regions: list[tuple[int, int, bool]]
    region_starts: list[int]
    mentions: list[tuple[int, int, str]]  # normalised (start, end, type)
    max_zone_words: int
    min_direct_words: int
    window: int
    keep_pronoun: bool
    np_objects: bool
    max_statement_chars: int = 2000
    #: block end -> (match starts, match ends, first statement end from each match on); see
    #: :func:`_statement_end`.
    end_cache: dict[int, tuple[list[int], list[int], list[int]]] = field(default_factory=dict)
    #: ``reach[i]``: the furthest inner end among ``regions[: i + 1]`` (see :meth:`inside`).
    reach: list[int] = field(default_factory=list)
    closed_by_end: dict[int, tuple[int, int, bool]] | None = None

    def __post_init__(self) -> None:
        best = -1
        for r in self.regions:
            best = max(best, r[1] - (1 if r[2] else 0))
            self.reach.append(best)

    def inside(self, p: int) -> tuple[int, int, bool] | None:
        """The outermost quotation that strictly contains ``p`` (as :func:`_inside`, in
        O(log n): the first region, in start order, whose inner end lies beyond ``p``)."""
        k = bisect_left(self.region_starts, p)  # regions starting before p
        j = bisect_right(self.reach, p)
        return self.regions[j] if j < k else None

    def closed_ending_at(self, q: int) -> tuple[int, int, bool] | None:
        """The first closed quotation (in start order) that ends at ``q``."""
        if self.closed_by_end is None:
            self.closed_by_end = {}
            for r in self.regions:
                if r[2]:
                    self.closed_by_end.setdefault(r[1], r)
        return self.closed_by_end.get(q)


def _sentence_of(ctx: _Ctx, p: int) -> tuple[int, int]:
    i = bisect_right(ctx.sent_starts, p) - 1
    if i >= 0 and p < ctx.sent_ends[i]:
        return ctx.sent_starts[i], ctx.sent_ends[i]
    return p, p


def _block_of(ctx: _Ctx, p: int) -> tuple[int, int, int, str] | None:
    i = bisect_right([b[0] for b in ctx.blocks], p) - 1
    if i >= 0 and p < ctx.blocks[i][1]:
        return ctx.blocks[i]
    return None


def _region_at(ctx: _Ctx, p: int) -> tuple[int, int, bool] | None:
    i = bisect_left(ctx.region_starts, p)
    if i < len(ctx.regions) and ctx.regions[i][0] == p:
        return ctx.regions[i]
    return None


def _statement_end(ctx: _Ctx, s: int, block_end: int) -> int:
    """End of the statement that starts at ``s``: the first sentence end outside quotations.

    The sentence-end marks of a block are judged once and cached, so that a block with many
    cue verbs and no usable sentence end (a giant line) costs linear, not quadratic, time."""
    table = ctx.end_cache.get(block_end)
    if table is None:
        table = _end_table(ctx, block_end)
        ctx.end_cache[block_end] = table
    starts, ends, first = table
    i = bisect_left(starts, s)
    if i > 0 and ends[i - 1] > s:  # s inside a run of marks: judge from s itself
        end = _statement_end_scan(ctx, s, block_end)
    else:
        end = first[i] if i < len(first) else block_end
    # A giant block without sentence ends (a page dumped as one line) would make every
    # statement run to its end: bounded by [quotes] max_statement_chars.
    return min(end, s + ctx.max_statement_chars)


def _end_table(ctx: _Ctx, block_end: int) -> tuple[list[int], list[int], list[int]]:
    bstart = next((b[0] for b in ctx.blocks if b[1] == block_end), 0)
    starts: list[int] = []
    ends: list[int] = []
    verdicts: list[int | None] = []
    for m in _END.finditer(ctx.n, bstart, block_end):
        starts.append(m.start())
        ends.append(m.end())
        verdicts.append(_end_verdict(ctx, m, block_end))
    first = [block_end] * len(starts)
    nxt = block_end
    for j in range(len(starts) - 1, -1, -1):
        v = verdicts[j]
        if v is not None:
            nxt = v
        first[j] = nxt
    return starts, ends, first


def _end_verdict(ctx: _Ctx, m: re.Match, block_end: int) -> int | None:
    """Where a statement reaching the mark ``m`` ends, or None when ``m`` does not end it."""
    n = ctx.n
    p = m.start()
    if n[p] == "." and p > 0 and n[p - 1].isdigit() and p + 1 < len(n) and n[p + 1].isdigit():
        return None
    if n[p] == "." and p >= 2 and n[p - 2] in " \n" and n[p - 1].isalpha():
        return None  # a one-letter abbreviation (د.)
    if n[p] == "." and m.end() < len(n) and n[m.end()].isalpha():
        return None  # أ.ف.ب, U.S.: no space after the dot
    r = ctx.inside(p)
    if r is not None:
        if r[2] and r[1] - 1 == m.end() and m.end() < block_end:
            return r[1]  # «... انتهى.» — the statement ends with the quotation
        return None
    return p


def _statement_end_scan(ctx: _Ctx, s: int, block_end: int) -> int:
    for m in _END.finditer(ctx.n, s, block_end):
        v = _end_verdict(ctx, m, block_end)
        if v is not None:
            return v
    return block_end


def _content_span(ctx: _Ctx, s: int, e: int) -> tuple[int, int, str]:
    """Trim a content span and decide its kind from the quotations inside it."""
    n = ctx.n
    s, e = _trim(n, s, e)
    # "...، بحسب رويترز" / "...، وفقا لما ذكرت" at the end belongs to the attribution
    for m in ctx.lex.nominal_re.finditer(n, s, e):
        k = m.start()
        while k > s and n[k - 1] in " \t":
            k -= 1
        if k > s and n[k - 1] in "،," and not ctx.inside(m.start()):
            s, e = _trim(n, s, k - 1)
            break
    inner = ctx.regions[bisect_left(ctx.region_starts, s) : bisect_left(ctx.region_starts, e)]
    if inner:
        r0 = inner[0]
        whole = r0[0] == s and (r0[1] >= e or (r0[2] and _words(n, r0[0], r0[1]) >= 3))
        if whole:
            cs, ce = _trim(n, r0[0] + 1, min(r0[1] - (1 if r0[2] else 0), e), _STRIP + '«»“”"‘’')
            return cs, ce, "direct"
        if any(_words(n, r[0], r[1]) >= 1 for r in inner):
            _s2, e2 = _trim(n, s, e, _STRIP + '«“"')
            # keep a closing quotation mark of a quotation opened inside the content
            if e2 < e and n[e2] in '»”"' and any(r[0] >= s for r in inner):
                e2 += 1
            return s, e2, "mixed"
    return s, e, "indirect"


# --------------------------------------------------------------------------------------------
# Speaker phrases
# --------------------------------------------------------------------------------------------


def _speaker_phrase(ctx: _Ctx, s: int, e: int) -> tuple[int, int] | None:
    """The speaker inside the zone ``[s, e)`` between a cue and what opens the statement."""
    n = ctx.n
    s, e = _trim(n, s, e)
    if s >= e:
        return None
    hal = ctx.lex.cue_re.match(n, s)
    if hal is not None and ctx.lex.forms[hal.group("form")].hal:
        s, e = _trim(n, hal.end(), e)  # وأضاف موضحا
        if s >= e:
            return None
    pos = s
    while True:
        m = ctx.lex.stop_re.search(n, pos, e)
        if m is None:
            break
        r = _region_at(ctx, m.start()) if n[m.start()] in '«“"‘' else None
        if r is not None and r[2] and r[1] <= e and m.start() > s:
            pos = r[1]  # a quoted name inside the speaker phrase: شركة "نجمة"
            continue
        e = m.start()
        s, e = _trim(n, s, e)
        break
    if s >= e or _words(n, s, e) == 0:
        return None
    return s, e


def _speaker_kind(ctx: _Ctx, s: int, e: int) -> tuple[str, str | None]:
    n = ctx.n
    words = _WORD.findall(n, s, e)
    mtype = None
    for ms, me, t in ctx.mentions:
        if ms < e and me > s:
            mtype = t
            break
    if not words:
        return "named", mtype
    head = words[0]
    bare = head[1:] if head.startswith("و") and head[1:] in ctx.lex.roles else head
    phrase = " ".join(words)
    if mtype == "PER":
        return "named", mtype
    if head in ctx.lex.anonymous:
        return "anonymous", mtype
    if mtype == "ORG" or head in ctx.lex.organisation or any(m in phrase for m in ctx.lex.media):
        return "organisation", mtype
    if bare in ctx.lex.roles or " ".join(words[:2]) in ctx.lex.roles:
        rest = words[1:]
        if all(w.startswith("ال") or w in ("عام", "باسم", "اول", "في") for w in rest):
            return "role", mtype
        return "named", mtype
    return "named", mtype


# --------------------------------------------------------------------------------------------
# The passes
# --------------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Stmt:
    cue: tuple[int, int]
    content: tuple[int, int]
    kind: str
    speaker: tuple[int, int] | None
    via: tuple[int, int] | None
    form: CueForm | None
    cue_type: str
    confidence: float
    speaker_source: str | None = None
    pron_gender: str | None = None  # gender/number of an attached pronoun (عنه، عنها)
    pron_number: str | None = None
    needs_antecedent: bool = False
    extra: dict[str, Any] = field(default_factory=dict)


def _verb_statements(ctx: _Ctx, article: Article) -> list[_Stmt]:
    n, lex = ctx.n, ctx.lex
    out: list[_Stmt] = []
    cues = []
    for b0, b1, _bi, _kind in ctx.blocks:
        for m in lex.cue_re.finditer(n, b0, b1):
            form = lex.forms[m.group("form")]
            if form.lemma == "بين" and m.group("form") == "بين":
                o0, o1 = article.norm.to_original(m.start("form"), m.end("form"))
                if "\u0651" not in article.text[o0:o1]:
                    continue  # the preposition بين, not the verb بيّن
            if form.lemma == "عبر" and m.group("form") == "عبر":
                if not re.search(r"\sعن(?!\w)", n[m.end() : m.end() + 40]):
                    continue  # the preposition عبر 'via', not the verb عبّر
            cues.append((m.start(), m.end(), form, b1))
    cue_starts = [c[0] for c in cues]
    skipped: set[int] = set()
    for ci, (cs, ce, form, b1) in enumerate(cues):
        if ci in skipped:
            continue
        if ctx.inside(cs):
            continue  # a verb inside quoted words is part of the quotation
        before = _WORD.findall(n, max(0, cs - 8), cs)
        if before and before[-1] in ("عدم", "دون"):
            continue  # a verbal noun (عدم كشف), not a cue
        sent_s, _sent_e = _sentence_of(ctx, cs)
        limit = min(b1, ce + ctx.window)
        nxt = cue_starts[ci + 1] if ci + 1 < len(cues) else len(n)
        if ci + 1 < len(cues) and cues[ci + 1][2].hal and not n[ce:nxt].strip():
            # وأضاف موضحا: «...» — the participle belongs to this cue
            nxt = cue_starts[ci + 2] if ci + 2 < len(cues) else len(n)
            skipped.add(ci + 1)
        limit = min(limit, nxt)
        send = _statement_end(ctx, ce, b1)
        limit = min(limit, send)
        st = _open_statement(ctx, cs, ce, form, limit, b1)
        if st is None:
            st = _cue_at_end(ctx, cs, ce, form, sent_s, send, b1)
        if st is None:
            st = _refers_back(ctx, cs, ce, form, sent_s, send)
        if st is None and form.np and ctx.np_objects:
            st = _noun_object(ctx, cs, ce, form, min(send, nxt))
        if st is not None:
            out.append(st)
        elif not form.hal and not form.present:
            # not a statement, but its subject may be who the next وأضاف refers to
            sp = _speaker_phrase(ctx, ce, min(send, ce + 80))
            if sp is not None and lex.cue_re.match(n, sp[0]) is None:
                words = list(_WORD.finditer(n, sp[0], sp[1]))[:4]
                head = words[0].group()
                if head.startswith(("بال", "لل", "فال", "كال")) or (
                    head.startswith("ال")
                    and not (
                        head in lex.organisation
                        or head in lex.roles
                        or head in lex.anonymous
                        or any(ms < sp[1] and me > sp[0] for ms, me, _t in ctx.mentions)
                    )
                ):
                    continue  # ووصف القرار: more likely an object than a subject
                sp = (words[0].start(), words[-1].end())
                out.append(
                    _Stmt(
                        cue=(cs, ce),
                        content=(cs, cs),
                        kind="subject",
                        speaker=sp,
                        via=None,
                        form=form,
                        cue_type="subject",
                        confidence=0.0,
                        speaker_source="local",
                    )
                )
    return out


def _open_statement(
    ctx: _Ctx, cs: int, ce: int, form: CueForm, limit: int, block_end: int
) -> _Stmt | None:
    """Cue, then speaker, then an opener (complementizer, colon, quotation, قوله)."""
    n, lex = ctx.n, ctx.lex
    pos = ce
    opener: tuple[str, int, int] | None = None  # (type, start, content start)
    while pos < limit:
        cands = []
        m = lex.comp_re.search(n, pos, limit)
        if m is not None:
            cands.append(("comp", m.start(), m))
        c = n.find(":", pos, limit)
        if c >= 0:
            cands.append(("colon", c, None))
        q = _QUOTE_CHARS.search(n, pos, limit)
        if q is not None:
            cands.append(("quote", q.start(), None))
        if form.preps:
            pm = lex.prep_re.search(n, pos, limit)
            while pm is not None and pm.group() not in form.preps:
                pm = lex.prep_re.search(n, pm.end(), limit)
            if pm is not None:
                cands.append(("prep", pm.start(), pm))
        if form.relay:
            sm = lex.saying_re.search(n, pos, limit)
            if sm is not None:
                cands.append(("saying", sm.start(), sm))
        if not cands:
            break
        typ, p, mm = min(cands, key=lambda t: t[1])
        if typ == "comp":
            prev = _WORD.findall(n, max(ce, p - 12), p)
            if prev and prev[-1] in lex.not_comp_before:
                pos = mm.end()
                continue
            start = mm.start() if (mm.group("pron") and ctx.keep_pronoun) else mm.end()
            opener = ("comp", p, start)
            break
        if typ == "prep":
            after = mm.end()
            m2 = lex.comp_re.match(
                n, after + len(n[after : after + 3]) - len(n[after : after + 3].lstrip())
            )
            if m2 is not None:
                pos = mm.end()  # أشار إلى أن: the complementizer opens the clause
                continue
            opener = ("prep", p, after)
            break
        if typ == "colon":
            r = ctx.inside(p)
            if r is not None and r[0] >= ce:
                pos = p + 1  # a colon inside a quoted title: not an opener
                continue
            after = p + 1
            while after < limit and n[after] in " \t":
                after += 1
            m2 = lex.comp_re.match(n, after)
            if m2 is not None:  # قالت المؤسسة: إن ...
                after = m2.start() if (m2.group("pron") and ctx.keep_pronoun) else m2.end()
            opener = ("colon", p, after)
            break
        if typ == "saying":
            nxt = mm.end()
            # قوله إن / قوله: / قوله «...»
            rest = n[nxt : nxt + 8]
            m2 = lex.comp_re.match(n, nxt + len(rest) - len(rest.lstrip()))
            if m2 is not None:
                nxt = m2.start() if (m2.group("pron") and ctx.keep_pronoun) else m2.end()
            elif rest.lstrip().startswith(":"):
                nxt = n.index(":", nxt) + 1
            opener = ("saying", p, nxt)
            break
        r = _region_at(ctx, p)
        if r is None:
            pos = p + 1
            continue
        if (
            _words(n, r[0], r[1]) >= ctx.min_direct_words
            and _words(n, ce, p) <= ctx.max_zone_words
            and _ends_statement(n, r, block_end)
        ):
            opener = ("quote", p, p)
            break
        pos = r[1]  # a short quotation inside the speaker phrase (a name): skip it
    k = cs
    while k > 0 and n[k - 1] in " \t":
        k -= 1
    after_punct = k == 0 or n[k - 1] in '،,.:;؛\n"»”)'
    if opener is None and form.hal and after_punct:
        # مؤكدا حرص الهيئة على ...: a participle takes its object directly
        nx = _WORD.match(n, ce + len(n[ce : ce + 4]) - len(n[ce : ce + 4].lstrip()))
        if nx is not None and nx.end() <= limit and lex.stop_re.match(n, nx.start()) is None:
            opener = ("object", nx.start(), nx.start())
    if opener is None:
        return None
    typ, op, cstart = opener
    if form.lemma == "عبر" and typ != "prep":
        return None  # the preposition عبر 'via'
    if typ == "prep" and form.relay:
        return None
    zone_s, zone_e = ce, op
    if _words(n, zone_s, zone_e) > ctx.max_zone_words:
        return None
    if form.hal and _speaker_phrase(ctx, zone_s, zone_e) is not None:
        return None  # مؤكدة / لافتة used as adjectives or nouns
    via = None
    pron_gender = pron_number = None
    speaker: tuple[int, int] | None
    fm = lex.from_re.search(n, zone_s, zone_e) if form.relay else None
    inline = lex.inline_relay_re.search(n, zone_s, zone_e)
    if form.relay and fm is None and typ == "saying":
        return None
    if fm is not None:
        via = _speaker_phrase(ctx, zone_s, fm.start())
        if fm.group("pron"):
            speaker = None
            pron_gender, pron_number = _pronoun_features(fm.group("pron"))
        else:
            speaker = _speaker_phrase(ctx, fm.end(), zone_e)
    elif inline is not None:
        via = _speaker_phrase(ctx, zone_s, inline.start())
        speaker = _speaker_phrase(ctx, inline.end(), zone_e)
    else:
        speaker = _speaker_phrase(ctx, zone_s, zone_e)
        rb = lex.relayed_by_re.search(n, zone_s, zone_e)
        if rb is not None:  # في تصريحات نقلتها وكالة الأنباء ...
            via = _speaker_phrase(ctx, rb.end(), zone_e)
    if speaker is not None and n[speaker[0] : speaker[1]] in ("الله", "الله تعالي"):
        return None  # دعا الله أن ...: a prayer, not a statement
    if speaker is None and via is None and form.present:
        return None  # يُتوقع أن / تشير إلى أن: impersonal or not a speaker
    # content
    if typ == "quote":
        r = _region_at(ctx, op)
        assert r is not None
        cend = r[1]
    else:
        cend = _statement_end(ctx, cstart, block_end)
    cs2, ce2, kind = _content_span(ctx, cstart, cend)
    if ce2 <= cs2:
        return None
    if typ in ("colon", "quote"):
        conf = 0.9
    elif typ == "saying":
        conf = 0.85
    elif typ in ("prep", "object"):
        conf = 0.6
    else:
        conf = 0.8
    return _Stmt(
        cue=(cs, ce),
        content=(cs2, ce2),
        kind=kind,
        speaker=speaker,
        via=via,
        form=form,
        cue_type="relay" if (form.relay or via is not None) else "verb",
        confidence=conf,
        pron_gender=pron_gender,
        pron_number=pron_number,
        needs_antecedent=speaker is None,
        extra={"opener": typ},
    )


def _ends_statement(n: str, r: tuple[int, int, bool], block_end: int) -> bool:
    """A quotation that is what was said ends its sentence (a quoted title goes on after)."""
    if not r[2]:
        return True
    k = r[1]
    while k < block_end and n[k] in " \t":
        k += 1
    if r[1] >= 2 and n[r[1] - 2] in ".!?\u061f\u2026":
        return True  # «... انتهى.» — the sentence ends inside the quotation
    return k >= block_end or n[k] in ".،,!?\u061f\u2026)\n;؛"


def _pronoun_features(p: str) -> tuple[str | None, str | None]:
    return {
        "ه": ("m", "sg"),
        "ها": ("f", "sg"),
        "هم": ("m", "pl"),
        "هما": (None, "du"),
        "هن": ("f", "pl"),
    }.get(p, (None, None))


def _noun_object(ctx: _Ctx, cs: int, ce: int, form: CueForm, send: int) -> _Stmt | None:
    """``ونفت الوزارة أي صلة لها بالحادث``: subject, then the object that was said.

    Only for verbs marked ``object`` in the lexicon, past tense, with an explicit subject that
    looks like a speaker (its head is a known title, organisation or source word, or an entity
    mention): the subject runs over the definite words that follow its head (الولايات المتحدة،
    الجيش الوطني), adverbials after it are skipped, and the rest is the content.
    """
    n, lex = ctx.n, ctx.lex
    if form.hal or form.present or form.relay:
        return None
    words = list(_WORD.finditer(n, ce, send))
    if len(words) < 3:
        return None
    head = words[0].group()
    mention = next((m for m in ctx.mentions if m[0] <= words[0].start() < m[1]), None)
    if mention is None and not (
        head in lex.organisation or head in lex.roles or head in lex.anonymous
    ):
        return None
    k = 1
    if mention is not None:
        while k < len(words) and words[k].start() < mention[1]:
            k += 1
    while k < len(words) and k < 6 and words[k].group().startswith("ال"):
        if lex.stop_re.fullmatch(words[k].group()):
            break
        k += 1
    if head in lex.roles and mention is None:
        # a title then a name: الرئيس المنتخب سامر الحداد فوزه — up to a suffixed word
        j = k
        while j < len(words) and j < k + 4 and not words[j].group().startswith("ال"):
            w = words[j].group()
            if lex.stop_re.fullmatch(w) or w.endswith(("ه", "ها", "هم")):
                break
            j += 1
        if j < len(words) and words[j].group().endswith(("ه", "ها", "هم")):
            k = j
    sp = (words[0].start(), words[k - 1].end())
    # skip adverbials (أمس، الثلاثاء، في بيان ...)
    while k < len(words) and lex.stop_re.match(n, words[k].start()):
        if words[k].group() in ("في", "خلال", "عبر"):
            return None  # a longer adverbial: the object is not where we look
        k += 1
    if k >= len(words) - 1 or n.find("،", sp[1], words[k].start()) >= 0:
        return None
    c0, c1, kind = _content_span(ctx, words[k].start(), send)
    if _words(n, c0, c1) < 2:
        return None
    return _Stmt(
        cue=(cs, ce),
        content=(c0, c1),
        kind=kind,
        speaker=sp,
        via=None,
        form=form,
        cue_type="verb",
        confidence=0.5,
        extra={"opener": "object"},
    )


def _cue_at_end(
    ctx: _Ctx, cs: int, ce: int, form: CueForm, sent_s: int, send: int, block_end: int
) -> _Stmt | None:
    """``«...»، قال المسؤول`` / ``...، يقول الخبير``: the statement comes before its cue."""
    n = ctx.n
    if form.hal or form.relay or (n[cs] in "وف" and n[cs:ce] not in ctx.lex.forms):
        return None
    p = cs
    while p > sent_s and n[p - 1] in " \t":
        p -= 1
    if p <= sent_s or n[p - 1] not in "،,":
        return None
    comma = p - 1
    speaker = _speaker_phrase(ctx, ce, send)
    if speaker is None or _words(ctx.n, ce, send) > 8:
        return None
    if ctx.lex.comp_re.search(n, ce, send):
        return None
    q = comma
    while q > sent_s and n[q - 1] in " \t":
        q -= 1
    r = None
    if q > sent_s and n[q - 1] in '»”"’':
        r = ctx.closed_ending_at(q)
    if r is not None:
        c0, c1 = _trim(n, r[0] + 1, r[1] - 1, _STRIP + '«»“”"‘’')
        kind = "direct"
        conf = 0.85
    else:
        c0, c1 = _trim(n, sent_s, comma)
        kind = "indirect"
        conf = 0.6
        if _words(n, c0, c1) < 3:
            return None
    if c1 <= c0:
        return None
    return _Stmt(
        cue=(cs, ce),
        content=(c0, c1),
        kind=kind,
        speaker=speaker,
        via=None,
        form=form,
        cue_type="end",
        confidence=conf,
    )


def _refers_back(
    ctx: _Ctx, cs: int, ce: int, form: CueForm, sent_s: int, send: int
) -> _Stmt | None:
    """``صرّح بذلك المدير`` / ``أعلن ذلك الوزير``: the statement is the previous sentence."""
    n = ctx.n
    if form.hal or form.relay:
        return None
    m = ctx.lex.after_re.match(n, ce)
    if m is None:
        return None
    speaker = _speaker_phrase(ctx, m.end(), send)
    if speaker is None:
        return None
    i = bisect_right(ctx.sent_starts, sent_s - 1) - 1
    if i < 0 or ctx.sent_starts[i] >= sent_s:
        return None
    c0, c1, kind = _content_span(ctx, ctx.sent_starts[i], ctx.sent_ends[i])
    if _words(n, c0, c1) < 3:
        return None
    return _Stmt(
        cue=(cs, ce),
        content=(c0, c1),
        kind=kind,
        speaker=speaker,
        via=None,
        form=form,
        cue_type="after",
        confidence=0.6,
    )


def _nominal_statements(ctx: _Ctx, taken: list[tuple[int, int]], stmts: list[_Stmt]) -> list[_Stmt]:
    """``بحسب X`` / ``وفقا لـX`` / ``نقلا عن X`` at the start or the end of a sentence."""
    n, lex = ctx.n, ctx.lex
    out: list[_Stmt] = []
    for b0, b1, _bi, _k in ctx.blocks:
        for m in lex.nominal_re.finditer(n, b0, b1):
            cs, ce = m.start(), m.end()
            if any(a <= cs < b for a, b in taken) or ctx.inside(cs):
                continue
            sent_s, _sent_e = _sentence_of(ctx, cs)
            send = _statement_end(ctx, cs, b1)
            owner = next(
                (
                    st
                    for st in stmts
                    if st.kind != "subject" and sent_s <= st.cue[0] < cs and st.content[1] <= cs
                ),
                None,
            )
            if owner is not None:
                # "وقال إن ...، بحسب رويترز": the agency that reported the statement
                if owner.via is None:
                    owner.via = _speaker_phrase(ctx, m.end(), send)
                continue
            prefix = n[sent_s:cs].strip(_STRIP + "وف")
            if not prefix:
                comma = n.find("،", ce, send)
                if comma < 0:
                    comma = n.find(",", ce, send)
                if comma < 0:
                    continue
                speaker = _speaker_phrase(ctx, ce, comma)
                cstart = comma + 1
                while cstart < send and n[cstart] in " \t":
                    cstart += 1
                m2 = lex.comp_re.match(n, cstart, send)
                if m2 is not None:
                    cstart = m2.start() if (m2.group("pron") and ctx.keep_pronoun) else m2.end()
                c0, c1, kind = _content_span(ctx, cstart, send)
            else:
                speaker = _speaker_phrase(ctx, ce, send)
                c0, c1, kind = _content_span(ctx, sent_s, cs)
            if speaker is None or _words(n, c0, c1) < 2:
                continue
            skind, _ = _speaker_kind(ctx, *speaker)
            words = _WORD.findall(n, *speaker)
            if not (
                skind in ("anonymous", "organisation", "role")
                or any(ms < speaker[1] and me > speaker[0] for ms, me, _t in ctx.mentions)
                or (words and words[0] in lex.roles)
            ):
                continue  # بحسب الخطة / حسب الإحصاءات: not a speaker
            out.append(
                _Stmt(
                    cue=(cs, ce),
                    content=(c0, c1),
                    kind=kind,
                    speaker=speaker,
                    via=None,
                    form=None,
                    cue_type="nominal",
                    confidence=0.6,
                )
            )
    return out


def _headline_statements(ctx: _Ctx) -> list[_Stmt]:
    """A title block ``الصدر: لا تحالف مع أي طرف`` (speaker, colon, statement)."""
    n = ctx.n
    out = []
    for b0, b1, _bi, kind in ctx.blocks:
        if kind != "title":
            continue
        c = n.find(":", b0, b1)
        if c < 0:
            continue
        sp = _trim(n, b0, c)
        if not (1 <= _words(n, *sp) <= 5) or any(ch.isdigit() for ch in n[sp[0] : sp[1]]):
            continue
        if ctx.lex.cue_re.search(n, sp[0], sp[1]):
            continue
        c0, c1, _k = _content_span(ctx, c + 1, b1)
        if _words(n, c0, c1) < 2:
            continue
        out.append(
            _Stmt(
                cue=(c, c + 1),
                content=(c0, c1),
                kind="direct",
                speaker=sp,
                via=None,
                form=None,
                cue_type="headline",
                confidence=0.7,
            )
        )
    return out


def _prefix_speaker(ctx: _Ctx, st: _Stmt) -> tuple[tuple[int, int] | None, bool]:
    """For a cue with no subject after it: a subject before it (``الوزارة كانت قد أعلنت``).

    Returns (speaker, is_continuation_opener).
    """
    n, lex = ctx.n, ctx.lex
    cs = st.cue[0]
    sent_s, _ = _sentence_of(ctx, cs)
    s = sent_s
    for sep in "،,:":
        k = n.rfind(sep, sent_s, cs)
        if k >= 0:
            s = max(s, k + 1)
    pre = n[s:cs]
    stripped = pre.strip(_STRIP)
    if not stripped:
        # "من جانبه، قال" — look at what comes before the comma
        whole = n[sent_s:cs].strip(_STRIP + "و")
        return None, bool(whole) and whole.startswith(lex.openers)
    body = stripped[1:] if stripped.startswith("و") else stripped
    if body.startswith(lex.openers) or stripped.startswith(lex.openers):
        return None, True
    if len(stripped) > _MAX_PREFIX_CHARS:
        return None, False  # far more than 10 words: not a subject (and linear, not quadratic)
    words = _WORD.findall(n, s, cs)
    while words and words[-1] in ("قد", "ايضا", "كذلك"):
        words.pop()
    lead = {
        "وكان",
        "وكانت",
        "كان",
        "كانت",
        "فيما",
        "بينما",
        "وقد",
        "قد",
        "الا",
        "ان",
        "لكن",
        "ولكن",
        "غير",
        "كما",
        "اذ",
        "حيث",
        "وفيما",
        "بل",
        "ثم",
        "وان",
        "فان",
    }
    while words and words[0] in lead:
        words = words[1:]
    if not words or len(words) > 10:
        return None, False
    known = lex.anonymous | lex.organisation | lex.roles
    w0 = words[0]
    first = w0[1:] if w0.startswith("و") and w0 not in known and w0[1:] in known else w0
    if first not in known:
        if not any(ms >= s and me <= cs for ms, me, _t in ctx.mentions):
            return None, False
    a = n.find(w0, s, cs)
    last = words[-1]
    b = n.rfind(last, a, cs) + len(last)
    if first != w0:
        a += 1  # وزير → و + the title: the conjunction is not part of the speaker
    return (a, b), False


#: A subject before its verb is at most 10 words (after leading particles): a longer stretch
#: between the sentence start and the cue is never one.
_MAX_PREFIX_CHARS = 600

_LEADS = ("كما", "وكما", "وقد", "قد", "فقد", "ولقد", "كذلك", "ايضا")


def _main_subject(
    ctx: _Ctx, sent_s: int, cs: int, gender: str | None, pronoun_coord: bool = False
) -> tuple[int, int] | None:
    """The subject of a sentence's main verb (``كما أصدرت الهيئة تعليمات ...، مشيرة إلى``).

    Verb-subject order: the first word of the sentence (after و/كما/قد) is taken as the verb
    when its ending agrees with ``gender`` (feminine verbs end in ت), and the noun phrase after
    it, up to an adverbial, is the subject.
    """
    n = ctx.n
    words = list(_WORD.finditer(n, sent_s, cs))
    while words and words[0].group() in _LEADS:
        words = words[1:]
    if len(words) < 2:
        return None
    verb = words[0].group()
    if verb.startswith("ال") or verb in ctx.lex.not_comp_before or len(verb) < 3:
        return None
    fem = verb.endswith("ت")
    if (gender == "f" and not fem) or (gender == "m" and fem):
        return None
    sp = _speaker_phrase(ctx, words[0].end(), cs)
    if sp is None:
        return None
    ws = list(_WORD.finditer(n, sp[0], sp[1]))[:5]
    if not ws or ctx.lex.cue_re.match(n, ws[0].start()):
        return None
    head = ws[0].group()
    if not (head.startswith("ال") or head in ctx.lex.organisation or pronoun_coord):
        return None
    if head.startswith(("بال", "لل", "فال", "كال")) or head in ctx.lex.not_comp_before:
        return None
    for j in range(1, len(ws)):
        if ws[j].group().startswith(("بال", "لل", "فال", "كال")):
            ws = ws[:j]  # كتل سياسية عراقية بانطلاق ...: the subject ends before the object
            break
    return ws[0].start(), ws[-1].end()


def _resolve(ctx: _Ctx, stmts: list[_Stmt]) -> None:
    """Fill empty speakers from the previous speaker whose gender and number agree."""
    n = ctx.n
    history: list[tuple[tuple[int, int], str | None, str | None]] = []
    for st in stmts:
        if st.kind == "subject":
            history.append(
                (
                    st.speaker,
                    st.form.gender if st.form else None,
                    st.form.number if st.form else None,
                )
            )
            continue
        if st.speaker is None and st.needs_antecedent:
            if st.via is None:
                pre, _opener = _prefix_speaker(ctx, st)
                if pre is not None:
                    st.speaker = pre
                    st.speaker_source = "local"
            g = st.pron_gender if st.pron_gender else (st.form.gender if st.form else None)
            num = st.pron_number if st.pron_number else (st.form.number if st.form else None)
            sent_s, _ = _sentence_of(ctx, st.cue[0])
            before = _WORD.findall(n, max(sent_s, st.cue[0] - 12), st.cue[0])
            coord = bool(before) and before[-1] in ("لكنه", "لكنها", "لكنهم", "ولكنه", "ولكنها")
            if st.speaker is None and st.form is not None and (st.form.hal or coord):
                if not any(sp[0] >= sent_s for sp, _g, _n in history):
                    main = _main_subject(ctx, sent_s, st.cue[0], g, coord)
                    if main is not None:
                        st.speaker = main
                        st.speaker_source = "clause"
            if st.speaker is None:
                for sp, hg, hn in reversed(history):
                    if g and hg and g != hg:
                        continue
                    if num and hn and (num == "pl") != (hn == "pl"):
                        continue
                    st.speaker = sp
                    st.speaker_source = "pronoun" if st.pron_gender else "continuation"
                    st.confidence = min(st.confidence, 0.7)
                    break
        elif st.speaker is not None:
            st.speaker_source = st.speaker_source or "local"
        if st.speaker is not None and st.cue_type != "nominal":
            g = st.form.gender if st.form else None
            num = st.form.number if st.form else None
            if st.speaker_source != "local" and st.pron_gender:
                g, num = st.pron_gender, st.pron_number
            history.append((st.speaker, g, num))


_COORD = frozenset(
    {
        "لكنه",
        "لكنها",
        "لكنهم",
        "ولكنه",
        "ولكنها",
        "انه",
        "انها",
        "ثم",
        "كما",
        "وكما",
        "بل",
        "فيما",
        "بينما",
        "حين",
    }
)


def _cut_at_next_cue(ctx: _Ctx, stmts: list[_Stmt]) -> list[_Stmt]:
    """A statement ends before the next coordinated cue inside it (``إن ...، مضيفا أن ...``).

    A cue inside a statement that is not coordinated (no comma or و before it) is part of what
    was said (``أنه بسماع أقوالهم أفادوا بأنهم ...``): that inner statement is dropped.
    """
    n = ctx.n
    real = [st for st in stmts if st.kind != "subject"]
    starts = sorted(st.cue[0] for st in stmts)
    is_real = {st.cue[0] for st in real}
    drop: set[int] = set()
    for st in real:
        c0, c1 = st.content
        i = bisect_right(starts, c0)
        while i < len(starts) and starts[i] < c1:
            e = starts[i]
            if ctx.inside(e):
                i += 1
                continue
            k = e
            while k > c0 and n[k - 1] in " \t":
                k -= 1
            prev = _WORD.findall(n, max(c0, k - 12), k)
            coordinated = (
                n[e] in "وف"
                or (k > c0 and n[k - 1] in "،,.؛;")
                or (bool(prev) and prev[-1] in _COORD)
            )
            if not coordinated:
                if st.cue[0] < c0 and e in is_real:
                    drop.add(e)
                i += 1
                continue
            if e not in is_real and not (n[e] in "وف" and k > c0 and n[k - 1] in "،,"):
                i += 1  # only a coordinated verb (، واتهم) ends a statement
                continue
            e2 = k
            if prev and prev[-1] in _COORD and not (k > c0 and n[k - 1] in "،,.؛;"):
                e2 = n.rfind(prev[-1], c0, k)
            while e2 > c0 and n[e2 - 1] in " \t،,":
                e2 -= 1
            if e2 > c0:
                s2, e3, kind = _content_span(ctx, c0, e2)
                if e3 > s2:
                    st.content = (s2, e3)
                    if st.kind != "direct":
                        st.kind = kind
            break
    return [st for st in stmts if st.kind == "subject" or st.cue[0] not in drop]


def _mentions(article: Article) -> list[tuple[int, int, str]]:
    items = article.layers.get("mentions") or []
    out = []
    norm = article.norm
    for it in items:
        t = getattr(it, "type", None) or getattr(it, "label", None) or ""
        s, e = norm.to_normalized(it.start, it.end)
        out.append((s, e, str(t)))
    out.sort()
    return out


def find_quotes(article: Article, settings: Settings | None = None) -> list[Quote]:
    """All reported statements in ``article``'s content blocks, in text order."""
    cfg = settings.get("quotes", {}) if settings is not None else {}
    lex = lexicon()
    norm = article.norm
    n = norm.text
    blocks = []
    regions: list[tuple[int, int, bool]] = []
    for i, b in article.content_blocks():
        s, e = norm.to_normalized(b.start, b.end)
        blocks.append((s, e, i, b.kind))
        if any(ch in n[s:e] for ch in '«»“”‘’„"'):
            regions.extend(quote_regions(n, s, e))
    if not blocks:
        return []
    content_idx = {b[2] for b in blocks}
    ss, se = [], []
    for sent in article.sentences:
        if sent.block in content_idx:
            a, b = norm.to_normalized(sent.start, sent.end)
            ss.append(a)
            se.append(b)
    if not ss:  # no sentences stage output: each block is one sentence
        ss = [b[0] for b in blocks]
        se = [b[1] for b in blocks]
    regions.sort()
    ctx = _Ctx(
        n=n,
        lex=lex,
        blocks=blocks,
        sent_starts=ss,
        sent_ends=se,
        regions=regions,
        region_starts=[r[0] for r in regions],
        mentions=_mentions(article),
        max_zone_words=int(cfg.get("max_speaker_words", 15)),
        min_direct_words=int(cfg.get("min_direct_words", 3)),
        window=int(cfg.get("window_chars", 220)),
        keep_pronoun=bool(cfg.get("content_keeps_pronoun", False)),
        np_objects=bool(cfg.get("noun_objects", True)),
        max_statement_chars=int(cfg.get("max_statement_chars", 2000)),
    )
    stmts = _verb_statements(ctx, article)
    stmts += _headline_statements(ctx)
    taken = [
        (min(s.cue[0], s.content[0]), max(s.cue[1], s.content[1]))
        for s in stmts
        if s.kind != "subject"
    ]
    stmts += _nominal_statements(ctx, taken, stmts)
    stmts.sort(key=lambda s: s.cue[0])
    stmts = _cut_at_next_cue(ctx, stmts)
    # one statement per content span: keep the first cue that claimed it
    seen: set[tuple[int, int]] = set()
    uniq = []
    for st in stmts:
        if st.content in seen:
            continue
        seen.add(st.content)
        uniq.append(st)
    _resolve(ctx, uniq)
    min_conf = float(cfg.get("min_confidence", 0.0))
    out: list[Quote] = []
    for st in uniq:
        if st.kind == "subject" or st.confidence < min_conf:
            continue
        cue = norm.to_original(*st.cue)
        content = norm.to_original(*st.content)
        speaker = norm.to_original(*st.speaker) if st.speaker else None
        via = norm.to_original(*st.via) if st.via else None
        skind = mtype = None
        if st.speaker is not None:
            skind, mtype = _speaker_kind(ctx, *st.speaker)
        ends = [cue, content] + ([speaker] if speaker and st.speaker_source == "local" else [])
        ends += [via] if via else []
        q = Quote(
            start=min(x[0] for x in ends),
            end=max(x[1] for x in ends),
            kind=st.kind,
            cue=cue,
            content=content,
            speaker=speaker,
            via=via,
            confidence=st.confidence,
            cue_type=st.cue_type,
            cue_lemma=st.form.lemma if st.form else None,
            gender=st.form.gender if st.form else None,
            number=st.form.number if st.form else None,
            speaker_kind=skind,
            speaker_source=st.speaker_source,
            speaker_mention_type=mtype,
            extra=st.extra,
        )
        out.append(q)
    out.sort(key=lambda q: q.start)
    for k, q in enumerate(out, 1):
        q.id = f"{article.id}:q{k}"
    return out


def quotes_stage(article: Article, settings: Settings) -> Article:
    article.layers["quotes"] = find_quotes(article, settings)
    return article


STAGE = Stage(
    "quotes",
    quotes_stage,
    requires=("blocks", "sentences", "tokens"),
    assigns=("quotes",),
    uses=("mentions",),
)
