"""``marsad eval figures``: figures (numbers with units) against the gold ``figures`` spans.

Gold: ``gold/time/<split>.jsonl`` (see :mod:`marsad.evaluate.timegold`). Scores: span
precision/recall/F1 (exact and overlap), value accuracy on matched spans (both null, or equal
within 1e-6 relative), unit accuracy (same unit span, or both none), unit_kind and qualifier
accuracy.
"""

from __future__ import annotations

from typing import Any

from marsad.evaluate.timegold import analysed, gold_file, load_gold, match_spans, prf


def _same(g: float | None, p: float | None) -> bool:
    if g is None or p is None:
        return g is None and p is None
    return abs(g - p) <= 1e-6 * max(1.0, abs(g))


def evaluate(gold: str | None, split: str | None = None, limit: int | None = None) -> dict:
    path = gold_file(gold, split)
    recs = load_gold(path, limit)
    n_gold = n_pred = exact_tp = overlap_tp = 0
    val_ok = val_ok_exact = unit_ok = kind_ok = qual_ok = 0
    errors: list[dict[str, Any]] = []
    for rec, art in analysed(recs, ["dates", "quantities"]):
        gold_items = rec["figures"]
        items = art.layers.get("quantities", [])
        g = [tuple(x["span"]) for x in gold_items]
        p = [(x.start, x.end) for x in items]
        n_gold += len(g)
        n_pred += len(p)
        exact, overlap = match_spans(g, p)
        exact_tp += len(exact)
        overlap_tp += len(overlap)
        for i, j in exact:
            val_ok_exact += _same(gold_items[i]["value"], items[j].value)
        for i, j in overlap:
            gi, pj = gold_items[i], items[j]
            ok = _same(gi["value"], pj.value)
            val_ok += ok
            gu = tuple(gi["unit"]) if gi["unit"] else None
            pu = (pj.unit_start, pj.unit_end) if pj.unit is not None else None
            unit_ok += gu == pu
            kind_ok += gi["unit_kind"] == pj.unit_kind
            qual_ok += (gi["qualifier"] or None) == pj.qualifier
            if not ok or gu != pu or gi["unit_kind"] != pj.unit_kind or g[i] != p[j]:
                errors.append(
                    {
                        "doc": rec["id"],
                        "type": "mismatch",
                        "gold": art.text[g[i][0] : g[i][1]],
                        "pred": art.text[p[j][0] : p[j][1]],
                        "gold_value": gi["value"],
                        "pred_value": pj.value,
                        "gold_unit": art.text[gu[0] : gu[1]] if gu else None,
                        "pred_unit": pj.unit,
                        "gold_kind": gi["unit_kind"],
                        "pred_kind": pj.unit_kind,
                    }
                )
        mg = {i for i, _ in overlap}
        mp = {j for _, j in overlap}
        for i, x in enumerate(gold_items):
            if i not in mg:
                s, e = x["span"]
                errors.append(
                    {
                        "doc": rec["id"],
                        "type": "missed",
                        "gold": art.text[s:e],
                        "context": art.text[max(0, s - 30) : e + 30],
                    }
                )
        for j, x in enumerate(items):
            if j not in mp:
                errors.append(
                    {
                        "doc": rec["id"],
                        "type": "spurious",
                        "pred": art.text[x.start : x.end],
                        "context": art.text[max(0, x.start - 30) : x.end + 30],
                    }
                )

    def rate(k: int) -> float:
        return round(k / overlap_tp, 4) if overlap_tp else 0.0

    return {
        "gold": str(path),
        "articles": len(recs),
        "gold_items": n_gold,
        "predicted": n_pred,
        "exact": prf(exact_tp, n_gold, n_pred),
        "overlap": prf(overlap_tp, n_gold, n_pred),
        "value_accuracy_exact": round(val_ok_exact / exact_tp, 4) if exact_tp else 0.0,
        "value_accuracy": rate(val_ok),
        "unit_accuracy": rate(unit_ok),
        "unit_kind_accuracy": rate(kind_ok),
        "qualifier_accuracy": rate(qual_ok),
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
    for k in (
        "value_accuracy_exact",
        "value_accuracy",
        "unit_accuracy",
        "unit_kind_accuracy",
        "qualifier_accuracy",
    ):
        lines.append(f"{k}: {result[k]:.3f}")
    return "\n".join(lines)
