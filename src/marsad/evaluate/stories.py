"""Story clustering evaluation: B-cubed precision, recall and F1 against gold/stories/.

The gold files hold corpus, article id, the SHA-1 of the text and the event cluster label.
Texts are loaded from the shared data (``news/<corpus>.jsonl.gz``) and checked against the
SHA-1; each record becomes an article (:func:`marsad.readers.jsonl.record_to_article`), runs
through the default pipeline, and the clusterer (:mod:`marsad.collect.stories.cluster`) groups them.

B-cubed (Bagga & Baldwin 1998): for every article, precision is the share of its predicted
story that is in its gold cluster, recall the share of its gold cluster that is in its
predicted story; both are averaged over articles.
"""

from __future__ import annotations

import json
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from marsad.evaluate.common import REPO, load_records, text_sha1

GOLD = REPO / "gold" / "stories"


def read_gold(gold: str | None, split: str | None) -> list[dict]:
    path = Path(gold) if gold else GOLD
    if path.is_dir():
        path = path / f"{split or 'dev'}.jsonl"
    return [json.loads(ln) for ln in path.read_text("utf-8").splitlines() if ln.strip()]


def load_articles(rows: list[dict], settings=None) -> list:
    """The gold rows' articles, read from the shared data, SHA-1 checked, analysed."""
    from marsad.core.settings import load_settings
    from marsad.readers.jsonl import record_to_article
    from marsad.run.pipeline import Pipeline

    settings = settings or load_settings()
    pipe = Pipeline(settings=settings)
    by_corpus: dict[str, list[str]] = defaultdict(list)
    for r in rows:
        by_corpus[r["corpus"]].append(r["id"])
    recs = {c: load_records(c, ids) for c, ids in by_corpus.items()}
    arts = []
    for n, r in enumerate(rows):
        rec = recs[r["corpus"]].get(r["id"])
        if rec is None:
            raise ValueError(f"{r['corpus']} {r['id']}: not found in the shared data")
        if text_sha1(rec["text"]) != r["sha1"]:
            raise ValueError(f"{r['corpus']} {r['id']}: text SHA-1 differs from the gold")
        art = record_to_article(rec, r["corpus"], r["id"], n, "utf-8", settings)
        art.id = f"{r['corpus']}:{r['id']}"
        arts.append(pipe(art))
    return arts


def bcubed(gold: dict[str, str], pred: dict[str, str]) -> dict[str, float]:
    gsets: dict[str, set[str]] = defaultdict(set)
    psets: dict[str, set[str]] = defaultdict(set)
    for d, c in gold.items():
        gsets[c].add(d)
    for d, c in pred.items():
        psets[c].add(d)
    p = r = 0.0
    for d in gold:
        g, s = gsets[gold[d]], psets[pred[d]]
        inter = len(g & s)
        p += inter / len(s)
        r += inter / len(g)
    n = len(gold) or 1
    p, r = p / n, r / n
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4)}


def same_subject_pairs(gold: dict[str, str], pred: dict[str, str], split: str) -> dict[str, int]:
    """Hard negatives (``same_subject_different_event.json``) of this split: how many gold
    cluster pairs share at least one predicted story (should be none)."""
    path = GOLD / "same_subject_different_event.json"
    if not path.exists():
        return {"pairs": 0, "merged": 0}
    members: dict[str, set[str]] = defaultdict(set)
    for d, c in gold.items():
        members[c].add(pred[d])
    n = merged = 0
    for p in json.loads(path.read_text("utf-8"))["pairs"]:
        if p["split"] != split or p["a"] not in members or p["b"] not in members:
            continue
        n += 1
        merged += bool(members[p["a"]] & members[p["b"]])
    return {"pairs": n, "merged": merged}


def evaluate(
    gold: str | None = None,
    split: str | None = None,
    limit: int | None = None,
    settings=None,
    articles: list | None = None,
) -> dict[str, Any]:
    """Cluster the gold articles of ``split`` (default dev) and score them with B-cubed."""
    from marsad.collect.stories.cluster import cluster
    from marsad.collect.stories.features import features_from_article
    from marsad.core.settings import load_settings

    settings = settings or load_settings()
    rows = read_gold(gold, split)
    if limit:
        rows = rows[:limit]
    t0 = time.perf_counter()
    arts = articles if articles is not None else load_articles(rows, settings)
    t1 = time.perf_counter()
    docs = [features_from_article(a, i) for i, a in enumerate(arts)]
    stories = cluster(docs, settings)
    t2 = time.perf_counter()
    gold_map = {f"{r['corpus']}:{r['id']}": r["cluster"] for r in rows}
    pred = {m.id: st.id for st in stories for m in st.members}
    scores = bcubed(gold_map, pred)
    # Per corpus, since clusters never mix corpora.
    per = {}
    for corpus in sorted({r["corpus"] for r in rows}):
        g = {d: c for d, c in gold_map.items() if d.startswith(corpus + ":")}
        per[corpus] = bcubed(g, {d: pred[d] for d in g})
    sizes = Counter(len(st.members) for st in stories)
    pairs = same_subject_pairs(gold_map, pred, split or "dev")
    return {
        "split": split or "dev",
        "articles": len(rows),
        "gold_clusters": len(set(gold_map.values())),
        "predicted_stories": len(stories),
        "predicted_multi": sum(v for k, v in sizes.items() if k > 1),
        **scores,
        "per_corpus": per,
        "same_subject_pairs": pairs,
        "seconds_analysis": round(t1 - t0, 2),
        "seconds_clustering": round(t2 - t1, 3),
    }


def format_text(result: dict[str, Any]) -> str:
    lines = [
        f"stories ({result['split']}): {result['articles']} articles, "
        f"{result['gold_clusters']} gold clusters, {result['predicted_stories']} predicted",
        f"B-cubed  P {result['precision']:.3f}  R {result['recall']:.3f}  F1 {result['f1']:.3f}",
    ]
    for corpus, s in result["per_corpus"].items():
        lines.append(
            f"  {corpus:14s} P {s['precision']:.3f}  R {s['recall']:.3f}  F1 {s['f1']:.3f}"
        )
    sp = result["same_subject_pairs"]
    lines.append(f"same subject, different event: {sp['merged']} of {sp['pairs']} pairs merged")
    lines.append(
        f"time: analysis {result['seconds_analysis']} s, clustering {result['seconds_clustering']} s"
    )
    return "\n".join(lines)
