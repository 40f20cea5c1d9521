"""Shared loading and span scoring for the time and figures evaluations.

The gold (``gold/time/<split>.jsonl``) holds article ids, the sha1 of the text and character
offsets only; the texts are loaded from the shared news corpora
(``$MARSAD_SHARED/data/news/<corpus>.jsonl.gz``) and checked against the sha1.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Any

from marsad.core.article import Article
from marsad.core.errors import UsageError
from marsad.core.settings import load_settings
from marsad.readers.base import make_article
from marsad.run.pipeline import Pipeline

REPO = Path(__file__).resolve().parents[3]
CORPUS_FILES = {
    "saudinewsnet": "saudinewsnet.jsonl.gz",
    "ant": "ant_v2.1.jsonl.gz",
    "ant_v2.1": "ant_v2.1.jsonl.gz",
}
BASE_STAGES = ["language", "blocks", "metadata", "sentences", "tokens"]


def shared_data() -> Path:
    return Path(os.environ.get("MARSAD_SHARED", REPO.parent / "shared")) / "data"


def gold_file(gold: str | None, split: str | None) -> Path:
    split = split or "test"
    if gold is None:
        return REPO / "gold" / "time" / f"{split}.jsonl"
    p = Path(gold)
    if p.is_dir():
        return p / f"{split}.jsonl"
    return p


def load_gold(path: Path, limit: int | None = None) -> list[dict[str, Any]]:
    if not path.exists():
        raise UsageError("E014", detail=f"gold file not found: {path}")
    recs = [json.loads(x) for x in path.read_text("utf-8").splitlines() if x.strip()]
    return recs[:limit] if limit else recs


def load_texts(recs: Iterable[dict[str, Any]]) -> dict[tuple[str, str], str]:
    """Texts of the gold articles, by (corpus file, id), checked against their sha1."""
    want: dict[str, dict[str, str]] = {}
    for r in recs:
        want.setdefault(CORPUS_FILES[r["corpus"]], {})[str(r["id"])] = r["sha1"]
    out: dict[tuple[str, str], str] = {}
    root = shared_data() / "news"
    for fname, ids in want.items():
        path = root / fname
        if not path.exists():
            raise UsageError("E014", detail=f"shared corpus not found: {path}")
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            for line in fh:
                if not any(f'"{i}"' in line for i in ids):
                    continue
                rec = json.loads(line)
                rid = str(rec.get("id"))
                if rid in ids:
                    text = rec["text"]
                    sha = hashlib.sha1(text.encode("utf-8")).hexdigest()
                    if sha != ids[rid]:
                        raise UsageError("E014", detail=f"text of {rid} changed (sha1 mismatch)")
                    out[(fname, rid)] = text
    return out


def analysed(recs: list[dict[str, Any]], stages: list[str]) -> list[tuple[dict[str, Any], Article]]:
    """Build an Article per gold record (with its publication date) and run the stages."""
    settings = load_settings()
    pipe = Pipeline(stages=BASE_STAGES + stages, settings=settings)
    texts = load_texts(recs)
    out = []
    for r in recs:
        text = texts[(CORPUS_FILES[r["corpus"]], str(r["id"]))]
        art = make_article(text, id=str(r["id"]), path=None, settings=settings)
        if r.get("published"):
            art.meta.published = date.fromisoformat(r["published"])
        out.append((r, pipe(art)))
    return out


def match_spans(
    gold: list[tuple[int, int]], pred: list[tuple[int, int]]
) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """Exact and overlap one-to-one matches as lists of (gold index, pred index)."""
    exact = []
    pidx = {p: j for j, p in enumerate(pred)}
    for i, g in enumerate(gold):
        if g in pidx:
            exact.append((i, pidx[g]))
    overlap = []
    used: set[int] = set()
    for i, (gs, ge) in enumerate(gold):
        best, best_ov = None, 0
        for j, (ps, pe) in enumerate(pred):
            if j in used:
                continue
            ov = min(ge, pe) - max(gs, ps)
            if ov > best_ov:
                best, best_ov = j, ov
        if best is not None:
            used.add(best)
            overlap.append((i, best))
    return exact, overlap


def prf(tp: int, n_gold: int, n_pred: int) -> dict[str, float]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4)}
