"""The ``tokens`` stage: the whole text as tokens, stored column-wise (see
:func:`marsad.text.segment.tokenize`)."""

from __future__ import annotations

from marsad.core.article import Article
from marsad.core.protocols import Stage
from marsad.core.settings import Settings
from marsad.text.segment import tokenize


def tokens_stage(article: Article, settings: Settings) -> Article:
    starts, ends = tokenize(article.text)
    article.tokens.starts = starts
    article.tokens.ends = ends
    return article


STAGE = Stage("tokens", tokens_stage, requires=("blocks",), assigns=("tokens",))
