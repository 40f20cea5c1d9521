"""An ensemble of neural taggers (e.g. the same recipe trained with several seeds).

A folder with ``ensemble.json`` (``{"members": ["seed13", "seed14", ...]}``, paths relative
to the folder) is read by ``[ner] model = "neural"`` as one tagger: each token's label scores
and the label transitions are the mean of the members'; decoding, confidences and document
propagation are the shared ones (:class:`~marsad.stages.ner.decode.Tagger`). The members
share one copy of the word inputs (vectors, gazetteers) when they were trained alike. The cost
is one BiLSTM recurrence per member.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import numpy as np

from marsad.stages.ner.decode import Tagger
from marsad.stages.ner.neural import NeuralTagger

ENSEMBLE_FILE = "ensemble.json"


def is_ensemble(folder: Path) -> bool:
    return (folder / ENSEMBLE_FILE).exists()


class EnsembleTagger(Tagger):
    def __init__(self, members: Sequence[NeuralTagger], meta: dict | None = None):
        if not members:
            raise ValueError("an ensemble needs at least one member")
        self.members = list(members)
        first = self.members[0]
        self.labels = list(first.labels)
        for m in self.members[1:]:
            if list(m.labels) != self.labels:
                raise ValueError("ensemble members must share their label order")
        self.trans = np.mean([m.trans for m in self.members], axis=0)
        self._exp_trans = np.exp(self.trans)
        # propagation settings and the rest come from the first member, unless overridden
        self.meta = {**first.meta, **(meta or {})}
        self.features = first.features

    def lex_of(self, word: str) -> str:
        return self.members[0].lex_of(word)

    def scores_many(self, sentences: Sequence[Sequence[str]]) -> list[np.ndarray]:
        parts = [m.scores_many(sentences) for m in self.members]
        k = len(parts)
        return [sum(ps) / k for ps in zip(*parts, strict=True)]


def load_ensemble(folder: Path, cache_words: int = 20_000) -> EnsembleTagger:
    spec = json.loads((folder / ENSEMBLE_FILE).read_text("utf-8"))
    members: list[NeuralTagger] = []
    for name in spec["members"]:
        sub = (folder / name).resolve()
        inputs = None
        if members:
            meta = json.loads((sub / "meta.json").read_text("utf-8"))
            m0 = members[0].meta
            if (
                meta.get("chars") == m0.get("chars")
                and meta.get("gaz_keys") == m0.get("gaz_keys")
                and bool(meta.get("config", {}).get("stem_vector"))
                == bool(m0.get("config", {}).get("stem_vector"))
            ):
                inputs = members[0].inputs
        members.append(NeuralTagger(sub, cache_words=cache_words, inputs=inputs))
    return EnsembleTagger(members, spec.get("meta"))


@lru_cache(maxsize=4)
def load(folder: str, cache_words: int = 20_000) -> EnsembleTagger:
    """The ensemble of ``folder``, loaded once per process (as :func:`.neural.load`)."""
    return load_ensemble(Path(folder), cache_words)
