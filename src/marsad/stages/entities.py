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

from marsad.core.article import CONTENT_KINDS, Article
from marsad.core.items import Mention
from marsad.core.protocols import Stage
from marsad.core.settings import Settings, load_settings


def find_mentions(article: Article, settings: Settings | None = None) -> list[Mention]:
    from marsad.stages.ner.model import load

    cfg = (settings if settings is not None else load_settings())["entities"]
    lang = article.meta.language
    if lang and lang not in cfg["languages"]:
        return []  # the model is for Arabic; other languages get no mentions
    tagger = load(cfg["model"] or None, int(cfg["cache_words"]))
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
    return out


def _proclitic_chars(token: str, lex_stem) -> int:
    """How many leading characters of a mention's first token are attached clitics (و ف ب ك
    ل, never ال): وكردفان → 1, والولايات → 1, بالعراق → 1; 0 for وليد, للعراق or (ب) بايدن. A clitic is
    cut only when the word without it is a more frequent news word (``lex_stem``), so the
    mention's span and the entity's name start at the name itself."""
    from marsad.text.normalize import normalize_text

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
