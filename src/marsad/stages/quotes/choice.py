"""Who a cue without its own subject refers to: candidates by rules, the choice by a model.

For ``وأضاف``, ``مشيرا``, ``وتابعت`` (and a relay's ``عنه``) the speaker is an earlier mention.
The rules list the candidates before the cue, in the last few sentences: the earlier speakers
(and subjects of speech verbs), the person and organisation mentions of the entities stage, and
the subjects of sentence-initial verbs (``لم يخف الملك عبدالله الثاني انزعاجه …، وقال``). A
logistic model scores each candidate from its features — how far back it is (sentences, rank),
where it comes from, whether its gender and number agree with the cue's form, its entity type,
whether it lies inside someone's quoted words, the cue's class — and the best one is the
speaker. The weights (``models/quotes/speaker_choice.json``) are made by ``marsad train quotes``
from the dev split of ``gold/quotes``. Without a model the most recent agreeing speaker is taken
(the rule the model replaces).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field

from marsad.stages.quotes.extent import LinearModel
from marsad.stages.quotes.items import _Stmt
from marsad.stages.quotes.regions import _WORD, _Ctx, feminine_noun

#: How many sentences before the cue's own are searched.
SENTENCES_BACK = 3


@dataclass(slots=True)
class Candidate:
    span: tuple[int, int]
    sources: set[str] = field(default_factory=set)
    gender: str | None = None
    number: str | None = None
    hist_rank: int | None = None
    mtype: str = "-"


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def candidates(
    ctx: _Ctx,
    st: _Stmt,
    history: list[tuple[tuple[int, int], str | None, str | None]],
    stmts: list[_Stmt],
    subject: Callable[[_Ctx, int, int], tuple[int, int] | None],
) -> list[Candidate]:
    """Earlier mentions ``st``'s speaker may be, nearest first."""
    cs = st.cue[0]
    i = bisect_right(ctx.sent_starts, cs) - 1
    lo = ctx.sent_starts[max(0, i - SENTENCES_BACK)] if i >= 0 else 0
    out: list[Candidate] = []

    def add(span: tuple[int, int], src: str) -> Candidate:
        for c in out:
            if _overlaps(c.span, span):
                c.sources.add(src)
                return c
        c = Candidate(span=span, sources={src})
        out.append(c)
        return c

    rank = 0
    for sp, g, num in reversed(history):
        if sp[1] > cs or sp[0] < lo:
            continue
        c = add(sp, "speaker")
        if c.hist_rank is None:
            c.hist_rank, c.gender, c.number = rank, g, num
            rank += 1
    for ms, me, t in ctx.overlapping(lo, cs):
        if ms >= lo and me <= cs and t in ("PER", "ORG"):
            add(_with_title(ctx, ms, me) if t == "PER" else (ms, me), "mention")
    for j in range(max(0, i - SENTENCES_BACK), i + 1):
        s0 = ctx.sent_starts[j]
        # whole earlier sentences (cached by the subject function); the cue's own up to it
        sp = subject(ctx, s0, ctx.sent_ends[j] if j < i else cs)
        if sp is not None and sp[1] <= cs:
            add(sp, "subject")
    out = [
        c
        for c in out
        if not _divine(ctx, c.span)
        # a name only mentioned inside quoted words («إن مع العسر يسرا») is not who goes on
        and not (c.sources == {"mention"} and ctx.inside(c.span[0]) is not None)
    ]
    for c in out:
        for _ms, _me, t in ctx.overlapping(*c.span)[:1]:
            c.mtype = t
    out.sort(key=lambda c: -c.span[1])
    return out


#: who speaks in quoted scripture (normalised first words): ``قال الله تعالى …`` inside a
#: preacher's words is a citation; a later ``وأضاف`` is the preacher's, never God's
_DIVINE = frozenset({"الله", "المولى", "الحق", "الرسول", "النبي"})
_DIVINE_NEXT = frozenset(
    {"تعالي", "تعالى", "عز", "سبحانه", "تبارك", "صلي", "صلى", "عليه", "الكريم"}
)


def _divine(ctx: _Ctx, span: tuple[int, int]) -> bool:
    """``الله``، ``الله تعالى``، ``المولى عز وجل``، ``النبي صلى الله عليه وسلم`` (the divine
    names alone, or followed by a praise formula): not a continuation's antecedent."""
    words = _WORD.findall(ctx.n, *span)
    if not words:
        return False
    w0 = words[0][1:] if words[0].startswith("و") and words[0][1:] in _DIVINE else words[0]
    if w0 not in _DIVINE:
        return False
    if w0 in ("الحق", "الرسول", "النبي"):
        return len(words) > 1 and words[1] in _DIVINE_NEXT
    return len(words) == 1 or words[1] in _DIVINE_NEXT


def _with_title(ctx: _Ctx, ms: int, me: int) -> tuple[int, int]:
    """A person mention with the title right before it: الأمير + زيد."""
    n = ctx.n
    before = list(_WORD.finditer(n, max(0, ms - 40), ms))
    start = ms
    for w in reversed(before[-2:]):
        if n[w.end() : start].strip() or w.group() not in ctx.lex.roles:
            break
        start = w.start()
    return start, me


def features(ctx: _Ctx, st: _Stmt, cands: list[Candidate], k: int, stmts: list[_Stmt]) -> list[str]:
    c = cands[k]
    n = ctx.n
    cue_sent = bisect_right(ctx.sent_starts, st.cue[0])
    dist = cue_sent - bisect_right(ctx.sent_starts, c.span[0])
    g = st.pron_gender or (st.form.gender if st.form else None)
    num = st.pron_number or (st.form.number if st.form else None)
    words = _WORD.findall(n, c.span[0], c.span[1])
    head = words[0] if words else ""
    cg = c.gender or ("f" if c.mtype != "PER" and feminine_noun(head) else None)
    gagree = "?" if not g or not cg else ("y" if g == cg else "n")
    nagree = (
        "?" if not num or not c.number else ("y" if (num == "pl") == (c.number == "pl") else "n")
    )
    inside = any(o is not st and o.content[0] <= c.span[0] < o.content[1] for o in stmts)
    cls = (
        "role"
        if head in ctx.lex.roles
        else "org"
        if head in ctx.lex.organisation
        else "anon"
        if head in ctx.lex.anonymous
        else "-"
    )
    cue = "pron" if st.pron_gender else "hal" if (st.form and st.form.hal) else "verb"
    srcs = "+".join(sorted(c.sources))
    hr = "-" if c.hist_rank is None else str(min(c.hist_rank, 3))
    return [
        "bias",
        f"src={srcs}",
        f"speaker={'speaker' in c.sources}",
        f"dist={min(dist, 3)}",
        f"rank={min(k, 4)}",
        f"hist={hr}",
        f"g={gagree}",
        f"n={nagree}",
        f"g={gagree}|src={srcs}",
        f"type={c.mtype}",
        f"type={c.mtype}|g={gagree}",
        f"inside={inside}",
        f"inside={inside}|speaker={'speaker' in c.sources}",
        f"cls={cls}",
        f"cue={cue}",
        f"cue={cue}|dist={min(dist, 3)}",
        f"hist={hr}|dist={min(dist, 3)}",
        f"words={min(len(words), 4)}",
        f"subject={'subject' in c.sources}|dist={min(dist, 3)}|cue={cue}",
    ]


def choose(
    model: LinearModel, ctx: _Ctx, st: _Stmt, cands: list[Candidate], stmts: list[_Stmt]
) -> Candidate | None:
    """The candidate the model scores best, or None."""
    k = best(model, [features(ctx, st, cands, k, stmts) for k in range(len(cands))])
    return None if k is None else cands[k]


def best(model: LinearModel, feats: list[list[str]], threshold: bool = True) -> int | None:
    """Index of the best-scored candidate (the nearest among equals), or None when there is
    none or (``threshold``) it scores below the model's threshold. Grammatical gender is a
    constraint, not a preference: وأضاف never refers to هدى سليم."""
    if not feats:
        return None
    keep = [k for k, f in enumerate(feats) if "g=n" not in f]
    if not keep:
        return None  # no candidate agrees: the text does not say who
    score, k = max((model.probability(feats[k]), -k) for k in keep)
    return -k if not threshold or score >= model.threshold else None


def trace_examples(
    ctx: _Ctx, st: _Stmt, cands: list[Candidate], stmts: list[_Stmt]
) -> list[tuple[tuple[int, int], list[str]]]:
    """(span, features) of every candidate, for training."""
    return [(c.span, features(ctx, st, cands, k, stmts)) for k, c in enumerate(cands)]
