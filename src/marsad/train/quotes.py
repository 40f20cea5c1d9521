"""Training the speaker-extent model: ``marsad train quotes [options]``.

Data: the **development** split of ``gold/quotes`` only (``dev.jsonl``; the test split is never
read here). Each gold article is analysed by the default pipeline; the quotes stage is run once
more with the rules alone and a trace of every speaker zone it looked at (the words after a cue,
up to what opens the statement). A zone whose first word starts a gold speaker mention gives one
example per word up to the first word after that mention: "does the mention go on here?".
The model is a logistic regression (scikit-learn, in the ``train`` extra) over the features of
:func:`marsad.stages.quotes.extent.word_features`; only its weights are shipped, as JSON.

Reported: zone accuracy (the predicted mention ends where the gold one does) of the rules and of
the model by 5-fold cross-validation over articles, and a learning curve (the same, training on
a growing share of the other folds). If the curve still rises at 100 %, annotate more.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path
from typing import Any

from marsad.core.settings import load_settings
from marsad.evaluate.common import REPO, load_records, text_sha1
from marsad.evaluate.quotes import load_gold
from marsad.readers.jsonl import record_to_article
from marsad.run.pipeline import Pipeline
from marsad.stages.quotes import find_quotes, lexicon
from marsad.stages.quotes.extent import MODEL_FILE, hard_stop, word_features

OUT = REPO / "src" / "marsad" / "models" / "quotes"
C = 0.5
SEED = 7


def _zones(gold_file: Path) -> list[dict[str, Any]]:
    """Per gold article: the traced zones with the gold mention length of each (or None)."""
    settings = load_settings()
    rules = load_settings(quotes={"speaker_extent": "rules"})
    pipe = Pipeline(settings=settings)
    recs = load_gold(gold_file)
    by_corpus: dict[str, list[str]] = {}
    for r in recs:
        by_corpus.setdefault(r["corpus"], []).append(r["id"])
    records = {c: load_records(c, ids) for c, ids in by_corpus.items()}
    out = []
    for n, g in enumerate(recs, 1):
        rec = records[g["corpus"]][g["id"]]
        if text_sha1(rec["text"]) != g["sha1"]:
            raise SystemExit(f"sha1 mismatch for {g['corpus']}:{g['id']}")
        art = pipe(record_to_article(rec, g["corpus"], g["corpus"], n, "utf-8", settings))
        trace: list[Any] = []
        find_quotes(art, rules, trace=trace)
        spans = []
        for q in g["quotes"]:
            if q.get("speaker"):
                spans.append(art.norm.to_normalized(*q["speaker"]))
        seen: set[int] = set()
        zones = []
        for words, rule_k in trace:
            if words[0].start in seen:
                continue
            seen.add(words[0].start)
            gold_k = None
            for s, e in spans:
                if words[0].start <= s <= words[0].start + 2 and e <= words[-1].end:
                    gold_k = sum(1 for w in words if w.end <= e + 1)
                    break
            zones.append({"words": words, "rule_k": rule_k, "gold_k": gold_k})
        out.append({"id": g["id"], "zones": zones})
    return out


def _examples(arts: list[dict[str, Any]]) -> tuple[list[list[str]], list[int]]:
    lex = lexicon()
    xs, ys = [], []
    for a in arts:
        for z in a["zones"]:
            k, words = z["gold_k"], z["words"]
            if not k:
                continue
            for i in range(1, min(k + 1, len(words))):
                if hard_stop(words[i], lex):
                    break
                xs.append(word_features(words, i, z["rule_k"], lex))
                ys.append(1 if i < k else 0)
    return xs, ys


def fit(arts: list[dict[str, Any]], c: float = C) -> dict[str, float]:
    from scipy.sparse import csr_matrix
    from sklearn.linear_model import LogisticRegression

    xs, ys = _examples(arts)
    vocab: dict[str, int] = {}
    rows, cols = [], []
    for r, feats in enumerate(xs):
        for f in feats:
            cols.append(vocab.setdefault(f, len(vocab)))
            rows.append(r)
    x = csr_matrix(([1.0] * len(cols), (rows, cols)), shape=(len(xs), len(vocab)))
    clf = LogisticRegression(C=c, fit_intercept=False, max_iter=2000)
    clf.fit(x, ys)
    return {f: round(float(clf.coef_[0][j]), 4) for f, j in vocab.items()
            if abs(clf.coef_[0][j]) >= 1e-3}


def zone_accuracy(arts: list[dict[str, Any]], weights: dict[str, float] | None) -> float:
    from marsad.stages.quotes.extent import ExtentModel

    lex = lexicon()
    model = ExtentModel(weights) if weights is not None else None
    ok = tot = 0
    for a in arts:
        for z in a["zones"]:
            if not z["gold_k"]:
                continue
            k = model.length(z["words"], z["rule_k"], lex) if model else z["rule_k"]
            ok += k == z["gold_k"]
            tot += 1
    return ok / tot if tot else 0.0


def cross_validate(arts: list[dict[str, Any]], folds: int = 5, c: float = C) -> dict[str, Any]:
    order = list(range(len(arts)))
    random.Random(SEED).shuffle(order)
    parts = [[arts[i] for i in order[f::folds]] for f in range(folds)]
    curve: dict[str, list[float]] = {}
    model_acc = []
    for f in range(folds):
        test = parts[f]
        train = [a for g in range(folds) if g != f for a in parts[g]]
        for share in (0.25, 0.5, 0.75, 1.0):
            sub = train[: max(1, round(share * len(train)))]
            acc = zone_accuracy(test, fit(sub, c))
            curve.setdefault(f"{int(share * 100)}%", []).append(acc)
            if share == 1.0:
                model_acc.append(acc)
    return {
        "rules": round(zone_accuracy(arts, None), 4),
        "model_cv": round(sum(model_acc) / folds, 4),
        "learning_curve": {k: round(sum(v) / len(v), 4) for k, v in curve.items()},
    }


CARD = """# Speaker-extent model (quotes)

Where a speaker mention ends after a cue (`marsad.stages.quotes.extent`): a logistic regression
over word features (the word, the one before, what separates them, entity mentions, the cue
lexicon's word classes, the rules' guess), one decision per word.

- **Data**: the development split of `gold/quotes` ({articles} real articles from SaudiNewsNet
  and ANT v2.1, {zones} speaker zones, {examples} word decisions). The test split was never
  used. Licences of the texts: SaudiNewsNet CC BY-NC-SA 4.0, ANT research use; the weights are
  ours (Apache-2.0, like marsad).
- **Made by**: `marsad train quotes` (scikit-learn {sklearn}, C = {c}); {features} weights,
  {size} KB.
- **Scores** (zone accuracy: the mention ends where the gold one does, 5-fold cross-validation
  over dev articles): rules alone {rules:.3f}, model {model:.3f}. Learning curve (share of the
  training folds): {curve}.
- **Speed**: a sum of weights per word after a cue; the quotes stage benchmark is in
  docs/benchmarks.md.
"""


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="marsad train quotes", description=__doc__.split("\n")[0])
    ap.add_argument("--gold", default=str(REPO / "gold" / "quotes" / "dev.jsonl"))
    ap.add_argument("--out", default=str(OUT), help="model folder (default: the packaged one)")
    ap.add_argument("--c", type=float, default=C, help="inverse regularisation strength")
    ap.add_argument("--no-cv", action="store_true", help="skip cross-validation")
    args = ap.parse_args(argv)
    if Path(args.gold).name.startswith("test"):
        print("marsad train quotes: refusing to train on a test split", file=sys.stderr)
        return 2
    import sklearn

    t0 = time.perf_counter()
    arts = _zones(Path(args.gold))
    cv = {"rules": zone_accuracy(arts, None), "model_cv": float("nan"), "learning_curve": {}}
    if not args.no_cv:
        cv = cross_validate(arts, c=args.c)
    weights = fit(arts, args.c)
    xs, _ = _examples(arts)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    meta = {
        "trained_on": Path(args.gold).name,
        "articles": len(arts),
        "zones": sum(1 for a in arts for z in a["zones"] if z["gold_k"]),
        "examples": len(xs),
        "c": args.c,
        **cv,
    }
    body = json.dumps({"meta": meta, "threshold": 0.5, "weights": weights}, ensure_ascii=False,
                      sort_keys=True, indent=0)
    (out / MODEL_FILE).write_text(body + "\n", encoding="utf-8")
    card = CARD.format(
        articles=meta["articles"], zones=meta["zones"], examples=meta["examples"],
        sklearn=sklearn.__version__, c=args.c, features=len(weights),
        size=round(len(body.encode()) / 1024), rules=cv["rules"], model=cv["model_cv"],
        curve=", ".join(f"{k} {v:.3f}" for k, v in cv["learning_curve"].items()) or "not run",
    )
    (out / "MODEL_CARD.md").write_text(card, encoding="utf-8")
    print(card)
    print(f"({time.perf_counter() - t0:.0f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
