"""The parts of a speaker mention: its name and its role.

``الناطق الرسمي باسم المجلس الأعلى، بليغ أبو كلل`` → name ``بليغ أبو كلل``, role ``الناطق الرسمي
باسم المجلس الأعلى``. The name is the person mention inside the speaker (from the entities
stage), else what follows an apposition comma when it holds no role word, else an organisation
mention; the role is the rest of the mention before the name, or, for a mention that is a role
or a source alone, the whole mention. A role written after the name (``سعاد عبد الرحيم عضو
المكتب السياسي لحركة النهضة``) lies outside the speaker mention and is found after it, up to
the first adverbial, preposition or punctuation mark.
"""

from __future__ import annotations

from marsad.stages.quotes.regions import _STRIP, _WORD, _Ctx, _trim

#: Most words of a role written after the name.
_MAX_TRAILING = 10


def _inside(ctx: _Ctx, s: int, e: int, types: tuple[str, ...]) -> tuple[int, int] | None:
    best = None
    for ms, me, t in ctx.overlapping(s, e):
        if ms >= s and me <= e and t in types and (best is None or me - ms > best[1] - best[0]):
            best = (ms, me)
    return best


def _is_role_word(ctx: _Ctx, w: str) -> bool:
    bare = w[1:] if w.startswith("و") and len(w) > 3 else w
    known = ctx.lex.person_heads
    return w in known or bare in known or (bare.startswith("ال") and bare[2:] in known)


def speaker_parts(
    ctx: _Ctx, s: int, e: int, local: bool, limit: int
) -> tuple[tuple[int, int] | None, tuple[int, int] | None]:
    """(name, role) of the speaker mention ``[s, e)`` (normalised offsets; None when absent).
    ``local``: the mention is written at the cue, so a role after it may be looked for, up to
    ``limit``."""
    n = ctx.n
    name = None
    comma = max(n.rfind("،", s, e), n.rfind(",", s, e))
    if comma > s:  # an apposition: ROLE، NAME
        a, b = _trim(n, comma + 1, e)
        words = _WORD.findall(n, a, b)
        if words and not any(_is_role_word(ctx, w) for w in words):
            name = (a, b)
    if name is None:
        name = _inside(ctx, s, e, ("PER",))
    if name is None:
        name = _inside(ctx, s, e, ("ORG",))
    role = None
    if name is not None and name[0] > s:
        a, b = _trim(n, s, name[0], _STRIP + "،")
        if a < b:
            role = (a, b)
    elif name is None:
        words = _WORD.findall(n, s, e)
        if words and _is_role_word(ctx, words[0]):
            role = (s, e)
    if role is None and local and name is not None and name[1] >= e - 1:
        role = _trailing_role(ctx, e, limit)
    return _clean(ctx, name), _clean(ctx, role)


def _clean(ctx: _Ctx, span: tuple[int, int] | None) -> tuple[int, int] | None:
    """Without quote marks and punctuation at the edges (العقيد "القرشي" → العقيد)."""
    if span is None:
        return None
    s, e = _trim(ctx.n, *span, _STRIP + '"«»“”')
    return (s, e) if s < e else None


def _trailing_role(ctx: _Ctx, e: int, limit: int) -> tuple[int, int] | None:
    n = ctx.n
    words = list(_WORD.finditer(n, e, min(limit, e + 200)))
    if not words or n[e : words[0].start()].strip(" ،,") or not _is_role_word(ctx, words[0].group()):
        return None
    end = words[0].end()
    for w in words[1:_MAX_TRAILING]:
        gap = n[end : w.start()]
        if gap.strip() or ctx.lex.stop_re.match(n, w.start()) or ctx.lex.cue_re.match(n, w.start()):
            break
        if ctx.lex.comp_re.match(n, w.start()):
            break
        end = w.end()
    return words[0].start(), end
