"""The ``quotes`` collector: one compact row per statement of the run, in article order, for
the run-level who-said-what table (report-only list ``who_said_what``)."""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterator
from typing import Any

from marsad.core.article import Article
from marsad.core.settings import Settings


def quote_rows(article: Article, n: int) -> list[dict[str, Any]]:
    """Compact rows for the tables: one per statement of ``article`` (report number ``n``)."""
    rows = []
    meta = article.meta
    for q in article.layers.get("quotes", []):
        d = q.to_json(article)
        sp = d["speaker"]
        via = d["via"]
        rows.append(
            {
                "doc": article.id,
                "n": n,
                "quote": d["id"],
                "kind": d["kind"],
                "speaker": sp["text"] if sp else None,
                "speaker_kind": d.get("speaker_kind"),
                "via": via["text"] if via else None,
                "statement": d["content"]["text"],
                "cue": d["cue"]["text"],
                "start": d["content"]["start"],
                "end": d["content"]["end"],
                "outlet": meta.outlet,
                "published": meta.published.isoformat() if meta.published else None,
                "url": meta.url,
                "title": meta.title,
            }
        )
    return rows


class SpooledRows:
    """Rows kept in a temporary file (JSON lines), not in memory, so that the run-level table
    does not make memory grow with the corpus; iterable any number of times."""

    def __init__(self) -> None:
        self._f = tempfile.TemporaryFile("w+", encoding="utf-8")
        self._n = 0

    def extend(self, rows: list[dict[str, Any]]) -> None:
        for r in rows:
            self._f.write(json.dumps(r, ensure_ascii=False) + "\n")
        self._n += len(rows)

    def __len__(self) -> int:
        return self._n

    def __iter__(self) -> Iterator[dict[str, Any]]:
        self._f.flush()
        self._f.seek(0)
        for line in self._f:
            yield json.loads(line)
        self._f.seek(0, 2)  # back to the end for further rows

    def __getitem__(self, i: int) -> dict[str, Any]:
        for k, r in enumerate(self):
            if k == i:
                return r
        raise IndexError(i)


class WhoSaidWhat:
    """Collector: the rows of the run-level table, in article order (spooled to a temporary
    file: bounded memory)."""

    def __init__(self, settings: Settings | None = None) -> None:
        self.n = 0
        self.rows = SpooledRows()

    def add(self, article: Article) -> None:
        self.n += 1  # the report numbers analysed articles in the same order
        self.rows.extend(quote_rows(article, self.n))

    def results(self) -> dict[str, list[dict[str, Any]]]:
        return {"who_said_what": self.rows}  # type: ignore[dict-item]  (a list-like)
