"""Near-duplicate articles and passages reused across articles (agency copy).

Candidates come from MinHash LSH (datasketch) over normalised word shingles; every candidate
is verified exactly before it is reported:

- **article duplicates**: the Jaccard similarity of the two articles' word 5-shingle sets
  (content blocks only) reaches ``dup_jaccard``;
- **shared passages**: content blocks of at least ``passage_block_words`` words are indexed
  with 3-shingle MinHashes; a candidate pair of blocks is aligned word by word with
  :class:`difflib.SequenceMatcher`, and every aligned run of at least ``passage_min_words``
  words is reported with its span in each article (original offsets).

Memory: the index holds the articles of the last ``gap_days`` days (by publication date), so
it stays bounded on a long stream that arrives roughly in date order.
"""

from __future__ import annotations

import difflib
import zlib
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from datasketch import MinHash, MinHashLSH

from marsad.stories.features import WORD
from marsad.text.normalize import Normalized

NUM_PERM = 64


@dataclass(slots=True)
class Words:
    """Normalised words of one content block with their spans in the normalised text."""

    norm: list[str]
    starts: list[int]
    ends: list[int]


def content_words(article) -> list[Words]:
    """Words of each content block (title, body, subheading); spans on the normalised view
    (mapped to original offsets only for what is reported)."""
    out = []
    nv = article.norm
    ntext = nv.text
    for _, b in article.content_blocks():
        ns, ne = nv.to_normalized(b.start, b.end)
        ms = list(WORD.finditer(ntext, ns, ne))
        if ms:
            out.append(
                Words([m.group() for m in ms], [m.start() for m in ms], [m.end() for m in ms])
            )
    return out


def shingles(words: list[str], k: int) -> set[str]:
    if len(words) < k:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i : i + k]) for i in range(len(words) - k + 1)}


def _crc32(data: bytes) -> int:
    return zlib.crc32(data)


@lru_cache(maxsize=1)
def _permutations():
    # Drawing the permutations is the costly part of a new MinHash: draw them once.
    return MinHash(num_perm=NUM_PERM, seed=7, hashfunc=_crc32).permutations


def minhash(sh: set[str]) -> MinHash:
    m = MinHash(
        num_perm=NUM_PERM,
        seed=7,
        hashfunc=_crc32,
        permutations=_permutations(),
        scheme="affine32",
    )
    m.update_batch([s.encode("utf-8") for s in sh])
    return m


def jaccard(a: set, b: set) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def aligned_runs(a: list[str], b: list[str], min_words: int) -> list[tuple[int, int, int]]:
    """Runs ``(i, j, n)``: ``a[i:i+n] == b[j:j+n]`` with ``n >= min_words``."""
    sm = difflib.SequenceMatcher(None, a, b, autojunk=False)
    return [(m.a, m.b, m.size) for m in sm.get_matching_blocks() if m.size >= min_words]


@dataclass
class _Doc:
    id: str
    outlet: str | None
    day: int | None
    text: str
    norm: Normalized
    shingles: set[str]
    blocks: list[Words]


class Deduper:
    """Streaming detector: :meth:`add` each article, :attr:`found` lists what was verified."""

    def __init__(self, cfg: dict[str, Any]):
        self.cfg = cfg
        self.doc_lsh = MinHashLSH(threshold=float(cfg["dup_lsh_threshold"]), num_perm=NUM_PERM)
        self.block_lsh = MinHashLSH(
            threshold=float(cfg["passage_lsh_threshold"]), num_perm=NUM_PERM
        )
        self.docs: dict[str, _Doc] = {}
        self.found: list[dict[str, Any]] = []
        self._keys: dict[str, list[str]] = {}

    def _expire(self, day: int | None) -> None:
        if day is None:
            return
        gap = int(self.cfg["gap_days"])
        for did in [
            d for d, doc in self.docs.items() if doc.day is not None and day - doc.day > gap
        ]:
            self.doc_lsh.remove(did)
            for k in self._keys.pop(did, []):
                self.block_lsh.remove(k)
            del self.docs[did]

    def add(self, article) -> None:
        day = article.meta.published.toordinal() if article.meta.published else None
        self._expire(day)
        blocks = content_words(article)
        words = [w for b in blocks for w in b.norm]
        doc = _Doc(
            article.id,
            article.meta.outlet,
            day,
            article.text,
            article.norm,
            shingles(words, 5),
            blocks,
        )
        if not doc.shingles:
            return
        # Whole-article duplicates.
        m = minhash(doc.shingles)
        dups = set()
        for other in sorted(self.doc_lsh.query(m)):
            o = self.docs[other]
            j = jaccard(doc.shingles, o.shingles)
            if j >= float(self.cfg["dup_jaccard"]):
                dups.add(other)
                self.found.append(
                    {"kind": "article", "docs": [other, doc.id], "similarity": round(j, 3)}
                )
        self.doc_lsh.insert(doc.id, m)
        # Shared passages (with non-duplicate articles).
        min_words = int(self.cfg["passage_min_words"])
        keys = []
        pairs: dict[str, set[tuple[int, int]]] = {}
        for bi, b in enumerate(blocks):
            if len(b.norm) < int(self.cfg["passage_block_words"]):
                continue
            bm = minhash(shingles(b.norm, 3))
            for key in self.block_lsh.query(bm):
                other, _, obi = key.rpartition("#")
                if other == doc.id or other in dups:
                    continue
                o_outlet = self.docs[other].outlet
                # Reuse across outlets (agency copy); an outlet repeating itself is not news.
                if o_outlet is None or doc.outlet is None or o_outlet != doc.outlet:
                    pairs.setdefault(other, set()).add((int(obi), bi))
            key = f"{doc.id}#{bi}"
            self.block_lsh.insert(key, bm)
            keys.append(key)
        self._keys[doc.id] = keys
        for other in sorted(pairs):
            o = self.docs[other]
            spans = []
            for obi, bi in sorted(pairs[other]):
                ob, b = o.blocks[obi], blocks[bi]
                for i, j, n in aligned_runs(ob.norm, b.norm, min_words):
                    os_, oe = o.norm.to_original(ob.starts[i], ob.ends[i + n - 1])
                    s, e = article.norm.to_original(b.starts[j], b.ends[j + n - 1])
                    spans.append(
                        [
                            {"doc": other, "start": os_, "end": oe, "text": o.text[os_:oe]},
                            {"doc": doc.id, "start": s, "end": e, "text": article.text[s:e]},
                        ]
                    )
            if spans:
                self.found.append(
                    {
                        "kind": "passage",
                        "docs": [other, doc.id],
                        "similarity": round(jaccard(doc.shingles, o.shingles), 3),
                        "passages": spans,
                    }
                )
        self.docs[doc.id] = doc
