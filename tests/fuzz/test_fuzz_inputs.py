"""Fuzzing the readers and the pipeline with hostile input files.

Every input must give articles and/or coded error records (never an exception, never E010 —
a stage failing is a bug), in bounded time (no E015 with the fuzz's limit; a real hang makes
faulthandler dump the stacks and end the run), and every span of every layer of every article
must lie inside ``Article.text``, with any reported text equal to ``text[start:end]``. Most
inputs go through the readers only (cheap); every eighth article goes on through all the
stages and the JSON and HTML writers.

Two drivers share the generators of :mod:`fuzz.generators`: a seeded loop (the bulk; each
input is reproducible from ``MARSAD_FUZZ_SEED`` and its number) and hypothesis (fewer inputs,
but a failing one is shrunk). The number of inputs tried is printed (``-s``), recorded as a
test property, and shown in the terminal summary. ``MARSAD_FUZZ_EXAMPLES`` sets
the seeded loop's budget (default 9,500), ``MARSAD_FUZZ_HYPOTHESIS`` hypothesis's (default 500;
hypothesis costs more per input).
"""

from __future__ import annotations

import faulthandler
import io
import os
import random
import time
from collections import Counter
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from marsad.core.article import Article
from marsad.core.errors import MESSAGES, SKIP_CODES, ErrorRecord
from marsad.core.settings import Settings, load_settings
from marsad.readers import read_file
from marsad.run.pipeline import Pipeline

from .counts import COUNTS
from .generators import input_file

BUDGET = int(os.environ.get("MARSAD_FUZZ_EXAMPLES", "9500"))
HYPOTHESIS_BUDGET = int(os.environ.get("MARSAD_FUZZ_HYPOTHESIS", "500"))
SEED = int(os.environ.get("MARSAD_FUZZ_SEED", "20260326"))
#: Seconds one article may take in all the stages (E015 beyond, which fails the fuzz).
SLOW = 10.0
#: A hang: the process dumps every thread's stack and exits (faulthandler), failing the run.
HANG = 120


def check_spans(art: Article) -> int:
    """Assert every span of ``art`` is inside its text and verbatim; return how many."""
    text, n = art.text, len(art.text)
    count = 0

    def span(s, e, what):
        nonlocal count
        assert isinstance(s, int) and isinstance(e, int), (what, s, e)
        assert 0 <= s <= e <= n, (what, s, e, n)
        count += 1

    for b in art.blocks:
        span(b.start, b.end, "block")
    for s in art.sentences:
        span(s.start, s.end, "sentence")
        assert 0 <= s.block < len(art.blocks)
    for s, e in zip(art.tokens.starts, art.tokens.ends, strict=True):
        span(s, e, "token")
        assert e > s, ("empty token", s)
    norm = art.norm
    if norm.text:
        for i in {0, len(norm.text) // 2, len(norm.text) - 1}:
            assert 0 <= norm.orig_index(i) <= n
        span(*norm.to_original(0, len(norm.text)), "norm")

    def walk(obj, where):
        if isinstance(obj, dict):
            if isinstance(obj.get("start"), int) and isinstance(obj.get("end"), int):
                span(obj["start"], obj["end"], where)
                if isinstance(obj.get("text"), str):
                    assert obj["text"] == text[obj["start"] : obj["end"]], (where, obj)
            for key, value in obj.items():
                if key.endswith("_start") and isinstance(value, int):
                    end = obj.get(key[: -len("_start")] + "_end")
                    if isinstance(end, int):
                        span(value, end, f"{where}.{key}")
                walk(value, f"{where}.{key}")
        elif isinstance(obj, list | tuple):
            for v in obj:
                walk(v, where)

    for layer, items in art.layers.items():
        for item in items:
            walk(item.to_json(art), layer)
    return count


def check_output(art: Article) -> None:
    """The JSON and HTML writers take the article, and what they write encodes as UTF-8."""
    from marsad.output.json import AnalysisWriter
    from marsad.output.report import ReportWriter

    for writer in (AnalysisWriter, ReportWriter):
        buf = io.StringIO()
        w = writer(buf)
        w.add(art)
        w.close({}, {})
        buf.getvalue().encode("utf-8")


class Fuzz:
    """Run one input through the readers (and maybe the stages); count what came out."""

    def __init__(self, tmp: Path, settings: Settings):
        self.tmp = tmp
        self.settings = settings
        self.pipeline = Pipeline(settings=settings)
        self.stats: Counter = Counter()
        self.slowest = (0.0, "")
        # First uses load libraries and data (trafilatura, its date parser, the stages' tables):
        # done here so that "slowest input" measures inputs, not start-up.
        self.pipeline.warm_up()
        warm = tmp / "warm-up.html"
        # (an unparsable meta date sends the title's date to dateparser, which loads all its
        # locales on first use: about 10 s once per process)
        warm.write_text(
            '<html><head><meta name="date" content="9999-99-99"><title>الرياض - الخميس 7 '
            "آذار/مارس 2024</title></head><body><p>قال الوزير إن الحكومة ستبني مدرسة جديدة "
            "في المدينة هذا العام.</p></body></html>",
            encoding="utf-8",
        )
        t0 = time.perf_counter()
        list(read_file(warm, settings))
        self.warm_up_seconds = time.perf_counter() - t0

    def __call__(self, name: str, data: bytes, full: bool, label: str) -> None:
        self.stats["inputs"] += 1
        path = self.tmp / name
        path.write_bytes(data)
        t0 = time.perf_counter()
        faulthandler.dump_traceback_later(HANG, exit=True)
        try:
            for item in read_file(path, self.settings):
                self.check(item, full, label)
        finally:
            faulthandler.cancel_dump_traceback_later()
        took = time.perf_counter() - t0
        if took > self.slowest[0]:
            self.slowest = (took, f"{label} {name} ({len(data):,} bytes)")

    def check(self, item, full: bool, label: str) -> None:
        if isinstance(item, ErrorRecord):
            assert item.code in MESSAGES and item.code != "E010", (label, item)
            assert item.severity == ("skip" if item.code in SKIP_CODES else "error"), item
            assert isinstance(item.reason, str) and item.reason
            self.stats["skipped" if item.severity == "skip" else "errors"] += 1
            self.stats[item.code] += 1
            return
        assert isinstance(item, Article), (label, item)
        assert item.text.strip(), label
        assert len(item.text) <= self.settings["read"]["max_article_chars"], label
        self.stats["articles"] += 1
        if not full:
            return
        try:
            art = self.pipeline(item)
        except Exception as e:  # ArticleError E010 (a stage crashed) or E015 (too slow)
            raise AssertionError(f"{label}: {e}") from e
        self.stats["through all stages"] += 1
        self.stats["spans checked"] += check_spans(art)
        check_output(art)

    def figures(self, elapsed: float) -> dict[str, int | float]:
        s = self.stats
        out: dict[str, int | float] = {
            k: s[k]
            for k in (
                "inputs",
                "articles",
                "errors",
                "skipped",
                "through all stages",
                "spans checked",
            )
        }
        out["crashes"] = 0  # any crash fails the test before this line
        out["seconds"] = round(elapsed, 2)
        out["slowest input (s)"] = round(self.slowest[0], 2)
        out["reader warm-up (s)"] = round(self.warm_up_seconds, 2)
        return out


def _settings() -> Settings:
    return load_settings(pipeline={"article_timeout": SLOW})


def report(name: str, fuzz: Fuzz, elapsed: float, record_property, extra: str = "") -> None:
    figures = fuzz.figures(elapsed)
    COUNTS[name] = figures
    for k, v in figures.items():
        record_property(k, v)
    codes = ", ".join(f"{k}×{v}" for k, v in sorted(fuzz.stats.items()) if k[:1] == "E")
    print(f"\n{name}: {figures}; codes: {codes}; slowest: {fuzz.slowest[1]} {extra}")


def test_fuzz_seeded(tmp_path, record_property):
    fuzz = Fuzz(tmp_path, _settings())
    t0 = time.perf_counter()
    for n in range(BUDGET):
        r = random.Random(f"{SEED}-{n}")
        name, data = input_file(r)
        fuzz(name, data, full=r.randrange(8) == 0, label=f"seed {SEED} input {n}")
    report("fuzz (seeded)", fuzz, time.perf_counter() - t0, record_property, f"seed {SEED}")
    assert fuzz.stats["inputs"] == BUDGET
    assert fuzz.stats["through all stages"] > 0 and fuzz.stats["skipped"] > 0


def test_fuzz_hypothesis(tmp_path, record_property):
    fuzz = Fuzz(tmp_path, _settings())

    @settings(
        max_examples=HYPOTHESIS_BUDGET,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(r=st.randoms(use_true_random=False), full=st.integers(0, 7))
    def one(r, full):
        name, data = input_file(r)
        fuzz(name, data, full=full == 0, label="hypothesis")

    t0 = time.perf_counter()
    one()
    report("fuzz (hypothesis)", fuzz, time.perf_counter() - t0, record_property)
    assert fuzz.stats["inputs"] >= HYPOTHESIS_BUDGET
