"""The stage registry and pipeline: order checks, switching stages off, errors, time limit."""

from __future__ import annotations

import time

import pytest

from marsad.core.article import Article
from marsad.core.errors import ArticleError, UsageError
from marsad.core.settings import load_settings
from marsad.run.pipeline import _REGISTRY, Pipeline, registered, stage


def test_default_order_and_names():
    names = list(registered())
    assert names.index("blocks") < names.index("metadata") < names.index("sentences")
    assert Pipeline().names[:2] == ["language", "blocks"]


def test_unknown_stage_and_missing_requirement():
    with pytest.raises(UsageError) as e:
        Pipeline(disable=["nope"])
    assert e.value.code == "E012"
    with pytest.raises(UsageError) as e:
        Pipeline(disable=["blocks"])
    assert e.value.code == "E011" and "blocks" in e.value.message


def test_failing_stage_is_an_article_error():
    @stage("_boom", requires=("blocks",), order=999)
    def boom(article, settings):
        raise ValueError("bad")

    try:
        with pytest.raises(ArticleError) as e:
            Pipeline()(Article(text="نص قصير.", id="x"))
        assert e.value.code == "E010" and "_boom" in e.value.message
    finally:
        del _REGISTRY["_boom"]


def test_time_limit():
    @stage("_slow", requires=("blocks",), order=998)
    def slow(article, settings):
        time.sleep(5)
        return article

    try:
        settings = load_settings(pipeline={"article_timeout": 0.3})
        t0 = time.perf_counter()
        with pytest.raises(ArticleError) as e:
            Pipeline(settings=settings)(Article(text="نص قصير.", id="x"))
        assert e.value.code == "E015" and "_slow" in e.value.message
        assert time.perf_counter() - t0 < 3
    finally:
        del _REGISTRY["_slow"]
