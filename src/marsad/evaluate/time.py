"""``marsad eval time``: temporal expressions against gold spans and ISO values.

Two kinds of gold:

- the project's gold (``gold/time/<split>.jsonl``; ids + offsets, texts from the shared news
  corpora): span precision/recall/F1 (exact and overlap) and value accuracy on matched spans;
- a folder of TimeML files (``.tml`` with inline ``TIMEX3``), e.g. the shared
  ``time/timeml_dahmri``: TIMEX3 span F1 and value accuracy, as a spot check. These files
  have no document creation time, so relative expressions cannot be resolved; value accuracy is
  also given on the expressions whose gold value is an absolute date.
"""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path
from typing import Any

from marsad.evaluate.timegold import (
    BASE_STAGES,
    analysed,
    gold_file,
    load_gold,
    match_spans,
    prf,
)


def evaluate(gold: str | None, split: str | None = None, limit: int | None = None) -> dict:
    if gold is not None and Path(gold).is_dir() and list(Path(gold).glob("*.tml")):
        return evaluate_timeml(Path(gold), limit)
    path = gold_file(gold, split)
    recs = load_gold(path, limit)
    n_gold = n_pred = 0
    exact_tp = overlap_tp = 0
    val_ok_exact = val_ok_overlap = 0
    kind_ok = 0
    errors: list[dict[str, Any]] = []
    for rec, art in analysed(recs, ["dates"]):
        g = [(d["span"][0], d["span"][1]) for d in rec["dates"]]
        items = art.layers.get("dates", [])
        p = [(x.start, x.end) for x in items]
        n_gold += len(g)
        n_pred += len(p)
        exact, overlap = match_spans(g, p)
        exact_tp += len(exact)
        overlap_tp += len(overlap)
        for i, j in exact:
            val_ok_exact += _same_value(rec["dates"][i]["value"], items[j].value)
        for i, j in overlap:
            ok = _same_value(rec["dates"][i]["value"], items[j].value)
            val_ok_overlap += ok
            kind_ok += rec["dates"][i]["kind"] == items[j].kind
            if not ok:
                errors.append(_err(rec, art, i, j, items))
        mg = {i for i, _ in overlap}
        mp = {j for _, j in overlap}
        for i, d in enumerate(rec["dates"]):
            if i not in mg:
                s, e = d["span"]
                errors.append(
                    {
                        "doc": rec["id"],
                        "type": "missed",
                        "gold": art.text[s:e],
                        "gold_value": d["value"],
                    }
                )
        for j, x in enumerate(items):
            if j not in mp:
                errors.append(
                    {
                        "doc": rec["id"],
                        "type": "spurious",
                        "pred": art.text[x.start : x.end],
                        "pred_value": x.value,
                    }
                )
    return {
        "gold": str(path),
        "articles": len(recs),
        "gold_items": n_gold,
        "predicted": n_pred,
        "exact": prf(exact_tp, n_gold, n_pred),
        "overlap": prf(overlap_tp, n_gold, n_pred),
        "value_accuracy_exact": round(val_ok_exact / exact_tp, 4) if exact_tp else 0.0,
        "value_accuracy": round(val_ok_overlap / overlap_tp, 4) if overlap_tp else 0.0,
        "kind_accuracy": round(kind_ok / overlap_tp, 4) if overlap_tp else 0.0,
        "errors": errors,
    }


def _err(rec, art, i, j, items) -> dict[str, Any]:
    s, e = rec["dates"][i]["span"]
    x = items[j]
    return {
        "doc": rec["id"],
        "type": "value",
        "gold": art.text[s:e],
        "gold_value": rec["dates"][i]["value"],
        "pred": art.text[x.start : x.end],
        "pred_value": x.value,
    }


def _same_value(gold: str | None, pred: str | None) -> bool:
    return (gold or None) == (pred or None)


# -- TimeML ------------------------------------------------------------------------------
_TAG = re.compile(r"<(/?)([A-Za-z0-9]+)([^>]*)>")
_ATTR = re.compile(r'(\w+)="([^"]*)"')


def read_timeml(xml: str) -> tuple[str, list[dict[str, Any]]]:
    """Plain text of a TimeML document and its TIMEX3 spans (offsets into that text)."""
    body = xml
    m = re.search(r"<TimeML[^>]*>(.*)</TimeML>", xml, re.S)
    if m:
        body = m.group(1)
    out: list[str] = []
    pos = 0
    n = 0
    timex: list[dict[str, Any]] = []
    open_t: dict[str, Any] | None = None
    for tm in _TAG.finditer(body):
        chunk = unescape(body[pos : tm.start()])
        out.append(chunk)
        n += len(chunk)
        pos = tm.end()
        closing, name, attrs = tm.group(1), tm.group(2), tm.group(3)
        if name == "TIMEX3":
            if not closing:
                open_t = dict(_ATTR.findall(attrs))
                open_t["start"] = n
            elif open_t is not None:
                open_t["end"] = n
                timex.append(open_t)
                open_t = None
    chunk = unescape(body[pos:])
    out.append(chunk)
    text = "".join(out).replace("\ufeff", " ")
    return text, timex


def evaluate_timeml(folder: Path, limit: int | None = None) -> dict:
    from marsad.core.settings import load_settings
    from marsad.readers.base import make_article
    from marsad.run.pipeline import Pipeline

    settings = load_settings()
    pipe = Pipeline(stages=[*BASE_STAGES, "dates"], settings=settings)
    files = sorted(folder.glob("*.tml"), key=lambda p: (len(p.stem), p.stem))
    if limit:
        files = files[:limit]
    n_gold = n_pred = exact_tp = overlap_tp = 0
    val_ok = abs_total = abs_ok = 0
    errors: list[dict[str, Any]] = []
    for f in files:
        text, timex = read_timeml(f.read_text("utf-8"))
        art = pipe(make_article(text, id=f.stem, path=str(f), settings=settings))
        items = art.layers.get("dates", [])
        g = [(t["start"], t["end"]) for t in timex]
        p = [(x.start, x.end) for x in items]
        n_gold += len(g)
        n_pred += len(p)
        exact, overlap = match_spans(g, p)
        exact_tp += len(exact)
        overlap_tp += len(overlap)
        for i, j in overlap:
            gv = timex[i].get("value")
            ok = gv == items[j].value
            val_ok += ok
            if re.fullmatch(r"\d{4}(-\d\d(-\d\d)?)?", gv or "") or re.fullmatch(r"P.*", gv or ""):
                abs_total += 1
                abs_ok += ok
            if not ok:
                errors.append(
                    {
                        "doc": f.stem,
                        "type": "value",
                        "gold": text[g[i][0] : g[i][1]],
                        "gold_value": gv,
                        "pred": art.text[p[j][0] : p[j][1]],
                        "pred_value": items[j].value,
                    }
                )
        mg = {i for i, _ in overlap}
        mp = {j for _, j in overlap}
        errors += [
            {
                "doc": f.stem,
                "type": "missed",
                "gold": text[s:e],
                "gold_value": timex[i].get("value"),
            }
            for i, (s, e) in enumerate(g)
            if i not in mg
        ]
        errors += [
            {
                "doc": f.stem,
                "type": "spurious",
                "pred": art.text[x.start : x.end],
                "pred_value": x.value,
            }
            for j, x in enumerate(items)
            if j not in mp
        ]
    return {
        "gold": str(folder),
        "articles": len(files),
        "gold_items": n_gold,
        "predicted": n_pred,
        "exact": prf(exact_tp, n_gold, n_pred),
        "overlap": prf(overlap_tp, n_gold, n_pred),
        "value_accuracy": round(val_ok / overlap_tp, 4) if overlap_tp else 0.0,
        "value_accuracy_absolute": round(abs_ok / abs_total, 4) if abs_total else 0.0,
        "absolute_matched": abs_total,
        "errors": errors,
    }


def format_text(result: dict) -> str:
    lines = [
        f"gold: {result['gold']} ({result['articles']} articles)",
        f"gold items {result['gold_items']}, predicted {result['predicted']}",
    ]
    for k in ("exact", "overlap"):
        r = result[k]
        lines.append(f"span {k:8} P {r['precision']:.3f}  R {r['recall']:.3f}  F1 {r['f1']:.3f}")
    for k in ("value_accuracy_exact", "value_accuracy", "kind_accuracy", "value_accuracy_absolute"):
        if k in result:
            lines.append(f"{k}: {result[k]:.3f}")
    return "\n".join(lines)
