"""Statements opened by a cue verb: the cue verbs of the content blocks, then for each the
speaker zone and what opens the statement (complementizer, colon, quotation, the verb's
preposition, ``قوله``); a cue with no opener is tried against the other patterns
(:mod:`marsad.stages.quotes.patterns`) or kept as a subject for later continuations."""

from __future__ import annotations

import re

from marsad.core.article import Article
from marsad.stages.quotes.items import _Stmt
from marsad.stages.quotes.lexicon import CueForm
from marsad.stages.quotes.patterns import (
    _LEADING_PREPOSITIONS,
    _PRONOUN,
    _cue_at_end,
    _fronted_subject,
    _noun_object,
    _refers_back,
)
from marsad.stages.quotes.regions import _QUOTE_CHARS, _WORD, _Ctx, _region_at, _sentence_of, _words
from marsad.stages.quotes.spans import _content_span, _statement_end
from marsad.stages.quotes.speakers import _governs, _pronoun_features, _speaker_phrase

#: (normalised) the object that makes a speech verb 'to give a name' (رفض ذكر اسمه، كشف هويته)
_NAME_OBJECTS = frozenset(
    {"اسمه", "اسمها", "اسمهم", "اسمهما", "اسماءهم", "هويته", "هويتها", "هويتهم"}
)


#: (normalised) words before مضى 'went by' (time nouns, ما، الذي)
_ELAPSED_BEFORE = frozenset(
    {
        "وقت",
        "ما",
        "فيما",
        "كما",
        "الذي",
        "التي",
        "عام",
        "العام",
        "يوم",
        "زمن",
        "قرن",
        "عقد",
        "شهر",
        "اسبوع",
        "سنه",
        "سنوات",
        "ايام",
        "اعوام",
        "عقود",
        "الماضي",
        "قد",
    }
)


def _time_passing(n: str, m: re.Match[str]) -> bool:
    """مضى meaning 'went by': after a time noun or ما/الذي, or before على/من الزمن."""
    if m.group("form") != m.group() and n[m.start()] in "وف":
        return False  # ومضى قائلا: the conjunction starts a clause of its own
    before = _WORD.findall(n, max(0, m.start() - 12), m.start())
    after = _WORD.findall(n, m.end(), m.end() + 8)
    return bool(before and before[-1] in _ELAPSED_BEFORE) or bool(after and after[0] == "علي")


def _bayyana(ctx: _Ctx, m: re.Match[str], b0: int) -> bool:
    """``بين`` written without its shadda is the verb بيّن when it opens a clause and a
    complementizer follows its subject before any punctuation (وبين الطراونة أن …)."""
    n = ctx.n
    k = m.start()
    while k > b0 and n[k - 1] in " \t":
        k -= 1
    if k > b0 and n[k - 1] not in ".،,:;؛\n":
        return False
    ahead = re.split(r"[،,.:;؛«»“”\"\n()]", n[m.end() : m.end() + 90], maxsplit=1)[0]
    c = ctx.lex.comp_re.search(ahead)
    return c is not None and c.group("w") in ("ان", "بان") and bool(_WORD.findall(ahead, 0, c.start()))


def _verb_statements(ctx: _Ctx, article: Article) -> list[_Stmt]:
    n, lex = ctx.n, ctx.lex
    out: list[_Stmt] = []
    cues = []
    for b0, b1, _bi, _kind in ctx.blocks:
        for m in lex.cue_re.finditer(n, b0, b1):
            form = lex.forms[m.group("form")]
            if form.lemma == "بين" and m.group("form") == "بين":
                o0, o1 = article.norm.to_original(m.start("form"), m.end("form"))
                if "\u0651" not in article.text[o0:o1] and not _bayyana(ctx, m, b0):
                    continue  # the preposition بين, not the verb بيّن
            if form.lemma == "عبر" and m.group("form") == "عبر":
                ahead = re.split(r"[:«»“”\".]", n[m.end() : m.end() + 40], maxsplit=1)[0]
                if not re.search(r"\sعن(?!\w)", ahead):
                    # the preposition عبر 'via', not the verb عبّر (whose عن comes before any
                    # colon or quotation: عبر حسابها بتويتر: "نعبر عن …" is 'via')
                    continue
            if form.lemma == "مضى" and _time_passing(n, m):
                continue  # من أي وقت مضى، مضى على: time went by, nobody went on speaking
            after = _WORD.match(n, m.end() + 1) if n[m.end() : m.end() + 1] == " " else None
            if after is not None and after.group() in _NAME_OBJECTS:
                continue  # الذي رفض ذكر اسمه: the name is what is (not) told, nothing was said
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
        if (
            ci + 1 < len(cues)
            and cues[ci + 1][2].hal
            and (not n[ce:nxt].strip() or _redundant_qailan(ctx, cues[ci + 1][2], n[ce:nxt]))
        ):
            # وأضاف موضحا: «...», وأضاف سموه قائلا: — the participle belongs to this cue
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
        if st is None and form.np and ctx.np_objects and not (before and before[-1] == "ما"):
            # (not بحسب ما أعلن X: the verb of a nominal cue, whose object is not written)
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
                        or bool(ctx.overlapping(sp[0], sp[1]))
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


def _redundant_qailan(ctx: _Ctx, hal: CueForm, between: str) -> bool:
    """``وأضاف سموه قائلا``: a participle of قال after a finite cue and its subject (a few
    words, no punctuation) repeats the cue; the cue is the finite verb (the gold convention)
    and the words between are its speaker."""
    if hal.lemma != "قال" or any(ch in between for ch in '،,:.؛«»“”"()'):
        return False
    return 0 < len(_WORD.findall(between)) <= 6


_SCRIPTURE = frozenset({"الله", "الله تعالي", "تعالي", "الله عز وجل", "سبحانه", "سبحانه وتعالي"})


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
            pw = prev[-1] if prev else ""
            if pw[:1] in ("و", "ف") and pw[1:] in lex.not_comp_before:
                pw = pw[1:]  # وبعد أن
            if pw in lex.not_comp_before:
                if pw == "الا":
                    break  # إلا أن 'however' opens the narrator's next clause
                pos = mm.end()
                continue
            start = mm.start() if (mm.group("pron") and ctx.keep_pronoun) else mm.end()
            opener = ("comp", p, start)
            break
        if typ == "prep":
            prev = _WORD.findall(n, max(ce, p - 16), p)
            if prev and _governs(lex, prev[-1], mm.group()):
                pos = mm.end()  # وأكد المشرف على الجناح … أن: the noun's preposition
                continue
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
            and not _comp_after(ctx, r[1], limit)
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
    if speaker is not None and n[speaker[0] : speaker[1]] in _SCRIPTURE:
        return None  # دعا الله أن … (a prayer), قال تعالى (…) (a citation): not a statement
    if speaker is None and via is None and form.present:
        return None  # يُتوقع أن / تشير إلى أن: impersonal or not a speaker
    if speaker is not None and via is None and fm is None and n[cs:ce].endswith("وا"):
        # اتهموا القوات …: a verb that shows a plural subject has it as a pronoun (a subject
        # written after the verb leaves it singular), so the words after it are not the speaker
        if form.addressee or form.np:
            cstart = min(cstart, speaker[0]) if typ in ("prep", "object") else cstart
        speaker = None
    if speaker is not None and via is None and fm is None and _disagrees(ctx, form, speaker):
        # ودعا الدول العربية إلى …: a masculine verb before a feminine noun is not its verb
        if typ in ("prep", "object") and (form.addressee or form.np):
            cstart = speaker[0]
        speaker = None
    fronted = False
    if (
        speaker is not None
        and via is None
        and fm is None
        and form.addressee
        and typ in ("prep", "comp")
        and not any(ch in n[speaker[0] : op] for ch in "،,")
        and (sub := _fronted_subject(ctx, cs, ce)) is not None
    ):
        # لكن الأخير اتهم الاتحاد الأوروبي بأنه …: with its subject written before it, the
        # words after an addressee verb are its object, part of what was said
        w0 = _WORD.search(n, ce, op)
        cstart = w0.start() if w0 is not None else cstart
        speaker = None if sub == _PRONOUN else sub  # type: ignore[assignment]
        fronted = True
    if (
        speaker is not None
        and not fronted
        and via is None
        and (typ == "prep" or (typ == "comp" and form.addressee))
    ):
        obj = _object_between(ctx, speaker[1], op)
        if obj is not None:
            # دعا عباس الإسرائيليين إلى …، أعلن التنظيم مسؤوليته عن …، وصف بوتين، الأربعاء،
            # العميل السابق بأنه …: the object between the speaker and the preposition (or,
            # for an addressee, the complementizer) belongs to what was said
            cstart = obj
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


def _object_between(ctx: _Ctx, s: int, e: int) -> int | None:
    """Where an object noun phrase starts between a speaker (ending at ``s``) and the opener at
    ``e``, after any adverbials (أمس، الأربعاء، في بيان) and commas; None when there is none
    or the words there are an adverbial phrase (أمام وفد …) or hold a quotation."""
    n, lex = ctx.n, ctx.lex
    if any(ch in n[s:e] for ch in '"«»“”'):
        return None
    pos = s
    while True:
        w = _WORD.search(n, pos, e)
        if w is None:
            return None
        m = lex.stop_re.match(n, w.start())
        if m is None:
            return w.start()
        if w.group() in _LEADING_PREPOSITIONS or m.end() <= w.start():
            return None  # في تصريح، أمام وفد، خلال: not an object
        pos = max(m.end(), w.end())


def _disagrees(ctx: _Ctx, form: CueForm, sp: tuple[int, int]) -> bool:
    """A masculine singular verb whose following noun is feminine-marked (ة, or the broken
    plural دول) and not a person's name: that noun is an object, not the subject."""
    if form.gender != "m" or form.number != "sg" or form.hal:
        return False
    words = _WORD.findall(ctx.n, sp[0], sp[1])
    if not words:
        return False
    head = words[0][1:] if words[0].startswith("و") else words[0]
    if any(t == "PER" for _s, _e, t in ctx.overlapping(sp[0], sp[0] + 1)):
        return False
    return head.endswith("ة") or head in ("الدول", "دول")


def _comp_after(ctx: _Ctx, e: int, limit: int) -> bool:
    """A complementizer right after a closed quotation and its comma (… لدى مؤسسة "غولينغ
    دبليو إل جي"، إن …): the quotation was a name in the speaker phrase, the complementizer
    opens what was said."""
    n = ctx.n
    k = e
    while k < limit and n[k] in " \t":
        k += 1
    if k >= limit or n[k] not in "،,":
        return False
    k += 1
    while k < limit and n[k] in " \t":
        k += 1
    return ctx.lex.comp_re.match(n, k) is not None


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
