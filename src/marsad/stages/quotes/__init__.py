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

The package, by concern: ``lexicon`` (cue forms and the compiled lexicon), ``regions``
(quotations and look-ups on the normalised text), ``items`` (:class:`Quote`), ``spans``
(statement ends and content spans), ``speakers`` (speaker phrases and their resolution),
``statements`` (the cue-verb pass), ``patterns`` (the other passes); this module runs them.
"""

from __future__ import annotations

from marsad.core.article import Article
from marsad.core.protocols import Stage
from marsad.core.settings import Settings, load_settings
from marsad.stages.quotes.extent import CHOICE_FILE, load_model
from marsad.stages.quotes.items import Quote, _Stmt
from marsad.stages.quotes.lexicon import lexicon
from marsad.stages.quotes.mention import speaker_parts
from marsad.stages.quotes.patterns import _headline_statements, _nominal_statements
from marsad.stages.quotes.regions import _WORD, _Ctx, _sentence_of, quote_regions
from marsad.stages.quotes.spans import _cut_at_next_cue
from marsad.stages.quotes.speakers import _resolve, _speaker_kind
from marsad.stages.quotes.statements import _verb_statements

__all__ = ["STAGE", "Quote", "find_quotes", "lexicon", "quote_regions", "quotes_stage"]


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


#: a preposition with a pronoun: ``طالبوا به``، ``نادت بها`` say nothing themselves
_PRONOUN_OBJECTS = frozenset({"به", "بها", "بهم", "بهما", "بهن", "بذلك"})


def _pronoun_content(ctx: _Ctx, st: _Stmt) -> bool:
    """A reported (not quoted) content that is only a pronoun object and a few words after it
    (``الذين طالبوا به منذ سنوات``): the words were said before and are not restated."""
    if st.kind != "indirect":
        return False
    words = _WORD.findall(ctx.n, *st.content)
    return bool(words) and words[0] in _PRONOUN_OBJECTS and len(words) <= 4


def find_quotes(
    article: Article,
    settings: Settings | None = None,
    trace: list | None = None,
    choice_trace: list | None = None,
) -> list[Quote]:
    """All reported statements in ``article``'s content blocks, in text order. ``trace`` and
    ``choice_trace`` (training only) collect every speaker zone and every set of speaker
    candidates the passes looked at."""
    cfg = (settings if settings is not None else load_settings())["quotes"]
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
        max_zone_words=int(cfg["max_speaker_words"]),
        min_direct_words=int(cfg["min_direct_words"]),
        window=int(cfg["window_chars"]),
        keep_pronoun=bool(cfg["content_keeps_pronoun"]),
        np_objects=bool(cfg["noun_objects"]),
        max_statement_chars=int(cfg["max_statement_chars"]),
        extent=load_model(cfg["speaker_extent_file"] or None)
        if cfg["speaker_extent"] == "model"
        else None,
        choice=load_model(cfg["speaker_choice_file"] or None, CHOICE_FILE)
        if cfg["speaker_choice"] == "model"
        else None,
        trace=trace,
        choice_trace=choice_trace,
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
    min_conf = float(cfg["min_confidence"])
    out: list[Quote] = []
    for st in uniq:
        if st.kind == "subject" or st.confidence < min_conf or _pronoun_content(ctx, st):
            continue
        cue = norm.to_original(*st.cue)
        content = norm.to_original(*st.content)
        speaker = norm.to_original(*st.speaker) if st.speaker else None
        via = norm.to_original(*st.via) if st.via else None
        skind = mtype = None
        name = role = resolved = None
        if st.speaker is not None:
            skind, mtype = _speaker_kind(ctx, *st.speaker)
            local = st.speaker_source == "local"
            _sent_s, sent_e = _sentence_of(ctx, st.speaker[1])
            nm, rl = speaker_parts(ctx, *st.speaker, local, max(sent_e, st.speaker[1]))
            name = norm.to_original(*nm) if nm else None
            role = norm.to_original(*rl) if rl else None
            if not local:
                r = st.extra.pop("resolved_from", None) or st.cue
                resolved = norm.to_original(*r)
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
            refers_to=resolved if st.speaker_source == "anaphor" else None,
            speaker_name=name,
            speaker_role=role,
            resolved_from=resolved,
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
