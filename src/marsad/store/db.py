"""Database connections for the store: SQLite (stdlib ``sqlite3``) or PostgreSQL (psycopg 3).

:class:`DB` hides the two drivers' differences that the store meets: the parameter style
(the store writes ``?``; PostgreSQL gets ``%s``), ``INSERT ... RETURNING``, and read-only
opening. SQL that differs between the two is chosen by ``db.dialect`` (``"sqlite"`` or
``"postgres"``) where it is written.
"""

from __future__ import annotations

import logging
import os
import sqlite3
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from marsad.core.errors import UsageError

log = logging.getLogger(__name__)

DEFAULT_DB = "marsad.db"


def is_postgres(url: str) -> bool:
    return url.startswith(("postgresql://", "postgres://"))


class DB:
    """One connection, with the small helpers the store uses."""

    def __init__(self, url: str | os.PathLike[str] = DEFAULT_DB, readonly: bool = False):
        url = str(url)
        self.url = url
        self.readonly = readonly
        if is_postgres(url):
            self.dialect = "postgres"
            try:
                import psycopg
            except ImportError as e:
                raise UsageError(
                    "E016", detail="psycopg is not installed (pip install 'marsad[postgres]')"
                ) from e
            try:
                self.conn = psycopg.connect(url, autocommit=False)
            except psycopg.Error as e:
                raise UsageError("E016", detail=str(e).strip().splitlines()[0]) from e
            if readonly:
                with self.conn.cursor() as cur:
                    cur.execute("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY")
                self.conn.commit()
        else:
            self.dialect = "sqlite"
            path = url[len("sqlite:///") :] if url.startswith("sqlite:///") else url
            try:
                if readonly:
                    if not Path(path).exists():
                        raise UsageError("E016", detail=f"no database at {path}")
                    uri = Path(path).resolve().as_uri() + "?mode=ro"
                    self.conn = sqlite3.connect(uri, uri=True, check_same_thread=False)
                else:
                    self.conn = sqlite3.connect(path, check_same_thread=False)
                    self.conn.execute("PRAGMA journal_mode=WAL")
                    self.conn.execute("PRAGMA synchronous=NORMAL")
                self.conn.execute("PRAGMA foreign_keys=ON")
                self.conn.execute("PRAGMA busy_timeout=10000")
            except sqlite3.Error as e:
                raise UsageError("E016", detail=f"{path}: {e}") from e
            self.conn.isolation_level = None  # explicit BEGIN/COMMIT below

    # -- SQL helpers -------------------------------------------------------------------------
    def _sql(self, sql: str) -> str:
        return sql.replace("?", "%s") if self.dialect == "postgres" else sql

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Any:
        if self.dialect == "postgres":
            cur = self.conn.cursor()
            cur.execute(self._sql(sql), params)
            return cur
        return self.conn.execute(sql, params)

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        if self.dialect == "postgres":
            with self.conn.cursor() as cur:
                cur.executemany(self._sql(sql), list(rows))
        else:
            self.conn.executemany(sql, rows)

    def all(self, sql: str, params: Sequence[Any] = ()) -> list[tuple]:
        return list(self.execute(sql, params).fetchall())

    def one(self, sql: str, params: Sequence[Any] = ()) -> tuple | None:
        return self.execute(sql, params).fetchone()

    def begin(self) -> None:
        if self.dialect == "sqlite":
            self.conn.execute("BEGIN IMMEDIATE")
        # psycopg opens a transaction implicitly (autocommit off)

    def commit(self) -> None:
        if self.dialect == "sqlite":
            if self.conn.in_transaction:
                self.conn.execute("COMMIT")
        else:
            self.conn.commit()

    def rollback(self) -> None:
        if self.dialect == "sqlite":
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
        else:
            self.conn.rollback()

    def end_read(self) -> None:
        """Finish a read (PostgreSQL keeps a transaction open after any SELECT)."""
        if self.dialect == "postgres":
            self.conn.rollback()

    def close(self) -> None:
        try:
            self.rollback()
        finally:
            self.conn.close()

    def __enter__(self) -> DB:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
