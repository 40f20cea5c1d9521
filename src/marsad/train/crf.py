"""Fitting a CRF with python-crfsuite (L-BFGS, L1 + L2): shared by ``marsad train ner`` and
the learned stack's out-of-fold CRFs (:mod:`marsad.train.neural`, ``--crf-input``)."""

from __future__ import annotations

from pathlib import Path

from marsad.stages.ner import data


def train_crf(
    sents: list[data.Sentence],
    feats: list[list[list[str]]],
    out: Path,
    c1: float,
    c2: float,
    iters: int,
    minfreq: int,
) -> None:
    import pycrfsuite

    tr = pycrfsuite.Trainer(verbose=False)
    for s, f in zip(sents, feats, strict=True):
        tr.append(f, [t for _, t in s])
    tr.set_params(
        {
            "c1": c1,
            "c2": c2,
            "max_iterations": iters,
            "feature.possible_transitions": True,
            "feature.minfreq": minfreq,
        }
    )
    tr.train(str(out))
