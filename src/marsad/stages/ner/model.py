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

from marsad.stages.ner.data import spans
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


class NerTagger:
    def __init__(self, folder: Path, use_table: bool = True, cache_words: int = 20_000):
        from marsad.stages.ner.clusters import read

        self.folder = folder
        cpath = folder / "clusters.tsv.gz"
        self.features = Features(
            read(cpath) if cpath.exists() else {}, Gazetteers.load(folder), max_cache=cache_words
        )
        mpath = folder / "meta.json"
        self.meta = json.loads(mpath.read_text("utf-8")) if mpath.exists() else {}
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
                    self._table_vec = z["vectors"].astype(np.float64)

    def _vec(self, feats: list[str]) -> np.ndarray:
        idx = [i for i in map(self.index.get, feats) if i is not None]
        if not idx:
            return self._zero
        return self.weights[idx].sum(axis=0)

    def _word(self, word: str) -> tuple[str, str, np.ndarray]:
        """Normalised form, lexical stem and the label scores the word contributes at each
        window position (5 × labels), cached per word type."""
        got = self._cache.get(word)
        if got is None and self._table:
            n = normalize_text(word)
            row = self._table.get(n)
            if row is not None:
                got = (n, self._table_ls[row], self._table_vec[row])
                if len(self._cache) >= self.features._max:
                    self._cache.clear()
                self._cache[word] = got
        if got is None:
            n, ls, views = self.features.word(word)
            get = self.index.get
            pairs = [(k, i) for k, v in enumerate(views) for i in map(get, v) if i is not None]
            vec = np.zeros((len(views), len(self.labels)))
            if pairs:
                seg, idx = zip(*pairs, strict=True)
                np.add.at(vec, list(seg), self.weights[list(idx)])
            got = (n, ls, vec)
            if len(self._cache) >= self.features._max:
                self._cache.clear()
            self._cache[word] = got
        return got

    def scores(self, words: Sequence[str]) -> np.ndarray:
        """Label scores of each token (tokens × labels), transitions not included."""
        return self.scores_many([words])[0]

    def scores_many(self, sentences: Sequence[Sequence[str]]) -> list[np.ndarray]:
        """:meth:`scores` of several (non-empty) sentences, computed on all tokens at once."""
        cached, word = self._cache.get, self._word
        info = [cached(w) or word(w) for words in sentences for w in words]
        lens = [len(x) for x in sentences]
        total = len(info)
        views = np.stack([v for _, _, v in info])  # tokens × 5 × labels
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
        get = self.index.get
        w = self.weights
        norms = [x[0] for x in info]
        pos = 0
        for m in lens:
            for i in range(pos, pos + m):
                n = norms[i]
                a = get("b-=" + (norms[i - 1] if i > pos else "^") + "|" + n)
                if a is not None:
                    e[i] += w[a]
                a = get("b+=" + n + "|" + (norms[i + 1] if i + 1 < pos + m else "$"))
                if a is not None:
                    e[i] += w[a]
            pos += m
        return np.split(e, ends[:-1])

    def viterbi(self, e: np.ndarray) -> list[int]:
        m = len(e)
        t = self.trans
        score = e[0]
        back = np.empty((m, len(t)), dtype=np.int64)
        for i in range(1, m):
            cand = score[:, None] + t
            back[i] = cand.argmax(axis=0)
            score = cand.max(axis=0) + e[i]
        best = [int(score.argmax())]
        for i in range(m - 1, 0, -1):
            best.append(int(back[i, best[-1]]))
        best.reverse()
        return best

    def marginals(self, e: np.ndarray) -> np.ndarray:
        """Posterior probability of each label at each token (forward–backward, scaled)."""
        m, n = e.shape
        pe = np.exp(e - e.max(axis=1, keepdims=True))
        et = self._exp_trans
        alpha = np.empty((m, n))
        beta = np.empty((m, n))
        a = pe[0]
        alpha[0] = a / a.sum()
        for i in range(1, m):
            a = (alpha[i - 1] @ et) * pe[i]
            alpha[i] = a / a.sum()
        beta[-1] = 1.0
        for i in range(m - 2, -1, -1):
            b = et @ (pe[i + 1] * beta[i + 1])
            beta[i] = b / b.sum()
        p = alpha * beta
        return p / p.sum(axis=1, keepdims=True)

    def tag(self, words: Sequence[str]) -> list[str]:
        if not words:
            return []
        labels = self.labels
        return [labels[i] for i in self.viterbi(self.scores(words))]

    def entities(self, words: Sequence[str]) -> list[tuple[int, int, str, float]]:
        """Entity spans ``(start, end, type, confidence)`` over token indices; the confidence
        is the lowest marginal probability of the span's tags."""
        if not words:
            return []
        e = self.scores(words)
        best = self.viterbi(e)
        labels = self.labels
        found = spans([labels[i] for i in best])
        if not found:
            return []
        p = self.marginals(e)
        return [(s, t, typ, float(min(p[i, best[i]] for i in range(s, t)))) for s, t, typ in found]

    def entities_many(
        self, sentences: Sequence[Sequence[str]]
    ) -> list[list[tuple[int, int, str, float]]]:
        """:meth:`entities` of many sentences at once: Viterbi and forward–backward run on
        all sentences together (padded), one numpy step per token position."""
        out: list[list[tuple[int, int, str, float]]] = [[] for _ in sentences]
        todo = [i for i, w in enumerate(sentences) if w]
        if not todo:
            return out
        es = self.scores_many([sentences[i] for i in todo])
        lens = np.array([len(e) for e in es])
        b, m, n = len(es), int(lens.max()), len(self.labels)
        e = np.zeros((b, m, n))
        for k, x in enumerate(es):
            e[k, : len(x)] = x
        paths = _viterbi_batch(e, lens, self.trans)
        labels = self.labels
        found = []
        for k in range(b):
            sp = spans([labels[j] for j in paths[k, : lens[k]]])
            if sp:
                found.append((k, sp))
        if not found:
            return out
        rows = [k for k, _ in found]
        p = _marginals_batch(e[rows], lens[rows], self._exp_trans)
        for r, (k, sp) in enumerate(found):
            path = paths[k]
            out[todo[k]] = [
                (s, t, typ, float(min(p[r, i, path[i]] for i in range(s, t)))) for s, t, typ in sp
            ]
        return out

    def document(
        self, sentences: Sequence[Sequence[str]], propagate: bool = True
    ) -> list[list[tuple[int, int, str, float]]]:
        """:meth:`entities_many` over the sentences of one document, then (``propagate``)
        document-level consistency: a rare word that the tagger put inside a confident
        person name (ألونسو of فرناندو ألونسو) is tagged PER where it occurs alone
        elsewhere in the same document and the tagger left it outside any entity; so is a
        rare one-word mention of the types in ``propagate_types`` (أوبك as ORG)."""
        found = self.entities_many(sentences)
        if not propagate:
            return found
        min_conf = float(self.meta.get("propagate_min_confidence", 0.8))
        min_rank = int(self.meta.get("propagate_min_rank", 3000))
        single = set(self.meta.get("propagate_types", ["PER"]))
        rank = self.features._rank
        names: dict[str, tuple[float, str]] = {}

        def note(ls: str, typ: str, conf: float) -> None:
            if len(ls) >= 3 and rank.get(ls, min_rank) >= min_rank:
                if conf > names.get(ls, (0.0, ""))[0]:
                    names[ls] = (conf, typ)

        for words, ents in zip(sentences, found, strict=True):
            for s, e, typ, conf in ents:
                if conf < min_conf:
                    continue
                if typ == "PER":
                    for i in range(s, e):
                        note(self._word(words[i])[1], typ, conf)
                elif e == s + 1 and typ in single:
                    note(self._word(words[s])[1], typ, conf)
        if not names:
            return found
        out = []
        for words, ents in zip(sentences, found, strict=True):
            inside = [False] * len(words)
            for s, e, _, _ in ents:
                for i in range(s, e):
                    inside[i] = True
            new = list(ents)
            i = 0
            while i < len(words):
                got = None if inside[i] else names.get(self._word(words[i])[1])
                if got is None:
                    i += 1
                    continue
                conf, typ = got
                j = i + 1
                while typ == "PER" and j < len(words) and not inside[j]:
                    nxt = names.get(self._word(words[j])[1])
                    if nxt is None or nxt[1] != "PER":
                        break
                    j += 1
                new.append((i, j, typ, 0.5 * conf))
                i = j
            new.sort()
            out.append(new)
        return out


def _viterbi_batch(e: np.ndarray, lens: np.ndarray, trans: np.ndarray) -> np.ndarray:
    b, m, n = e.shape
    score = e[:, 0].copy()
    back = np.zeros((b, m, n), dtype=np.int64)
    final = np.empty((b, n))
    ending = {}  # step → the sequences whose last token it is
    for k, ln in enumerate(lens.tolist()):
        ending.setdefault(ln - 1, []).append(k)
    tb = trans[None]
    for i in range(m):
        if i:
            cand = score[:, :, None] + tb
            back[:, i] = cand.argmax(axis=1)
            score = cand.max(axis=1) + e[:, i]
        if i in ending:
            final[ending[i]] = score[ending[i]]
    ar = np.arange(b)
    cur = final.argmax(axis=1)
    path = np.zeros((b, m), dtype=np.int64)
    for i in range(m - 1, -1, -1):
        valid = i < lens
        path[:, i] = cur
        if i > 0:
            cur = np.where(valid, back[ar, i, cur], cur)
    return path


def _marginals_batch(e: np.ndarray, lens: np.ndarray, et: np.ndarray) -> np.ndarray:
    """Forward–backward over padded sequences. Scores are exponentiated after subtracting
    each token's maximum, so one step changes the scale by at most ``9 × max(et)``; the
    vectors are renormalised every ``_RENORM`` steps, which keeps them far from overflow."""
    b, m, n = e.shape
    pe = np.exp(e - e.max(axis=2, keepdims=True))
    alpha = np.empty((b, m, n))
    beta = np.empty((b, m, n))
    ending: dict[int, list[int]] = {}
    for k, ln in enumerate(lens.tolist()):
        ending.setdefault(ln - 1, []).append(k)
    a = pe[:, 0]
    alpha[:, 0] = a
    for i in range(1, m):
        a = (a @ et) * pe[:, i]
        if i % _RENORM == 0:
            a = a / a.sum(axis=1, keepdims=True)
        alpha[:, i] = a
    x = np.ones((b, n))
    for i in range(m - 1, -1, -1):
        if i < m - 1:
            x = (pe[:, i + 1] * x) @ et.T
            if i % _RENORM == 0:
                x = x / x.sum(axis=1, keepdims=True)
        rows = ending.get(i)
        if rows is not None:
            x[rows] = 1.0
        beta[:, i] = x
    p = alpha * beta
    return p / p.sum(axis=2, keepdims=True)


#: Forward–backward renormalisation interval (steps).
_RENORM = 8


@lru_cache(maxsize=4)
def load(folder: str | None = None, cache_words: int = 20_000) -> NerTagger:
    """The tagger of ``folder`` (the packaged model when None), loaded once per process.
    ``cache_words`` bounds the per-word caches of features and scores (about 3 KB a word)."""
    return NerTagger(model_dir(folder), cache_words=cache_words)
