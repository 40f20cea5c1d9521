"""Helpers shared by the evaluation commands: where the shared data is, loading gold texts."""

from __future__ import annotations

import gzip
import hashlib
import json
import os
from collections.abc import Iterable
from pathlib import Path

#: The repository root (evaluations default to its gold/ folder).
REPO = Path(__file__).resolve().parents[3]

CORPORA = {
    "ant_v2.1": "ant_v2.1.jsonl.gz",
    "ant_v1.1": "ant_v1.1.jsonl.gz",
    "saudinewsnet": "saudinewsnet.jsonl.gz",
}


def shared_data() -> Path:
    """``$MARSAD_SHARED/data``, else ``../shared/data`` beside the repository."""
    base = os.environ.get("MARSAD_SHARED")
    return Path(base) / "data" if base else REPO.parent / "shared" / "data"


def load_records(corpus: str, ids: Iterable[str]) -> dict[str, dict]:
    """The records of ``corpus`` whose id is in ``ids`` (one pass over the file)."""
    wanted = set(ids)
    out: dict[str, dict] = {}
    with gzip.open(shared_data() / "news" / CORPORA[corpus], "rt", encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            if rec.get("id") in wanted:
                out[rec["id"]] = rec
                if len(out) == len(wanted):
                    break
    return out


def text_sha1(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()
