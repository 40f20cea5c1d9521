"""marsad (مرصد): turn a pile of Arabic news articles into a source-cited briefing.

>>> import marsad
>>> result = marsad.analyze("examples/articles")    # doctest: +SKIP
>>> result.to_json()["schema"]                       # doctest: +SKIP
'marsad/1'
"""

import logging

__version__ = "0.1.0"

logging.getLogger(__name__).addHandler(logging.NullHandler())


# Imported eagerly so that ``marsad.analyze`` is the function, not the module of that name.
from marsad.run.analyze import Analysis, analyze, analyze_stream  # noqa: E402


def read(paths, settings=None):
    """Stream articles (or error records) from files or folders; see :mod:`marsad.readers`."""
    from marsad.readers import read as _read

    return _read(paths, settings)


__all__ = ["Analysis", "__version__", "analyze", "analyze_stream", "read"]
