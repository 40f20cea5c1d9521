"""The marsad store: analysed articles, every layer and the cross-article lists in SQLite or
PostgreSQL, with Arabic-aware full-text search. See docs/store.md.

>>> from marsad.store import ingest, search           # doctest: +SKIP
>>> ingest(["examples/articles"], "marsad.db")        # doctest: +SKIP
>>> search("marsad.db", "الحكومة")                     # doctest: +SKIP
"""

from typing import Any

__all__ = ["DB", "DEFAULT_DB", "IngestSummary", "SearchHit", "ingest", "run_collectors", "search"]

_WHERE = {
    "DB": "marsad.store.db",
    "DEFAULT_DB": "marsad.store.db",
    "IngestSummary": "marsad.store.ingest",
    "ingest": "marsad.store.ingest",
    "run_collectors": "marsad.store.ingest",
    "SearchHit": "marsad.store.search",
    "search": "marsad.store.search",
}


def __getattr__(name: str) -> Any:
    # Loaded on first use: the read side (queries, the web app) never loads the pipeline.
    if name not in _WHERE:
        raise AttributeError(f"module 'marsad.store' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(_WHERE[name]), name)
