"""Near-duplicate articles and passages reused across articles (agency copy).

Candidates come from MinHash LSH (datasketch's MinHash and banding, compact buckets:
:mod:`marsad.collect.stories.lsh`) over normalised word shingles; every candidate
is verified exactly before it is reported:

- **article duplicates**: the Jaccard similarity of the two articles' word 5-shingle sets
  (content blocks only) reaches ``dup_jaccard``;
- **shared passages**: content blocks of at least ``passage_block_words`` words are indexed
  with 3-shingle MinHashes; a candidate pair of blocks is aligned word by word with
  :class:`difflib.SequenceMatcher`, and every aligned run of at least ``passage_min_words``
  words is reported with its span in each article (original offsets).

Work and memory per article are bounded (:class:`Deduper`): duplicates join a group and are
not indexed; comparisons per article are capped; the index holds the articles of the last
``gap_days`` days (by publication date) and at most ``dedup_window_docs`` articles.
"""

from __future__ import annotations

import difflib
import zlib
from array import array
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from datasketch import MinHash

from marsad.collect.stories.features import WORD
from marsad.collect.stories.lsh import CompactLSH

NUM_PERM = 64


@dataclass(slots=True)
class Words:
    """Normalised words of one content block with their spans in the original text."""

    norm: list[str]
    starts: list[int]
    ends: list[int]


def content_words(article) -> list[Words]:
    """Words of each content block (title, body, subheading), matched on the normalised view;
    each word's span is mapped back to the original text (a span of words then starts where
    its first word starts and ends where its last one ends, as the normalised view maps it)."""
    out = []
    nv = article.norm
    ntext = nv.text
    for _, b in article.content_blocks():
        ns, ne = nv.to_normalized(b.start, b.end)
        ms = list(WORD.finditer(ntext, ns, ne))
        if ms:
            spans = nv.to_original_many([m.span() for m in ms])
            out.append(Words([m.group() for m in ms], [a for a, _ in spans], [b for _, b in spans]))
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


def jaccard_packed(a: frozenset[int], b: array) -> float:
    """Jaccard similarity of a set and the packed (distinct) numbers of another."""
    if not a or not b:
        return 0.0
    inter = len(a.intersection(b))
    return inter / (len(a) + len(b) - inter)


def aligned_runs(a: list[str], b: list[str], min_words: int) -> list[tuple[int, int, int]]:
    """Runs ``(i, j, n)``: ``a[i:i+n] == b[j:j+n]`` with ``n >= min_words``."""
    sm = difflib.SequenceMatcher(None, a, b, autojunk=False)
    return [(m.a, m.b, m.size) for m in sm.get_matching_blocks() if m.size >= min_words]


@dataclass(slots=True)
class _Block:
    """A :class:`Words` block packed for the index window: the words as one string (split
    when the block is aligned), the spans as 32-bit arrays (a fraction of the memory of lists
    of Python strings and ints)."""

    norm: str
    starts: array
    ends: array

    @classmethod
    def pack(cls, w: Words) -> _Block:
        return cls(" ".join(w.norm), array("i", w.starts), array("i", w.ends))


@dataclass(slots=True)
class _Doc:
    """An indexed article as the window keeps it (the store saves this state between
    ingests)."""

    id: str
    outlet: str | None
    day: int | None
    text: str
    #: distinct 5-word shingles as CRC-32 numbers
    shingles: array
    blocks: list[_Block]


class Deduper:
    """Streaming detector: :meth:`add` each article, :attr:`found` lists what was verified.

    Bounded work and memory per article (see ``docs/stories.md``, "Bounds"):

    - an article verified as a duplicate joins the *group* of the first article it duplicates
      and only the group's first ``dup_group_indexed`` members are indexed, so a thousand
      near-identical articles cost a few index entries and a few comparisons each, not all
      pairs; ``found`` gets one ``article`` pair per member (the indexed article it matched,
      the new one), so the groups are the connected components of these pairs; only the
      group's first article (its representative) is indexed for shared passages;
    - a new article is verified against at most ``dup_max_candidates`` representatives and
      aligned with at most ``passage_max_docs`` articles (the most recently indexed first);
    - the index holds the articles of the last ``gap_days`` days and at most
      ``dedup_window_docs`` articles (the oldest leave first).
    """

    def __init__(self, cfg: dict[str, Any]):
        self.cfg = cfg
        self.doc_lsh = CompactLSH(float(cfg["dup_lsh_threshold"]), NUM_PERM)
        self.block_lsh = CompactLSH(float(cfg["passage_lsh_threshold"]), NUM_PERM)
        self.docs: dict[str, _Doc] = {}  # indexed representatives, oldest first
        self.order: dict[str, int] = {}  # indexed id -> arrival number (most recent first)
        self.found: list[dict[str, Any]] = []
        self._keys: dict[str, list[str]] = {}
        self._n = 0
        self.max_candidates = int(cfg["dup_max_candidates"])
        self.max_passage_docs = int(cfg["passage_max_docs"])
        self.window = int(cfg["dedup_window_docs"])
        self.group_indexed = int(cfg["dup_group_indexed"])
        self.group: dict[str, str] = {}  # indexed id -> its group's representative
        self.indexed: dict[str, int] = {}  # representative -> members indexed (itself too)

    def _drop(self, did: str) -> None:
        self.doc_lsh.remove(did)
        for k in self._keys.pop(did, []):
            self.block_lsh.remove(k)
        del self.docs[did]
        del self.order[did]
        rep = self.group.pop(did)
        if rep == did or rep not in self.docs:
            # a group whose representative has left keeps its label while members remain
            # indexed; its count restarts with the next member (see add)
            self.indexed.pop(rep, None)

    def _expire(self, day: int | None) -> None:
        while len(self.docs) >= self.window:
            self._drop(next(iter(self.docs)))
        if day is None:
            return
        gap = int(self.cfg["gap_days"])
        for did in [
            d for d, doc in self.docs.items() if doc.day is not None and day - doc.day > gap
        ]:
            self._drop(did)

    def _recent(self, ids) -> list[str]:
        """Indexed ids, most recently added first (a deterministic order)."""
        return sorted(ids, key=lambda d: -self.order[d])

    @staticmethod
    def prepare(article, block_words: int) -> tuple:
        """The per-article part (pure; may run in a worker process): day, content words,
        5-shingles and their MinHash, and the 3-shingle MinHash of every block of at least
        ``block_words`` words (by block index)."""
        day = article.meta.published.toordinal() if article.meta.published else None
        blocks = content_words(article)
        sh = shingles([w for b in blocks for w in b.norm], 5)
        block_mh = {
            bi: minhash(shingles(b.norm, 3))
            for bi, b in enumerate(blocks)
            if sh and len(b.norm) >= block_words
        }
        hashed = frozenset(_crc32(x.encode("utf-8", "surrogatepass")) for x in sh)
        return day, blocks, hashed, (minhash(sh) if sh else None), block_mh

    def add(self, article, pre: tuple | None = None) -> None:
        if pre is None:
            pre = self.prepare(article, int(self.cfg["passage_block_words"]))
        day, blocks, sh, m, block_mh = pre
        self._expire(day)
        self._n += 1
        if not sh:
            return
        doc_id, outlet = article.id, article.meta.outlet
        # Whole-article duplicates: verified against a bounded number of representatives.
        threshold = float(self.cfg["dup_jaccard"])
        joined: str | None = None  # the group (representative) the article joins
        matched: set[str] = set()
        for other in self._recent(self.doc_lsh.query(m))[: self.max_candidates]:
            rep = self.group[other]
            if rep in matched:  # one verified pair per group is enough
                continue
            j = jaccard_packed(sh, self.docs[other].shingles)
            if j >= threshold:
                matched.add(rep)
                self.found.append(
                    {"kind": "article", "docs": [other, doc_id], "similarity": round(j, 3)}
                )
                joined = joined or rep
        if joined is None:
            self.doc_lsh.insert(doc_id, m)
        # Shared passages with articles that are not its duplicates. Only representatives
        # are indexed for passages; a group member looks for passages but is not indexed.
        min_words = int(self.cfg["passage_min_words"])
        keys = []
        pairs: dict[str, set[tuple[int, int]]] = {}
        for bi, bm in sorted(block_mh.items()):  # the blocks long enough to index
            for key in self.block_lsh.query(bm):
                other, _, obi = key.rpartition("#")
                if other == doc_id or self.group[other] in matched:
                    continue
                o_outlet = self.docs[other].outlet
                # Reuse across outlets (agency copy); an outlet repeating itself is not news.
                if o_outlet is None or outlet is None or o_outlet != outlet:
                    pairs.setdefault(other, set()).add((int(obi), bi))
            if joined is None:
                key = f"{doc_id}#{bi}"
                self.block_lsh.insert(key, bm)
                keys.append(key)
        chosen = self._recent(pairs)[: self.max_passage_docs]
        for other in sorted(chosen, key=lambda d: self.order[d]):
            o = self.docs[other]
            spans = []
            for obi, bi in sorted(pairs[other]):
                ob, b = o.blocks[obi], blocks[bi]
                for i, j, n in aligned_runs(ob.norm.split(" "), b.norm, min_words):
                    os_, oe = ob.starts[i], ob.ends[i + n - 1]
                    s, e = b.starts[j], b.ends[j + n - 1]
                    spans.append(
                        [
                            {"doc": other, "start": os_, "end": oe, "text": o.text[os_:oe]},
                            {"doc": doc_id, "start": s, "end": e, "text": article.text[s:e]},
                        ]
                    )
            if spans:
                self.found.append(
                    {
                        "kind": "passage",
                        "docs": [other, doc_id],
                        "similarity": round(jaccard_packed(sh, o.shingles), 3),
                        "passages": spans,
                    }
                )
        if joined is None or self.indexed.get(joined, 0) < self.group_indexed:
            doc = _Doc(
                doc_id,
                outlet,
                day,
                article.text,
                array("I", sh),
                [_Block.pack(b) for b in blocks],
            )
        if joined is None:
            self._keys[doc_id] = keys
            self._index(doc, doc_id)
            self.indexed[doc_id] = 1
        elif self.indexed.get(joined, 0) < self.group_indexed:
            # The first few members of a group are indexed for duplicates (a chain of edits
            # stays one group); the representative stands for them all for passages. (The
            # representative may have left the window while a member it matched stayed.)
            self.indexed[joined] = self.indexed.get(joined, 0) + 1
            self.doc_lsh.insert(doc_id, m)
            self._index(doc, joined)

    def _index(self, doc: _Doc, rep: str) -> None:
        self.docs[doc.id] = doc
        self.order[doc.id] = self._n
        self.group[doc.id] = rep
