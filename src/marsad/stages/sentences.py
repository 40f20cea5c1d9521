"""The ``sentences`` stage: each block split into sentences (see
:func:`marsad.text.segment.split_sentences`)."""

from __future__ import annotations

from marsad.core.article import Article, Sentence
from marsad.core.protocols import Stage
from marsad.core.settings import Settings
from marsad.text.segment import split_sentences


def sentences_stage(article: Article, settings: Settings) -> Article:
    text = article.text
    out: list[Sentence] = []
    for i, b in enumerate(article.blocks):
        for s, e in split_sentences(text, b.start, b.end):
            out.append(Sentence(s, e, i))
    article.sentences = out
    return article


STAGE = Stage("sentences", sentences_stage, requires=("blocks",), assigns=("sentences",))
