"""MinHash LSH with compact buckets, for the near-duplicate window.

The banding is datasketch's (:class:`datasketch.MinHashLSH`: the same numbers of bands and rows
for a threshold, the same ranges of hash values per band), so the candidates are the same. What
differs is the storage: datasketch keeps, for every band of every indexed item, a bytes key and
a Python ``set`` of item keys (about 5 KB per indexed passage block of 64 permutations); here a
band is one 64-bit integer (the deterministic hash of its hash values: the index is pickled
by the store and read by another process), a bucket holds an item number or, rarely, a list of
them, and an item keeps its band keys in an ``array`` for removal (about 1.5 KB per block).
Two different bands that hash alike only add a candidate: callers verify every candidate.
"""

from __future__ import annotations

from array import array
from collections.abc import Hashable

from datasketch import MinHash
from datasketch.lsh import _optimal_param

from marsad.collect.buckets import IdBuckets

__all__ = ["CompactLSH"]


class CompactLSH:
    """``insert(key, minhash)``, ``query(minhash) -> list of keys``, ``remove(key)``, like
    :class:`datasketch.MinHashLSH` with the dict storage."""

    def __init__(self, threshold: float, num_perm: int):
        self.b, self.r = _optimal_param(threshold, num_perm, 0.5, 0.5)
        self.buckets = IdBuckets()  # band key -> item numbers
        self.items: dict[Hashable, tuple[int, array]] = {}  # key -> (number, its band keys)
        self.keys: dict[int, Hashable] = {}  # number -> key
        self._next = 0

    def _bands(self, m: MinHash) -> array:
        hv = m.hashvalues.tolist()
        r = self.r
        return array("q", (hash((i, *hv[i * r : (i + 1) * r])) for i in range(self.b)))

    def __contains__(self, key: Hashable) -> bool:
        return key in self.items

    def __len__(self) -> int:
        return len(self.items)

    def insert(self, key: Hashable, m: MinHash) -> None:
        if key in self.items:
            raise ValueError(f"the key {key!r} is already in the index")
        n = self._next
        self._next += 1
        bands = self._bands(m)
        self.items[key] = (n, bands)
        self.keys[n] = key
        for h in bands:
            self.buckets.add(h, n)

    def query(self, m: MinHash) -> list[Hashable]:
        found: set[int] = set()
        get = self.buckets.get
        for h in self._bands(m):
            found.update(get(h))
        return [self.keys[n] for n in sorted(found)]

    def remove(self, key: Hashable) -> None:
        n, bands = self.items.pop(key)
        del self.keys[n]
        for h in bands:
            self.buckets.discard(h, n)
