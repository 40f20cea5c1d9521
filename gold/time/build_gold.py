"""Convert snippet-based time/figure annotations into the offset-only gold files.

The annotation file lives OUTSIDE the repository (it quotes article text). Format, one item a line:

    @ <article id>
    D[<occ>] | <snippet with [span] marked> | <kind> | <ISO value or null> [| <note>]
    F[<occ>] | <snippet with [span] and optional {unit} marked> | <value or null> | <unit_kind>
             | <approx|more_than|less_than|->

``<occ>`` is the 0-based occurrence of the snippet (markers removed) in the record's ``text``
(default 0). Brackets may enclose part of the snippet (context around them only disambiguates).
The script asserts that every snippet occurs, writes gold/time/dev.jsonl and test.jsonl (ids,
sha1, publication date and offsets only, never text) and, with ``--show``, prints every span with
``text[start:end]`` to the terminal for checking.

Usage: MARSAD_SHARED=/work/shared python gold/time/build_gold.py ANN_FILE SELECTION [--show]
(SELECTION is the output of select_articles.py.)
"""

from __future__ import annotations

import gzip
import hashlib
import itertools
import json
import os
import sys
from datetime import datetime
from email.utils import parsedate_to_datetime
from pathlib import Path

FILES = {"saudinewsnet": "saudinewsnet.jsonl.gz", "ant": "ant_v2.1.jsonl.gz"}
KINDS = {"date", "time", "duration", "set"}
UNIT_KINDS = {"currency", "percent", "count", "measure"}
QUALS = {"approx": "approx", "more_than": "more_than", "less_than": "less_than", "-": None}


def published(corpus: str, raw: str) -> str:
    if corpus == "ant":
        return parsedate_to_datetime(raw).date().isoformat()
    return datetime.strptime(raw, "%Y-%m-%d %H:%M:%S").date().isoformat()


def locate(text: str, snippet: str, occ: int) -> tuple[tuple[int, int], tuple[int, int] | None]:
    plain, marks = [], {}
    for ch in snippet:
        if ch in "[]{}":
            marks[ch] = len(plain)
        else:
            plain.append(ch)
    s = "".join(plain)
    pos = -1
    for _ in range(occ + 1):
        pos = text.find(s, pos + 1)
        if pos < 0:
            raise AssertionError(f"snippet not found (occ {occ}): {snippet!r}")
    if "[" not in marks or "]" not in marks:
        raise AssertionError(f"no [span] in {snippet!r}")
    span = (pos + marks["["], pos + marks["]"])
    unit = (pos + marks["{"], pos + marks["}"]) if "{" in marks else None
    return span, unit


def parse_value(v: str) -> float | int | None:
    if v == "null":
        return None
    f = float(v)
    return int(f) if f.is_integer() and "." not in v else f


def main() -> None:
    ann_path, sel_path = Path(sys.argv[1]), Path(sys.argv[2])
    show = "--show" in sys.argv
    sel = [json.loads(line) for line in sel_path.read_text().splitlines() if line.strip()]
    root = Path(os.environ.get("MARSAD_SHARED", Path(__file__).resolve().parents[3] / "shared"))
    want = {(r["corpus"], r["id"]) for r in sel}
    recs: dict[str, dict] = {}
    for corpus, fname in FILES.items():
        with gzip.open(root / "data" / "news" / fname, "rt", encoding="utf-8") as fh:
            for line in fh:
                rec = json.loads(line)
                if (corpus, rec["id"]) in want:
                    recs[rec["id"]] = {**rec, "corpus": corpus}
    items: dict[str, dict[str, list]] = {}
    cur = None
    for n, line in enumerate(ann_path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        if line.startswith("@"):
            cur = line[1:].strip()
            assert cur in recs, f"line {n}: unknown id {cur}"
            items.setdefault(cur, {"dates": [], "figures": []})
            continue
        assert cur, f"line {n}: item before any @id"
        text = recs[cur]["text"]
        parts = [p.strip() for p in line.split("|")]
        tag = parts[0]
        occ = int(tag[1:]) if len(tag) > 1 else 0
        try:
            span, unit = locate(text, parts[1], occ)
        except AssertionError as exc:
            raise AssertionError(f"line {n} ({cur}): {exc}") from None
        if tag[0] == "D":
            kind, value = parts[2], parts[3]
            assert kind in KINDS, f"line {n}: bad kind {kind}"
            d = {"span": list(span), "kind": kind, "value": None if value == "null" else value}
            if len(parts) > 4 and parts[4]:
                d["note"] = parts[4]
            assert d["value"] is not None or "note" in d, f"line {n}: null value needs a note"
            items[cur]["dates"].append(d)
        elif tag[0] == "F":
            assert parts[3] in UNIT_KINDS, f"line {n}: bad unit_kind {parts[3]}"
            items[cur]["figures"].append(
                {
                    "span": list(span),
                    "value": parse_value(parts[2]),
                    "unit": list(unit) if unit else None,
                    "unit_kind": parts[3],
                    "qualifier": QUALS[parts[4]],
                }
            )
        else:
            raise AssertionError(f"line {n}: bad tag {tag}")
    out: dict[str, list[str]] = {"dev": [], "test": []}
    for row in sel:
        rec = recs[row["id"]]
        text = rec["text"]
        got = items.get(row["id"])
        assert got is not None, f"article {row['id']} not annotated"
        for key in ("dates", "figures"):
            got[key].sort(key=lambda x: tuple(x["span"]))
            spans = [tuple(x["span"]) for x in got[key]]
            assert len(spans) == len(set(spans)), f"{row['id']}: duplicate {key} span"
            for a, b in itertools.pairwise(spans):
                assert a[1] <= b[0], f"{row['id']}: overlapping {key} {a} {b}"
        obj = {
            "corpus": row["corpus"],
            "id": row["id"],
            "sha1": hashlib.sha1(text.encode("utf-8")).hexdigest(),
            "published": published(row["corpus"], rec["date"]),
            "dates": got["dates"],
            "figures": got["figures"],
        }
        out[row["split"]].append(json.dumps(obj, ensure_ascii=False))
        if show:
            print(f"===== {row['id']} {obj['published']} ({row['split']})")
            for d in got["dates"]:
                s, e = d["span"]
                print(f"  D {d['kind']:8} {d['value']!s:22} [{text[s:e]}] {d.get('note', '')}")
            for f in got["figures"]:
                s, e = f["span"]
                u = text[f["unit"][0] : f["unit"][1]] if f["unit"] else "-"
                print(
                    f"  F {f['unit_kind']:8} {f['value']!s:10} [{text[s:e]}] unit=[{u}]"
                    f" {f['qualifier'] or ''}"
                )
    here = Path(__file__).resolve().parent
    for split, lines in out.items():
        (here / f"{split}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
