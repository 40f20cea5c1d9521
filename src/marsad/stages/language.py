"""The ``language`` stage: the article's main language (Arabic or not), when the input did not
give it (see :func:`marsad.text.language.detect`)."""

from __future__ import annotations

from marsad.core.article import Article
from marsad.core.protocols import Stage
from marsad.core.settings import Settings
from marsad.text.language import detect


def language_stage(article: Article, settings: Settings) -> Article:
    cfg = settings["language"]
    lang = detect(article.text, cfg["sample_chars"], cfg["arabic_letter_ratio"])
    if article.meta.language and article.meta.sources.get("language") == "record":
        return article
    article.meta.language = lang
    article.meta.sources["language"] = "text"
    return article


STAGE = Stage("language", language_stage, requires=("text",), assigns=("language",))
