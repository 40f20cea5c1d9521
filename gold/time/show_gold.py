"""Print and check the time/figures gold against the shared corpora (dev split by default).

Checks that every article is found and that its text still has the recorded sha1, then prints
each annotated span as ``text[start:end]`` with its labels, for reading the guidelines in action.
Printing goes to the terminal only; never redirect it into the repository.

Usage: MARSAD_SHARED=/work/shared python gold/time/show_gold.py [dev|test] [--check-only]
Do not look at the test split while developing the extractor (use --check-only on it).
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import sys
from pathlib import Path

FILES = {"saudinewsnet": "saudinewsnet.jsonl.gz", "ant": "ant_v2.1.jsonl.gz"}


def main() -> None:
    split = sys.argv[1] if len(sys.argv) > 1 and not sys.argv[1].startswith("-") else "dev"
    check_only = "--check-only" in sys.argv
    here = Path(__file__).resolve().parent
    gold = [json.loads(x) for x in (here / f"{split}.jsonl").read_text().splitlines() if x]
    root = Path(os.environ.get("MARSAD_SHARED", here.parents[2] / "shared"))
    want = {(g["corpus"], g["id"]) for g in gold}
    texts: dict[str, str] = {}
    for corpus, fname in FILES.items():
        with gzip.open(root / "data" / "news" / fname, "rt", encoding="utf-8") as fh:
            for line in fh:
                rec = json.loads(line)
                if (corpus, rec["id"]) in want:
                    texts[rec["id"]] = rec["text"]
    for g in gold:
        text = texts[g["id"]]
        assert hashlib.sha1(text.encode("utf-8")).hexdigest() == g["sha1"], g["id"]
        for item in g["dates"] + g["figures"]:
            s, e = item["span"]
            assert 0 <= s < e <= len(text), (g["id"], item)
        if check_only:
            continue
        print(f"== {g['corpus']} {g['id']} published {g['published']}")
        for d in g["dates"]:
            s, e = d["span"]
            print(f"  D {d['kind']:8} {d['value']!s:18} {text[s:e]}  {d.get('note', '')}")
        for f in g["figures"]:
            s, e = f["span"]
            unit = text[f["unit"][0] : f["unit"][1]] if f["unit"] else "-"
            print(
                f"  F {f['unit_kind']:8} {f['value']!s:12} {text[s:e]} | unit: {unit}"
                f" {f['qualifier'] or ''}"
            )
    print(f"{split}: {len(gold)} articles OK")


if __name__ == "__main__":
    main()
