"""Compact dicts from keys to small sets of ids, shared by the collectors' indexes."""

from __future__ import annotations

from collections.abc import Hashable

__all__ = ["IdBuckets"]


class IdBuckets:
    """A dict from keys to small sets of ids, compact: one id is kept as the int itself, more as
    a list (a Python ``set`` per key costs about 220 bytes; most keys here have one id)."""

    __slots__ = ("d",)

    def __init__(self) -> None:
        self.d: dict[Hashable, int | list[int]] = {}

    def __len__(self) -> int:
        return len(self.d)

    def __contains__(self, key: Hashable) -> bool:
        return key in self.d

    def get(self, key: Hashable) -> tuple[int, ...] | list[int]:
        got = self.d.get(key)
        if got is None:
            return ()
        return got if isinstance(got, list) else (got,)

    def add(self, key: Hashable, n: int, limit: int = 0) -> None:
        """Add ``n`` to ``key``'s ids; with a ``limit``, not when the key already has that many."""
        got = self.d.get(key)
        if got is None:
            self.d[key] = n
        elif isinstance(got, list):
            if n not in got and not (limit and len(got) >= limit):
                got.append(n)
        elif got != n and limit != 1:
            self.d[key] = [got, n]

    def discard(self, key: Hashable, n: int) -> None:
        got = self.d.get(key)
        if got is None:
            return
        if isinstance(got, list):
            if n in got:
                got.remove(n)
            if len(got) == 1:
                self.d[key] = got[0]
        elif got == n:
            del self.d[key]

    def __getstate__(self) -> dict:
        return self.d

    def __setstate__(self, state: dict) -> None:
        self.d = state
