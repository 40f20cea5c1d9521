"""The stacked tagger: the CRF and the neural tagger together (a product of experts).

Each token's label scores are ``w · CRF + (1 − w) · neural`` (the CRF's labels put in the
neural model's order), and so are the label transitions; decoding, confidences and
document propagation are the shared ones (:class:`~marsad.stages.ner.decode.Tagger`). The two
models make different mistakes (the CRF reads hand-made features, gazetteers and word
clusters; the network reads letters and word vectors), so together they find more names than
either alone, at the cost of running both. ``[ner] stack_weight`` is ``w``.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from marsad.stages.ner.decode import Tagger
from marsad.stages.ner.model import NerTagger
from marsad.stages.ner.neural import NeuralTagger


class StackTagger(Tagger):
    def __init__(self, crf: NerTagger, neural: NeuralTagger, weight: float, o_penalty: float = 0.0):
        self.crf, self.neural, self.weight = crf, neural, float(weight)
        self.labels = list(neural.labels)
        self._perm = [crf.labels.index(lab) for lab in self.labels]
        p = np.ix_(self._perm, self._perm)
        self.trans = self.weight * crf.trans[p] + (1 - self.weight) * neural.trans
        self._exp_trans = np.exp(self.trans)
        self.meta = neural.meta
        self.features = crf.features
        self._o = self.labels.index("O")
        self._o_penalty = float(o_penalty)

    def lex_of(self, word: str) -> str:
        return self.crf.lex_of(word)

    def scores_many(self, sentences: Sequence[Sequence[str]]) -> list[np.ndarray]:
        w = self.weight
        out = []
        for a, b in zip(
            self.crf.scores_many(sentences), self.neural.scores_many(sentences), strict=True
        ):
            e = w * a[:, self._perm] + (1 - w) * b
            e[:, self._o] -= self._o_penalty
            out.append(e)
        return out
