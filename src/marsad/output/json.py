"""``analysis.json`` (schema ``marsad/1``): building the objects and writing them as a stream.

Key names are a contract (docs/schema.md, ``output/marsad-1.schema.json``): extend, never rename.
The writer streams documents to disk one at a time and spools the per-document items of the
top-level lists (quotes, dates, quantities) to temporary files, so memory does not grow with
the corpus.
"""

from __future__ import annotations

import json
import tempfile
from typing import IO, Any

from marsad.collect.entities import link_speaker, speaker_links
from marsad.core.article import Article
from marsad.core.errors import ErrorRecord
from marsad.core.serialise import SCHEMA, TOP_LEVEL, document_json, layer_items, plain


def _dump(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"), default=plain)


class AnalysisWriter:
    """Write ``analysis.json`` incrementally: ``add(article)``, ``error(record)``, ``close(...)``."""

    def __init__(self, fh: IO[str]):
        self.fh = fh
        self.n_docs = 0
        self._spools: dict[str, IO[str]] = {}
        self._counts: dict[str, int] = {}
        fh.write(f'{{"schema":"{SCHEMA}","documents":[')

    def _spool(self, key: str, row: dict[str, Any]) -> None:
        sp = self._spools.get(key)
        if sp is None:
            sp = self._spools[key] = tempfile.TemporaryFile("w+", encoding="utf-8")
            self._counts[key] = 0
        if self._counts[key]:
            sp.write(",\n")
        sp.write(_dump(row))
        self._counts[key] += 1

    def add(self, article: Article) -> None:
        if self.n_docs:
            self.fh.write(",\n")
        self.fh.write(_dump(document_json(article)))
        self.n_docs += 1
        for key, rows in layer_items(article).items():
            for row in rows:
                self._spool(key, row)

    def _write_linked(self, sp: IO[str], links: list[dict[str, Any]]) -> None:
        """Copy the spooled ``quotes`` rows (one per line), filling ``speaker.entity`` from the
        entities collector's ``speaker_entities`` (known only at the end of the run)."""
        by = speaker_links(links)
        for line in sp:
            body = line.rstrip("\n")
            comma = body.endswith(",")
            if comma:
                body = body[:-1]
            row = json.loads(body)
            link_speaker(row, by)
            self.fh.write(_dump(row) + (",\n" if comma else ""))

    def error(self, record: ErrorRecord) -> None:
        self._spool("errors", record.to_json())

    def close(
        self, extra: dict[str, list[dict[str, Any]]] | None = None, summary: dict | None = None
    ) -> None:
        """Finish the file; ``extra`` holds cross-document lists (entities, stories)."""
        extra = extra or {}
        self.fh.write("]")
        for key in TOP_LEVEL[1:]:
            self.fh.write(f',\n"{key}":[')
            for i, r in enumerate(extra.get(key) or ()):  # row by row: no run-sized string
                self.fh.write((",\n" if i else "") + _dump(r))
            sp = self._spools.get(key)
            if sp is not None:
                if extra.get(key):
                    self.fh.write(",\n")
                sp.seek(0)
                if key == "quotes" and extra.get("speaker_entities"):
                    self._write_linked(sp, extra["speaker_entities"])
                else:
                    while chunk := sp.read(1 << 20):
                        self.fh.write(chunk)
                sp.close()
            self.fh.write("]")
        if summary is not None:
            self.fh.write(',\n"summary":' + _dump(summary))
        self.fh.write("}\n")
        self.fh.flush()
