"""Named stages with declared inputs and outputs, and the pipeline that runs them.

A stage is a function ``(article, settings) -> article`` registered with :func:`stage`,
declaring what it ``requires`` and what it ``assigns`` (like spaCy's ``Language.factory``).
:class:`Pipeline` checks the order when it is built, and any stage can be switched off.
Stages are pure functions of one article: no global state, so they run on any worker.

Cross-article steps (entity resolution, story clustering) are not stages: they consume the
stream of analysed articles (see :mod:`marsad.run.analyze`).
"""

from __future__ import annotations

import logging
import signal
import threading
import time
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass

from marsad.core.article import Article
from marsad.core.errors import ArticleError, UsageError
from marsad.core.settings import Settings, load_settings

log = logging.getLogger(__name__)

StageFunc = Callable[[Article, Settings], Article]


@dataclass(frozen=True)
class Stage:
    name: str
    func: StageFunc
    requires: tuple[str, ...]
    assigns: tuple[str, ...]
    #: Position in the default pipeline (lower runs first).
    order: int


_REGISTRY: dict[str, Stage] = {}

#: What every article has when it is read.
READ_ASSIGNS = ("text", "meta")


def stage(
    name: str, *, requires: tuple[str, ...] = (), assigns: tuple[str, ...] = (), order: int = 100
):
    """Register a stage function under ``name``."""

    def register(func: StageFunc) -> StageFunc:
        _REGISTRY[name] = Stage(name, func, tuple(requires), tuple(assigns), order)
        return func

    return register


def _load_builtin_stages() -> None:
    # Importing the stage modules registers them.
    import marsad.builtins  # noqa: F401


def _collector_names() -> set[str]:
    """Names of the cross-article collectors: ``disable`` accepts them too (``--disable
    entities`` switches off the entities stage and the entity resolution collector)."""
    from marsad.run.analyze import COLLECTORS, _load_collectors

    _load_collectors()
    return set(COLLECTORS)


def registered() -> dict[str, Stage]:
    _load_builtin_stages()
    return dict(sorted(_REGISTRY.items(), key=lambda kv: kv[1].order))


class Pipeline:
    """An ordered, checked list of stages."""

    def __init__(
        self,
        stages: list[str] | None = None,
        disable: list[str] | tuple[str, ...] = (),
        settings: Settings | None = None,
    ):
        self.settings = settings if settings is not None else load_settings()
        known = registered()
        names = list(stages) if stages is not None else list(known)
        disabled = set(disable) | set(self.settings["pipeline"].get("disabled", []))
        unknown = [n for n in [*names, *disabled] if n not in known]
        collectors = _collector_names() if unknown else set()
        for n in unknown:
            if not (n in disabled and n in collectors):
                raise UsageError("E012", stage=n, known=", ".join(known))
        self.stages = [known[n] for n in names if n not in disabled]
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
        limit = float(self.settings["pipeline"].get("article_timeout", 0) or 0)
        with _time_limit(limit) as current:
            return self._run(article, current)

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
def _time_limit(seconds: float):
    """A per-article time limit with SIGALRM (main thread of a Unix process; elsewhere none)."""
    current = [""]
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
        raise _Timeout()

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield current
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
