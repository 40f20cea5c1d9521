"""What a stage and a collector are: the contracts between the layers.

A **stage** is a pure function ``(article, settings) -> article`` with a name, the layers it
``requires`` (it cannot run without them), the layers it ``uses`` when they are there (an
entity-aware quote finder runs after the entities stage when both are on) and the layers it
``assigns`` (like spaCy's ``Language.factory(requires=…, assigns=…)``). Stages are declared as
module constants (``STAGE = Stage(...)``) and listed in :mod:`marsad.builtins`; nothing is
registered by importing a module. The pipeline computes the order from the declarations.

A **collector** holds cross-article state: ``add(article)`` for each analysed article,
``results()`` for the top-level lists (``entities``, ``stories`` ...). Its optional per-article
part (``prepare``) is a pure function of one article that runs where the stages run (a worker
process or a Dask worker); ``add`` takes its result with :func:`prepared`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from marsad.core.article import Article
from marsad.core.settings import Settings

#: What every article has when it is read.
READ_ASSIGNS = ("text", "meta")

StageFunc = Callable[[Article, Settings], Article]


@dataclass(frozen=True)
class Stage:
    name: str
    func: StageFunc
    requires: tuple[str, ...] = ()
    assigns: tuple[str, ...] = ()
    #: Layers used when present: the stage runs after any stage that assigns them.
    uses: tuple[str, ...] = ()


class Collector(Protocol):
    def add(self, article: Article) -> None: ...

    def results(self) -> dict[str, list[dict[str, Any]]]: ...


@dataclass(frozen=True)
class CollectorSpec:
    """A collector by name: ``factory(settings)`` makes one; ``prepare(settings)`` gives its
    per-article part (a pure function of one analysed article), if it has one."""

    name: str
    factory: Callable[[Settings], Collector]
    prepare: Callable[[Settings], Callable[[Article], Any]] | None = None
    #: The lists ``results()`` gives (the store keeps the collectors that give a top-level list
    #: of ``analysis.json``; the others feed only the report).
    gives: tuple[str, ...] = ()


def prepared(article: Article, name: str) -> Any:
    """What the per-article part of collector ``name`` computed for ``article`` (taken: a second
    call gives None), or None when it did not run."""
    return article.__dict__.get("_prepared", {}).pop(name, None)


def order_stages(stages: list[Stage]) -> list[Stage]:
    """The stages in an order that satisfies their declarations: each after every stage that
    assigns what it requires or uses; among those ready, the first in the given list. (A
    requirement that no stage assigns is for the caller to report.)"""
    left = list(stages)
    out: list[Stage] = []
    while left:
        ready = next((st for st in left if not _waits(st, left)), None)
        if ready is None:  # the declarations form a cycle: keep the given order (reported later)
            return out + left
        left.remove(ready)
        out.append(ready)
    return out


def _waits(st: Stage, left: list[Stage]) -> bool:
    """Whether another stage still to run assigns what ``st`` requires or uses."""
    needs = set(st.requires) | set(st.uses)
    return any(needs & set(other.assigns) for other in left if other is not st)
