"""The pipeline: the per-article stages in the order their declarations give, run on one article.

A stage (:class:`marsad.core.protocols.Stage`) is a function ``(article, settings) -> article``
declaring what it ``requires``, ``uses`` and ``assigns`` (like spaCy's ``Language.factory``).
:class:`Pipeline` orders and checks them when it is built, and any stage can be switched off.
Stages are pure functions of one article: no global state, so they run on any worker.

Cross-article steps (entity resolution, story clustering) are not stages: they consume the
stream of analysed articles (see :mod:`marsad.run.analyze`).
"""

from __future__ import annotations

import logging
import signal
import threading
import time
from contextlib import contextmanager

from marsad import builtins
from marsad.core.article import Article
from marsad.core.errors import ArticleError, UsageError
from marsad.core.protocols import READ_ASSIGNS, Stage, order_stages
from marsad.core.settings import Settings, load_settings

log = logging.getLogger(__name__)


class Pipeline:
    """An ordered, checked list of stages."""

    def __init__(
        self,
        stages: list[str | Stage] | None = None,
        disable: list[str] | tuple[str, ...] = (),
        settings: Settings | None = None,
    ):
        """``stages``: names of known stages (built-in or plugins) or :class:`Stage` objects
        (default: every known stage); ``disable``: names of stages, or of collectors (which
        :mod:`marsad.run.analyze` switches off), to leave out."""
        self.settings = settings if settings is not None else load_settings()
        known = {st.name: st for st in builtins.stages()}
        chosen = list(stages) if stages is not None else list(known.values())
        for st in chosen:
            if isinstance(st, Stage):
                known.setdefault(st.name, st)
        disabled = set(disable) | set(self.settings["pipeline"]["disabled"])
        names = [st.name if isinstance(st, Stage) else st for st in chosen]
        collectors = {c.name for c in builtins.collectors()}
        for n in [*names, *disabled]:
            if n not in known and not (n in disabled and n in collectors):
                raise UsageError("E012", stage=n, known=", ".join(known))
        self.stages = order_stages([known[n] for n in names if n not in disabled])
        have = set(READ_ASSIGNS)
        for st in self.stages:
            for need in st.requires:
                if need not in have:
                    raise UsageError("E011", stage=st.name, needs=need)
            have.update(st.assigns)
        self.assigns = have

    @property
    def names(self) -> list[str]:
        return [s.name for s in self.stages]

    def __call__(self, article: Article) -> Article:
        """Run every stage on ``article``. A failing stage raises :class:`ArticleError` E010;
        an article that takes longer than ``[pipeline] article_timeout`` seconds raises E015."""
        limit = float(self.settings["pipeline"]["article_timeout"] or 0)
        current = [""]
        try:
            with _time_limit(limit, current):
                return self._run(article, current)
        except _Timeout:  # a repeated alarm that came after the stage had already stopped
            raise ArticleError("E015", limit=limit, stage=current[0]) from None

    def warm_up(self) -> None:
        """Run every stage once on a small built-in article, without the time limit: stages
        import their libraries and fill their caches on first use (benchmarks and tests call
        this so that the first article's time is not start-up time)."""
        try:
            self._run(Article(text=_WARM_UP, id="warm-up"), [""])
        except ArticleError as e:  # a stage bug shows on real articles, with their ids
            log.debug("warm-up: %s", e)

    def _run(self, article: Article, current: list[str]) -> Article:
        for st in self.stages:
            current[0] = st.name
            t0 = time.perf_counter()
            try:
                article = st.func(article, self.settings)
            except ArticleError:
                raise
            except _Timeout:
                raise ArticleError(
                    "E015", limit=self.settings["pipeline"]["article_timeout"], stage=st.name
                ) from None
            except Exception as e:  # a bug in a stage must not stop the batch
                log.warning(
                    "stage %s failed on %s: %s",
                    st.name,
                    article.id,
                    e,
                    exc_info=log.isEnabledFor(logging.DEBUG),
                )
                raise ArticleError("E010", stage=st.name, detail=f"{type(e).__name__}: {e}") from e
            article.done.append(st.name)
            log.debug("%s: %s in %.1f ms", article.id, st.name, (time.perf_counter() - t0) * 1e3)
        return article


#: Our own sentences: a dateline, a quotation, figures (see :meth:`Pipeline.warm_up`).
_WARM_UP = (
    "الرياض - الخميس 7 آذار/مارس 2024\n"
    "قال وزير التعليم: «سنبني 3 مدارس جديدة بتكلفة 2.5 مليون دولار هذا العام».\n"
    "وأضاف أن العمل يبدأ في الأول من نيسان المقبل."
)


class _Timeout(BaseException):
    """Raised inside a stage by the per-article alarm (a BaseException, so that a stage's
    own ``except Exception`` cannot swallow it)."""


def _importing(frame) -> bool:
    """Whether the interrupted code runs inside an import (importlib's frames on the stack)."""
    while frame is not None:
        if frame.f_code.co_filename.startswith("<frozen importlib"):
            return True
        frame = frame.f_back
    return False


@contextmanager
def _time_limit(seconds: float, current: list[str]):
    """A per-article time limit with SIGALRM (main thread of a Unix process; elsewhere none)."""
    usable = (
        seconds > 0
        and hasattr(signal, "setitimer")
        and threading.current_thread() is threading.main_thread()
    )
    if not usable:
        yield current
        return

    def on_alarm(signum, frame):
        if _importing(frame):
            # Never interrupt an import: a half-imported module (numpy, loaded lazily by a
            # stage) would make every later article fail with "cannot load module more than
            # once per process". Try again once the import is done.
            signal.setitimer(signal.ITIMER_REAL, 0.05)
            return
        # Fire again soon: an exception raised where Python cannot pass it on (inside a garbage
        # collector callback, a __del__) is dropped, and the article would run on unbounded.
        signal.setitimer(signal.ITIMER_REAL, 0.05)
        raise _Timeout()

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield current
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
