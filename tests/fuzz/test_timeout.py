"""The per-article time limit ([pipeline] article_timeout, E015) stops a pathological article
and the batch goes on."""

from __future__ import annotations

import time

import pytest

from marsad.core.article import Article
from marsad.core.errors import ArticleError, ErrorRecord
from marsad.core.settings import load_settings
from marsad.readers import make_article
from marsad.run.analyze import analyze_stream
from marsad.run.pipeline import Pipeline

#: An article at the size limit's order: one block, a quotation that never closes, no
#: sentence end — the worst case for the quote and sentence stages.
PATHOLOGICAL = "قال الوزير: «" + "إن الحكومة ستبني مدرسة جديدة " * 40_000
NORMAL = "قال الوزير إن الحكومة ستبني مدرسة جديدة في المدينة هذا العام."


def test_timeout_stops_a_pathological_article_and_the_next_one_runs():
    cfg = load_settings(pipeline={"article_timeout": 0.3})
    pipe = Pipeline(settings=cfg)
    pipe.warm_up()  # first uses load data files: not what this test times
    art = make_article(PATHOLOGICAL, id="slow", path=None, settings=cfg)
    t0 = time.perf_counter()
    with pytest.raises(ArticleError) as info:
        pipe(art)
    took = time.perf_counter() - t0
    assert info.value.code == "E015"
    # the alarm interrupts the stage: no more than one C-level call past the limit
    assert took < 5, took
    ok = pipe(make_article(NORMAL, id="ok", path=None, settings=cfg))
    assert isinstance(ok, Article) and ok.sentences and "quotes" in ok.done


def test_timeout_in_a_batch(tmp_path):
    (tmp_path / "a-slow.txt").write_text(PATHOLOGICAL, encoding="utf-8")
    (tmp_path / "b-ok.txt").write_text(NORMAL, encoding="utf-8")
    cfg = load_settings(pipeline={"article_timeout": 0.3})
    pipe = Pipeline(settings=cfg)
    pipe.warm_up()
    out = list(analyze_stream(tmp_path, cfg, pipeline=pipe))
    assert isinstance(out[0], ErrorRecord) and out[0].code == "E015"
    assert out[0].severity == "error" and out[0].doc == "a-slow"
    assert isinstance(out[1], Article) and out[1].id == "b-ok"


def test_pathological_article_completes_without_a_limit():
    """Without the alarm, the same article still finishes (it is slow, not stuck)."""
    cfg = load_settings(pipeline={"article_timeout": 0})
    t0 = time.perf_counter()
    art = Pipeline(settings=cfg)(make_article(PATHOLOGICAL, id="slow", path=None, settings=cfg))
    assert art.done[-1] == "quotes"
    assert time.perf_counter() - t0 < 60


def test_the_alarm_never_interrupts_an_import(tmp_path, monkeypatch):
    """A stage that imports a slow module when the alarm fires: the import completes (the
    timeout comes after it), and the module is usable by the next article."""
    import sys

    from marsad.core.protocols import Stage

    mod = tmp_path / "marsad_slow_import_probe.py"
    mod.write_text("import time\ntime.sleep(0.6)\nVALUE = 42\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))

    def importer(article, settings):
        import marsad_slow_import_probe

        assert marsad_slow_import_probe.VALUE == 42
        return article

    try:
        cfg = load_settings(pipeline={"article_timeout": 0.2})
        Pipeline(["language", "blocks"], settings=cfg).warm_up()  # only the import is slow
        importer_stage = Stage("_importer", importer, requires=("blocks",))
        pipe = Pipeline(["language", "blocks", importer_stage], settings=cfg)
        t0 = time.perf_counter()
        try:
            pipe(make_article(NORMAL, id="a", path=None, settings=cfg))
        except ArticleError as e:
            assert e.code == "E015"  # raised after the import, never inside it
        assert time.perf_counter() - t0 >= 0.6
        assert sys.modules["marsad_slow_import_probe"].VALUE == 42
        art = pipe(make_article(NORMAL, id="b", path=None, settings=cfg))
        assert "_importer" in art.done
    finally:
        sys.modules.pop("marsad_slow_import_probe", None)
