"""The built-in cross-article collectors, imported so that they register themselves.

A collector sees every analysed article (``add``) and returns top-level lists at the end
(``results``), e.g. ``entities`` (cross-document entity resolution) or ``stories``.
See :mod:`marsad.analyze`. None are registered yet in the foundation.
"""

import marsad.output.timeline  # noqa: F401  (timeline and figures report sections)
