"""The built-in stages and collectors, as ordered lists, and the hook for plugins.

Nothing here is registered by importing a module: :data:`STAGES` and :data:`COLLECTORS` are
the lists. The pipeline computes the stage order from what each stage requires, uses and
assigns (the list order only breaks ties); ``marsad stages`` prints it. Collectors run in list
order (entities before stories: the stories read the entities' provisional ids).

Plugins add stages or collectors with entry points (as pytest and flake8 load theirs)::

    [project.entry-points."marsad.stages"]
    sentiment = "my_package.sentiment:STAGE"          # a marsad.core.protocols.Stage

    [project.entry-points."marsad.collectors"]
    trends = "my_package.trends:COLLECTOR"            # a marsad.core.protocols.CollectorSpec
"""

from __future__ import annotations

from collections.abc import Iterable
from importlib.metadata import entry_points

from marsad.collect import entities as entity_collector
from marsad.collect import quotes, timeline
from marsad.collect.stories.collector import StoriesCollector, preparer
from marsad.core.protocols import CollectorSpec, Stage
from marsad.core.settings import Settings
from marsad.stages import (
    blocks,
    dates,
    entities,
    language,
    metadata,
    quantities,
    sentences,
    tokens,
)
from marsad.stages import quotes as quote_stage

STAGES: list[Stage] = [
    language.STAGE,
    blocks.STAGE,
    metadata.STAGE,
    sentences.STAGE,
    tokens.STAGE,
    dates.STAGE,
    quantities.STAGE,
    entities.STAGE,
    quote_stage.STAGE,
]

COLLECTORS: list[CollectorSpec] = [
    CollectorSpec("quotes", quotes.WhoSaidWhat, gives=("who_said_what",)),
    CollectorSpec(
        "timeline", timeline.TimelineCollector, gives=(timeline.TIMELINE_KEY, timeline.FIGURES_KEY)
    ),
    CollectorSpec(
        "entities",
        entity_collector.EntityCollector,
        entity_collector.preparer,
        gives=("entities", "speaker_entities", "entity_report"),
    ),
    CollectorSpec("stories", StoriesCollector, preparer, gives=("stories", "duplicates")),
]


def _plugins(group: str) -> list:
    return [ep.load() for ep in entry_points(group=group)]


def stages() -> list[Stage]:
    """The built-in stages, then those of installed plugins."""
    return [*STAGES, *_plugins("marsad.stages")]


def collectors() -> list[CollectorSpec]:
    """The built-in collectors, then those of installed plugins."""
    return [*COLLECTORS, *_plugins("marsad.collectors")]


def enabled_collectors(settings: Settings, disable: Iterable[str] = ()) -> list[CollectorSpec]:
    """The collectors of a run: all of :func:`collectors` but those named in ``disable`` or in
    ``[pipeline] disabled``."""
    off = set(disable) | set(settings["pipeline"]["disabled"])
    return [c for c in collectors() if c.name not in off]
