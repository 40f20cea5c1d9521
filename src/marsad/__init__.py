"""marsad (مرصد): turn a pile of Arabic news articles into a source-cited briefing.

>>> import marsad
>>> result = marsad.analyze("examples/articles")    # doctest: +SKIP
>>> result.to_json()["schema"]                       # doctest: +SKIP
'marsad/1'
"""

import logging
from typing import Any

from marsad.core.version import VERSION as __version__

logging.getLogger(__name__).addHandler(logging.NullHandler())

__all__ = ["Analysis", "__version__", "analyze", "analyze_stream", "read"]


def __getattr__(name: str) -> Any:
    # The API is loaded on first use, so that ``import marsad.web`` (the read-only app) or
    # ``import marsad.core`` does not load the pipeline.
    if name in ("Analysis", "analyze", "analyze_stream"):
        from marsad.run import analyze as _analyze

        return getattr(_analyze, name)
    if name == "read":
        from marsad.readers import read

        return read
    raise AttributeError(f"module 'marsad' has no attribute {name!r}")
