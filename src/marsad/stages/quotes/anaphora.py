"""Anaphoric speakers: ``وقال الأخير``، ``وأكد الوزير``، ``المسؤول نفسه``، ``سموه``.

A speaker written as a back-reference is replaced by the earlier mention it refers to, and the
written words are kept as ``resolved_from``:

- ``الأخير``/``الأخيرة`` (the latter): the most recent person (or, feminine, organisation or
  person) mention before it in the article, from the entity mentions;
- a definite role or source word alone, or with ``نفسه``/``ذاته`` (``الوزير``, ``المتحدث``,
  ``المسؤول نفسه``, ``المصدر ذاته``): the most recent earlier speaker whose mention contains
  the same word without its article (``وزير الخارجية محمد علي`` for ``الوزير``);
- an honorific with a pronoun (``سموه``, ``معاليه``): the most recent earlier speaker.

When nothing earlier fits, the speaker stays as written: the text does not say more. The words
are data (``resources/ar/cues.json``, ``anaphora``).
"""

from __future__ import annotations

from bisect import bisect_left

from marsad.stages.quotes.regions import _WORD, _Ctx

#: How far back (characters of the normalised text) an antecedent is looked for.
_REACH = 1500


def _bare(w: str) -> str:
    w = w[1:] if w.startswith("و") and len(w) > 4 and w[1:3] == "ال" else w
    return w[2:] if w.startswith("ال") else w


def anaphor_kind(ctx: _Ctx, s: int, e: int) -> str | None:
    """``latter``, ``role`` or ``honorific`` when the speaker ``[s, e)`` is a back-reference."""
    words = _WORD.findall(ctx.n, s, e)
    if not words or len(words) > 2:
        return None
    ana = ctx.lex.anaphora
    first = words[0][1:] if words[0].startswith("و") and words[0][1:] in ana["all"] else words[0]
    if len(words) == 1 and first in ana["latter"]:
        return "latter"
    if len(words) == 1 and first in ana["honorific"]:
        return "honorific"
    if len(words) == 2 and words[1] not in ana["same"]:
        return None
    known = ctx.lex.roles | ctx.lex.anonymous
    if first.startswith("ال") and (first in known or first[2:] in known):
        return "role"
    return None


def antecedent(
    ctx: _Ctx,
    kind: str,
    span: tuple[int, int],
    history: list[tuple[tuple[int, int], str | None, str | None]],
    feminine: bool,
) -> tuple[int, int] | None:
    """The earlier mention ``span`` refers to (see the module doc), or None."""
    n = ctx.n
    lo = span[0] - _REACH
    if kind == "latter":
        k = bisect_left(ctx.mentions, (span[0], -1, ""))
        for ms, me, t in reversed(ctx.mentions[:k]):
            if ms < lo:
                break
            if me <= span[0] and (t == "PER" or (feminine and t == "ORG")):
                return ms, me
        return None
    earlier = [sp for sp, _g, _n in history if sp[1] <= span[0] and sp[0] >= lo and sp != span]
    if kind == "honorific":
        return earlier[-1] if earlier else None
    head = _bare(_WORD.findall(n, span[0], span[1])[0])
    for sp in reversed(earlier):
        if head in {_bare(w) for w in _WORD.findall(n, sp[0], sp[1])}:
            return sp
    return None
