"""The built-in cross-article collectors and report sections, imported so that they register.

A collector sees every analysed article (``add``) and returns top-level lists at the end
(``results``), e.g. ``entities`` (cross-document entity resolution) or ``stories``.
See :mod:`marsad.analyze`.
"""

import marsad.output.quotes_report
import marsad.output.timeline  # noqa: F401  (timeline and figures report sections)
