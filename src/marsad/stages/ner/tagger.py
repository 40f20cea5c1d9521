"""Which NER tagger runs: ``[ner] model`` in the settings: ``"crf"`` (the feature CRF of
:mod:`.model`, the fast one), ``"neural"`` (the BiLSTM-CRF of :mod:`.neural`) or ``"stack"``
(both together, :mod:`.stack`). A ``[ner] neural_model`` folder with ``ensemble.json`` is an
ensemble of neural taggers (:mod:`.ensemble`), for ``"neural"`` and ``"stack"`` alike. All
give the same interface (:class:`~marsad.stages.ner.decode.Tagger`) and are loaded once per
process.
"""

from __future__ import annotations

from marsad.core.errors import UsageError
from marsad.core.settings import Settings
from marsad.stages.ner.decode import Tagger

KINDS = ("crf", "neural", "stack")


def load_tagger(settings: Settings, fresh: bool = False) -> Tagger:
    """The tagger chosen by ``settings`` (``fresh``: a new one with empty caches, for timing)."""
    kind = settings["ner"]["model"]
    cache = int(settings["entities"]["cache_words"])
    if kind == "stack":
        from marsad.stages.ner.stack import StackTagger

        parts = [
            load_tagger({**settings, "ner": {**settings["ner"], "model": k}}, fresh)
            for k in ("crf", "neural")
        ]
        if fresh:
            return StackTagger(
                *parts, settings["ner"]["stack_weight"], settings["ner"]["stack_o_penalty"]
            )  # type: ignore[arg-type]
        return _stack(
            parts[0],
            parts[1],
            float(settings["ner"]["stack_weight"]),
            float(settings["ner"]["stack_o_penalty"]),
        )
    if kind == "neural":
        from marsad.stages.ner import ensemble, neural

        folder = settings["ner"]["neural_model"] or None
        path = neural.model_path(folder)
        if ensemble.is_ensemble(path):
            return ensemble.load_ensemble(path, cache) if fresh else ensemble.load(str(path), cache)
        crf = None
        if neural.reads_crf(path):  # a learned stack: runs beside the CRF of the settings
            crf = load_tagger({**settings, "ner": {**settings["ner"], "model": "crf"}}, fresh)
        if fresh:
            return neural.NeuralTagger(path, cache_words=cache, crf=crf)  # type: ignore[arg-type]
        return neural.load(folder, cache, crf)  # type: ignore[arg-type]
    if kind == "crf":
        from marsad.stages.ner import model

        folder = settings["entities"]["model"] or None
        if fresh:
            return model.NerTagger(model.model_dir(folder), cache_words=cache)
        return model.load(folder, cache)
    raise UsageError("E013", detail=f"[ner] model = {kind!r}: use one of {', '.join(KINDS)}")


_STACKS: dict[tuple, Tagger] = {}


def _stack(crf, neural, weight: float, o_penalty: float) -> Tagger:
    from marsad.stages.ner.stack import StackTagger

    key = (id(crf), id(neural), weight, o_penalty)
    got = _STACKS.get(key)
    if got is None:
        got = _STACKS[key] = StackTagger(crf, neural, weight, o_penalty)
    return got
