"""Extractive, cited story summaries (single- or multi-document).

Candidate sentences come from content blocks only (body and subheadings: never headlines,
boilerplate, captions or datelines). Sentences are chosen greedily by maximal marginal
relevance (MMR): relevance = TF-IDF centrality (cosine with the story's centroid) plus small
bonuses for an early position in its article, for an outlet or article not yet cited, and
for carrying a figure; redundancy = the highest cosine with a sentence already chosen. A
sentence that is a near-duplicate of a chosen one (word-bigram Jaccard at least
``sentence_dup_jaccard``) is never taken. The chosen sentences are ordered by time
(publication day, then arrival order of the article, then position) and each is cited as
``{doc, start, end, text}`` with ``text == article.text[start:end]``.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from marsad.collect.stories.features import (
    WORD,
    DocFreq,
    article_title,
    content_stems,
    cosine,
    tfidf,
)
from marsad.core.settings import load_settings
from marsad.stages.blocks import classify_cue, cues
from marsad.text.normalize import normalize_text

MIN_WORDS = 6
MAX_WORDS = 80
#: What comes next: future markers on the normalised text.
_FUTURE = re.compile(
    r"(?<![^\W\d_])(?:سوف|سي[^\W\d_]{3,}|ست[^\W\d_]{3,}|المقبل|المقبله|القادم|القادمه|"
    r"من المقرر|من المنتظر|من المتوقع|غدا)(?![^\W\d_])"
)

#: A reaction to the event: condemnation and condolence words on the normalised text
#: (أدان، ندد، استنكر، شجب، إدانة، تنديد، التعازي، العزاء، مواساة), with a proclitic.
_REACTION = re.compile(
    r"(?<![^\W\d_])(?:و|ف|ب|وب|ال|وال|بال)?(?:ادان|ادانت|يدين|تدين|ندد|نددت|يندد|تندد|استنكر|"
    r"استنكرت|يستنكر|تستنكر|شجب|شجبت|يشجب|تشجب|ادانه|ادانتها|ادانته|استنكار|استنكارها|"
    r"استنكاره|تنديد|تنديدها|تعازي|تعازيه|تعازيها|عزاء|مواساه)(?![^\W\d_])"
)


@dataclass(slots=True)
class Sent:
    doc: str
    start: int
    end: int
    text: str
    stems: list[str]
    pos: int  # index among the article's candidate sentences
    day: int | None = None
    order: int = 0
    outlet: str | None = None
    has_figure: bool = False
    vec: dict[str, float] = field(default_factory=dict)
    block: int | None = None
    #: Keys of the entities named in the sentence (mentions layer: stems of the mention).
    entities: tuple[str, ...] = ()
    #: Speakers of the statements the sentence overlaps (quotes layer: stems of the name).
    speakers: tuple[str, ...] = ()
    #: Values of the figures in the sentence (quantities layer), as strings.
    figures: tuple[str, ...] = ()
    #: The sentence speaks of what comes next (a future marker: سـ، سوف، المقبل، من المقرر).
    future: bool = False
    #: The sentence is a reaction: a condemnation or condolences (:data:`_REACTION`).
    reaction: bool = False

    def cite(self) -> dict[str, Any]:
        out = {"doc": self.doc, "start": self.start, "end": self.end, "text": self.text}
        if self.block is not None:
            out["block"] = self.block  # index in documents[].blocks (report anchor doc-N-bI)
        return out


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


@lru_cache(maxsize=1)
def _blocks_settings() -> dict:
    return dict(load_settings()["blocks"])


def _words(norm: str) -> str:
    return " ".join(m.group() for m in WORD.finditer(norm))


def is_chrome(norm: str, n_words: int, title_words: str = "") -> bool:
    """A sentence that is site chrome although it sits in a body block: one the block
    classifier's cue phrases label boilerplate when it stands alone (a tag line, سمات …،
    run into the last paragraph), or a link back to the article itself (a label, a colon,
    then the article's own headline: رابط الخبر بصحيفة …: <headline>). ``norm``: the
    sentence's normalised text; ``title_words``: the headline's words (:func:`_words`)."""
    hit = classify_cue(norm, n_words, cues(), _blocks_settings())
    if hit and hit[0] == "boilerplate":
        return True
    if title_words and ":" in norm:
        return _words(norm.split(":", 1)[1]) == title_words
    return False


def article_sentences(article, order: int = 0, limit: int = 60) -> list[Sent]:
    """Candidate sentences of an article (body and subheading blocks, chrome sentences left
    out: :func:`is_chrome`), at most ``limit``."""
    ok = {i for i, b in article.content_blocks() if b.kind != "title"}
    day = article.meta.published.toordinal() if article.meta.published else None
    figs = [
        (q.start, q.end, str(getattr(q, "value", None) or article.text[q.start : q.end]))
        for q in article.layers.get("quantities", ()) or ()
    ]
    ments = _mention_keys(article)
    quotes = _quote_speakers(article)
    out: list[Sent] = []
    title_words = _words(normalize_text(article_title(article)))
    sents = article.sentences
    if not sents and not article.blocks:  # not segmented: treat the text as one block
        return out
    for s in sents:
        if s.block not in ok:
            continue
        a, b = _trim(article.text, s.start, s.end)
        text = article.text[a:b]
        n_words = len(text.split())
        if n_words < MIN_WORDS or n_words > MAX_WORDS:
            continue
        norm = normalize_text(text)
        if is_chrome(norm, n_words, title_words):
            continue
        out.append(
            Sent(
                article.id,
                a,
                b,
                text,
                content_stems(norm),
                len(out),
                day,
                order,
                article.meta.outlet,
                any(a <= fs < b for fs, _, _ in figs),
                block=s.block,
                entities=tuple(sorted({k for ms, k in ments if a <= ms < b})),
                speakers=tuple(sorted({k for qs, qe, k in quotes if qs < b and qe > a})),
                figures=tuple(sorted({v for fs, _, v in figs if a <= fs < b})),
                future=bool(_FUTURE.search(norm)),
                reaction=bool(_REACTION.search(norm)),
            )
        )
        if len(out) >= limit:
            break
    return out


def _mention_keys(article) -> list[tuple[int, str]]:
    """``(start, key)`` of the article's entity mentions; key = type and stems."""
    out = []
    for m in article.layers.get("mentions", ()) or ():
        stems = content_stems(normalize_text(article.text[m.start : m.end]))
        if stems:
            out.append((m.start, f"{getattr(m, 'type', '')}:{' '.join(stems)}"))
    return out


def _quote_speakers(article) -> list[tuple[int, int, str]]:
    """``(start, end, speaker key)`` of the article's statements with a named speaker."""
    out = []
    for q in article.layers.get("quotes", ()) or ():
        sp = q.to_json(article).get("speaker")
        if isinstance(sp, dict):
            sp = sp.get("name") or sp.get("text")
        if isinstance(sp, str) and sp.strip():
            key = " ".join(content_stems(normalize_text(sp)))
            if key:
                out.append((q.start, q.end, key))
    return out


def bigrams(stems: Sequence[str]) -> set[tuple[str, str]]:
    return set(zip(stems, stems[1:], strict=False)) or {(s, "") for s in stems}


def near_duplicate(a: Sent, b: Sent, threshold: float) -> bool:
    x, y = bigrams(a.stems), bigrams(b.stems)
    if not x or not y:
        return False
    return len(x & y) / len(x | y) >= threshold


def _centroid(sentences: list[Sent], df: DocFreq) -> dict[str, float]:
    """Fill each sentence's TF-IDF vector (when missing) and return their unit centroid."""
    for s in sentences:
        if not s.vec:
            s.vec = tfidf(s.stems, df, top=40)
    acc: Counter[str] = Counter()
    for s in sentences:
        acc.update(s.vec)
    norm = sum(v * v for v in acc.values()) ** 0.5 or 1.0
    return {t: v / norm for t, v in acc.items()}


def summarise(
    sentences: list[Sent],
    k: int = 7,
    lam: float = 0.7,
    dup: float = 0.5,
    df: DocFreq | None = None,
    position_weight: float = 0.3,
    coverage_weight: float = 0.1,
    figure_weight: float = 0.03,
    query: dict[str, float] | None = None,
    query_weight: float = 2.0,
) -> list[Sent]:
    """Choose at most ``k`` sentences by MMR and return them in time order.

    ``query`` (a TF-IDF vector of the headlines) adds ``query_weight`` times a sentence's
    cosine with it to its relevance.
    """
    if not sentences:
        return []
    df = df or DocFreq()
    centroid = _centroid(sentences, df)
    rel = {id(s): cosine(s.vec, centroid) for s in sentences}
    if query:
        for s in sentences:
            rel[id(s)] += query_weight * cosine(s.vec, query)
    chosen: list[Sent] = []
    docs_cited: set[str] = set()
    outlets_cited: set[str | None] = set()
    pool = list(sentences)
    while pool and len(chosen) < k:
        best: tuple[float, int] | None = None
        for i, s in enumerate(pool):
            if any(near_duplicate(s, c, dup) for c in chosen):
                continue
            r = rel[id(s)] + position_weight / (1 + s.pos)
            if s.doc not in docs_cited:
                r += coverage_weight
                if s.outlet not in outlets_cited:
                    r += coverage_weight
            if s.has_figure:
                r += figure_weight
            red = max((cosine(s.vec, c.vec) for c in chosen), default=0.0)
            score = lam * r - (1 - lam) * red
            if best is None or score > best[0] + 1e-12:
                best = (score, i)
        if best is None:
            break
        s = pool.pop(best[1])
        chosen.append(s)
        docs_cited.add(s.doc)
        outlets_cited.add(s.outlet)
    chosen.sort(key=lambda s: (s.day is None, s.day or 0, s.order, s.start))
    return chosen


def summary_length(n_docs: int, maximum: int = 7) -> int:
    """Sentences in a story summary: 3 for one article, one more per extra article, at most 7."""
    return min(maximum, 2 + max(1, n_docs))


def headline_vector(docs) -> dict[str, float]:
    """Normalised sum of the headlines' TF-IDF vectors (``DocFeatures.title_vec``)."""
    acc: Counter[str] = Counter()
    for d in docs:
        acc.update(d.title_vec)
    norm = sum(v * v for v in acc.values()) ** 0.5 or 1.0
    return {t: v / norm for t, v in acc.items()}


# -- the story brief (multi-article summaries) ---------------------------------------------
_DIGITS = re.compile(r"\d+")


def _same_text(x: set, bx: set, y: set, by: set, dup: float, overlap: float) -> bool:
    """:func:`same_content` on precomputed stem sets and word bigrams, without figures."""
    if bx and by and len(bx & by) / len(bx | by) >= dup:
        return True
    return bool(x and y and len(x & y) / min(len(x), len(y)) >= overlap)


def same_figure(a: Sent, b: Sent) -> bool:
    """The same figure and a shared entity (or at least four shared stems): two outlets'
    copies of one toll or one decision."""
    return bool(
        set(a.figures) & set(b.figures)
        and (set(a.entities) & set(b.entities) or len(set(a.stems) & set(b.stems)) >= 4)
    )


def same_content(a: Sent, b: Sent, dup: float, overlap: float = 0.6) -> bool:
    """Two sentences that say the same thing: word-bigram Jaccard >= ``dup``, or content
    stems of the shorter one shared at ``overlap`` or more, or :func:`same_figure`."""
    x, y = set(a.stems), set(b.stems)
    if _same_text(x, bigrams(a.stems), y, bigrams(b.stems), dup, overlap):
        return True
    return same_figure(a, b)


def concepts(s: Sent) -> set[str]:
    """What a sentence says, as units a reader checks: its content stems and its numbers
    (digit runs: ``945``; ``403`` and ``2`` of ``403.2``)."""
    out = set(s.stems)
    out.update(str(int(d)) for d in _DIGITS.findall(s.text))
    return out


def _event_sentence(
    sentences: list[Sent], rel: dict[int, float], support_cosine: float, lead_positions: int
) -> Sent:
    """Among the first ``lead_positions`` sentences of every article, the one whose content
    the most other outlets repeat (a sentence of theirs at ``support_cosine`` or more),
    ties broken by relevance."""
    index: dict[str, list[Sent]] = {}
    for s in sentences:
        for t in list(s.vec)[:8]:
            index.setdefault(t, []).append(s)
    support: dict[int, int] = {}
    leads = [s for s in sentences if s.pos < lead_positions] or sentences
    for s in leads:
        seen: set[int] = set()
        outlets = set()
        for t in list(s.vec)[:8]:
            for o in index.get(t, ()):
                if id(o) in seen or o.doc == s.doc or (o.outlet or o.doc) == (s.outlet or s.doc):
                    continue
                seen.add(id(o))
                if cosine(s.vec, o.vec) >= support_cosine:
                    outlets.add(o.outlet or o.doc)
        support[id(s)] = len(outlets)
    return max(leads, key=lambda s: (support[id(s)], rel[id(s)], -s.order, -s.start))


def brief(
    sentences: list[Sent],
    k: int = 5,
    df: DocFreq | None = None,
    query: dict[str, float] | None = None,
    dup: float = 0.5,
    support_cosine: float = 0.3,
    query_weight: float = 2.0,
    lead_positions: int = 2,
    cfg: dict[str, Any] | None = None,
) -> list[Sent]:
    """A story brief of at most ``k`` sentences that covers what the outlets report
    (``cfg``: the ``[stories]`` settings, by default the loaded ones: the ``brief_*`` weights).

    1. The event sentence (:func:`_event_sentence`): the early sentence most outlets repeat.
    2. Then greedy maximum coverage of the story's shared content: a *concept* (a content
       stem or a number, :func:`concepts`) weighs the number of outlets whose candidates
       carry it, minus one (a concept of one outlet weighs nothing); a sentence gains the
       weight of its concepts the brief does not hold yet, divided by the square root of its
       number of concepts (a long sentence must carry more), plus an early-position bonus and
       a one-time bonus for a speaker's statement, a figure and what comes next.
    3. No two sentences that say the same thing (:func:`same_content`; the figure-and-entity
       test only for a sentence that adds less than half new content); off-topic candidates
       (relevance, i.e. cosine with the story's centroid + ``query_weight`` x cosine with its
       headlines, under ``brief_topic_floor`` of the best) never.
    4. The event sentence first, the others in the story's time order (publication day,
       article order, position)."""
    if not sentences:
        return []
    df = df or DocFreq()
    centroid = _centroid(sentences, df)
    rel = {}
    for s in sentences:
        rel[id(s)] = cosine(s.vec, centroid) + (query_weight * cosine(s.vec, query) if query else 0)
    first = _event_sentence(sentences, rel, support_cosine, lead_positions)
    cfg = cfg if cfg is not None else load_settings()["stories"]
    length_exp, novel_share = float(cfg["brief_length_exponent"]), float(cfg["brief_novel_share"])
    position_weight, role_bonus = (
        float(cfg["brief_position_weight"]),
        float(cfg["brief_role_bonus"]),
    )
    floor = float(cfg["brief_topic_floor"]) * max(rel.values())
    pool = [s for s in sentences if s is not first and rel[id(s)] >= floor]
    cons = {id(s): concepts(s) for s in (first, *pool)}
    holders: dict[str, set[str]] = {}
    for s in (first, *pool):
        for c in cons[id(s)]:
            holders.setdefault(c, set()).add(s.outlet or s.doc)
    weight = {c: len(h) - 1 for c, h in holders.items() if len(h) > 1}
    covered = set(cons[id(first)])

    full = {id(s): sum(weight.get(c, 0) for c in cons[id(s)]) or 1 for s in pool}
    text = {id(s): (set(s.stems), bigrams(s.stems)) for s in (first, *pool)}

    def new_weight(s: Sent) -> float:
        return sum(weight.get(c, 0) for c in cons[id(s)] if c not in covered)

    def gain(s: Sent) -> float:
        return new_weight(s) / max(1, len(cons[id(s)])) ** length_exp

    def blocked(s: Sent, last: Sent) -> bool:
        # Chosen sentences only accumulate and new content only shrinks: a candidate
        # blocked once stays blocked, so the pool is pruned after each choice.
        if _same_text(*text[id(s)], *text[id(last)], dup, 0.6):
            return True
        if new_weight(s) / full[id(s)] >= novel_share:
            return False
        # Adding little: not the same figure again, not a chosen speaker again, not a
        # second reaction (a list of condemnations).
        return (
            bool(said.intersection(s.speakers))
            or (s.reaction and reacted)
            or any(same_figure(s, c) for c in chosen)
        )

    chosen = [first]
    said = set(first.speakers)  # speakers of the chosen statements
    reacted = first.reaction  # a reaction (condemnation, condolences) is chosen
    have = {"speaker": bool(first.speakers), "figure": bool(first.figures), "next": first.future}
    scale = max((gain(s) for s in pool), default=0.0) or 1.0
    pool = [s for s in pool if not blocked(s, first)]
    while pool and len(chosen) < k:
        best: tuple[float, int] | None = None
        for i, s in enumerate(pool):
            roles = (
                (bool(s.speakers) and not have["speaker"])
                + (bool(s.figures) and not have["figure"])
                + (s.future and not have["next"])
            )
            score = gain(s) / scale + position_weight / (1 + s.pos) + role_bonus * roles
            if best is None or score > best[0] + 1e-12:
                best = (score, i)
        if best is None:
            break
        s = pool.pop(best[1])
        chosen.append(s)
        covered |= cons[id(s)]
        said.update(s.speakers)
        reacted |= s.reaction
        have["speaker"] |= bool(s.speakers)
        have["figure"] |= bool(s.figures)
        have["next"] |= s.future
        pool = [p for p in pool if not blocked(p, s)]
    rest = sorted(chosen[1:], key=lambda s: (s.day is None, s.day or 0, s.order, s.start))
    return [first, *rest]


#: Outlet tags around a headline: a label before it (بالفيديو.. / عاجل:) and a site name
#: after a separator at its end (| سبق، - الرياض نيوز).
_TAG_HEAD = re.compile(
    r"^\s*(?:عاجل|خاص|حصري|فيديو|بالفيديو|بالصور|صور|شاهد|انفوجرافيك|تحديث)\s*(?:[:|\-–—]+|\.\.+)\s*"
)
_TAG_TAIL = re.compile(r"\s+[|\-–—]\s+[^|\-–—]{1,25}$")


def clean_headline(title: str | None, outlet: str | None = None) -> str | None:
    """A story headline without the outlet's tags: a leading label (عاجل:، بالفيديو..) and a
    trailing ``| site`` / ``- site`` of at most three words (or the outlet's name)."""
    if not title:
        return None
    t = " ".join(title.split())
    t = _TAG_HEAD.sub("", t)
    m = _TAG_TAIL.search(t)
    if m and (len(m.group().split()) <= 4 or (outlet and outlet in m.group())):
        t = t[: m.start()]
    if outlet and t.endswith(outlet):
        t = t[: -len(outlet)].rstrip(" |-–—")
    return t.strip() or None
