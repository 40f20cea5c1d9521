"""marsad (مرصد): turn a pile of Arabic news articles into a source-cited briefing.

>>> import marsad
>>> result = marsad.analyze("examples/articles")    # doctest: +SKIP
>>> result.to_json()["schema"]                       # doctest: +SKIP
'marsad/1'
"""

import logging

__version__ = "0.1.0"

logging.getLogger(__name__).addHandler(logging.NullHandler())


def analyze(paths, settings=None, disable=()):
    """Analyse files or folders in memory; see :func:`marsad.analyze.analyze`."""
    from marsad.analyze import analyze as _analyze

    return _analyze(paths, settings=settings, disable=disable)


def read(paths, settings=None):
    """Stream articles (or error records) from files or folders; see :mod:`marsad.readers`."""
    from marsad.readers import read as _read

    return _read(paths, settings)


__all__ = ["__version__", "analyze", "read"]
