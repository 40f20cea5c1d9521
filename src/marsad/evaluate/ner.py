"""``marsad eval ner [FILE] [--json]``: CoNLL span-level evaluation of the NER model.

``FILE`` is a one-token-per-line file (ANERcorp style ``token TAG``; NewsFANE/WikiFANE
``token<TAB>FineClass`` files are recognised by name and mapped) or a folder of AQMAR files.
Default: ANERcorp ``test.txt`` from the shared data. A NewsFANE file is evaluated on its
held-out part only: the sentences that share no 5-word sequence with ANERcorp ``train.txt``
(NewsFANE re-annotates ANERcorp text; the rest was seen in training).

Scores: micro precision, recall and F1 over exact (start, end, type) spans, overall and per
type (CoNLL ``conlleval`` convention), and tagging speed in tokens per second (one process,
features + CRF + confidences, per second of CPU time of the process, after the model is
loaded, feature cache cold at the start).
The main figures tag the file as the entities stage tags an article: 20 consecutive
sentences at a time form one document, so that document-level name propagation applies
(:meth:`~marsad.stages.ner.model.NerTagger.document`); ``sentence_level`` holds the figures
of the tagger alone, each sentence on its own.
"""

from __future__ import annotations

import time
from pathlib import Path

from marsad.core.items import TYPES
from marsad.evaluate.common import shared_data
from marsad.stages.ner import data


def load_gold(path: Path) -> tuple[list[data.Sentence], str]:
    if path.is_dir():
        return data.read_aqmar(path), "AQMAR"
    name = path.name.lower()
    if "fane" in name:
        sents = data.read_fane(path)
        if "newsfane" in name:
            train = shared_data() / "ner" / "anercorp" / "train.txt"
            if train.exists():
                seen: set = set()
                for s in data.read_conll(train):
                    seen |= data._ngrams(s)
                sents = [s for s in sents if not (data._ngrams(s) & seen)]
                return sents, "NewsFANE (held-out: not in ANERcorp train)"
        return sents, "FANE"
    return data.read_conll(path), "CoNLL"


def prf(tp: int, fp: int, fn: int) -> dict:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4),
            "gold": tp + fn, "predicted": tp + fp}  # fmt: skip


def score(sents: list[data.Sentence], tagger) -> dict:
    counts = {t: [0, 0, 0] for t in TYPES}
    tokens = 0
    elapsed = 0.0
    for s in sents:
        words = [w for w, _ in s]
        t0 = time.process_time()
        pred = tagger.tag(words)
        elapsed += time.process_time() - t0
        tokens += len(words)
        g = set(data.spans([t for _, t in s]))
        p = set(data.spans(pred))
        for x in p & g:
            counts[x[2]][0] += 1
        for x in p - g:
            counts.setdefault(x[2], [0, 0, 0])[1] += 1
        for x in g - p:
            counts.setdefault(x[2], [0, 0, 0])[2] += 1
    tot = [sum(c[i] for c in counts.values()) for i in range(3)]
    out = prf(*tot)
    out["per_type"] = {t: prf(*c) for t, c in counts.items()}
    out["tokens"] = tokens
    out["sentences"] = len(sents)
    out["tokens_per_second"] = round(tokens / elapsed) if elapsed else 0
    return out


def evaluate(gold: str | None, split: str | None = None, limit: int | None = None) -> dict:
    from marsad.core.errors import UsageError
    from marsad.stages.ner.model import NerTagger, default_dir

    path = Path(gold) if gold else shared_data() / "ner" / "anercorp" / "test.txt"
    if not path.exists():
        raise UsageError("E001", path=str(path))
    sents, kind = load_gold(path)
    if limit:
        sents = sents[:limit]
    tagger = NerTagger(default_dir())
    tagger.tag(["تجربة"])  # load and warm up outside the timing
    sentence_level = score(sents, tagger)
    tagger = NerTagger(default_dir())  # a cold feature cache again
    out = score_documents(sents, tagger)
    out["sentence_level"] = {
        k: sentence_level[k] for k in ("precision", "recall", "f1", "per_type", "tokens_per_second")
    }
    out["gold"] = str(path)
    out["format"] = kind
    return out


def format_text(r: dict) -> str:
    lines = [
        f"NER on {r['gold']} ({r['format']}): {r['sentences']} sentences, {r['tokens']} tokens",
        f"  overall  P {r['precision']:.3f}  R {r['recall']:.3f}  F1 {r['f1']:.3f}",
    ]
    for t, v in r["per_type"].items():
        lines.append(
            f"  {t:<7}  P {v['precision']:.3f}  R {v['recall']:.3f}  F1 {v['f1']:.3f}"
            f"  (gold {v['gold']}, predicted {v['predicted']})"
        )
    lines.append(f"  speed {r['tokens_per_second']:,} tokens/s")
    if "sentence_level" in r:
        s = r["sentence_level"]
        lines.append(
            f"  sentence by sentence (no document propagation): P {s['precision']:.3f}"
            f"  R {s['recall']:.3f}  F1 {s['f1']:.3f}"
        )
    return "\n".join(lines)


def score_documents(sents: list[data.Sentence], tagger, window: int = 20) -> dict:
    """Like :func:`score`, tagging ``window`` consecutive sentences at a time as one document
    (:meth:`NerTagger.document`: document-level name propagation)."""
    pred: list[list[str]] = []
    t0 = time.process_time()
    for k in range(0, len(sents), window):
        chunk = [[w for w, _ in s] for s in sents[k : k + window]]
        for words, ents in zip(chunk, tagger.document(chunk), strict=True):
            tags = ["O"] * len(words)
            for s, e, t, _ in ents:
                tags[s] = "B-" + t
                for i in range(s + 1, e):
                    tags[i] = "I-" + t
            pred.append(tags)
    elapsed = time.process_time() - t0
    it = iter(pred)
    r = score(sents, _Fixed(it))
    r["tokens_per_second"] = round(r["tokens"] / elapsed) if elapsed else 0
    return r


class _Fixed:
    def __init__(self, it):
        self.it = it

    def tag(self, words):
        return next(self.it)
