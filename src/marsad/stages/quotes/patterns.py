"""The statement patterns besides a cue verb followed by its opener: a speech verb's direct
object (``نفت الوزارة أي صلة``), a quotation followed by its cue (``«...»، قال المسؤول``), a
cue that refers back (``صرّح بذلك المدير``), nominal cues (``بحسب X``) and headline quotes
(``الصدر: لا تحالف``)."""

from __future__ import annotations

import re
from bisect import bisect_right

from marsad.stages.quotes.anaphora import anaphor_kind
from marsad.stages.quotes.items import _Stmt
from marsad.stages.quotes.lexicon import CueForm
from marsad.stages.quotes.regions import _STRIP, _WORD, _Ctx, _sentence_of, _trim, _words
from marsad.stages.quotes.spans import _content_span, _statement_end
from marsad.stages.quotes.speakers import _np_cut, _speaker_kind, _speaker_phrase

#: a speaker-stop word that opens a prepositional adverbial, not a date or a time word
_LEADING_PREPOSITIONS = frozenset(
    {"في", "امام", "خلال", "عبر", "من", "الي", "علي", "عن", "مع", "لدي", "عند", "بعد", "قبل",
     "منذ", "حول", "ضد", "وفي", "ل"}
)


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
    if n[cs:ce].endswith("وا"):
        return _object_only(ctx, cs, ce, form, words[0].start(), send)  # اتهموا القوات …
    head = words[0].group()
    mention = next(iter(ctx.overlapping(words[0].start(), words[0].start() + 1)), None)
    if mention is None and not (
        head in lex.organisation
        or head in lex.roles
        or head in lex.anonymous
        or (head.endswith("ون") and len(head) > 5 and not head.startswith("ال"))  # مشرعون
    ):
        return _subject_before(ctx, cs, ce, form, words[0].start(), send)
    k = 1
    if mention is not None:
        while k < len(words) and words[k].start() < mention[1]:
            k += 1
    while k < len(words) and k < 4 and head.endswith("ون") and words[k].group().endswith("ون"):
        k += 1  # مشرعون ديموقراطيون: an indefinite plural and its adjectives
    person = mention is not None and mention[2] == "PER"
    while k < len(words) and k < 6 and not head.endswith("ون") and not person and \
            words[k].group().startswith("ال"):
        if lex.stop_re.fullmatch(words[k].group()):
            break
        k += 1
    role_end = k
    if person and k < len(words) and words[k].group() in lex.roles:
        # كارل رومنيجه الرئيس التنفيذي لنادي بايرن … أمس التوصل: a role after the name runs to
        # the next adverbial, which the object follows
        j = k + 1
        while j < len(words) and j < k + 15 and not lex.stop_re.match(n, words[j].start()):
            j += 1
        if j < len(words) and j < k + 15:
            role_end = j
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
    k = max(k, role_end)
    if form.addressee and k < len(words) and _by_complement(words[k].group()):
        # واتهم الولايات المتحدة بالسعي …: the noun right before بـ is the accused, not the
        # speaker (who is the previous one)
        return _object_only(ctx, cs, ce, form, words[0].start(), send)
    # skip adverbials (أمس، الثلاثاء، في بيان ...)
    while k < len(words) and (m := lex.stop_re.match(n, words[k].start())):
        if " " in m.group():  # a known adverbial phrase: في بيان (لها)، في تصريح
            while k < len(words) and words[k].end() <= m.end():
                k += 1
            if k < len(words) and words[k].group() in ("له", "لها", "لهم"):
                k += 1
            continue
        if words[k].group() in ("في", "خلال", "عبر"):
            return None  # a longer adverbial: the object is not where we look
        k += 1
    if k >= len(words) - 1 or n.find("،", sp[1], words[k].start()) >= 0:
        return None
    return _object_only(ctx, cs, ce, form, words[k].start(), send, speaker=sp)


#: words between a fronted subject and its verb: وكان ترامب قد نفى، حزب النهضة الذي أعلن
_BEFORE_VERB = frozenset({"قد", "الذي", "التي", "الذين"})
#: "but he/she/they" right before the verb: the subject is the one just mentioned
_BUT_PRONOUN = frozenset({"لكنه", "لكنها", "لكنهم", "ولكنه", "ولكنها", "ولكنهم"})


_PRONOUN = "pronoun"


def _fronted_subject(ctx: _Ctx, cs: int, ce: int) -> tuple[int, int] | str | None:
    """The subject written right before a cue verb with no conjunction (``لكن إسبانيا نفت``،
    ``وكان ترامب قد نفى``، ``لكن الأخير اتهم``): its span (an entity mention, with an
    organisation or role head before it; or a ``latter`` back-reference), ``_PRONOUN`` for
    ``لكنه``/``لكنهم``, or None."""
    n = ctx.n
    if n[cs] in "وف" and n[cs:ce] not in ctx.lex.forms:
        return None  # ونفت: a joined verb, its subject (if any) follows
    k = cs
    for _ in range(2):
        while k > 0 and n[k - 1] in " \t":
            k -= 1
        prev = _WORD.findall(n, max(0, k - 12), k)
        if not prev or not n[:k].endswith(prev[-1]) or prev[-1] not in _BEFORE_VERB:
            break
        k -= len(prev[-1])
    while k > 0 and n[k - 1] in " \t":
        k -= 1
    if k == 0 or not n[k - 1].isalpha():
        return None
    prev = _WORD.findall(n, max(0, k - 12), k)
    if not prev or not n[:k].endswith(prev[-1]):
        return None
    if prev[-1] in _BUT_PRONOUN:
        return _PRONOUN
    if prev[-1] in ctx.lex.anaphora["latter"]:
        return (k - len(prev[-1]), k)
    mention = next(iter(ctx.overlapping(k - 1, k)), None)
    if mention is None or mention[1] != k or mention[2] not in ("PER", "ORG", "GPE", "LOC"):
        return None
    s0 = mention[0]
    # قيادة عمليات البصرة أعلنت: an organisation or role head before the mention is its start
    back = [w for w in _WORD.finditer(n, max(0, s0 - 40), s0) if w.end() <= s0]
    run: list[re.Match[str]] = []
    for w in reversed(back[-3:]):
        if n[w.end() : s0 if not run else run[-1].start()].strip():
            break
        run.append(w)
    for w in reversed(run):
        if w.group() in ctx.lex.organisation or w.group() in ctx.lex.roles:
            s0 = w.start()
            break
    return (s0, mention[1])


def _subject_before(
    ctx: _Ctx, cs: int, ce: int, form: CueForm, start: int, send: int
) -> _Stmt | None:
    """``لكن إسبانيا نفت ارتكاب أي مخالفات``، ``وكان ترامب قد نفى تأييد …``: a speech verb
    whose subject stands right before it (:func:`_fronted_subject`) and whose object follows:
    the object is what was said."""
    n = ctx.n
    if n[ce:start].strip():
        return None  # punctuation after the verb: no object follows it
    first = _WORD.match(n, start)
    if first is not None and ctx.lex.stop_re.fullmatch(first.group()):
        return None  # نفى خلال حملته …: an adverbial first, the object is not where we look
    sub = _fronted_subject(ctx, cs, ce)
    if sub is None:
        return None
    if sub == _PRONOUN:
        return _object_only(ctx, cs, ce, form, start, send)
    assert isinstance(sub, tuple)
    return _object_only(ctx, cs, ce, form, start, send, speaker=sub)


def _by_complement(w: str) -> bool:
    return w.startswith("ب") and len(w) > 3 and w not in ("بين", "بعد", "بينما", "بدوره", "بدورها")


def _object_only(
    ctx: _Ctx,
    cs: int,
    ce: int,
    form: CueForm,
    start: int,
    send: int,
    speaker: tuple[int, int] | None = None,
) -> _Stmt | None:
    """What was said is the object from ``start`` on; with no ``speaker`` (its subject is not
    written) the speaker is resolved later."""
    c0, c1, kind = _content_span(ctx, start, send)
    if _words(ctx.n, c0, c1) < 2:
        return None
    return _Stmt(
        cue=(cs, ce),
        content=(c0, c1),
        kind=kind,
        speaker=speaker,
        via=None,
        form=form,
        cue_type="verb",
        confidence=0.5,
        needs_antecedent=speaker is None,
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
                speaker = _np_cut(ctx, _speaker_phrase(ctx, ce, send))
                c0, c1, kind = _content_span(ctx, sent_s, cs)
                k = cs
                while k > sent_s and n[k - 1] in " \t":
                    k -= 1
                rest = n[speaker[1] : send].strip() if speaker is not None else ""
                if speaker is not None and _words(n, speaker[1], send) >= 2 and rest:
                    # "X وفق الوكالة وY": a medial attribution leaves the whole sentence said
                    c0, c1, kind = _content_span(ctx, sent_s, send)
                    if c1 <= cs:
                        # وسيتم، بحسب نفس المصدر، توفير …: the span stopped at this very cue
                        c0, c1 = _trim(n, sent_s, send)
                        kind = "indirect"
            if speaker is None or _words(n, c0, c1) < 2:
                continue
            skind, _ = _speaker_kind(ctx, *speaker)
            words = _WORD.findall(n, *speaker)
            if not (
                skind in ("anonymous", "organisation", "role")
                or bool(ctx.overlapping(speaker[0], speaker[1]))
                or (words and words[0] in lex.roles)
                or anaphor_kind(ctx, *speaker) == "source"  # بحسب نفس المصدر
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


def _is_tag(ctx: _Ctx, s: int, e: int) -> bool:
    """A headline's words before the colon that are a tag (عاجل، بالفيديو) or only a place
    (لبنان، الرياض) rather than a speaker."""
    phrase = ctx.n[s:e].strip()
    if phrase in ctx.lex.headline_tags:
        return True
    words = _WORD.findall(ctx.n, s, e)
    if words and (words[0] in ctx.lex.roles or words[0] in ctx.lex.organisation
                  or words[0] in ctx.lex.anonymous):
        return False
    return any(ms <= s and me >= e and t == "LOC" for ms, me, t in ctx.overlapping(s, e))


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
        if _is_tag(ctx, *sp):
            continue  # عاجل: …، لبنان: …: a tag or a topic, not who spoke
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
