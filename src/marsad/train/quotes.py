"""Training the speaker-extent model: ``marsad train quotes [options]``.

Data: the **development** part of ``gold/quotes`` only (``dev.jsonl`` + ``dev2.jsonl`` by
default; the test parts are never read here). Each gold article is analysed by the default pipeline; the quotes stage is run once
more with the rules alone and a trace of every speaker zone it looked at (the words after a cue,
up to what opens the statement). A zone whose first word starts a gold speaker mention gives one
example per word up to the first word after that mention: "does the mention go on here?".
The model is a logistic regression (scikit-learn, in the ``train`` extra) over the features of
:func:`marsad.stages.quotes.extent.word_features`; only its weights are shipped, as JSON.

Reported: zone accuracy (the predicted mention ends where the gold one does) of the rules and of
the model by 5-fold cross-validation over the articles of the first gold file (``dev.jsonl``: the
tuning measure, comparable across rounds; the articles of the other files are always in the
training folds), and a learning curve (the same, training on
a growing share of the other folds). If the curve still rises at 100 %, annotate more. And the
whole stage by the same cross-validation (rows, content, speakers, as ``marsad eval quotes``).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

from marsad.core.settings import load_settings
from marsad.evaluate.common import REPO, load_records, text_sha1
from marsad.evaluate.quotes import load_gold, score_article
from marsad.readers.jsonl import record_to_article
from marsad.run.pipeline import Pipeline
from marsad.stages.quotes import find_quotes, lexicon
from marsad.stages.quotes.choice import SENTENCES_BACK, best
from marsad.stages.quotes.extent import (
    CHOICE_FILE,
    MODEL_FILE,
    LinearModel,
    hard_stop,
    mention_length,
    word_features,
)

OUT = REPO / "src" / "marsad" / "models" / "quotes"
C = 0.5
#: the speaker-choice model takes its best candidate only when it scores at least this
CHOICE_THRESHOLD = 0.2
SEED = 7
#: the development part of gold/quotes (the first: the cross-validation folds)
DEV_FILES = ("dev.jsonl", "dev2.jsonl")


def _zones(gold_file: Path) -> list[dict[str, Any]]:
    """Per gold article: the traced zones with the gold mention length of each (or None)."""
    settings = load_settings()
    rules = load_settings(quotes={"speaker_extent": "rules", "speaker_choice": "rules"})
    extent_only = load_settings(quotes={"speaker_choice": "rules"})
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
        ctrace: list[Any] = []
        find_quotes(art, extent_only, choice_trace=ctrace)
        spans = []
        mentions: dict[str, list[tuple[int, int]]] = {}
        for q in g["quotes"]:
            if q.get("speaker"):
                spans.append(art.norm.to_normalized(*q["speaker"]))
                mentions.setdefault(q["speaker_id"], []).append(spans[-1])
        choices = []
        for cue, cands in ctrace:
            gold = next(
                (
                    q
                    for q in g["quotes"]
                    if q.get("speaker") and _inside(cue[0], art.norm.to_normalized(*q["cue"]))
                ),
                None,
            )
            if gold is None or not cands:
                continue
            refs = mentions[gold["speaker_id"]]
            labels = [int(any(s < b and a < e for a, b in refs)) for (s, e), _f in cands]
            choices.append({"feats": [f for _s, f in cands], "labels": labels})
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
        out.append(
            {"id": g["id"], "zones": zones, "choices": choices, "art": art, "gold": g}
        )
    return out


def _inside(p: int, span: tuple[int, int]) -> bool:
    return span[0] - 1 <= p < span[1]


def _examples(arts: list[dict[str, Any]]) -> tuple[list[list[str]], list[int]]:
    lex = lexicon()
    xs, ys = [], []
    for a in arts:
        for z in a["zones"]:
            k, words = z["gold_k"], z["words"]
            if not k:
                continue
            for i in range(1, min(k + 1, len(words))):
                if hard_stop(words, i, lex):
                    break
                xs.append(word_features(words, i, z["rule_k"], lex))
                ys.append(1 if i < k else 0)
    return xs, ys


def _choice_examples(arts: list[dict[str, Any]]) -> tuple[list[list[str]], list[int]]:
    xs, ys = [], []
    for a in arts:
        for ch in a["choices"]:
            if any(ch["labels"]):
                xs += ch["feats"]
                ys += ch["labels"]
    return xs, ys


def fit(arts: list[dict[str, Any]], c: float = C, choice: bool = False) -> dict[str, float]:
    xs, ys = _choice_examples(arts) if choice else _examples(arts)
    return _fit(xs, ys, c)


def _f1(tp: int, n_pred: int, n_gold: int) -> float:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    return 2 * p * r / (p + r) if p + r else 0.0


def _write(path: Path, weights: dict[str, float], threshold: float = 0.5) -> None:
    path.write_text(json.dumps({"threshold": threshold, "weights": weights}), encoding="utf-8")


def _scores(arts: list[dict[str, Any]], settings: Any) -> Counter[str]:
    """Counts of :func:`score_article` for the whole quotes stage on ``arts``."""
    tot: Counter[str] = Counter()
    for a in arts:
        art = a["art"]
        pred = [q.to_json(art) for q in find_quotes(art, settings)]
        s = score_article(a["gold"]["quotes"], pred)
        for k in ("gold", "pred", "exact", "overlap", "speaker_ok", "speaker_exact", "rows_ok"):
            tot[k] += s[k]
    return tot


def _figures(t: Counter[str]) -> dict[str, float]:
    def r(a: float, b: float) -> float:
        return round(a / b, 4) if b else 0.0

    return {
        "rows_p": r(t["rows_ok"], t["pred"]),
        "rows_r": r(t["rows_ok"], t["gold"]),
        "rows_f1": round(_f1(t["rows_ok"], t["pred"], t["gold"]), 4),
        "content_exact_f1": round(_f1(t["exact"], t["pred"], t["gold"]), 4),
        "speaker_accuracy": r(t["speaker_ok"], t["overlap"]),
        "statements": t["gold"],
        "rows": t["pred"],
    }


def rows_cross_validate(
    arts: list[dict[str, Any]],
    folds: int = 5,
    c: float = C,
    extra: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """The whole quotes stage by 5-fold cross-validation over dev articles: both speaker models
    trained on four folds, the fifth analysed with them and scored as ``marsad eval quotes``
    does (the honest dev figure: in-sample figures see the articles the models learnt); and
    its learning curve, row F1 with the models trained on a growing share of the four folds.
    ``extra`` articles (``dev2``) are added to every training fold and never scored."""
    order = list(range(len(arts)))
    random.Random(SEED).shuffle(order)
    parts = [[arts[i] for i in order[f::folds]] for f in range(folds)]
    shares = (0.25, 0.5, 0.75, 1.0)
    tots: dict[float, Counter[str]] = {s: Counter() for s in shares}
    with tempfile.TemporaryDirectory() as d:
        for f in range(folds):
            train = [a for g in range(folds) if g != f for a in parts[g]] + list(extra or [])
            for share in shares:
                sub = train[: max(1, round(share * len(train)))]
                # one file per fold and share: the stage caches models by path
                ext = Path(d) / f"extent{f}-{share}.json"
                cho = Path(d) / f"choice{f}-{share}.json"
                _write(ext, fit(sub, c))
                _write(cho, fit(sub, c, choice=True), CHOICE_THRESHOLD)
                files = {"speaker_extent_file": str(ext), "speaker_choice_file": str(cho)}
                tots[share] += _scores(parts[f], load_settings(quotes=files))
    out: dict[str, Any] = dict(_figures(tots[1.0]))
    out["learning_curve_rows_f1"] = {
        f"{int(s * 100)}%": _figures(tots[s])["rows_f1"] for s in shares
    }
    return out


def _fit(xs: list[list[str]], ys: list[int], c: float) -> dict[str, float]:
    from scipy.sparse import csr_matrix
    from sklearn.linear_model import LogisticRegression

    if len(set(ys)) < 2:
        return {}  # one class only (a small share of a small split): no decision learned
    vocab: dict[str, int] = {}
    rows, cols = [], []
    for r, feats in enumerate(xs):
        for f in feats:
            cols.append(vocab.setdefault(f, len(vocab)))
            rows.append(r)
    x = csr_matrix(([1.0] * len(cols), (rows, cols)), shape=(len(xs), len(vocab)))
    clf = LogisticRegression(C=c, fit_intercept=False, max_iter=2000)
    clf.fit(x, ys)
    return {
        f: round(float(clf.coef_[0][j]), 4)
        for f, j in vocab.items()
        if abs(clf.coef_[0][j]) >= 1e-3
    }


def zone_accuracy(arts: list[dict[str, Any]], weights: dict[str, float] | None) -> float:
    lex = lexicon()
    model = LinearModel(weights) if weights is not None else None
    ok = tot = 0
    for a in arts:
        for z in a["zones"]:
            if not z["gold_k"]:
                continue
            k = mention_length(model, z["words"], z["rule_k"], lex) if model else z["rule_k"]
            ok += k == z["gold_k"]
            tot += 1
    return ok / tot if tot else 0.0


def choice_accuracy(arts: list[dict[str, Any]], weights: dict[str, float] | None) -> float:
    """Share of cues (with a right candidate) whose best-scored candidate is right; with no
    weights, the rule: the most recent earlier speaker that agrees."""
    model = LinearModel(weights) if weights is not None else None
    ok = tot = 0
    for a in arts:
        for ch in a["choices"]:
            if not any(ch["labels"]):
                continue
            tot += 1
            if model is None:
                ranked = [
                    k
                    for k, f in enumerate(ch["feats"])
                    if "speaker=True" in f and "g=n" not in f and "n=n" not in f
                ]
                pick = min(ranked, key=lambda k: _hist(ch["feats"][k])) if ranked else None
            else:
                pick = best(model, ch["feats"], threshold=False)
            ok += pick is not None and ch["labels"][pick] == 1
    return ok / tot if tot else 0.0


def _hist(feats: list[str]) -> int:
    return next(int(f[5:]) for f in feats if f.startswith("hist=") and "|" not in f)


def cross_validate(
    arts: list[dict[str, Any]],
    folds: int = 5,
    c: float = C,
    extra: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    order = list(range(len(arts)))
    random.Random(SEED).shuffle(order)
    parts = [[arts[i] for i in order[f::folds]] for f in range(folds)]
    curve: dict[str, list[float]] = {}
    model_acc = []
    choice_acc = []

    for f in range(folds):
        test = parts[f]
        train = [a for g in range(folds) if g != f for a in parts[g]] + list(extra or [])
        for share in (0.25, 0.5, 0.75, 1.0):
            sub = train[: max(1, round(share * len(train)))]
            acc = zone_accuracy(test, fit(sub, c))
            curve.setdefault(f"{int(share * 100)}%", []).append(acc)

            if share == 1.0:
                model_acc.append(acc)
                choice_acc.append(choice_accuracy(test, fit(sub, c, choice=True)))
    return {
        "rules": round(zone_accuracy(arts, None), 4),
        "model_cv": round(sum(model_acc) / folds, 4),
        "learning_curve": {k: round(sum(v) / len(v), 4) for k, v in curve.items()},
        "choice_rules": round(choice_accuracy(arts, None), 4),
        "choice_model_cv": round(sum(choice_acc) / folds, 4),
    }


CARD = """# Quotes models: speaker extent and speaker choice

Two logistic regressions (scikit-learn {sklearn}, C = {c}; weights shipped as JSON, inference
is a sum of weights in `marsad.stages.quotes`), made by `marsad train quotes`.

- **Speaker extent** (`speaker_extent.json`, {features} weights, {size} KB): where a speaker
  mention ends after a cue (`extent.py`), one decision per word from the word, the one before,
  what separates them, entity mentions, the cue lexicon's word classes and the rules' guess.
- **Speaker choice** (`speaker_choice.json`, {cfeatures} weights): who a cue without its own
  subject (وأضاف، مشيرا) refers to (`choice.py`): each candidate before the cue (earlier
  speakers, person and organisation mentions, subjects of sentence-initial verbs, last
  {back} sentences) scored from its distance, source, agreement with the cue, entity type,
  whether it lies inside quoted words and the cue's class; the best one (score ≥ {thr}) is taken.

**Data**: the development part of `gold/quotes` only ({trained_on}: {articles} real articles
from SaudiNewsNet, ANT v2.1 and ANT v1.1; extent: {zones} speaker zones, {examples} word decisions; choice:
{cues} cues, {cexamples} candidates). The test split was never used. Licences of the texts:
SaudiNewsNet CC BY-NC-SA 4.0, ANT research use; the weights are ours (Apache-2.0, like marsad).

**Scores** (5-fold cross-validation over the {cv_articles} articles of {cv_on}; the other
files' articles are in every training fold and never scored):
- extent, zone accuracy (the mention ends where the gold one does): rules alone {rules:.3f},
  model {model:.3f}; learning curve (share of the training folds): {curve}.
- choice, accuracy over cues with a right candidate: rule (most recent agreeing speaker)
  {crules:.3f}, model {cmodel:.3f}.
- the whole quotes stage, both models trained on four folds and the fifth scored as
  `marsad eval quotes` does (the honest dev figure; in-sample dev figures see the articles
  the models learnt): {stage}.

**Speed**: a sum of weights per word after a cue and per candidate; the quotes stage benchmark is
in docs/benchmarks.md.
"""


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="marsad train quotes", description=__doc__.split("\n")[0])
    ap.add_argument(
        "--gold",
        nargs="+",
        default=[str(REPO / "gold" / "quotes" / f) for f in DEV_FILES],
        help="gold files to train on; the cross-validation folds are the first file's articles",
    )
    ap.add_argument("--out", default=str(OUT), help="model folder (default: the packaged one)")
    ap.add_argument("--c", type=float, default=C, help="inverse regularisation strength")
    ap.add_argument("--no-cv", action="store_true", help="skip cross-validation")
    args = ap.parse_args(argv)
    if any(Path(g).name.startswith("test") for g in args.gold):
        print("marsad train quotes: refusing to train on a test split", file=sys.stderr)
        return 2
    try:
        import sklearn
    except ImportError:
        print('marsad train quotes needs scikit-learn: pip install -e ".[train]"', file=sys.stderr)
        return 2

    t0 = time.perf_counter()
    parts = [_zones(Path(g)) for g in args.gold]
    held, extra = parts[0], [a for p in parts[1:] for a in p]
    arts = held + extra
    cv = {
        "rules": zone_accuracy(arts, None),
        "model_cv": float("nan"),
        "learning_curve": {},
        "choice_rules": choice_accuracy(arts, None),
        "choice_model_cv": float("nan"),
    }
    stage_cv: dict[str, Any] = {}
    if not args.no_cv:
        cv = cross_validate(held, c=args.c, extra=extra)
        stage_cv = rows_cross_validate(held, c=args.c, extra=extra)
    weights = fit(arts, args.c)
    choice_weights = fit(arts, args.c, choice=True)
    xs, _ = _examples(arts)
    cx, _ = _choice_examples(arts)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    meta = {
        "trained_on": " + ".join(Path(g).name for g in args.gold),
        "cv_on": Path(args.gold[0]).name,
        "articles": len(arts),
        "zones": sum(1 for a in arts for z in a["zones"] if z["gold_k"]),
        "examples": len(xs),
        "c": args.c,
        **cv,
    }
    body = json.dumps(
        {"meta": meta, "threshold": 0.5, "weights": weights},
        ensure_ascii=False,
        sort_keys=True,
        indent=0,
    )
    (out / MODEL_FILE).write_text(body + "\n", encoding="utf-8")
    cmeta = {
        "trained_on": meta["trained_on"],
        "articles": len(arts),
        "examples": len(cx),
        "cues": sum(1 for a in arts for ch in a["choices"] if any(ch["labels"])),
        "c": args.c,
        "rules": cv.get("choice_rules"),
        "model_cv": cv.get("choice_model_cv"),
    }
    cbody = json.dumps(
        {"meta": cmeta, "threshold": CHOICE_THRESHOLD, "weights": choice_weights},
        ensure_ascii=False,
        sort_keys=True,
        indent=0,
    )
    (out / CHOICE_FILE).write_text(cbody + "\n", encoding="utf-8")
    card = CARD.format(
        articles=meta["articles"],
        trained_on=meta["trained_on"],
        cv_on=meta["cv_on"],
        cv_articles=len(held),
        zones=meta["zones"],
        examples=meta["examples"],
        sklearn=sklearn.__version__,
        c=args.c,
        features=len(weights),
        size=round(len(body.encode()) / 1024),
        rules=cv["rules"],
        model=cv["model_cv"],
        curve=", ".join(f"{k} {v:.3f}" for k, v in cv["learning_curve"].items()) or "not run",
        cfeatures=len(choice_weights),
        back=SENTENCES_BACK,
        thr=CHOICE_THRESHOLD,
        cues=cmeta["cues"],
        cexamples=len(cx),
        crules=cv["choice_rules"],
        cmodel=cv["choice_model_cv"],
        stage=(
            f"rows P {stage_cv['rows_p']:.3f} / R {stage_cv['rows_r']:.3f}, content F1 exact "
            f"{stage_cv['content_exact_f1']:.3f}, speaker accuracy "
            f"{stage_cv['speaker_accuracy']:.3f}; row F1 by share of the training folds "
            + ", ".join(f"{k} {v:.3f}" for k, v in stage_cv["learning_curve_rows_f1"].items())
            if stage_cv
            else "not run"
        ),
    )
    (out / "MODEL_CARD.md").write_text(card, encoding="utf-8")
    print(card)
    print(f"({time.perf_counter() - t0:.0f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
