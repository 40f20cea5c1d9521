"""The built-in stages, cross-article collectors and report sections, imported so that they register.

Order of the default pipeline: language → blocks → metadata → sentences → tokens → extraction
stages (dates, quantities, entities, quotes). `marsad stages` prints it.

A collector sees every analysed article (``add``) and returns top-level lists at the end
(``results``), e.g. ``entities`` (cross-document entity resolution) or ``stories``.
See :mod:`marsad.run.analyze`. A collector's report section goes to
:data:`marsad.output.report.SECTIONS`.
"""

import marsad.output.quotes_report
import marsad.output.timeline  # noqa: F401  (timeline and figures report sections)
import marsad.stages.blocks
import marsad.stages.dates
import marsad.stages.entities
import marsad.stages.metadata
import marsad.stages.quantities
import marsad.stages.quotes
import marsad.text.language
import marsad.text.segment
from marsad.collect.entities import EntityCollector
from marsad.collect.stories.collector import factory as _stories
from marsad.collect.stories.collector import preparer as _stories_prepare
from marsad.output.entities_report import section as _entities_section
from marsad.output.report import SECTIONS
from marsad.output.stories_report import section as _stories_section
from marsad.run.analyze import register_collector

# entities before stories: stories read the (provisional) entity ids of the mentions
register_collector("entities", EntityCollector)
SECTIONS["entities"] = _entities_section
register_collector("stories", _stories, _stories_prepare)
SECTIONS["stories"] = _stories_section
