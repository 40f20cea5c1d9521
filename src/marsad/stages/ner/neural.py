"""The neural NER tagger at run time: characters + word vectors → BiLSTM → CRF, in numpy.

The network is trained with PyTorch (:mod:`marsad.train.neural`, the ``train`` extra) and
exported to ``neural.npz``; nothing here needs torch. Each word type is turned once into the
input of the BiLSTM (:class:`WordInputs`):

* its fastText vector (``models/vectors/vectors.npz``, learned from our news corpora; frozen
  in training), or the vector of its lexical stem (بباريس → باريس) when the word itself is
  not in the shipped list;
* a character CNN over its normalised letters (max-pooled);
* flags: gazetteer membership of the word, its stem and its lexical stem (the CRF model's
  gazetteers), shape, proclitics, whether it has a vector, its frequency rank.

and then straight into the LSTM's input projection (both directions), which is cached per word
type (bounded, like the CRF's scores). Per token, only the recurrence remains: one small matrix
product per direction and time step, batched over every sentence of the article. The label
scores go through the same Viterbi / forward–backward / propagation code as the CRF
(:class:`~marsad.stages.ner.decode.Tagger`).

A model trained with ``--crf-input`` (a learned stack) also reads, per token, the CRF's
marginal label probabilities (:meth:`~marsad.stages.ner.decode.Tagger.marginals_many`; in
training they come from CRFs that did not see the sentence): ``w_crf`` projects them into the
LSTM input beside the cached word projection, so the network learns when to trust the CRF
instead of a fixed average (:mod:`.stack`). It runs beside the CRF of ``[entities] model``.

Model folder (default ``marsad/models/ner_neural``): ``neural.npz`` (weights, labels, the
character list, flag names) and ``meta.json``. The gazetteers and the word-frequency list
come from the CRF model folder (``models/ner``), the vectors from ``models/vectors``.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from functools import lru_cache
from importlib import resources
from pathlib import Path

import numpy as np

from marsad.stages.ner.decode import Tagger
from marsad.stages.ner.features import Features, Gazetteers, shape
from marsad.stages.ner.model import NerTagger
from marsad.stages.ner.model import load as load_crf
from marsad.text.clitics import analyse
from marsad.text.normalize import normalize_text

WEIGHTS_FILE = "neural.npz"
SHAPES = ("ar", "num", "Lat", "lat", "p", "mix")
PROCLITICS = ("و", "ف", "ب", "ل", "ك", "ال")
MAX_CHARS = 20


def models_dir() -> Path:
    return Path(str(resources.files("marsad.models")))


def default_dir() -> Path:
    return models_dir() / "ner_neural"


def model_path(setting: str | None) -> Path:
    """The model folder: a settings value (a path) or the packaged model when empty."""
    return Path(setting) if setting else default_dir()


class Vectors:
    """The shipped word vectors: int8 rows with one scale each, dequantised on demand."""

    def __init__(self, path: Path):
        with np.load(path) as z:
            self.words = z["words"].tolist()
            self.q = z["q"]
            self.scale = z["scale"].astype(np.float32)
        self.index = {w: i for i, w in enumerate(self.words)}
        self.dim = int(self.q.shape[1])

    def rows(self, idx: np.ndarray) -> np.ndarray:
        return self.q[idx].astype(np.float32) * self.scale[idx, None]


class WordInputs:
    """What the network reads of a word type: vector row (or -1), character ids, flags.
    Shared by training and run time, so both see exactly the same inputs."""

    def __init__(
        self,
        vectors: Vectors,
        features: Features,
        chars: str,
        gaz_keys: Sequence[str],
        stem_vector: bool = False,
    ):
        self.vectors = vectors
        # also the vector of the lexical stem (والسعودية → السعودية), after the word's own
        self.stem_vector = stem_vector
        self.features = features
        self.chars = {c: i + 2 for i, c in enumerate(chars)}  # 0 padding, 1 unknown
        self.gaz_keys = list(gaz_keys)
        rank = features._rank
        self._rank = rank
        self._n_rank = max(len(rank), 1)

    @property
    def n_flags(self) -> int:
        return 3 * len(self.gaz_keys) + len(SHAPES) + len(PROCLITICS) + 3

    def _gaz(self, w: str) -> list[float]:
        got = set(self.features.gaz.types(w))
        return [1.0 if k in got else 0.0 for k in self.gaz_keys]

    def analyse(self, n: str) -> tuple[int, list[int], list[float], str]:
        """(vector row or -1, character ids, flags, lexical stem) of a normalised word."""
        a = analyse(n)
        ls = self.features.lex_stem(n)
        index = self.vectors.index
        row = index.get(n, -1)
        own = row >= 0
        if row < 0 and ls != n:
            row = index.get(ls, -1)
        if row < 0 and a.stem != n:
            row = index.get(a.stem, -1)
        g = self._gaz(n)
        flags = g + (self._gaz(a.stem) if a.stem != n else g) + (self._gaz(ls) if ls != n else g)
        sh = shape(n)
        sh = "p" if sh.startswith("p") else sh
        flags += [1.0 if sh == s else 0.0 for s in SHAPES]
        flags += [1.0 if p in a.prefixes else 0.0 for p in PROCLITICS]
        r = self._rank.get(ls, self._n_rank)
        flags += [
            1.0 if own else 0.0,
            1.0 if row >= 0 else 0.0,
            np.log1p(r) / np.log1p(self._n_rank),
        ]
        w = n if len(n) <= MAX_CHARS else n[: MAX_CHARS // 2] + n[-MAX_CHARS // 2 :]
        cids = [self.chars.get(c, 1) for c in w] or [1]
        return row, cids, flags, ls

    @property
    def dim(self) -> int:
        """Width of the vector part of the input."""
        return self.vectors.dim * (2 if self.stem_vector else 1)

    def batch(self, norms: Sequence[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[str]]:
        """Vectors (zeros without one), padded character ids and flags of several words."""
        info = [self.analyse(n) for n in norms]
        rows = np.array([r for r, _, _, _ in info], dtype=np.int64)
        d = self.vectors.dim
        vec = np.zeros((len(info), self.dim), dtype=np.float32)
        has = rows >= 0
        if has.any():
            vec[has, :d] = self.vectors.rows(rows[has])
        if self.stem_vector:
            index = self.vectors.index
            srows = np.array([index.get(ls, r) for (r, _, _, ls) in info], dtype=np.int64)
            has = srows >= 0
            if has.any():
                vec[has, d:] = self.vectors.rows(srows[has])
        width = max(len(c) for _, c, _, _ in info)
        chars = np.zeros((len(info), width), dtype=np.int64)
        for k, (_, c, _, _) in enumerate(info):
            chars[k, : len(c)] = c
        flags = np.array([f for _, _, f, _ in info], dtype=np.float32)
        return vec, chars, flags, [ls for _, _, _, ls in info]


def load_inputs(folder: Path, meta: dict, crf_folder: Path | None = None) -> WordInputs:
    """The :class:`WordInputs` of a model: its vectors, the CRF folder's gazetteers and word
    list, and the character list and flag names stored with the weights."""
    from marsad.stages.ner.clusters import read
    from marsad.stages.ner.model import default_dir as crf_default

    crf = crf_folder or crf_default()
    vpath = folder / "vectors.npz"
    if not vpath.exists():
        vpath = models_dir() / "vectors" / "vectors.npz"
    cpath = crf / "clusters.tsv.gz"
    feats = Features(read(cpath) if cpath.exists() else {}, Gazetteers.load(crf))
    return WordInputs(
        Vectors(vpath), feats, meta["chars"], meta["gaz_keys"],
        stem_vector=bool(meta.get("config", {}).get("stem_vector")),
    )  # fmt: skip


class NeuralTagger(Tagger):
    """The BiLSTM-CRF tagger of ``folder`` (``neural.npz`` + ``meta.json``)."""

    def __init__(
        self,
        folder: Path,
        cache_words: int = 20_000,
        inputs: WordInputs | None = None,
        crf: NerTagger | None = None,
    ):
        self.folder = folder
        self.meta = json.loads((folder / "meta.json").read_text("utf-8"))
        self.inputs = inputs or load_inputs(folder, self.meta)
        self.features = self.inputs.features
        with np.load(folder / WEIGHTS_FILE) as z:
            w = {k: z[k] for k in z.files}
        self.labels = [str(x) for x in w.pop("labels")]
        # fine-tuned words: a correction added to the (frozen, shipped) vector of each
        ft_words = [str(x) for x in w.pop("ft_words", [])]
        ft_delta = w.pop("ft_delta", np.zeros((0, 0))).astype(np.float32)
        self._delta = dict(zip(ft_words, ft_delta, strict=True))
        # a learned stack: the CRF's marginals (in its label order) → LSTM input (both directions)
        w_crf = w.pop("w_crf", None)
        self.crf: NerTagger | None = None
        if w_crf is not None:
            self.crf = crf if crf is not None else load_crf(None, cache_words)
            self.w_crf = w_crf.astype(np.float32)
            self._crf_perm = [self.crf.labels.index(lab) for lab in self.labels]
        f64 = {k: v.astype(np.float32) for k, v in w.items()}
        self.cemb = f64["char_emb"]  # chars × cdim
        self.cw = f64["conv_w"]  # 3·cdim × cout (window order -1, 0, +1)
        self.cb = f64["conv_b"]
        self.w_in = f64["w_in"]  # in × 8h: [forward i f o g | backward i f o g]
        self.b_in = f64["b_in"]
        self.w_hh = f64["w_hh"]  # 2 × h × 4h
        self.w_out = f64["w_out"]  # 2h × labels
        self.b_out = f64["b_out"]
        # A constant taken off the score of "O" (chosen on held-out data, as for the CRF):
        # trades a little precision for recall.
        if "O" in self.labels:
            self.b_out[self.labels.index("O")] -= float(self.meta.get("o_penalty", 0.0))
        self.trans = f64["trans"].astype(np.float64)
        self.start = f64["start"].astype(np.float64)
        self.end = f64["end"].astype(np.float64)
        self._exp_trans = np.exp(self.trans)
        self.h = self.w_hh.shape[1]
        self._cache: dict[str, tuple[str, np.ndarray]] = {}
        self._max = cache_words

    def lex_of(self, word: str) -> str:
        got = self._cache.get(word)
        return got[0] if got is not None else self._words([word])[0][0]

    def _char_feats(self, chars: np.ndarray) -> np.ndarray:
        """Max-pooled character CNN features of padded character ids (words × letters)."""
        e = self.cemb[chars]  # W × L × cdim (row 0, padding, is zero)
        wn, ln, cd = e.shape
        pad = np.zeros((wn, ln + 2, cd), dtype=np.float32)
        pad[:, 1:-1] = e
        win = np.concatenate([pad[:, :-2], pad[:, 1:-1], pad[:, 2:]], axis=2)  # W × L × 3cd
        c = win @ self.cw + self.cb
        c[chars == 0] = -1e4
        return c.max(axis=1)

    def _words(self, words: Sequence[str]) -> list[tuple[str, np.ndarray]]:
        """(lexical stem, LSTM input projection of both directions) of each word, cached per
        word type; the new types are computed together."""
        cache = self._cache
        todo = list(dict.fromkeys(w for w in words if w not in cache))
        if todo:
            if len(cache) + len(todo) > self._max:
                cache.clear()
            lss, proj = self._project(todo)
            for w, ls, p in zip(todo, lss, proj, strict=True):
                cache[w] = (ls, p)
        got = [cache.get(w) for w in words]
        if any(g is None for g in got):  # a cache cleared mid-way (more types than it holds)
            got = [
                g if g is not None else self._uncached(w) for g, w in zip(got, words, strict=True)
            ]
        return got  # type: ignore[return-value]

    def _uncached(self, word: str) -> tuple[str, np.ndarray]:
        lss, proj = self._project([word])
        return lss[0], proj[0]

    def _project(self, words: Sequence[str]) -> tuple[list[str], np.ndarray]:
        """Lexical stems and LSTM input projections of words (not cached)."""
        norms = [normalize_text(w) for w in words]
        vec, chars, flags, lss = self.inputs.batch(norms)
        if self._delta:
            for k, n in enumerate(norms):
                d = self._delta.get(n)
                if d is not None:
                    vec[k, : len(d)] += d
        x = np.concatenate([vec, self._char_feats(chars), flags], axis=1)
        return lss, x @ self.w_in + self.b_in

    def scores_many(self, sentences: Sequence[Sequence[str]]) -> list[np.ndarray]:
        lens0 = np.array([len(s) for s in sentences])
        flat = [w for s in sentences for w in s]
        proj0 = np.stack([p for _, p in self._words(flat)])  # tokens × 8h
        if self.crf is not None:
            marg = np.concatenate(self.crf.marginals_many(sentences))[:, self._crf_perm]
            proj0 = proj0 + marg.astype(np.float32) @ self.w_crf
        # sentences longest first, so that the sentences still running at step t are the
        # first ``active[t]`` rows (no work on padding)
        order = np.argsort(-lens0, kind="stable")
        offs0 = np.concatenate([[0], np.cumsum(lens0)[:-1]])
        lens = lens0[order]
        offs = offs0[order]
        b, m, h = len(sentences), int(lens.max()), self.h
        pos = np.arange(m)[None, :]
        valid = pos < lens[:, None]
        # padded inputs; the backward direction reads each sentence reversed
        fwd_idx = np.where(valid, offs[:, None] + pos, 0)
        bwd_idx = np.where(valid, offs[:, None] + lens[:, None] - 1 - pos, 0)
        xs = np.empty((2, b, m, 4 * h), dtype=np.float32)
        xs[0] = proj0[fwd_idx, : 4 * h]
        xs[1] = proj0[bwd_idx, 4 * h :]
        hs = np.zeros((2, b, m, h), dtype=np.float32)
        hcur = np.zeros((2, b, h), dtype=np.float32)
        ccur = np.zeros((2, b, h), dtype=np.float32)
        active = (lens[None, :] > np.arange(m)[:, None]).sum(axis=1)
        w_hh = self.w_hh
        h3 = 3 * h
        for t in range(m):
            k = int(active[t])
            g = xs[:, :k, t] + hcur[:, :k] @ w_hh
            sg = 0.5 * np.tanh(0.5 * g[..., :h3]) + 0.5  # sigmoid of the i, f, o gates
            c = sg[..., h : 2 * h] * ccur[:, :k] + sg[..., :h] * np.tanh(g[..., h3:])
            ccur[:, :k] = c
            hcur[:, :k] = hs[:, :k, t] = sg[..., 2 * h : h3] * np.tanh(c)
        out_f = hs[0][valid]  # tokens × h, sentences in sorted order
        # un-reverse the backward states: position t of the reversed sentence is token len-1-t
        rev = np.where(valid, lens[:, None] - 1 - pos, 0)
        out_b = hs[1][np.arange(b)[:, None], rev][valid]
        e = (np.concatenate([out_f, out_b], axis=1) @ self.w_out + self.b_out).astype(np.float64)
        ends = np.cumsum(lens)
        e[ends - lens] += self.start
        e[ends - 1] += self.end
        out: list[np.ndarray] = [e] * b
        for k, part in zip(order.tolist(), np.split(e, ends[:-1]), strict=True):
            out[k] = part
        return out


@lru_cache(maxsize=4)
def load(
    folder: str | None = None, cache_words: int = 20_000, crf: NerTagger | None = None
) -> NeuralTagger:
    """The neural tagger of ``folder`` (the packaged one when None), loaded once per process;
    ``crf``: the CRF a learned stack reads (else the packaged CRF)."""
    return NeuralTagger(model_path(folder), cache_words=cache_words, crf=crf)


def reads_crf(folder: Path) -> bool:
    """Whether the model of ``folder`` is a learned stack (reads the CRF's marginals)."""
    mpath = folder / "meta.json"
    return mpath.exists() and bool(json.loads(mpath.read_text("utf-8")).get("crf_input"))
