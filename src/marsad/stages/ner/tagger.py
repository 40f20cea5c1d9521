"""Which NER tagger runs: ``[ner] model`` in the settings, ``"neural"`` (the BiLSTM-CRF of
:mod:`.neural`) or ``"crf"`` (the feature CRF of :mod:`.model`, the fast fallback). Both give
the same interface (:class:`~marsad.stages.ner.decode.Tagger`) and are loaded once per process.
"""

from __future__ import annotations

from marsad.core.errors import UsageError
from marsad.core.settings import Settings
from marsad.stages.ner.decode import Tagger

KINDS = ("neural", "crf")


def load_tagger(settings: Settings, fresh: bool = False) -> Tagger:
    """The tagger chosen by ``settings`` (``fresh``: a new one with empty caches, for timing)."""
    kind = settings["ner"]["model"]
    cache = int(settings["entities"]["cache_words"])
    if kind == "neural":
        from marsad.stages.ner import neural

        folder = settings["ner"]["neural_model"] or None
        if fresh:
            return neural.NeuralTagger(neural.model_path(folder), cache_words=cache)
        return neural.load(folder, cache)
    if kind == "crf":
        from marsad.stages.ner import model

        folder = settings["entities"]["model"] or None
        if fresh:
            return model.NerTagger(model.model_dir(folder), cache_words=cache)
        return model.load(folder, cache)
    raise UsageError("E013", detail=f"[ner] model = {kind!r}: use one of {', '.join(KINDS)}")
