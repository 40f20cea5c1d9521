"""Token features for the NER tagger.

Each word type is analysed once (normalised form, clitic-stripped stem, affixes, shape, word
clusters, gazetteer membership) and its feature strings for the five window positions
(-2 … +2) are cached; the features of a token are then the concatenation of its neighbours'
cached lists plus two word-pair features. This makes tagging cost a few list concatenations
per token.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import re
from collections.abc import Sequence
from pathlib import Path

from marsad.text.clitics import analyse
from marsad.text.normalize import normalize_text

_ARABIC = re.compile(r"^[\u0621-\u064a]+$")
_LATIN = re.compile(r"^[A-Za-z]+$")
_DIGITS = re.compile(r"^\d+([.,]\d+)*$")
_PUNCT = re.compile(r"^[^\w]+$")
OFFSETS = (-2, -1, 0, 1, 2)


def shape(n: str) -> str:
    if _ARABIC.match(n):
        return "ar"
    if _DIGITS.match(n):
        return "num"
    if _LATIN.match(n):
        return "Lat" if n[0].isupper() else "lat"
    if _PUNCT.match(n):
        return "p" + n[:2]
    return "mix"


class Gazetteers:
    """Word lists per type: plain words (lists with an open licence) and salted hashes
    (lists whose words may not be redistributed; only membership can be tested)."""

    def __init__(self, plain: dict[str, set[str]], hashed: dict[str, set[str]], salt: str = ""):
        self.plain = plain
        self.hashed = hashed
        self.salt = salt.encode()

    @classmethod
    def load(cls, folder: Path) -> Gazetteers:
        plain: dict[str, set[str]] = {}
        hashed: dict[str, set[str]] = {}
        salt = ""
        p = folder / "gazetteer.json"
        if p.exists():
            data = json.loads(p.read_text("utf-8"))
            plain = {k: set(v) for k, v in data["types"].items()}
        h = folder / "gazetteer_hashed.json.gz"
        if h.exists():
            data = json.loads(gzip.decompress(h.read_bytes()).decode("utf-8"))
            salt = data["salt"]
            hashed = {k: set(v) for k, v in data["types"].items()}
        return cls(plain, hashed, salt)

    def digest(self, word: str) -> str:
        return hashlib.blake2b(
            word.encode("utf-8", "surrogatepass"), key=self.salt, digest_size=6
        ).hexdigest()

    def types(self, word: str) -> list[str]:
        out = [f"g{k}" for k, v in self.plain.items() if word in v]
        if self.hashed:
            d = self.digest(word)
            out += [f"h{k}" for k, v in self.hashed.items() if d in v]
        return out


class Features:
    """Feature extraction with a per-type cache (bounded; cleared when full)."""

    def __init__(
        self,
        clusters: dict[str, tuple[str, ...]] | None = None,
        gazetteers: Gazetteers | None = None,
        max_cache: int = 300_000,
        ranks: bool = False,
        pairs: str = "",
    ):
        self.clusters = clusters or {}
        #: ``rk=`` features: the word's frequency-rank band in the news (own and at ±1)
        self.ranks = ranks
        #: ``cp-=``/``cp+=`` features: the word-cluster pair of the token and its left / right
        #: neighbour, a generalisation of the word pairs (a name followed by a verb or a
        #: preposition); ``pairs`` names the clustering: "c0" (64 clusters), "c1" (256),
        #: "c2" (1,024); "" = none
        self.pairs = pairs
        self._pair_col = int(pairs[1]) if pairs else 1
        #: frequency rank of each cluster-vocabulary word (the file is in frequency order)
        self._rank = {w: i for i, w in enumerate(self.clusters)}
        self.gaz = gazetteers or Gazetteers({}, {})
        self._cache: dict[str, tuple[str, str, tuple[list[str], ...]]] = {}
        self._max = max_cache

    def lex_stem(self, n: str) -> str:
        """``n`` without proclitics (و ف, then ب ل ك, then ال) when what remains is a word of
        the cluster vocabulary (≥ 3 letters) more frequent than ``n`` itself (or ``n`` is not
        in it): بباريس → باريس, وبغداد → بغداد, but لبنان stays. Bolder than
        :func:`marsad.text.clitics.analyse`, which strips ب ل ك only before ال."""
        rank = self._rank
        big = len(rank) + 1
        best, r_best = n, rank.get(n, big)
        w = n
        cands = []
        if len(w) > 4 and w[0] in "وف":
            w = w[1:]
            cands.append(w)
        if len(w) > 4 and w[0] in "بلك":
            if w[:2] == "لل":
                cands.append("ا" + w[1:])
            w = w[1:]
            cands.append(w)
        if w.startswith("ال") and len(w) > 4:
            cands.append(w[2:])
        for c in cands:
            r = rank.get(c, big)
            if r < r_best:
                best, r_best = c, r
        return best

    def analyse(self, word: str) -> tuple[str, str, tuple[list[str], ...]]:
        """Normalised form, lexical stem and the feature lists of the five window positions
        (not cached: :meth:`word` caches it)."""
        n = normalize_text(word)
        a = analyse(n)
        stem = a.stem
        ls = self.lex_stem(n)
        lcl = self.clusters.get(ls, ("-", "-", "-"))
        cl = self.clusters.get(n) or self.clusters.get(stem) or ("-", "-", "-")
        scl = self.clusters.get(stem, ("-", "-", "-")) if stem != n else cl
        gz = self.gaz.types(n)
        if stem != n:
            gz += [g + "s" for g in self.gaz.types(stem)]
        sh = shape(n)
        own = [
            "bias",
            "w=" + n,
            "s=" + stem,
            "pre=" + "+".join(a.prefixes),
            "sh=" + sh,
            "len=" + str(min(len(stem), 8)),
            "x2=" + n[-2:],
            "x3=" + n[-3:],
            "sx1=" + stem[-1:],
            "sp2=" + stem[:2],
            "sp3=" + stem[:3],
            "sx2=" + stem[-2:],
            "c0=" + cl[0],
            "c1=" + cl[1],
            "c2=" + cl[2],
            "sc1=" + scl[1],
            "sc2=" + scl[2],
            "ls=" + ls,
            "lc1=" + lcl[1],
            "lc2=" + lcl[2],
            *gz,
        ]
        if ls not in (n, stem):
            own += ["g" + g[1:] + "l" for g in self.gaz.types(ls)]
        if len(lcl) > 3:
            # context priors from unlabelled news (clusters.context_priors)
            own += ["pp=" + lcl[3], "pl=" + lcl[4], "pa=" + lcl[5]]
        fv = cl[6:8] if len(cl) > 7 else lcl[6:8] if len(lcl) > 7 else ()
        if fv:
            # k-means clusters of the news word vectors (train.vector_clusters), when shipped
            own += ["f1=" + fv[0], "f2=" + fv[1]]
        if n not in self.clusters:
            own.append("oov")
        if self.ranks:
            r = self._rank.get(n)
            rk = "rk=" + ("-" if r is None else str((r + 1).bit_length()))
            own.append(rk)
        views = []
        for o in OFFSETS:
            if o == 0:
                views.append(own)
                continue
            p = f"[{o}]"
            v = [p + "w=" + n, p + "s=" + stem, p + "c1=" + cl[1], p + "sh=" + sh, p + "ls=" + ls]
            if abs(o) == 1:
                v += [p + "c2=" + cl[2], p + "pre=" + "+".join(a.prefixes), p + "c0=" + cl[0]]
                if fv:
                    v.append(p + "f1=" + fv[0])
                if self.ranks:
                    v.append(p + rk)
                v += [p + g for g in gz]
            views.append(v)
        return n, ls, tuple(views)

    def pair_class(self, n: str, ls: str) -> str:
        """The cluster id that the ``cp`` pair features use for a word (normalised form ``n``,
        lexical stem ``ls``)."""
        cl = self.clusters.get(n) or self.clusters.get(ls)
        return cl[self._pair_col] if cl else "-"

    def word(self, word: str) -> tuple[str, str, tuple[list[str], ...]]:
        """Normalised form, lexical stem and the feature lists of the five window positions."""
        got = self._cache.get(word)
        if got is None:
            if len(self._cache) >= self._max:
                self._cache.clear()
            got = self._cache[word] = self.analyse(word)
        return got

    def sentence(self, words: Sequence[str]) -> list[list[str]]:
        info = [self.word(w) for w in words]
        m = len(info)
        cls = [self.pair_class(n, ls) for n, ls, _ in info] if self.pairs else []
        out: list[list[str]] = []
        for i in range(m):
            f = list(info[i][2][2])
            for k, o in ((0, -2), (1, -1), (3, 1), (4, 2)):
                j = i + o
                if 0 <= j < m:
                    f += info[j][2][k]
                elif abs(o) == 1:
                    f.append("BOS" if o < 0 else "EOS")
            n = info[i][0]
            f.append("b-=" + (info[i - 1][0] if i else "^") + "|" + n)
            f.append("b+=" + n + "|" + (info[i + 1][0] if i + 1 < m else "$"))
            if self.pairs:
                c = cls[i]
                f.append("cp-=" + (cls[i - 1] if i else "^") + "|" + c)
                f.append("cp+=" + c + "|" + (cls[i + 1] if i + 1 < m else "$"))
            out.append(f)
        return out
