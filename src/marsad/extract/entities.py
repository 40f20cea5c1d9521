"""The ``entities`` stage: named-entity mentions (PER, ORG, LOC, MISC) from the NER model.

Only articles in Arabic (``[entities] languages``) and only sentences of title, subheading
and body blocks are tagged (never boilerplate, captions
or datelines). Each sentence's tokens go through the CRF tagger of :mod:`marsad.extract.ner`
(loaded once per process); entity spans are mapped back from tokens to original offsets and
written to ``article.layers["mentions"]`` as :class:`~marsad.extract.mentions.Mention`, in
text order. The confidence of a mention is the lowest marginal probability of its tags;
mentions below ``[entities] min_confidence`` are dropped. docs/entities.md.
"""

from __future__ import annotations

from marsad.article import CONTENT_KINDS, Article
from marsad.extract.mentions import Mention
from marsad.pipeline import stage
from marsad.settings import Settings


def find_mentions(article: Article, settings: Settings | None = None) -> list[Mention]:
    from marsad.extract.ner.model import load

    cfg = settings.get("entities", {}) if settings is not None else {}
    lang = article.meta.language
    if lang and lang not in cfg.get("languages", ["ar"]):
        return []  # the model is for Arabic; other languages get no mentions
    tagger = load(cfg.get("model") or None)
    min_conf = float(cfg.get("min_confidence", 0.0))
    max_tokens = int(cfg.get("max_sentence_tokens", 300))
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
        chunks, tagger.document(words, propagate=bool(cfg.get("propagate", True))), strict=True
    ):
        for s, e, typ, conf in found:
            if conf >= min_conf:
                out.append(Mention(starts[lo + s], ends[lo + e - 1], typ, conf))
    out.sort(key=lambda m: (m.start, m.end))
    return out


@stage("entities", requires=("blocks", "sentences", "tokens"), assigns=("mentions",), order=50)
def entities_stage(article: Article, settings: Settings) -> Article:
    article.layers["mentions"] = find_mentions(article, settings)
    return article
