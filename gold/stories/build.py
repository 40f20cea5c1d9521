"""Build and check the story-clustering gold files from the annotator's label lists.

Usage (from the repository root, with the shared data reachable)::

    MARSAD_SHARED=/work/shared python gold/stories/build.py build LABELS_SNN LABELS_ANT SSDE
    MARSAD_SHARED=/work/shared python gold/stories/build.py check

A label list has lines ``<article id> <label>``; selected articles that are not listed are
singletons. The SSDE list has lines ``<corpus> <label a> <label b> | <note>``. The written
files hold only corpus, id, sha1 of the text and the cluster id (no article text).

Split rule (see README.md): the dev days are SaudiNewsNet 2015-08-10 and ANT 20180218, the
test days the others (2015-08-11; 20180219 and 20180220). Every cluster goes whole to the
side that holds most of its articles (ties go to dev), so no cluster straddles the split.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import sys
from collections import Counter, defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEV_DAY = {"saudinewsnet": "2015-08-10", "ant_v2.1": "20180218"}


def _load_select():
    spec = importlib.util.spec_from_file_location("stories_select", HERE / "select_articles.py")
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(module)
    return module


def day_of(corpus: str, row: dict) -> str:
    """Publication day used for ordering and splitting."""
    return row["date"][:10] if corpus == "saudinewsnet" else row["id"][-8:]


def sha1(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def _read_labels(path: str) -> dict[str, str]:
    labels: dict[str, str] = {}
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        art_id, label = line.split()
        if art_id in labels:
            raise SystemExit(f"duplicate id in labels: {art_id}")
        labels[art_id] = label
    return labels


def build(labels_snn: str, labels_ant: str, ssde_path: str) -> None:
    selected = _load_select().select()
    labels = {"saudinewsnet": _read_labels(labels_snn), "ant_v2.1": _read_labels(labels_ant)}
    seen = {c: set() for c in labels}
    records = []
    for order, (corpus, row) in enumerate(selected):
        label = labels[corpus].get(row["id"]) or f"single-{row['id']}"
        seen[corpus].add(row["id"])
        records.append(
            {
                "corpus": corpus,
                "id": row["id"],
                "sha1": sha1(row["text"]),
                "cluster": f"{corpus}-{label}",
                "_day": day_of(corpus, row),
                "_order": order,
            }
        )
    for corpus, lab in labels.items():
        unknown = set(lab) - seen[corpus]
        if unknown:
            raise SystemExit(f"labelled ids not in the selection: {sorted(unknown)}")
    votes: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for rec in records:
        votes[rec["cluster"]][0 if rec["_day"] == DEV_DAY[rec["corpus"]] else 1] += 1
    split_of = {c: ("dev" if v[0] >= v[1] else "test") for c, v in votes.items()}
    out = {"dev": [], "test": []}
    for rec in sorted(
        records, key=lambda r: (r["corpus"] != "saudinewsnet", r["_day"], r["_order"])
    ):
        split = split_of[rec["cluster"]]
        out[split].append({k: v for k, v in rec.items() if not k.startswith("_")})
    for split, rows in out.items():
        with open(HERE / f"{split}.jsonl", "w", encoding="utf-8") as fh:
            for r in rows:
                fh.write(json.dumps(r, ensure_ascii=True) + "\n")
    clusters = {r["cluster"] for r in records}
    pairs = []
    for line in Path(ssde_path).read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        left, note = line.split("|", 1)
        corpus, a, b = left.split()
        ca, cb = f"{corpus}-{a}", f"{corpus}-{b}"
        for c in (ca, cb):
            if c not in clusters:
                raise SystemExit(f"unknown cluster in SSDE list: {c}")
        split = split_of[ca] if split_of[ca] == split_of[cb] else "cross"
        pairs.append({"a": ca, "b": cb, "split": split, "note": note.strip()})
    doc = {
        "description": (
            "Pairs of clusters that share a subject but report different events; a story "
            "clusterer should keep them apart. 'split' says where both clusters live "
            "(dev, test, or cross when they are in different splits)."
        ),
        "pairs": pairs,
    }
    (HERE / "same_subject_different_event.json").write_text(
        json.dumps(doc, ensure_ascii=True, indent=1) + "\n", encoding="utf-8"
    )
    check()


def _read_gold() -> dict[str, list[dict]]:
    gold = {}
    for split in ("dev", "test"):
        path = HERE / f"{split}.jsonl"
        gold[split] = [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines()]
    return gold


def check() -> None:
    """Verify the gold against the shared data and print the counts used in README.md."""
    gold = _read_gold()
    selected = {(c, r["id"]): r for c, r in _load_select().select()}
    cluster_split: dict[str, set[str]] = defaultdict(set)
    n = 0
    for split, rows in gold.items():
        for r in rows:
            row = selected.get((r["corpus"], r["id"]))
            if row is None:
                raise SystemExit(f"not in selection: {r}")
            if sha1(row["text"]) != r["sha1"]:
                raise SystemExit(f"sha1 mismatch: {r}")
            if not r["cluster"].startswith(r["corpus"] + "-") or not r["cluster"].isascii():
                raise SystemExit(f"bad cluster id: {r}")
            cluster_split[r["cluster"]].add(split)
            n += 1
    if n != len(selected):
        raise SystemExit(f"gold has {n} rows, selection {len(selected)}")
    straddle = [c for c, s in cluster_split.items() if len(s) > 1]
    if straddle:
        raise SystemExit(f"clusters straddle dev/test: {straddle}")
    ssde = json.loads((HERE / "same_subject_different_event.json").read_text(encoding="utf-8"))
    for p in ssde["pairs"]:
        if p["a"] not in cluster_split or p["b"] not in cluster_split or p["a"] == p["b"]:
            raise SystemExit(f"bad SSDE pair: {p}")
    # counts
    for split, rows in [*gold.items(), ("all", gold["dev"] + gold["test"])]:
        by_corpus = defaultdict(list)
        for r in rows:
            by_corpus[r["corpus"]].append(r)
        for corpus, rs in [*sorted(by_corpus.items()), ("*", rows)]:
            sizes = Counter(r["cluster"] for r in rs)
            multi = sorted((v for v in sizes.values() if v > 1), reverse=True)
            outlets = {selected[(r["corpus"], r["id"])]["source"] for r in rs}
            print(
                f"{split:5} {corpus:13} articles={len(rs):4} clusters={len(sizes):4} "
                f"size>=2={len(multi):3} in_multi={sum(multi):4} largest={multi[:6]} "
                f"outlets={len(outlets)}"
            )
    print("ssde pairs:", Counter(p["split"] for p in ssde["pairs"]))


if __name__ == "__main__":
    if len(sys.argv) >= 2 and sys.argv[1] == "build" and len(sys.argv) == 5:
        build(*sys.argv[2:5])
    elif len(sys.argv) == 2 and sys.argv[1] == "check":
        check()
    else:
        raise SystemExit(__doc__)
