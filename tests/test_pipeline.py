"""The stage registry and pipeline: order checks, switching stages off, errors, time limit."""

from __future__ import annotations

import time

import pytest

from marsad import builtins
from marsad.core.article import Article
from marsad.core.errors import ArticleError, UsageError
from marsad.core.protocols import Stage, order_stages
from marsad.core.settings import load_settings
from marsad.run.pipeline import Pipeline


def test_default_order_and_names():
    names = Pipeline().names
    assert names.index("blocks") < names.index("metadata") < names.index("sentences")
    assert names[:2] == ["language", "blocks"]
    assert names == [st.name for st in builtins.STAGES]


def test_order_is_computed_from_the_declarations():
    def f(article, settings):
        return article

    a = Stage("a", f, requires=("x",), assigns=("y",))
    b = Stage("b", f, assigns=("x",))
    c = Stage("c", f, requires=("text",), uses=("y",))  # optional input: after a when a runs
    d = Stage("d", f, requires=("text",))
    assert [s.name for s in order_stages([c, a, d, b])] == ["d", "b", "a", "c"]
    assert [s.name for s in order_stages([c, d])] == ["c", "d"]  # nothing assigns y
    # the default pipeline, listed backwards, still runs each stage after what it needs
    order = Pipeline(stages=list(reversed(builtins.STAGES))).stages
    for i, st in enumerate(order):
        later = {x for other in order[i + 1 :] for x in other.assigns}
        assert not (set(st.requires) | set(st.uses)) & later, st.name


def test_unknown_stage_and_missing_requirement():
    with pytest.raises(UsageError) as e:
        Pipeline(disable=["nope"])
    assert e.value.code == "E012"
    with pytest.raises(UsageError) as e:
        Pipeline(disable=["blocks"])
    assert e.value.code == "E011" and "blocks" in e.value.message


def test_failing_stage_is_an_article_error():
    def boom(article, settings):
        raise ValueError("bad")

    stages = [*builtins.STAGES, Stage("_boom", boom, requires=("blocks",))]
    with pytest.raises(ArticleError) as e:
        Pipeline(stages)(Article(text="نص قصير.", id="x"))
    assert e.value.code == "E010" and "_boom" in e.value.message


def test_time_limit():
    def slow(article, settings):
        time.sleep(5)
        return article

    settings = load_settings(pipeline={"article_timeout": 0.3})
    stages = [*builtins.STAGES, Stage("_slow", slow, requires=("blocks",))]
    t0 = time.perf_counter()
    with pytest.raises(ArticleError) as e:
        Pipeline(stages, settings=settings)(Article(text="نص قصير.", id="x"))
    assert e.value.code == "E015" and "_slow" in e.value.message
    assert time.perf_counter() - t0 < 3
