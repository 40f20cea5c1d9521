"""Decoding shared by the NER taggers (the CRF of :mod:`.model`, the BiLSTM-CRF of
:mod:`.neural`): from per-token label scores and a label-transition matrix to tags, entity
spans with confidences, and document-level name propagation, in numpy. Viterbi and
forward–backward run on all sentences of an article at once (padded), one numpy step per token
position.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from marsad.stages.ner.data import spans
from marsad.stages.ner.features import Features


class Tagger:
    """Decoding shared by the taggers: Viterbi, forward–backward confidences, entity spans
    and document-level propagation over the label scores that a subclass computes
    (:meth:`scores_many`). A subclass sets ``labels``, ``trans`` (label transitions),
    ``_exp_trans``, ``meta`` and ``features`` (for :meth:`Features.lex_stem` and word ranks)."""

    labels: list[str]
    trans: np.ndarray
    _exp_trans: np.ndarray
    meta: dict
    features: Features

    def scores_many(self, sentences: Sequence[Sequence[str]]) -> list[np.ndarray]:
        raise NotImplementedError

    def scores(self, words: Sequence[str]) -> np.ndarray:
        """Label scores of each token (tokens × labels), transitions not included."""
        return self.scores_many([words])[0]

    def lex_of(self, word: str) -> str:
        """The lexical stem of a raw word (:meth:`Features.lex_stem` of its normalised form)."""
        return self.features.word(word)[1]

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

    def marginals_many(self, sentences: Sequence[Sequence[str]]) -> list[np.ndarray]:
        """:meth:`marginals` of many (non-empty) sentences at once (tokens × labels each)."""
        out: list[np.ndarray] = []
        for k in range(0, len(sentences), 64):
            e, lens = _padded(self.scores_many(sentences[k : k + 64]))
            p = _marginals_batch(e, lens, self._exp_trans)
            out += [p[r, :n] for r, n in enumerate(lens.tolist())]
        return out

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
        e, lens = _padded(self.scores_many([sentences[i] for i in todo]))
        b = len(lens)
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
                        note(self.lex_of(words[i]), typ, conf)
                elif e == s + 1 and typ in single:
                    note(self.lex_of(words[s]), typ, conf)
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
                got = None if inside[i] else names.get(self.lex_of(words[i]))
                if got is None:
                    i += 1
                    continue
                conf, typ = got
                j = i + 1
                while typ == "PER" and j < len(words) and not inside[j]:
                    nxt = names.get(self.lex_of(words[j]))
                    if nxt is None or nxt[1] != "PER":
                        break
                    j += 1
                new.append((i, j, typ, 0.5 * conf))
                i = j
            new.sort()
            out.append(new)
        return out


def _padded(es: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Per-sentence label scores (tokens × labels each) as one zero-padded batch
    (sentences × longest × labels), with the sentences' lengths."""
    lens = np.array([len(x) for x in es])
    e = np.zeros((len(es), int(lens.max()), es[0].shape[1]))
    for k, x in enumerate(es):
        e[k, : len(x)] = x
    return e, lens


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
