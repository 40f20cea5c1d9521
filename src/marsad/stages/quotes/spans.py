"""Where a statement ends and what it says: the first sentence end outside quotations (judged
once per block and cached), the content span and its kind (direct, indirect, mixed), and the
cut of a statement before the next coordinated cue."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right

from marsad.stages.quotes.items import _Stmt
from marsad.stages.quotes.regions import _END, _STRIP, _WORD, _Ctx, _trim, _words


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


def _arabic(ch: str) -> bool:
    return "\u0621" <= ch <= "\u064a"


def _joined_sentences(n: str, p: int, q: int) -> bool:
    """``قريبا.وسبق``: the dot at ``p`` (text going on at ``q``) is a full stop written without
    its space — Arabic words of three letters or more on both sides, and no further dot in the
    word after (``دي.إيه.إن`` is an abbreviation)."""
    a = p
    while a > 0 and _arabic(n[a - 1]):
        a -= 1
    b = q
    while b < len(n) and _arabic(n[b]):
        b += 1
    if p - a < 3 or b - q < 3:
        return False
    return (a == 0 or n[a - 1] != ".") and (b == len(n) or n[b] != ".")


def _end_verdict(ctx: _Ctx, m: re.Match, block_end: int) -> int | None:
    """Where a statement reaching the mark ``m`` ends, or None when ``m`` does not end it."""
    n = ctx.n
    p = m.start()
    if n[p] == "." and p > 0 and n[p - 1].isdigit() and p + 1 < len(n) and n[p + 1].isdigit():
        return None
    if n[p] == "." and p >= 2 and n[p - 2] in " \n" and n[p - 1].isalpha():
        return None  # a one-letter abbreviation (د.)
    if n[p] == "." and m.end() < len(n) and n[m.end()].isalpha():
        if not _joined_sentences(n, p, m.end()):
            return None  # أ.ف.ب, U.S., دي.إيه.إن: no space after the dot
        # قريبا.وسبق: a full stop between two Arabic words, the space left out, ends it
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
    if not inner or inner[0][0] != s:
        # "…، في خطاب أمام أنصاره" / "…، من دون إضافة تفاصيل": the narrator's, not the speaker's
        for m in ctx.lex.tails_re.finditer(n, s, e):
            if m.start() > s and not ctx.inside(m.start()):
                s, e = _trim(n, s, m.start())
                inner = [r for r in inner if r[0] < e]
                break
    if inner:
        r0 = inner[0]
        # a quotation that opens the content is all of it unless words of the narrator's
        # go on right after it ("…" بفرض تلك الرسوم "…": mixed)
        after = n[r0[1] : e].lstrip(" \t")
        whole = r0[0] == s and (
            r0[1] >= e
            or (r0[2] and _words(n, r0[0], r0[1]) >= 3 and (not after or not after[0].isalnum()))
        )
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


#: "but he/she/they" before a cue: the narrator goes on (… لكنهم دعوا …)
_BUT_THEY = frozenset({"لكنه", "لكنها", "لكنهم", "ولكنه", "ولكنها", "ولكنهم"})


def _is_hal(ctx: _Ctx, e: int) -> bool:
    m = ctx.lex.cue_re.match(ctx.n, e)
    return m is not None and ctx.lex.forms[m.group("form")].hal


def _same_speaker_verb(ctx: _Ctx, st: _Stmt, e: int) -> bool:
    """``… ودعا البرلمان …``: a و-joined perfect cue verb whose form agrees with the
    statement's own cue continues the narration of the same speaker, not what was said."""
    n = ctx.n
    if n[e] not in "وف" or st.form is None or st.form.present:
        return False
    m = ctx.lex.cue_re.match(n, e)
    if m is None:
        return False
    f = ctx.lex.forms[m.group("form")]
    return not f.present and not f.hal and f.gender == st.form.gender and f.number == st.form.number


def _cut_at_next_cue(ctx: _Ctx, stmts: list[_Stmt]) -> list[_Stmt]:
    """A statement ends before the next coordinated cue inside it (``إن ...، مضيفا أن ...``).

    A cue inside a statement that is not coordinated (no comma or و before it) is part of what
    was said (``أنه بسماع أقوالهم أفادوا بأنهم ...``): the outer statement keeps it, and the
    inner one is a statement of its own (nested, as the gold annotates it).
    """
    n = ctx.n
    real = [st for st in stmts if st.kind != "subject"]
    starts = sorted(st.cue[0] for st in stmts)
    is_real = {st.cue[0] for st in real}
    for st in real:
        c0, c1 = st.content
        i = bisect_right(starts, c0)
        while i < len(starts) and starts[i] < c1:
            e = starts[i]
            if ctx.inside(e) or e == st.cue[0]:  # not at its own (medial nominal) cue
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
                or (e in is_real and _is_hal(ctx, e))  # … 2015م مبينة أنه …
            )
            if not coordinated:
                i += 1
                continue
            if (
                e not in is_real
                and not (n[e] in "وف" and k > c0 and n[k - 1] in "،,")
                and not _same_speaker_verb(ctx, st, e)
                and not (prev and prev[-1] in _BUT_THEY)
            ):
                i += 1  # only a coordinated verb (، واتهم; ودعا of the same speaker) ends it
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
    return stmts
