"""The built-in cross-article collectors, imported so that they register themselves.

A collector sees every analysed article (``add``) and returns top-level lists at the end
(``results``), e.g. ``entities`` (cross-document entity resolution) or ``stories``.
See :mod:`marsad.analyze`.
"""

from marsad.analyze import register_collector
from marsad.stories.collector import factory as _stories

register_collector("stories", _stories)
