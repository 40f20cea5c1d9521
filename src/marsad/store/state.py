"""The collectors of a store, kept between ingests: each ingest adds only its new articles.

The store keeps the collectors that give a top-level list of ``analysis.json`` (entities,
stories; :attr:`marsad.core.protocols.CollectorSpec.gives`) as saved state
(``collector_state``: one pickled collector per name, the settings key it was made with, and
``upto``, the last document number it has seen). An ingest loads them, adds each article it
stores (the analysed article itself, not a re-analysis), then saves them and writes the lists
their ``results()`` give, in one transaction (:mod:`marsad.store.collections`).

The state is saved *after* ``results()``: what a collector settled then (a story's members and
description, a shorter name merged into the one longer name) stays settled, and the articles of
the next ingest join it. One ingest into an empty store gives the lists of ``marsad analyze``
on the same input; later ingests give what one run in the order the articles were stored gives,
except that a story or entity is settled at each ingest (docs/store.md).

Documents stored but not yet added (``marsad ingest --no-collect``, or an ingest killed before
its last transaction) are analysed again from their stored text and added first; so is the
whole store when the saved state was made with other settings or another version of marsad.
"""

from __future__ import annotations

import hashlib
import json
import logging
import pickle
from collections.abc import Iterable, Iterator
from datetime import UTC, date, datetime
from typing import Any

from marsad import builtins
from marsad.core.article import Article, Metadata
from marsad.core.serialise import TOP_LEVEL
from marsad.core.settings import Settings
from marsad.core.version import VERSION
from marsad.run.worker import Worker, settings_digest
from marsad.store.collections import write_lists
from marsad.store.db import DB

log = logging.getLogger(__name__)

#: Lists a stored collector may give besides the top-level ones (used by the store itself).
_STORE_EXTRA = {"speaker_entities"}
#: The ``collector_state`` row of the map from collector ids to stored ids.
IDS = "_store_ids"


def _specs(settings: Settings, disable: Iterable[str]) -> list:
    return [
        c
        for c in builtins.enabled_collectors(settings, disable)
        if set(c.gives) & (set(TOP_LEVEL) | _STORE_EXTRA)
    ]


class StoreCollectors:
    """The store's collectors for one ingest (or one ``marsad watch`` round)."""

    def __init__(
        self, db: DB, settings: Settings, disable: Iterable[str] = (), fresh: bool = False
    ):
        """Load the saved collectors of ``db`` (new ones when there are none, when they were
        made with other settings, or with ``fresh``)."""
        self.db = db
        self.settings = settings
        self.disable = list(disable)
        self.specs = _specs(settings, self.disable)
        # the shape of each collector's saved state (STATE_VERSION, bumped when it changes)
        names = ",".join(f"{c.name}:{getattr(c.factory, 'STATE_VERSION', 1)}" for c in self.specs)
        raw = f"{VERSION}|{settings_digest(settings)}|{names}|{','.join(sorted(self.disable))}"
        self.key = hashlib.sha1(raw.encode()).hexdigest()
        self.collectors: dict[str, Any] = {}
        self.upto = 0
        self.added: list[str] = []  # ids of the documents added since the lists were written
        saved = {
            name: (key, upto, data)
            for name, key, upto, data in db.all("SELECT name, key, upto, data FROM collector_state")
        }
        db.end_read()
        uptos = {saved[c.name][1] for c in self.specs if c.name in saved}
        usable = (
            all(c.name in saved and saved[c.name][0] == self.key for c in self.specs)
            and len(uptos) <= 1
        )
        #: per list, collector id -> stored id (see marsad.store.collections)
        self.ids: dict[str, dict[str, str]] = {}
        if usable and self.specs and not fresh:
            try:
                self.collectors = {
                    c.name: pickle.loads(bytes(saved[c.name][2])) for c in self.specs
                }
                if IDS in saved and saved[IDS][0] == self.key:
                    self.ids = pickle.loads(bytes(saved[IDS][2]))
                self.upto = uptos.pop()
            except Exception as e:  # e.g. a class changed shape: start again from the texts
                log.warning("the saved collector state cannot be read (%s); rebuilding it", e)
                self.collectors, self.ids = {}, {}
        elif saved:
            log.info("the collectors' settings changed: their state is rebuilt from the store")
        if not self.collectors:
            self.collectors = {c.name: c.factory(settings) for c in self.specs}
            self.upto = 0
            self.ids = {}
        self._worker: Worker | None = None

    def add(self, n: int, article: Article) -> None:
        """Add a stored article (document number ``n``), analysed by this ingest."""
        for c in self.collectors.values():
            c.add(article)
        self.upto = max(self.upto, n)
        self.added.append(article.id)

    def catch_up(self) -> int:
        """Add the stored documents the collectors have not seen (analysed again from their
        stored text); returns how many."""
        count = 0
        for n, art in stored_articles(self.db, after=self.upto):
            if self._worker is None:
                self._worker = Worker(self.settings, self.disable)
            out = self._worker(art)  # an article, or the error record of one that failed
            if isinstance(out, Article):
                self.add(n, out)
            else:
                self.upto = max(self.upto, n)
            count += 1
        return count

    def finish(self) -> dict[str, int]:
        """Save the state, write the lists (one transaction); returns the rows per list."""
        db = self.db
        lists: dict[str, list[dict[str, Any]]] = {}
        changed: dict[str, set[str]] = {}
        speakers = None
        for c in self.collectors.values():
            # update(): rows unchanged since the last call come as stubs (the store has them)
            res = c.update() if hasattr(c, "update") else c.results()
            lists.update({k: v for k, v in res.items() if k in TOP_LEVEL})
            if "speaker_entities" in res:
                speakers = res["speaker_entities"]
            if hasattr(c, "changed"):  # the rows it built anew; the others are as last written
                changed.update(c.changed())
        blobs = {
            name: pickle.dumps(c, protocol=pickle.HIGHEST_PROTOCOL)
            for name, c in self.collectors.items()
        }
        now = datetime.now(UTC).isoformat(timespec="seconds")
        db.end_read()
        db.begin()
        try:
            write_lists(db, lists, speakers, self.added, changed, self.ids)
            blobs[IDS] = pickle.dumps(self.ids, protocol=pickle.HIGHEST_PROTOCOL)
            for name, data in blobs.items():
                db.execute("DELETE FROM collector_state WHERE name = ?", (name,))
                db.execute(
                    "INSERT INTO collector_state(name, key, upto, data, updated_at) "
                    "VALUES (?,?,?,?,?)",
                    (name, self.key, self.upto, data, now),
                )
            db.execute("DELETE FROM state WHERE key = 'collect_pending'")
            db.commit()
        except BaseException:
            db.rollback()
            raise
        self.added = []
        return {k: len(v) for k, v in lists.items()}


def stored_articles(db: DB, after: int = 0) -> Iterator[tuple[int, Article]]:
    """``(n, article)`` for the stored documents after number ``after``, rebuilt from the store
    (text, id, path, metadata given by the input), unanalysed."""
    last = after
    while True:
        rows = db.all(
            "SELECT n, id, path, text, raw, doc FROM documents WHERE n > ? ORDER BY n LIMIT 500",
            (last,),
        )
        db.end_read()
        if not rows:
            return
        for n, id_, path, text, raw, doc_s in rows:
            last = n
            doc = json.loads(doc_s)
            meta = Metadata(encoding=doc.get("encoding"))
            for key, src in (doc.get("metadata_sources") or {}).items():
                if src == "text" or doc.get(key) is None:
                    continue
                value = doc[key]
                if key == "published":
                    value = date.fromisoformat(value)
                setattr(meta, key, value)
                meta.sources[key] = src
            yield n, Article(text=text, id=id_, path=path, meta=meta, raw=raw)
