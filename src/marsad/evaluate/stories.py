"""Story clustering evaluation: B-cubed precision, recall and F1 against gold/stories/.

The gold files hold corpus, article id, the SHA-1 of the text and the event cluster label.
Texts are loaded from the shared data (``news/<corpus>.jsonl.gz``) and checked against the
SHA-1; each record becomes an article (:func:`marsad.readers.jsonl.record_to_article`), runs
through the default pipeline, and the clusterer (:mod:`marsad.collect.stories.cluster`) groups them.

B-cubed (Bagga & Baldwin 1998): for every article, precision is the share of its predicted
story that is in its gold cluster, recall the share of its gold cluster that is in its
predicted story; both are averaged over articles.

**Event gold** (``gold/events/<split>.jsonl``, one event per line with its articles, its key
facts and ``distractor_of``; see gold/events/README.md): all the split's articles are
clustered together, then B-cubed, per-event purity (for each event, the share of the story
holding most of its articles that belongs to the event), angle recall (share of events whose
articles all land in one story) and distractors kept apart (share of ``distractor_of``
pairs sharing no story), beside the all-singletons baseline and the text-only clusterer
(the same clusterer with the entity, date and passage weights set to 0).
"""

from __future__ import annotations

import json
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from marsad.core.errors import ArticleError
from marsad.evaluate.common import REPO, load_records, text_sha1

GOLD = REPO / "gold" / "stories"
EVENTS = REPO / "gold" / "events"


def is_event_gold(gold: str | None) -> bool:
    """True for the event gold (a folder or file whose lines have an ``event`` key)."""
    if not gold:
        return False
    path = Path(gold)
    if path.is_dir():
        path = next(iter(sorted(path.glob("*.jsonl"))), path)
    if not path.is_file():
        return False
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                return "event" in json.loads(line)
    return False


def read_events(gold: str | None, split: str | None) -> list[dict]:
    path = Path(gold) if gold else EVENTS
    if path.is_dir():
        path = path / f"{split or 'dev'}.jsonl"
    return [json.loads(ln) for ln in path.read_text("utf-8").splitlines() if ln.strip()]


def event_rows(events: list[dict]) -> list[dict]:
    """One row per article (``corpus, id, sha1, cluster``), each article once (first event)."""
    rows: list[dict] = []
    seen: set[tuple[str, str]] = set()
    for ev in events:
        for a in ev["articles"]:
            key = (ev["corpus"], a["id"])
            if key in seen:
                continue
            seen.add(key)
            rows.append(
                {"corpus": ev["corpus"], "id": a["id"], "sha1": a["sha1"], "cluster": ev["event"]}
            )
    return rows


def event_scores(events: list[dict], gold: dict[str, str], pred: dict[str, str]) -> dict:
    """Per-event purity, angle recall and distractors kept apart."""
    stories: dict[str, list[str]] = defaultdict(list)
    for d, s in pred.items():
        stories[s].append(d)
    purity, whole = [], 0
    members: dict[str, set[str]] = {}
    for ev in events:
        docs = [f"{ev['corpus']}:{a['id']}" for a in ev["articles"]]
        docs = [d for d in docs if d in pred]
        if not docs:
            continue
        got = Counter(pred[d] for d in docs)
        members[ev["event"]] = set(got)
        if ev.get("distractor_of"):
            continue  # purity and angle recall are over the real events
        best = got.most_common(1)[0][0]
        inside = [d for d in stories[best] if d in gold]
        purity.append(sum(1 for d in inside if gold[d] == ev["event"]) / len(inside))
        whole += len(got) == 1
    pairs = apart = 0
    for ev in events:
        other = ev.get("distractor_of")
        if other and ev["event"] in members and other in members:
            pairs += 1
            apart += not (members[ev["event"]] & members[other])
    n = len(purity) or 1
    return {
        "events": len(purity),
        "purity": round(sum(purity) / n, 4),
        "angle_recall": round(whole / n, 4),
        "distractor_pairs": pairs,
        "distractors_apart": round(apart / pairs, 4) if pairs else None,
    }


def text_only(settings) -> dict:
    """``settings`` with the clusterer's non-lexical evidence switched off (a baseline)."""
    cfg = {k: dict(v) if isinstance(v, dict) else v for k, v in settings.items()}
    for k in list(cfg["stories"]):
        if k.startswith("w_") and k not in ("w_body", "w_title"):
            cfg["stories"][k] = 0.0
    return cfg


def evaluate_events(
    gold: str | None, split: str | None, limit: int | None, settings, articles=None
) -> dict[str, Any]:
    from marsad.collect.stories.cluster import cluster
    from marsad.collect.stories.features import features_from_article

    events = read_events(gold, split)
    if limit:
        events = events[:limit]
    rows = event_rows(events)
    t0 = time.perf_counter()
    arts = articles if articles is not None else load_articles(rows, settings)
    t1 = time.perf_counter()
    loaded = {a.id for a in arts}
    empty = sum(1 for r in rows if f"{r['corpus']}:{r['id']}" not in loaded)
    rows = [r for r in rows if f"{r['corpus']}:{r['id']}" in loaded]
    gold_map = {f"{r['corpus']}:{r['id']}": r["cluster"] for r in rows}
    systems: dict[str, dict[str, Any]] = {}
    for name, cfg in (("marsad", settings), ("text_only", text_only(settings))):
        docs = [features_from_article(a, i) for i, a in enumerate(arts)]
        stories = cluster(docs, cfg)
        pred = {m.id: st.id for st in stories for m in st.members}
        systems[name] = {
            **bcubed(gold_map, pred),
            **event_scores(events, gold_map, pred),
            "predicted_stories": len(stories),
        }
    single = {d: d for d in gold_map}
    systems["singletons"] = {**bcubed(gold_map, single), **event_scores(events, gold_map, single)}
    t2 = time.perf_counter()
    return {
        "gold": "events",
        "split": split or "dev",
        "articles": len(rows),
        "empty_articles_left_out": empty,
        "events": sum(1 for e in events if not e.get("distractor_of")),
        "distractor_events": sum(1 for e in events if e.get("distractor_of")),
        **systems["marsad"],
        "systems": systems,
        "seconds_analysis": round(t1 - t0, 2),
        "seconds_clustering": round(t2 - t1, 3),
    }


def read_gold(gold: str | None, split: str | None) -> list[dict]:
    path = Path(gold) if gold else GOLD
    if path.is_dir():
        path = path / f"{split or 'dev'}.jsonl"
    return [json.loads(ln) for ln in path.read_text("utf-8").splitlines() if ln.strip()]


def load_articles(rows: list[dict], settings=None) -> list:
    """The gold rows' articles, read from the shared data, SHA-1 checked, analysed; a record
    whose text is empty (E005) is left out (the callers score the loaded articles only)."""
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
        try:
            art = record_to_article(rec, r["corpus"], r["id"], n, "utf-8", settings)
        except ArticleError as e:
            if e.code != "E005":
                raise
            continue  # a record with no text (whitespace only): nothing to cluster
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
    if is_event_gold(gold):
        return evaluate_events(gold, split, limit, settings, articles)
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
    if result.get("gold") == "events":
        return format_events(result)
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


def format_events(result: dict[str, Any]) -> str:
    lines = [
        f"stories on the event gold ({result['split']}): {result['articles']} articles, "
        f"{result['events']} events ({result['distractor_events']} distractors)",
        f"  {'system':12s} {'P':>6s} {'R':>6s} {'F1':>6s} {'purity':>7s} {'angles':>7s} "
        f"{'apart':>6s}",
    ]
    for name, s in result["systems"].items():
        apart = "-" if s["distractors_apart"] is None else f"{s['distractors_apart']:.3f}"
        lines.append(
            f"  {name:12s} {s['precision']:6.3f} {s['recall']:6.3f} {s['f1']:6.3f} "
            f"{s['purity']:7.3f} {s['angle_recall']:7.3f} {apart:>6s}"
        )
    if result.get("empty_articles_left_out"):
        lines.append(f"left out: {result['empty_articles_left_out']} gold article(s) with no text")
    lines.append(
        f"time: analysis {result['seconds_analysis']} s, clustering {result['seconds_clustering']} s"
    )
    return "\n".join(lines)
