"""Anaphoric speakers: ``وقال الأخير``، ``وأكد الوزير``، ``المسؤول نفسه``، ``سموه``.

A speaker written as a back-reference is replaced by the earlier mention it refers to, and the
written words are kept as ``resolved_from``:

- ``الأخير``/``الأخيرة`` (the latter): the most recent person (or, feminine, organisation or
  person) mention before it in the article, from the entity mentions;
- a definite role or source word alone, or with ``نفسه``/``ذاته`` (``الوزير``, ``المتحدث``,
  ``المسؤول نفسه``, ``المصدر ذاته``): the most recent earlier speaker whose mention contains
  the same word without its article (``وزير الخارجية محمد علي`` for ``الوزير``);
- an honorific with a pronoun (``سموه``, ``معاليه``): the most recent earlier speaker;
- the same source (``المصدر ذاته``, ``نفس المصدر``): the most recent earlier speaker.

When nothing earlier fits, the speaker stays as written: the text does not say more. The words
are data (``resources/ar/cues.json``, ``anaphora``).
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable
from typing import Any

from marsad.stages.quotes.regions import _WORD, _Ctx, _sentence_of

#: How far back (characters of the normalised text) an antecedent is looked for.
_REACH = 1500


def _bare(w: str) -> str:
    w = w[1:] if w.startswith("و") and len(w) > 4 and w[1:3] == "ال" else w
    return w[2:] if w.startswith("ال") else w


def anaphor_kind(ctx: _Ctx, s: int, e: int) -> str | None:
    """``latter``, ``role``, ``honorific``, ``document`` or ``source`` when the speaker ``[s, e)`` is a
    back-reference."""
    words = _WORD.findall(ctx.n, s, e)
    if not words:
        return None
    ana = ctx.lex.anaphora
    if len(words) > 2:
        return None  # a longer description is its own mention (a test of it resolving to the
        # last named holder of the title made more wrong speakers than right ones on dev)
    first = words[0][1:] if words[0].startswith("و") and words[0][1:] in ana["all"] else words[0]
    if len(words) == 1 and first in ana["latter"]:
        return "latter"
    if len(words) == 1 and first in ana["honorific"]:
        return "honorific"
    if len(words) == 1 and first in ana["document"]:
        return "document"
    if len(words) == 2 and words[0] in _SAME_BEFORE and _bare(words[1]) in _SOURCE:
        return "source"  # نفس المصدر، ذات المصدر
    if len(words) == 2 and words[1] in ana["same"] and _bare(first) in _SOURCE:
        return "source"  # المصدر ذاته
    if len(words) == 2 and not (words[1] in ana["same"] or _nisba(words[1])):
        return None
    known = ctx.lex.heads
    if first.startswith("ال") and (first in known or first[2:] in known):
        return "role"
    return None


#: ``نفس``/``ذات`` before the noun (نفس المصدر) and the source words they make back-references
_SAME_BEFORE = frozenset({"نفس", "ذات"})
_SOURCE = frozenset({"مصدر", "مصادر"})


def _nisba(w: str) -> bool:
    """A definite relational adjective (الأسبانية، المصري): ``الصحيفة الأسبانية``."""
    return w.startswith("ال") and w.endswith(("ي", "ية")) and len(w) > 5


def antecedent(
    ctx: _Ctx,
    kind: str,
    span: tuple[int, int],
    history: list[tuple[tuple[int, int], str | None, str | None]],
    feminine: bool,
    phrase: Callable[[_Ctx, int, int], tuple[int, int] | None],
) -> tuple[int, int] | None:
    """The earlier mention ``span`` refers to (see the module doc), or None."""
    n = ctx.n
    # a document (البيان) is read on over several paragraphs: its issuer may be further back
    lo = span[0] - (2 * _REACH if kind == "document" else _REACH)
    if kind == "latter":
        return _last_mention(ctx, span[0], lo, ("PER", "ORG") if feminine else ("PER",))
    earlier = [sp for sp, _g, _n in history if sp[1] <= span[0] and sp[0] >= lo and sp != span]
    if kind == "source":  # المصدر ذاته، نفس المصدر: the source last quoted
        return earlier[-1] if earlier else None
    if kind == "honorific":  # سموه: the last person written with its title, else the last
        # speaker, else the last person named before
        titled = _titled(ctx, span, earlier, 0, phrase)  # a title anywhere before
        if titled is not None:
            return titled
        return earlier[-1] if earlier else _last_mention(ctx, span[0], lo, ("PER",))
    if kind == "document":  # البيان: its issuer, the last organisation that spoke or was named
        for sp in reversed(earlier):
            if any(t == "ORG" for _s, _e, t in ctx.overlapping(sp[0], sp[1])):
                return sp
        # else the last speaker who spoke in a statement of that kind (وأوضحت الجالية في
        # بيان لها أن … . وتابع البيان)
        noun = _bare(_WORD.findall(n, span[0], span[1])[-1])
        for sp in reversed(earlier):
            _s0, s1 = _sentence_of(ctx, sp[0])
            if any(_bare(w).startswith(noun) for w in _WORD.findall(n, sp[1], s1)):
                return sp
        return None
    own = [_bare(w) for w in _WORD.findall(n, span[0], span[1])]
    head = own[0]
    need = {w for w in own if w not in ctx.lex.anaphora["same"]}
    for sp in reversed(earlier):
        words = [_bare(w) for w in _WORD.findall(n, sp[0], sp[1])]
        if words and words[0] == head and need <= set(words):
            return sp  # الوزير → وزير الخارجية محمد علي (not مدير المرصد for المرصد)
    if len(need) > 1:
        return None
    return _named_earlier(ctx, head, max(0, lo), span[0], phrase)


def _titled(
    ctx: _Ctx,
    span: tuple[int, int],
    earlier: list[tuple[int, int]],
    lo: int,
    phrase: Callable[[_Ctx, int, int], tuple[int, int] | None],
) -> tuple[int, int] | None:
    """For ``سموه``/``معاليه``/``جلالته``: the last earlier speaker whose mention holds one of
    the pronoun's titles (``honorific_titles`` in cues.json), else the phrase that starts at
    the last such title written before (``صاحب السمو الملكي الأمير سعود …`` in the headline
    for a ``وقال سموه`` after a message of the king), or None."""
    n = ctx.n
    words = _WORD.findall(n, span[0], span[1])
    if not words:
        return None
    w = words[0]
    rx = ctx.lex.honorific_titles.get(w) or ctx.lex.honorific_titles.get(w[1:])
    if rx is None:
        return None
    for sp in reversed(earlier):
        if rx.search(n, sp[0], sp[1]):
            return sp
    for m in reversed(list(rx.finditer(n, lo, span[0]))):
        if ctx.inside(m.start()) is not None:
            continue  # a title inside someone's quoted words
        a = m.start() + len(m.group(1))  # after a proclitic و/ب/ل
        _s0, s_end = _sentence_of(ctx, a)
        lim = min(span[0], a + 160, s_end if s_end > a else span[0])
        sp = phrase(ctx, a, lim)
        if sp is not None and sp[0] <= a + 1:
            if any(t == "PER" for _s, _e, t in ctx.overlapping(sp[0], sp[1])):
                return sp  # a title with its name (not ولي العهد in a list of thanks)
    return None


def _last_mention(
    ctx: _Ctx, pos: int, lo: int, types: tuple[str, ...]
) -> tuple[int, int] | None:
    """The last entity mention of one of ``types`` in ``[lo, pos)``."""
    for k in range(bisect_left(ctx.mentions, (pos, -1, "")) - 1, -1, -1):
        ms, me, t = ctx.mentions[k]
        if ms < lo:
            break
        if me <= pos and t in types:
            return ms, me
    return None


def _named_earlier(
    ctx: _Ctx, head: str, lo: int, hi: int, phrase: Callable[[_Ctx, int, int], Any]
) -> tuple[int, int] | None:
    """The last noun phrase before ``hi`` that starts with ``head`` (with or without its
    article) and says more than the head alone: ``الشركة السعودية للخدمات الأرضية`` for a
    later ``الشركة``. ``phrase`` finds a speaker phrase's extent (the speakers module's)."""
    n = ctx.n
    best = None
    for m in _WORD.finditer(n, lo, hi):
        w = m.group()
        if _bare(w) != head or (w.startswith(("ب", "ل", "ك")) and w[1:3] != "ال"):
            continue
        _s0, s_end = _sentence_of(ctx, m.start())
        lim = min(hi, m.start() + 160, s_end if s_end > m.start() else hi)
        sp = phrase(ctx, m.start(), lim)  # never across a sentence end (المحكمة. وتعد …)
        if sp is None or sp[0] != m.start():
            continue
        ws = _WORD.findall(n, sp[0], sp[1])
        if len(ws) < 2:
            continue
        quoted = n[m.end() : m.end() + 2].strip()[:1] in '"«“'
        if ws[0].startswith("ال") or ws[1].startswith("ال") or quoted:
            # definite or a quoted name, not an indefinite description (شركة سعودية مساهمة)
            best = sp
    return best
