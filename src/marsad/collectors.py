"""The built-in cross-article collectors and report sections, imported so that they register.

A collector sees every analysed article (``add``) and returns top-level lists at the end
(``results``), e.g. ``entities`` (cross-document entity resolution) or ``stories``.
See :mod:`marsad.analyze`. A collector's report section goes to
:data:`marsad.output.report.SECTIONS`.
"""

import marsad.output.quotes_report
import marsad.output.timeline  # noqa: F401  (timeline and figures report sections)
from marsad.analyze import register_collector
from marsad.extract.resolve import EntityCollector
from marsad.output.entities_report import section as _entities_section
from marsad.output.report import SECTIONS
from marsad.stories.collector import factory as _stories
from marsad.stories.collector import preparer as _stories_prepare
from marsad.stories.report import section as _stories_section

# entities before stories: stories read the (provisional) entity ids of the mentions
register_collector("entities", EntityCollector)
SECTIONS["entities"] = _entities_section
register_collector("stories", _stories, _stories_prepare)
SECTIONS["stories"] = _stories_section
