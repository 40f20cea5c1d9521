"""The marsad store: analysed articles, every layer and the cross-article lists in SQLite or
PostgreSQL, with Arabic-aware full-text search. See docs/store.md.

>>> from marsad.store import ingest, search           # doctest: +SKIP
>>> ingest(["examples/articles"], "marsad.db")        # doctest: +SKIP
>>> search("marsad.db", "الحكومة")                     # doctest: +SKIP
"""

from marsad.store.db import DB, DEFAULT_DB
from marsad.store.ingest import IngestSummary, ingest, run_collectors
from marsad.store.search import SearchHit, search

__all__ = ["DB", "DEFAULT_DB", "IngestSummary", "SearchHit", "ingest", "run_collectors", "search"]
