"""Word vectors for the neural NER tagger, learned from our own unlabelled news.

``python -m marsad.train.vectors [--news DIR] [--work DIR] [--out FILE]`` (needs the ``train``
extra: ``pip install -e ".[train]"`` for fastText):

1. every article (title and text) of ``../shared/data/news`` (ANT v2.1, ANT v1.1,
   SaudiNewsNet: ~72k articles) is normalised (:func:`marsad.text.normalize.normalize_text`)
   and cut into tokens as the pipeline cuts them (:func:`marsad.text.segment.tokenize`), one
   article a line, into ``WORK/corpus.txt``;
2. fastText learns subword skipgram vectors on it (``--dim`` 100, character n-grams of 2–5,
   5 epochs, words seen at least 3 times; 2 threads);
3. the vectors of the ``--keep`` most frequent words (the subword n-grams give vectors to words
   the corpus saw rarely) are quantised to int8 with one scale per row and written to
   ``OUT`` (``vectors.npz``: ``words``, ``q`` int8, ``scale`` float32), with the corpus
   figures in ``vectors.json``.

The tagger (:mod:`marsad.stages.ner.neural`) keeps the vectors frozen, so the shipped list
can be pruned after training without retraining. A word outside the list gets the vector of
its clitic-stripped stem when that is in the list, else a zero vector (its characters still
count: the tagger reads them).
"""

from __future__ import annotations

import argparse
import json
import logging
import time
from pathlib import Path

import numpy as np

from marsad.stages.ner.clusters import news_texts
from marsad.text.segment import tokenize

log = logging.getLogger(__name__)

def corpus_lines(news_dir: Path):
    """One line of space-separated normalised tokens per article of the news corpora."""
    for t in news_texts(news_dir):
        s, e = tokenize(t)
        yield " ".join(t[a:b] for a, b in zip(s, e, strict=True))


def write_corpus(news_dir: Path, path: Path) -> tuple[int, int]:
    docs = toks = 0
    with open(path, "w", encoding="utf-8") as f:
        for line in corpus_lines(news_dir):
            f.write(line + "\n")
            docs += 1
            toks += line.count(" ") + 1
    return docs, toks


def quantise(vecs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """int8 rows with one float32 scale each (max-abs / 127)."""
    scale = np.abs(vecs).max(axis=1) / 127.0
    scale[scale == 0] = 1.0
    q = np.round(vecs / scale[:, None]).clip(-127, 127).astype(np.int8)
    return q, scale.astype(np.float32)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m marsad.train.vectors")
    ap.add_argument("--news", default="../shared/data/news")
    ap.add_argument("--work", default="/tmp/marsad-vectors", help="corpus and full model")
    ap.add_argument("--out", default=None, help="vectors.npz (default: models/vectors/)")
    ap.add_argument("--dim", type=int, default=100)
    ap.add_argument("--epoch", type=int, default=5)
    ap.add_argument("--min-count", type=int, default=3)
    ap.add_argument("--keep", type=int, default=100_000, help="words shipped")
    ap.add_argument("--threads", type=int, default=2)
    a = ap.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    work = Path(a.work)
    work.mkdir(parents=True, exist_ok=True)
    corpus = work / "corpus.txt"
    t0 = time.time()
    if not corpus.exists():
        docs, toks = write_corpus(Path(a.news), corpus)
        (work / "corpus.json").write_text(json.dumps({"articles": docs, "tokens": toks}))
    info = json.loads((work / "corpus.json").read_text())
    log.info("corpus: %d articles, %d tokens (%.0fs)", info["articles"], info["tokens"],
             time.time() - t0)  # fmt: skip
    bin_path = work / f"ft{a.dim}.bin"
    if not bin_path.exists():
        import fasttext

        model = fasttext.train_unsupervised(
            str(corpus), model="skipgram", dim=a.dim, minn=2, maxn=5, epoch=a.epoch,
            minCount=a.min_count, thread=a.threads, ws=5, neg=5, verbose=1,
        )  # fmt: skip
        model.save_model(str(bin_path))
        log.info("fastText trained (%.0fs)", time.time() - t0)
    export(bin_path, Path(a.out) if a.out else default_out(), a.keep, info, a)
    return 0


def default_out() -> Path:
    from importlib import resources

    return Path(str(resources.files("marsad.models").joinpath("vectors"))) / "vectors.npz"


def export(bin_path: Path, out: Path, keep: int, info: dict, a=None) -> None:
    import fasttext

    model = fasttext.load_model(str(bin_path))
    words, freqs = model.get_words(include_freq=True)
    words = list(words[:keep])
    vecs = np.stack([model.get_word_vector(w) for w in words]).astype(np.float32)
    q, scale = quantise(vecs)
    out.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(out, words=np.array(words), q=q, scale=scale)
    meta = {
        "corpus": "ANT v2.1, ANT v1.1, SaudiNewsNet (../shared/data/news), normalised",
        "articles": info["articles"],
        "tokens": info["tokens"],
        "method": "fastText skipgram, subword n-grams 2-5, ws 5, neg 5",
        "dim": int(vecs.shape[1]),
        "epoch": getattr(a, "epoch", None),
        "min_count": getattr(a, "min_count", None),
        "vocabulary": len(model.words),
        "shipped_words": len(words),
        "min_shipped_frequency": int(freqs[len(words) - 1]),
        "quantisation": "int8, one float32 scale per row",
    }
    out.with_suffix(".json").write_text(json.dumps(meta, indent=1) + "\n", "utf-8")
    log.info("wrote %s (%d words, %.1f MB)", out, len(words), out.stat().st_size / 1e6)


if __name__ == "__main__":
    raise SystemExit(main())
