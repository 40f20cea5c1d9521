"""Speakers: the speaker phrase between a cue and its opener and its kind (named, role,
anonymous, organisation), the gender and number of a relay's pronoun (عنه، عنها), and the
resolution of statements with no speaker of their own: a subject before the cue, the subject of
the sentence's main verb, or the previous speaker whose gender and number agree."""

from __future__ import annotations

import re
from bisect import bisect_right
from itertools import islice

from marsad.stages.quotes.anaphora import anaphor_kind, antecedent
from marsad.stages.quotes.choice import candidates, choose, trace_examples
from marsad.stages.quotes.extent import MAX_WORDS, Word, _gap, mention_length
from marsad.stages.quotes.items import _Stmt
from marsad.stages.quotes.regions import (
    _STRIP,
    _WORD,
    _Ctx,
    _region_at,
    _sentence_of,
    _trim,
    _words,
    feminine_noun,
)


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
    s = _skip_lead(ctx, s, e)
    if s >= e:
        return None
    zone_end = e
    pos = s
    while True:
        m = ctx.lex.stop_re.search(n, pos, e)
        if m is None:
            break
        r = _region_at(ctx, m.start()) if n[m.start()] in '«“"‘' else None
        if (
            r is not None
            and r[2]
            and r[1] <= e
            and (m.start() > s or _words(n, r[0], r[1]) < ctx.min_direct_words)
        ):
            pos = r[1]  # a quoted name inside the speaker phrase: شركة "نجمة"
            continue
        if _governed(ctx, m.start(), m.group()):
            pos = m.end()  # المشرف على الجناح: the noun's own preposition
            continue
        e = m.start()
        s, e = _trim(n, s, e)
        break
    if s >= e or _words(n, s, e) == 0:
        return None
    if ctx.extent is None and ctx.trace is None:
        return _unquote(ctx, s, e)
    words = _zone_words(ctx, s, zone_end, limit=_words(n, s, e) + _BEYOND_RULE)
    if words and words[0].text in ctx.lex.anaphora["honorific"]:
        return s, words[0].end  # سموه خلال المجلس …: the honorific alone
    rule_k = sum(1 for w in words if w.end <= e)
    if not words or rule_k == 0:
        return s, e
    k = mention_length(ctx.extent, words, rule_k, ctx.lex) if ctx.extent is not None else rule_k
    if ctx.trace is not None:
        ctx.trace.append((words, rule_k))
    if k == rule_k:
        return _unquote(ctx, s, _bracket_at_end(ctx, e, zone_end))
    while (
        k > 1
        and words[k - 1].text in _BARE_PREPS
        and words[k - 1].mention == "-"  # the name علي folds to على
        and not words[k - 1].quoted
    ):
        k -= 1  # وأشار المصدر ذاته إلى أن: a mention never ends with a bare preposition
    end = words[k - 1].end
    if words[k - 1].quoted and n[end : end + 1] in '"»”':
        end += 1  # the closing mark of a quoted name: شركة "نجمة الصحراء"
    elif n[end : end + 1] == ")" and "(" in n[s:end]:
        end += 1  # the closing bracket of a name in brackets: متحدث باسم (فوت ليف)
    return _unquote(ctx, s, _bracket_at_end(ctx, end, zone_end))


_BRACKET = re.compile(r"\s*\(([^()\n]{1,40})\)")


def _bracket_at_end(ctx: _Ctx, end: int, zone_end: int) -> int:
    """A short name in brackets that ends the zone right after the mention (``وقال متحدث باسم
    (فوت ليف) إن``) is part of it — after ``باسم``, or an entity mention or Latin letters inside
    the brackets: the end after it, else ``end``."""
    n = ctx.n
    m = _BRACKET.match(n, end, zone_end)
    if m is None or n[m.end() : zone_end].strip(_STRIP):
        return end
    inner = m.group(1)
    words = _WORD.findall(inner)
    if not 0 < len(words) <= 4 or ctx.lex.stop_re.search(inner):
        return end
    if any(ctx.lex.cue_re.fullmatch(w) or ctx.lex.comp_re.fullmatch(w) for w in words):
        return end
    before = _WORD.findall(n, max(0, end - 12), end)
    name = (
        bool(before and before[-1] == "باسم")
        or bool(ctx.overlapping(m.start(1), m.end(1)))
        or bool(re.search(r"[A-Za-z]", inner))
    )
    return m.end() if name else end  # not a gloss (ديمقراطي اشتراكي) or an aside


_BARE_PREPS = frozenset({"الي", "علي", "من", "عن", "في", "لدي", "ب", "ل"})


def _np_cut(ctx: _Ctx, sp: tuple[int, int] | None) -> tuple[int, int] | None:
    """A noun phrase found with no opener after it (a subject before its object, an agency
    after بحسب) ends before an indefinite word that follows a definite one: ``الهيئة العامة
    للغذاء والدواء خطوات`` → the body; ``مراسلة فرانس برس تزامناً`` → the reporter."""
    if sp is None:
        return None
    n = ctx.n
    words = list(_WORD.finditer(n, sp[0], sp[1]))
    definite = False
    for j, w in enumerate(words):
        t = w.group()
        in_mention = bool(ctx.overlapping(w.start(), w.start() + 1))
        is_def = in_mention or t.startswith(("ال", "وال", "بال", "لل", "فال", "كال"))
        if j > 0 and definite and not is_def and not n[words[j - 1].end() : w.start()].strip():
            if n[w.start() - 1 : w.start()] not in '"«“' and not t[:1].isdigit():
                end = words[j - 1].end()
                if n[end : end + 1] in '"»”':
                    end += 1
                return sp[0], end
        definite = definite or is_def
    return sp


def _unquote(ctx: _Ctx, s: int, e: int) -> tuple[int, int]:
    """A mention that is all one quoted name (``"كيري"``) without its marks."""
    n = ctx.n
    if e - s > 2 and n[s] in '"«“' and n[e - 1] in '"»”':
        r = _region_at(ctx, s)
        if r is not None and r[1] == e:
            return s + 1, e - 1
    return s, e


def _skip_lead(ctx: _Ctx, s: int, e: int) -> int:
    """Past what starts a zone without being the speaker: ``فيه`` (الذي أعلنت فيه X),
    ``ما أعلنه`` (حسب ما أعلنه X), a document before its issuer (حسب بيان القيادة)."""
    n, lex = ctx.n, ctx.lex
    words = list(islice(_WORD.finditer(n, s, e), 5))
    k = 0
    if k < len(words) and words[k].group() in lex.skip_pronouns:
        k += 1
    if k + 1 < len(words) and words[k].group() == "ما":
        k += 2
    if (
        k + 1 < len(words)
        and words[k].group() in lex.skip_documents
        and not lex.stop_re.match(n, words[k + 1].start())
    ):
        k += 1
        if (
            k + 2 < len(words)
            and words[k].group() in lex.skip_issued
            and words[k + 1].group() in ("عن", "من")
        ):
            k += 2  # بيان صادر عن الوزارة: the issuer
    return words[k].start() if 0 < k < len(words) else (e if k >= len(words) > 0 else s)


def _governs(lex, noun: str, prep: str) -> bool:
    """``noun`` (with or without ال / وال) governs ``prep`` (``المشرف على``, ``مقربة من``:
    cues.json ``prep_governors``)."""
    govs = lex.prep_governors.get(prep)
    if not govs:
        return False
    noun = noun[2:] if noun.startswith("ال") else noun[3:] if noun.startswith("وال") else noun
    return noun in govs


def _governed(ctx: _Ctx, a: int, prep: str) -> bool:
    """The preposition at ``a`` is governed by the noun right before it (:func:`_governs`)."""
    prev = _WORD.findall(ctx.n, max(0, a - 28), a)
    if not prev or ctx.n[a - 1 : a] != " ":
        return False
    if _governs(ctx.lex, prev[-1], prep):
        return True
    # المشرف العام على: one adjective of the noun between (cues.json prep_governors._between)
    return len(prev) > 1 and prev[-1] in ctx.lex.gov_between and _governs(ctx.lex, prev[-2], prep)


#: How many words past the rules' end the extent model may look.
_BEYOND_RULE = 6


def _zone_words(ctx: _Ctx, s: int, e: int, limit: int = MAX_WORDS) -> list[Word]:
    """The words of ``[s, e)`` (at most ``limit`` ≤ :data:`MAX_WORDS`) with what the context
    knows."""
    limit = min(limit, MAX_WORDS)
    n = ctx.n
    out: list[Word] = []
    prev = s
    starts = ctx.mention_start_list()
    for m in _WORD.finditer(n, s, e):
        a, b = m.span()
        j = bisect_right(starts, a) - 1
        if j >= 0 and ctx.mentions[j][1] > a:
            mtype, mid = ctx.mentions[j][2], j
        else:
            mtype, mid = "-", -1
        stop = ctx.lex.stop_re.match(n, a) is not None and not _governed(ctx, a, m.group())
        out.append(
            Word(
                start=a,
                end=b,
                text=m.group(),
                gap=_gap(n[prev:a]),
                mention=mtype,
                mention_id=mid,
                stop=stop,
                quoted=ctx.inside(a) is not None,
                # the strong stops are stop phrases, or relatives (no stop phrase)
                strong=(stop and ctx.lex.strong_stop_re.match(n, a) is not None)
                or m.group() in ctx.lex.relatives,
            )
        )
        prev = b
        if len(out) >= limit:
            break
    return out


def _speaker_kind(ctx: _Ctx, s: int, e: int) -> tuple[str, str | None]:
    n = ctx.n
    words = _WORD.findall(n, s, e)
    mtype = None
    for _ms, _me, t in ctx.overlapping(s, e)[:1]:
        mtype = t
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


def _pronoun_features(p: str) -> tuple[str | None, str | None]:
    return {
        "ه": ("m", "sg"),
        "ها": ("f", "sg"),
        "هم": ("m", "pl"),
        "هما": (None, "du"),
        "هن": ("f", "pl"),
    }.get(p, (None, None))


_RELATIVES = ("التي", "الذي", "الذين", "اللذين", "اللتين", "اللتان", "اللذان")
_LEAD_WORDS = ("لكن", "ولكن", "بينما", "فيما", "كما", "وكان", "وكانت", "و")


def _subject_before_relative(ctx: _Ctx, a: int, b: int) -> tuple[int, int] | None:
    """``لكن صحيفة "ذي ناشونال" التي تصدر بالإنكليزية، قالت``: the noun phrase before a
    relative clause that ends with the comma before the cue."""
    n = ctx.n
    words = list(_WORD.finditer(n, a, b))
    while words and words[0].group() in _LEAD_WORDS:
        words = words[1:]
    j = next((i for i, w in enumerate(words) if w.group() in _RELATIVES), None)
    if not j or j > 6:
        return None
    sp = (words[0].start(), words[j - 1].end())
    if ctx.closed_ending_at(sp[1] + 1) is not None:
        sp = (sp[0], sp[1] + 1)  # صحيفة "الصباح"
    head = words[0].group()
    if head in ctx.lex.heads or any(
        t in ("PER", "ORG") for _s, _e, t in ctx.overlapping(sp[0], sp[0] + 1)
    ):
        return sp
    return None


_TIME_NOUNS = frozenset({"الوقت", "اليوم", "الحين", "اللحظه", "الوقت نفسه", "الاسبوع", "الشهر"})
_NISBA_ENDS = ("ي", "يه", "يون", "يين", "ين", "يان")


def _title_before(ctx: _Ctx, words: list[re.Match], ms: int) -> int:
    """Where a person's title before the name starts (``بوزير الخارجية السعودي عادل`` →
    ``وزير …``): back over roles and definite words up to a role head, a preposition or
    conjunction attached to it left out; ``ms`` when there is none."""
    n, roles = ctx.n, ctx.lex.roles
    i = next((k for k, w in enumerate(words) if w.start() >= ms), len(words)) - 1
    start, k = ms, i
    while k >= 0 and i - k < 4 and not n[words[k].end() : start].strip():
        w = words[k].group()
        bare = w[1:] if w[:1] in "بلو" and w[1:] in roles else w
        if bare in roles:
            return words[k].start() + len(w) - len(bare)
        if not w.startswith("ال"):
            break
        start, k = words[k].start(), k - 1
    return ms


def _relative_antecedent(ctx: _Ctx, cs: int) -> tuple[int, int] | None:
    """``التيارات السياسية التي رأت أن``، ``الأعضاء الذين طالبوا``: for a cue written right
    after a relative pronoun, the noun phrase the pronoun refers to — the definite words before
    it (a second definite noun that is not an adjective starts a new phrase: ``الوزير
    التيارات`` is a subject and an object), with an indefinite known head before them
    (``أعضاء المجلس الذين``) or a mention ending there. None when no relative precedes."""
    n, lex = ctx.n, ctx.lex
    sent_s, _ = _sentence_of(ctx, cs)
    words = list(_WORD.finditer(n, max(sent_s, cs - 200), cs))
    if len(words) < 2 or words[-1].group() not in _RELATIVES or n[words[-1].end() : cs].strip():
        return None
    rel = words[-1]
    j = len(words) - 2
    if words[j].group() in _TIME_NOUNS:
        return None  # في الوقت الذي قال: the subject follows the verb
    if n[words[j].end() : rel.start()].strip():
        return None  # a comma or quotation mark between: not a plain antecedent
    for ms, me, t in ctx.overlapping(words[j].start(), words[j].end()):
        if t in ("PER", "ORG") and me == words[j].end() and ms >= max(sent_s, cs - 200):
            return (_title_before(ctx, words, ms), me) if t == "PER" else (ms, me)
    k = j
    while k >= 0 and words[k].group().startswith("ال") and j - k < 4:
        if k < j and not words[k + 1].group().endswith(_NISBA_ENDS):
            break  # الوزير التيارات: two definite nouns side by side
        if k < j and n[words[k].end() : words[k + 1].start()].strip():
            break
        k -= 1
    first = k + 1
    if first > j:
        return None
    if (
        k >= 0
        and not n[words[k].end() : words[first].start()].strip()
        and words[k].group() in lex.heads
        and not words[k].group().startswith("ال")
    ):
        first = k
    return words[first].start(), words[j].end()


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
        if whole.startswith(lex.openers):
            return None, True
        return _subject_before_relative(ctx, sent_s, s), False
    body = stripped[1:] if stripped.startswith("و") else stripped
    if body.startswith(lex.openers) or stripped.startswith(lex.openers):
        return None, True
    if len(stripped) > _MAX_PREFIX_CHARS:
        return None, False  # far more than 10 words: not a subject (and linear, not quadratic)
    cue = n[cs : st.cue[1]]
    if cue[:1] in ("و", "ف") and lex.cue_re.fullmatch(cue[1:]):
        # … انتقد، خلال صلاة الجمعة، السياسيين في العراق واتهمهم: a verb joined by و/ف goes
        # on with the earlier verb's subject; the words right before it are not its subject
        return None, False
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
    for j in range(len(words) - 1, -1, -1):
        if lex.cue_re.fullmatch(words[j]):
            return None, False  # ودعا عباس X الى Y وقال: a clause with its own cue, not a subject
        if words[j] in lead:
            words = words[j + 1 :]  # ... ولكن السلطات حذرت: the subject after the last particle
            break
    if not words or len(words) > 10:
        return None, False
    known = lex.heads
    w0 = words[0]
    first = w0[1:] if w0.startswith("و") and w0 not in known and w0[1:] in known else w0
    if first not in known:
        a0 = n.find(w0, s, cs)
        if not any(ms >= s and me <= cs for ms, me, _t in ctx.overlapping(s, cs)):
            return None, False
        if not first.startswith("ال") and not any(
            ms <= a0 + 1 and me > a0 for ms, me, _t in ctx.overlapping(a0, a0 + 1)
        ):
            return None, False  # (أن) يحمي هذه البلاد …: a clause, not a subject
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


def _after_opener(ctx: _Ctx, sent_s: int, cs: int) -> int:
    """Where the clause starts after a fronted 'on his part' (``من جانبه، قدم الرئيس …``,
    ``ومن جهتها``, ``بدوره``: ``continuation_openers`` in cues.json), else ``sent_s``."""
    n = ctx.n
    seg = n[sent_s:cs]
    rest = seg.lstrip()
    off = sent_s + len(seg) - len(rest)
    if rest.startswith("و"):
        rest, off = rest[1:], off + 1
    for p in ctx.lex.openers:
        if p.startswith(("من ", "بدور")):
            if rest.startswith(p) and (len(rest) == len(p) or not rest[len(p)].isalnum()):
                return off + len(p)
    return sent_s


def _main_subject(
    ctx: _Ctx, sent_s: int, cs: int, gender: str | None, pronoun_coord: bool = False
) -> tuple[int, int] | None:
    """The subject of a sentence's main verb (``كما أصدرت الهيئة تعليمات ...، مشيرة إلى``).

    Verb-subject order: the first word of the sentence (after و/كما/قد) is taken as the verb
    when its ending agrees with ``gender`` (feminine verbs end in ت), and the noun phrase after
    it, up to an adverbial, is the subject.
    """
    n = ctx.n
    words = list(_WORD.finditer(n, _after_opener(ctx, sent_s, cs), cs))
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
    sp = _np_cut(ctx, _speaker_phrase(ctx, words[0].end(), cs))
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
    if (
        gender == "m"
        and feminine_noun(head)
        and not any(t == "PER" for _s, _e, t in ctx.overlapping(ws[0].start(), ws[0].end()))
    ):
        return None  # كما تهدف المملكة …، معتبرا: a feminine noun is not a masculine cue's subject
    org = head in ctx.lex.organisation or head[2:] in ctx.lex.organisation
    for j in range(1, len(ws)):
        w = ws[j].group()
        if w.startswith(("بال", "فال", "كال")) or (w.startswith("لل") and not org):
            ws = ws[:j]  # كتل سياسية عراقية بانطلاق ...: the subject ends before the object
            break
    return ws[0].start(), ws[-1].end()


def _sentence_subject(ctx: _Ctx, s: int, e: int) -> tuple[int, int] | None:
    """The subject after a sentence-initial verb (a speaker candidate for a later cue)."""
    key = (s, e)
    if key not in ctx.subjects:
        ctx.subjects[key] = _main_subject(ctx, s, e, None)
    return ctx.subjects[key]


def _resolve(ctx: _Ctx, stmts: list[_Stmt]) -> None:
    """Fill empty speakers from the previous speaker whose gender and number agree."""
    n = ctx.n
    history: list[tuple[tuple[int, int], str | None, str | None]] = []
    prev: _Stmt | None = None
    for st in stmts:
        if (
            st.kind != "subject"
            and prev is not None
            and st.form is not None
            and st.form.addressee
            and st.speaker is not None
            and st.speaker_source in (None, "local")
            and st.via is None
            and n[st.cue[0]] == "و"
            and 0 <= st.cue[0] - prev.content[1] <= 2
            and _sentence_of(ctx, prev.content[0]) == _sentence_of(ctx, st.cue[0])
        ):
            # … إن الحوار انتهى ودعا البرلمان إلى …: the same speaker goes on; the noun after
            # the verb is who was called on
            st.content = (min(st.speaker[0], st.content[0]), st.content[1])
            st.speaker = None
            st.needs_antecedent = True
        if st.kind != "subject":
            prev = st
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
                # inference only: the training traces keep these cues' candidates
                rel = _relative_antecedent(ctx, st.cue[0]) if ctx.choice_trace is None else None
                if rel is not None:
                    st.speaker = rel
                    st.speaker_source = "local"
            if st.speaker is None and st.via is None:
                pre, _opener = _prefix_speaker(ctx, st)
                if pre is not None and any(
                    o.content[0] <= pre[0] < o.content[1] for o in stmts if o is not st
                ):
                    pre = None  # words of what someone said are not a subject
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
            if st.speaker is None and (ctx.choice is not None or ctx.choice_trace is not None):
                cands = candidates(ctx, st, history, stmts, _sentence_subject)
                if ctx.choice_trace is not None:
                    ctx.choice_trace.append((st.cue, trace_examples(ctx, st, cands, stmts)))
                c = choose(ctx.choice, ctx, st, cands, stmts) if ctx.choice is not None else None
                if c is not None:
                    st.speaker = c.span
                    st.speaker_source = "pronoun" if st.pron_gender else "continuation"
                    st.confidence = min(st.confidence, 0.7)
            if st.speaker is None and ctx.choice is None:
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
        if st.speaker is not None and st.speaker_source in ("local", "clause"):
            kind = anaphor_kind(ctx, *st.speaker)
            if kind is not None:
                fem = bool(st.form and st.form.gender == "f") or n[st.speaker[1] - 1] == "ة"
                ante = antecedent(ctx, kind, st.speaker, history, fem, _speaker_phrase)
                if ante is not None:
                    st.extra["resolved_from"] = st.speaker
                    st.speaker = ante
                    st.speaker_source = "anaphor"
        if st.speaker is not None and (
            st.cue_type != "nominal"
            or len(_WORD.findall(n, st.cue[0], max(st.cue[1], st.speaker[0]))) > 1
        ):
            # a nominal cue with its verb (وفق ما أكده X، بحسب ما أعلن X) names a speaker
            # that a later المصدر ذاته or وأضاف can refer to; a bare بحسب X does not
            g = st.form.gender if st.form else None
            num = st.form.number if st.form else None
            if st.speaker_source != "local" and st.pron_gender:
                g, num = st.pron_gender, st.pron_number
            elif st.speaker_source == "local" and st.speaker[0] >= st.cue[1] and num == "sg":
                num = None  # a verb before its subject is singular whatever the subject's number
            history.append((st.speaker, g, num))
