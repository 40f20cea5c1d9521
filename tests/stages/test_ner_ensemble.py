"""The ensemble of neural taggers (``ensemble.json``): the mean of its members' scores."""

from __future__ import annotations

import json

import numpy as np
from test_ner import _tiny_neural

from marsad.core.settings import load_settings
from marsad.stages.ner.ensemble import EnsembleTagger, load_ensemble
from marsad.stages.ner.neural import NeuralTagger
from marsad.stages.ner.tagger import load_tagger

SENTS = [
    "زار محمد القاهره امس".split(),
    "قالت الامم المتحده ان محمد زار القاهره".split(),
]


def _two_members(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    b.mkdir()
    _tiny_neural(a)
    _tiny_neural(b)
    # make b a different network: other output weights and transitions
    with np.load(b / "neural.npz") as z:
        w = {k: z[k] for k in z.files}
    rng = np.random.default_rng(7)
    w["w_out"] = rng.normal(0, 0.5, w["w_out"].shape).astype(np.float32)
    w["trans"] = rng.normal(0, 0.5, w["trans"].shape).astype(np.float32)
    np.savez(b / "neural.npz", **w)
    return NeuralTagger(a), NeuralTagger(b)


def test_ensemble_is_the_mean_of_its_members(tmp_path):
    ta, tb = _two_members(tmp_path)
    ens = EnsembleTagger([ta, tb])
    assert np.allclose(ens.trans, (ta.trans + tb.trans) / 2)
    sa, sb = ta.scores_many(SENTS), tb.scores_many(SENTS)
    assert np.abs(sa[0] - sb[0]).max() > 1e-3  # the members do differ
    for e, x, y in zip(ens.scores_many(SENTS), sa, sb, strict=True):
        assert np.allclose(e, (x + y) / 2)
    # one member twice decodes exactly as the member alone
    twice = EnsembleTagger([ta, ta])
    assert [twice.tag(s) for s in SENTS] == [ta.tag(s) for s in SENTS]


def test_ensemble_folder_is_read_by_the_neural_setting(tmp_path):
    ta, tb = _two_members(tmp_path)
    (tmp_path / "ensemble.json").write_text(json.dumps({"members": ["a", "b"]}))
    ens = load_ensemble(tmp_path)
    assert len(ens.members) == 2
    assert ens.members[1].inputs is ens.members[0].inputs  # trained alike: inputs shared
    st = load_settings(ner={"model": "neural", "neural_model": str(tmp_path)})
    t = load_tagger(st, fresh=True)
    assert isinstance(t, EnsembleTagger)
    want = EnsembleTagger([ta, tb])
    assert [t.tag(s) for s in SENTS] == [want.tag(s) for s in SENTS]
