"""The ``entities`` stage: named-entity mentions (PER, ORG, LOC, MISC) from the NER model.

Only articles in Arabic (``[entities] languages``) and only sentences of title, subheading
and body blocks are tagged (never boilerplate, captions
or datelines). Each sentence's tokens go through the CRF tagger of :mod:`marsad.stages.ner`
(loaded once per process); entity spans are mapped back from tokens to original offsets and
written to ``article.layers["mentions"]`` as :class:`~marsad.core.items.Mention`, in
text order. The confidence of a mention is the lowest marginal probability of its tags;
mentions below ``[entities] min_confidence`` are dropped. docs/entities.md.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from marsad.core.article import CONTENT_KINDS, Article
from marsad.core.items import Mention
from marsad.core.protocols import Stage
from marsad.core.settings import Settings, load_settings
from marsad.stages.institutions import add_institutions
from marsad.stages.ner.tagger import load_tagger
from marsad.text.normalize import normalize_text


def find_mentions(article: Article, settings: Settings | None = None) -> list[Mention]:
    cfg = (settings if settings is not None else load_settings())["entities"]
    lang = article.meta.language
    if lang and lang not in cfg["languages"]:
        return []  # the model is for Arabic; other languages get no mentions
    tagger = load_tagger(settings if settings is not None else load_settings())
    min_conf = float(cfg["min_confidence"])
    max_tokens = int(cfg["max_sentence_tokens"])
    text = article.text
    toks = article.tokens
    starts, ends = toks.starts, toks.ends
    blocks = article.blocks
    chunks: list[int] = []
    words: list[list[str]] = []
    for sent in article.sentences:
        if not (0 <= sent.block < len(blocks)) or blocks[sent.block].kind not in CONTENT_KINDS:
            continue
        idx = toks.in_span(sent.start, sent.end)
        for lo in range(idx.start, idx.stop, max_tokens):
            hi = min(lo + max_tokens, idx.stop)
            chunks.append(lo)
            words.append([text[starts[i] : ends[i]] for i in range(lo, hi)])
    out: list[Mention] = []
    for lo, found in zip(
        chunks, tagger.document(words, propagate=bool(cfg["propagate"])), strict=True
    ):
        for s, e, typ, conf in found:
            if conf >= min_conf:
                start = starts[lo + s]
                start += _proclitic_chars(text[start : ends[lo + s]], tagger.features.lex_stem)
                out.append(Mention(start, ends[lo + e - 1], typ, conf))
    out.sort(key=lambda m: (m.start, m.end))
    out = tidy_mentions(article, out, tagger.features.lex_stem)
    if cfg["institutions"]:
        out = add_institutions(article, out)
    return out


def _proclitic_chars(token: str, lex_stem) -> int:
    """How many leading characters of a mention's first token are attached clitics (و ف ب ك
    ل, never ال): وكردفان → 1, والولايات → 1, بالعراق → 1; 0 for وليد, للعراق or (ب) بايدن. A clitic is
    cut only when the word without it is a more frequent news word (``lex_stem``), so the
    mention's span and the entity's name start at the name itself."""
    n = normalize_text(token)
    ls = lex_stem(n)
    if ls == n or not n.endswith(ls):
        return 0
    prefix = n[: len(n) - len(ls)]
    if not ls.startswith("ال") and prefix.endswith("ال"):
        prefix = prefix[:-2]  # keep the article: it belongs to the name (الولايات)
    if not prefix or len(prefix) > 2 or any(c not in "وفبكل" for c in prefix):
        return 0
    if prefix[-1] in "بكل" and not ls.startswith("ال"):
        return 0  # ب ك ل cut only before the article (بالعراق); وبايدن keeps its ب
    return len(prefix) if token[: len(prefix)] == prefix else 0


# -- mention boundaries and junk (rules in resources/ar/entity_junk.json) --------------------
@dataclass(frozen=True)
class _Rules:
    currencies: frozenset[str]
    phrases: frozenset[str]
    months: frozenset[str]
    ambiguous_months: frozenset[str]
    weekdays: frozenset[str]
    weekdays_bare: frozenset[str]
    date_context: frozenset[str]
    min_letters: int
    nisba: tuple[str, ...]
    leading: frozenset[str]
    trailing: frozenset[str]
    conjoined: frozenset[str]
    split_types: frozenset[str]
    keep_initial: frozenset[str]
    heads: frozenset[str]


def _load(name: str) -> dict:
    return json.loads(resources.files("marsad.resources.ar").joinpath(name).read_text("utf-8"))


@lru_cache(maxsize=1)
def rules() -> _Rules:
    junk = _load("entity_junk.json")
    cal = _load("calendar.json")

    def words(*keys: str) -> frozenset[str]:
        return frozenset(normalize_text(w) for k in keys for w in junk[k]["words"])

    months = {
        normalize_text(w)
        for k in ("gregorian_msa", "levantine", "maghrebi", "hijri")
        for w in cal[k]
        if not w.startswith("_")
    }
    weekdays = [normalize_text(w) for w in cal["weekdays"] if not w.startswith("_")]
    return _Rules(
        currencies=words("currencies", "units"),
        phrases=words("phrases"),
        months=frozenset(months),
        ambiguous_months=frozenset(normalize_text(w) for w in cal["ambiguous_months"]),
        weekdays=frozenset(weekdays),
        weekdays_bare=frozenset(_bare(w) for w in weekdays),
        date_context=words("date_context"),
        min_letters=int(junk["min_letters"]["value"]),
        nisba=tuple(junk["nisba_endings"]["words"]),
        leading=frozenset(_bare(w) for w in words("leading_not_name")),
        trailing=words("trailing_not_name"),
        conjoined=words("conjoined_names"),
        split_types=frozenset(junk["split_types"]["words"]),
        keep_initial=words("keep_initial"),
        heads=frozenset(
            _bare(normalize_text(w))
            for t in ("ORG", "LOC")
            for w in _load("entity_names.json")["generic_heads"][t]
        ),
    )


_LETTERS = re.compile(r"[^\W\d_]")
_WORDISH = re.compile(r"\w")


def _bare(w: str) -> str:
    """A normalised word without a leading conjunction and the article: والدولار → دولار."""
    if len(w) > 4 and w[0] in "وف" and (w[1:3] == "ال" or w[1:].startswith("لل")):
        w = w[1:]
    if len(w) > 3 and w[0] in "بكل" and w[1:3] == "ال":
        w = w[1:]
    if w.startswith("لل") and len(w) > 4:
        w = "ا" + w[1:]
    if w.startswith("ال") and len(w) > 4:
        w = w[2:]
    return w


def _is_junk(words: list[str], prev: str, nxt: str, r: _Rules) -> bool:
    """A mention (its normalised words) that is never an entity: a currency or unit (with
    adjectives of nationality), a month or weekday, a formula or common noun, a letter, a mark."""
    text = " ".join(words)
    if not _LETTERS.search(text):
        return True  # bullets, list marks
    if len(words) == 1 and len(_LETTERS.findall(words[0])) < r.min_letters:
        return True
    if text in r.phrases or _bare(text) in r.phrases:
        return True
    if _bare(words[0]) in r.currencies and all(_bare(w).endswith(r.nisba) for w in words[1:]):
        return True
    if text in r.weekdays or (_bare(text) in r.weekdays_bare and text != _bare(text)):
        return True  # الخميس, يوم والخميس; خميس alone is a name (خميس مشيط, عوض خميس)
    key = text if text in r.months else (words[0][1:] if words[0][1:] in r.months else "")
    if key:
        if key not in r.ambiguous_months:
            return True
        near = (prev, nxt)
        return any(w.isdigit() or w in r.months or w in r.date_context for w in near)
    return False


def tidy_mentions(article: Article, mentions: list[Mention], lex_stem) -> list[Mention]:
    """Mention boundaries and junk: words that are not part of the name are left out (a
    descriptor before it, a role after a person's name), ``X وY`` of places and people is two
    mentions, ب/ل before a name whose bare form is the more frequent news word is left out
    (لدمشق → دمشق), and currencies, units, months, weekdays, formulas, letters and marks are
    dropped (docs/entities.md)."""
    if not mentions:
        return mentions
    r = rules()
    text = article.text
    toks = article.tokens
    starts, ends = toks.starts, toks.ends
    norm: dict[int, str] = {}

    def word(i: int) -> str:
        w = norm.get(i)
        if w is None:
            w = norm[i] = normalize_text(text[starts[i] : ends[i]])
        return w

    out: list[Mention] = []
    for m in mentions:
        a = bisect_right(starts, m.start) - 1
        b = bisect_right(starts, m.end - 1) - 1
        if a < 0 or b < a:
            out.append(m)
            continue
        span = list(range(a, b + 1))
        # descriptors before the name, role words after a person's name
        while len(span) > 1 and _bare(word(span[0])) in r.leading:
            span.pop(0)
        if m.type == "PER":
            while len(span) > 1 and word(span[-1]) in r.trailing:
                span.pop()
        # X وY: two mentions
        pieces = [span]
        full = " ".join(word(i) for i in span)
        if m.type in r.split_types and full not in r.conjoined:
            pieces = []
            cur: list[int] = []
            for i in span:
                w = word(i)
                if cur and len(w) > 3 and w[0] == "و" and lex_stem(w) != w:
                    pieces.append(cur)
                    cur = []
                cur.append(i)
            pieces.append(cur)
        for piece in pieces:
            first = piece[0]
            s = starts[first] if first != a else m.start
            w0 = word(first)
            if s == starts[first]:
                s += _conj_chars(text[s : ends[first]], w0, lex_stem, r)
            if (
                s == starts[first]
                and out
                and out[-1].type == m.type
                and len(w0) > 3
                and w0[0] == "و"
                and text[s : s + 1] == "و"
                and not text[out[-1].end : s].strip()
            ):
                s += 1  # الرياض وجدة: the second name of a pair (و is not part of وجدة)
            e = ends[piece[-1]] if piece[-1] != b else m.end
            words = [word(i) for i in piece]
            if s > starts[first]:
                words[0] = normalize_text(text[s : ends[first]])
            prev = next((word(i) for i in range(first - 1, first - 3, -1) if i >= 0
                         and _WORDISH.search(word(i))), "")  # fmt: skip
            nxt = next((word(i) for i in range(piece[-1] + 1, piece[-1] + 3) if i < len(starts)
                        and _WORDISH.search(word(i))), "")  # fmt: skip
            if _is_junk(words, prev, nxt, r):
                continue
            if s == m.start and e == m.end:
                out.append(m)
            else:
                out.append(Mention(s, e, m.type, m.confidence))
    return _join_cut_names(text, out, r, word=lambda s, e: normalize_text(text[s:e]))


def _join_cut_names(text: str, ms: list[Mention], r: _Rules, word) -> list[Mention]:
    """Two mentions with only a space between them are one name when the first is a generic
    head word alone (جمهورية | مصر العربية) or both are places (خميس | مشيط)."""
    out: list[Mention] = []
    for m in ms:
        prev = out[-1] if out else None
        if prev is not None and m.start > prev.end and text[prev.end : m.start] in (" ", "\u00a0"):
            head = _bare(word(prev.start, prev.end)) in r.heads
            if (head and m.type in ("LOC", "ORG")) or (prev.type == m.type == "LOC"):
                conf = min(prev.confidence, m.confidence)
                out[-1] = Mention(prev.start, m.end, m.type, conf)
                continue
        out.append(m)
    return out


def _conj_chars(token: str, w: str, lex_stem, r: _Rules) -> int:
    """Leading characters of a mention's first word that are a conjunction or the preposition
    ب/ل on a name without the article (وجدة → جدة, لدمشق → دمشق, بموسكو → موسكو): cut when the
    word without them is the more frequent news word (``lex_stem``) and the name is not listed
    as starting with that letter (``keep_initial``: لوكاس)."""
    if len(w) < 5 or w in r.keep_initial or w.startswith("ال") or w[1:3] == "ال":
        return 0
    ls = lex_stem(w)
    if ls == w or not w.endswith(ls) or ls.startswith("ال"):
        return 0
    prefix = w[: len(w) - len(ls)]
    if not prefix or len(prefix) > 2 or any(c not in "وفبل" for c in prefix):
        return 0
    if "ل" in prefix[:-1] or "ب" in prefix[:-1]:
        return 0  # a preposition comes last (وب, ول), never before a conjunction
    return len(prefix) if token[: len(prefix)] == prefix else 0


def entities_stage(article: Article, settings: Settings) -> Article:
    article.layers["mentions"] = find_mentions(article, settings)
    return article


STAGE = Stage(
    "entities",
    entities_stage,
    requires=("blocks", "sentences", "tokens"),
    assigns=("mentions",),
    uses=("language",),  # only Arabic articles are tagged
)
