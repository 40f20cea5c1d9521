"""The NER tagger at run time: a linear-chain CRF (trained with python-crfsuite), decoded with
numpy.

Training (:mod:`marsad.train.ner`) exports the CRF's non-zero weights to ``ner.npz``: the attribute
strings, a weight matrix (attributes × labels) and the label-transition matrix. At run time
each word type's features (:mod:`.features`) are summed once per window position into a
label-score vector and cached, so scoring a token is five vector additions plus two word-pair
look-ups; Viterbi and forward–backward (for the confidence) run on the 9 labels in numpy.
The result is identical to crfsuite's tagger (tests compare them) and several times faster.

The model folder (default ``marsad/models/ner``) holds ``ner.npz``, ``clusters.tsv.gz``, the
gazetteers and ``meta.json``. :func:`load` keeps one read-only tagger per folder and process
(loaded lazily on first use).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from functools import lru_cache
from importlib import resources
from pathlib import Path

import numpy as np

from marsad.stages.ner.decode import Tagger
from marsad.stages.ner.features import OFFSETS, Features, Gazetteers
from marsad.text.normalize import normalize_text

MODEL_FILE = "ner.npz"
TABLE_FILE = "table.npz"


def default_dir() -> Path:
    return Path(str(resources.files("marsad.models").joinpath("ner")))


def model_dir(setting: str | None) -> Path:
    """The model folder: a settings value (a path) or the packaged model when empty."""
    return Path(setting) if setting else default_dir()


def export_crfsuite(crf_path: Path, out: Path) -> int:
    """Write the non-zero weights of a crfsuite model to ``out`` (npz); returns the number of
    attributes kept."""
    import pycrfsuite

    tg = pycrfsuite.Tagger()
    tg.open(str(crf_path))
    info = tg.info()
    labels = sorted(info.labels, key=lambda x: int(info.labels[x]))
    lid = {lab: i for i, lab in enumerate(labels)}
    attrs = sorted({a for a, _ in info.state_features})
    aid = {a: i for i, a in enumerate(attrs)}
    w = np.zeros((len(attrs), len(labels)), dtype=np.float32)
    for (a, lab), v in info.state_features.items():
        w[aid[a], lid[lab]] = v
    t = np.zeros((len(labels), len(labels)), dtype=np.float32)
    for (a, b), v in info.transitions.items():
        t[lid[a], lid[b]] = v
    tg.close()
    np.savez_compressed(out, attrs=np.array(attrs), weights=w, transitions=t, labels=labels)
    return len(attrs)


def export_table(folder: Path, size: int) -> int:
    """Precompute the label scores of the ``size`` most frequent words of the cluster
    vocabulary (they are in frequency order) into ``table.npz``; returns the number kept."""
    tagger = NerTagger(folder, use_table=False)
    words = [w for w in list(tagger.features.clusters)[:size] if normalize_text(w) == w]
    rows = [tagger._word(w) for w in words]
    np.savez_compressed(
        folder / TABLE_FILE,
        words=np.array(words),
        stems=np.array([ls for _, ls, _ in rows]),
        vectors=np.stack([v for _, _, v in rows]).astype(np.float32),
        o_penalty=np.array(float(tagger.meta.get("o_penalty", 0.0))),
    )
    return len(words)


def _pairs(value) -> str:
    """``cluster_pairs`` of meta.json: a cluster column ("c0", "c1", "c2"), true (= "c1")
    or absent."""
    if value is True:
        return "c1"
    return value or ""


class NerTagger(Tagger):
    """The CRF tagger (``ner.npz``)."""

    def __init__(self, folder: Path, use_table: bool = True, cache_words: int = 20_000):
        from marsad.stages.ner.clusters import read

        self.folder = folder
        cpath = folder / "clusters.tsv.gz"
        mpath = folder / "meta.json"
        self.meta = json.loads(mpath.read_text("utf-8")) if mpath.exists() else {}
        self.features = Features(
            read(cpath) if cpath.exists() else {},
            Gazetteers.load(folder),
            max_cache=cache_words,
            ranks=bool(self.meta.get("rank_features")),
            pairs=_pairs(self.meta.get("cluster_pairs")),
        )
        with np.load(folder / MODEL_FILE) as z:
            attrs = z["attrs"].tolist()
            self.weights = z["weights"].astype(np.float64)
            self.trans = z["transitions"].astype(np.float64)
            self.labels = [str(x) for x in z["labels"]]
        self.index = {a: i for i, a in enumerate(attrs)}
        # A constant taken off the score of "O" at every token (chosen on held-out training
        # data): CRFs trained on sparse entities under-predict them; this trades a little
        # precision for recall.
        if "O" in self.labels and "bias" in self.index:
            self.weights[self.index["bias"], self.labels.index("O")] -= float(
                self.meta.get("o_penalty", 0.0)
            )
        n = len(self.labels)
        self._zero = np.zeros(n)
        self._bos = self._vec(["BOS"])
        self._eos = self._vec(["EOS"])
        self._exp_trans = np.exp(self.trans)
        self._cache: dict[str, tuple[str, str, np.ndarray]] = {}
        self._old: dict[str, tuple[str, str, np.ndarray]] = {}
        self._generation = max(1, cache_words // 2)
        # Precomputed scores of the most frequent news words (see export_table): a word type
        # seen for the first time costs a dictionary look-up instead of feature extraction.
        self._table: dict[str, int] = {}
        tpath = folder / TABLE_FILE
        if use_table and tpath.exists():
            with np.load(tpath) as z:
                same = float(z["o_penalty"]) == float(self.meta.get("o_penalty", 0.0))
                if same and z["vectors"].shape[1:] == (len(OFFSETS), len(self.labels)):
                    self._table = {w: i for i, w in enumerate(z["words"].tolist())}
                    self._table_ls = z["stems"].tolist()
                    # kept as stored (float32: half the memory); rows are widened to
                    # float64 where they are stacked (scores_many)
                    self._table_vec = z["vectors"]

    def _vec(self, feats: list[str]) -> np.ndarray:
        idx = [i for i in map(self.index.get, feats) if i is not None]
        if not idx:
            return self._zero
        return self.weights[idx].sum(axis=0)

    def _word(self, word: str) -> tuple[str, str, np.ndarray]:
        """Normalised form, lexical stem and the label scores the word contributes at each
        window position (5 × labels), cached per word type in two generations: when the new
        one is full it becomes the old one, and a word found in the old one moves back, so the
        words in use stay cached and at most ``cache_words`` are kept."""
        got = self._cache.get(word)
        if got is None:
            got = self._old.get(word)
            if got is None:
                got = self._score(word)
            if len(self._cache) >= self._generation:
                self._old = self._cache
                self._cache = {}
            self._cache[word] = got
        return got

    def _score(self, word: str) -> tuple[str, str, np.ndarray]:
        if self._table:
            n = normalize_text(word)
            row = self._table.get(n)
            if row is not None:
                return n, self._table_ls[row], self._table_vec[row]
        n, ls, views = self.features.analyse(word)
        get = self.index.get
        pairs = [(k, i) for k, v in enumerate(views) for i in map(get, v) if i is not None]
        vec = np.zeros((len(views), len(self.labels)))
        if pairs:
            seg, idx = zip(*pairs, strict=True)
            np.add.at(vec, list(seg), self.weights[list(idx)])
        return n, ls, vec

    def lex_of(self, word: str) -> str:
        return self._word(word)[1]

    def scores_many(self, sentences: Sequence[Sequence[str]]) -> list[np.ndarray]:
        """:meth:`scores` of several (non-empty) sentences, computed on all tokens at once."""
        cached, word = self._cache.get, self._word
        info = [cached(w) or word(w) for words in sentences for w in words]
        lens = [len(x) for x in sentences]
        total = len(info)
        views = np.stack([v for _, _, v in info], dtype=np.float64)  # tokens × 5 × labels
        sid = np.repeat(np.arange(len(lens)), lens)
        e = views[:, 2].copy()
        for k, o in enumerate(OFFSETS):
            if o == 0 or total <= abs(o):
                continue
            if o < 0:
                same = (sid[-o:] == sid[: total + o])[:, None]
                e[-o:] += np.where(same, views[: total + o, k], 0.0)
            else:
                same = (sid[: total - o] == sid[o:])[:, None]
                e[: total - o] += np.where(same, views[o:, k], 0.0)
        ends = np.cumsum(lens)
        e[ends - np.array(lens)] += self._bos
        e[ends - 1] += self._eos
        self._pair_scores(e, [x[0] for x in info], lens, "b-=", "b+=")
        if self.features.pairs:
            pc = self.features.pair_class
            self._pair_scores(e, [pc(n, ls) for n, ls, _ in info], lens, "cp-=", "cp+=")
        return np.split(e, ends[:-1])

    def _pair_scores(
        self, e: np.ndarray, keys: list[str], lens: list[int], before: str, after: str
    ) -> None:
        """Add to ``e`` the weights of each word's key paired with its left (``before``) and
        right (``after``) neighbour's key in its sentence (``^``/``$`` at the edges)."""
        get = self.index.get
        w = self.weights
        pos = 0
        for m in lens:
            for i in range(pos, pos + m):
                k = keys[i]
                a = get(before + (keys[i - 1] if i > pos else "^") + "|" + k)
                if a is not None:
                    e[i] += w[a]
                a = get(after + k + "|" + (keys[i + 1] if i + 1 < pos + m else "$"))
                if a is not None:
                    e[i] += w[a]
            pos += m


@lru_cache(maxsize=4)
def load(folder: str | None = None, cache_words: int = 20_000) -> NerTagger:
    """The tagger of ``folder`` (the packaged model when None), loaded once per process.
    ``cache_words`` bounds the per-word score cache (about 1 KB a word)."""
    return NerTagger(model_dir(folder), cache_words=cache_words)
