"""Quotation attribution evaluation: statement content spans and speakers, on real articles.

Gold (``gold/quotes/{dev,test}.jsonl``): one object per article ``{"corpus", "id", "sha1",
"quotes": [{"kind", "cue": [s, e], "content": [s, e], "speaker": [s, e] | null,
"speaker_kind", "speaker_id", "via": [s, e] | null}]}`` with offsets into the record's ``text``
in ``<shared>/data/news/<corpus>.jsonl.gz``. The article is rebuilt from the record with the
JSON Lines reader and analysed by the default pipeline.

Scores:

- ``content_exact``: precision, recall and F1 of content spans matching exactly;
- ``content_overlap``: the same where a predicted and a gold span match when their overlap is
  at least 0.8 of the longer of the two (one-to-one, best overlaps first);
- ``speaker_accuracy``: over gold statements whose content was matched (overlap variant), the
  predicted speaker refers to the right referent: its span overlaps a gold speaker mention of
  the same ``speaker_id`` in that article, or both are null;
- ``speaker_exact``: the same statements, the predicted speaker is *fully* right: it lies inside
  a gold mention of the right referent (a proclitic or punctuation mark of slack) and covers its
  name (gold ``name`` span) or, for a mention without a name, at least 60 % of it. "العباسي
  بتصريح خاص" for "العباسي" or a bare "الأخير" for its antecedent are wrong here;
- ``rows``: a predicted row is right when its content matches a gold statement (overlap
  variant) and its speaker is fully right (``speaker_exact``); precision over predicted rows,
  recall over gold statements. This is what a reader of the who-said-what table sees;
- ``kind_accuracy``: over the matched statements, the kind (direct/indirect/mixed) agrees;
- ``recall_by_kind``: overlap recall per gold kind; ``by_outlet``: rows and content per outlet.
"""

from __future__ import annotations

import argparse
import json
import time
from collections import Counter
from pathlib import Path
from typing import Any

from marsad.core.errors import UsageError
from marsad.core.settings import load_settings
from marsad.evaluate.common import REPO, load_records, shared_data, text_sha1
from marsad.readers.jsonl import record_to_article
from marsad.run.pipeline import Pipeline

OVERLAP = 0.8
SLACK_BEFORE, SLACK_AFTER = 2, 1  # a proclitic (وب، لل) before, a mark after
COVER = 0.6


def gold_path(gold: str | None, split: str) -> Path:
    if gold is None:
        return REPO / "gold" / "quotes" / f"{split}.jsonl"
    p = Path(gold)
    return p / f"{split}.jsonl" if p.is_dir() else p


def load_gold(path: Path) -> list[dict[str, Any]]:
    if not path.exists():
        raise UsageError("E001", path=str(path))
    out = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                out.append(json.loads(line))
    return out


def overlap(a: tuple[int, int], b: tuple[int, int]) -> float:
    inter = min(a[1], b[1]) - max(a[0], b[0])
    if inter <= 0:
        return 0.0
    return inter / max(a[1] - a[0], b[1] - b[0])


def match(
    gold: list[tuple[int, int]], pred: list[tuple[int, int]], threshold: float = OVERLAP
) -> dict[int, int]:
    """One-to-one matching gold index -> predicted index, best overlaps first."""
    pairs = []
    for i, g in enumerate(gold):
        for j, p in enumerate(pred):
            r = overlap(g, p)
            if r >= threshold:
                pairs.append((r, i, j))
    pairs.sort(reverse=True)
    used_g: set[int] = set()
    used_p: set[int] = set()
    out: dict[int, int] = {}
    for _r, i, j in pairs:
        if i in used_g or j in used_p:
            continue
        used_g.add(i)
        used_p.add(j)
        out[i] = j
    return out


def _prf(tp: int, n_pred: int, n_gold: int) -> dict[str, float]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4), "tp": tp}


def _spans_overlap(a: tuple[int, int] | None, b: tuple[int, int] | None) -> bool:
    return a is not None and b is not None and min(a[1], b[1]) > max(a[0], b[0])


def speaker_fully_right(
    pspan: tuple[int, int] | None, gold_q: dict, mentions: list[tuple[tuple[int, int], Any]]
) -> bool:
    """``pspan`` is the whole right mention: inside a gold mention of the referent, covering
    its name (or most of it). ``mentions``: (span, name span or None) of that referent."""
    if gold_q.get("speaker") is None:
        return pspan is None
    if pspan is None:
        return False
    for (gs, ge), name in mentions:
        if pspan[0] < gs - SLACK_BEFORE or pspan[1] > ge + SLACK_AFTER:
            continue
        if name is not None:
            if pspan[0] <= name[0] + SLACK_BEFORE and pspan[1] >= name[1] - SLACK_AFTER:
                return True
        elif min(pspan[1], ge) - max(pspan[0], gs) >= COVER * (ge - gs):
            return True
    return False


def score_article(gold_quotes: list[dict], pred: list[dict]) -> dict[str, Any]:
    """Counts for one article; ``pred`` items are ``Quote.to_json`` dicts."""
    g_spans = [tuple(q["content"]) for q in gold_quotes]
    p_spans = [(q["content"]["start"], q["content"]["end"]) for q in pred]
    exact = len(set(g_spans) & set(p_spans))
    m = match(g_spans, p_spans)  # type: ignore[arg-type]
    by_id: dict[str, list[tuple[tuple[int, int], Any]]] = {}
    for q in gold_quotes:
        if q.get("speaker") and q.get("speaker_id"):
            name = tuple(q["name"]) if q.get("name") else None
            by_id.setdefault(q["speaker_id"], []).append((tuple(q["speaker"]), name))
    spk_ok = spk_exact = kind_ok = 0
    counts: Counter[str] = Counter()
    errors = []
    kinds_gold: Counter[str] = Counter()
    kinds_found: Counter[str] = Counter()
    for i, q in enumerate(gold_quotes):
        kinds_gold[q["kind"]] += 1
        if i not in m:
            errors.append({"type": "missed", "gold": q})
            continue
        kinds_found[q["kind"]] += 1
        pq = pred[m[i]]
        ps = pq["speaker"]
        pspan = (ps["start"], ps["end"]) if ps else None
        mentions = by_id.get(q.get("speaker_id") or "", [])
        if q.get("speaker") is not None and not mentions:
            mentions = [(tuple(q["speaker"]), tuple(q["name"]) if q.get("name") else None)]
        if q.get("speaker") is None:
            ok = pspan is None
        else:
            ok = any(_spans_overlap(pspan, g) for g, _ in mentions)  # type: ignore[arg-type]
        full = speaker_fully_right(pspan, q, mentions)  # type: ignore[arg-type]
        spk_ok += ok
        spk_exact += full
        for key in ("name", "role"):
            if q.get(key) and ok:
                counts[f"{key}_gold"] += 1
                got = ps.get(key) if ps else None
                counts[f"{key}_ok"] += bool(got) and _spans_overlap(
                    (got["start"], got["end"]), tuple(q[key])  # type: ignore[arg-type]
                )
        if q.get("anaphor"):
            counts["anaphor_gold"] += 1
            counts["anaphor_ok"] += full
        kind_ok += pq["kind"] == q["kind"]
        if not ok:
            errors.append({"type": "speaker", "gold": q, "pred": pq})
        elif not full:
            errors.append({"type": "speaker_span", "gold": q, "pred": pq})
        elif tuple(q["content"]) != (pq["content"]["start"], pq["content"]["end"]):
            errors.append({"type": "boundary", "gold": q, "pred": pq})
    matched_p = set(m.values())
    for j, pq in enumerate(pred):
        if j not in matched_p:
            errors.append({"type": "spurious", "pred": pq})
    return {
        "gold": len(g_spans),
        "pred": len(p_spans),
        "exact": exact,
        "overlap": len(m),
        "speaker_ok": spk_ok,
        "speaker_exact": spk_exact,
        "rows_ok": spk_exact,
        "kind_ok": kind_ok,
        **counts,
        "kinds_gold": kinds_gold,
        "kinds_found": kinds_found,
        "errors": errors,
    }


def _summary(tot: Counter[str]) -> dict[str, Any]:
    rows = _prf(tot["rows_ok"], tot["pred"], tot["gold"])
    return {
        "articles": tot["articles"],
        "gold_statements": tot["gold"],
        "predicted_statements": tot["pred"],
        "content_exact": _prf(tot["exact"], tot["pred"], tot["gold"]),
        "content_overlap": _prf(tot["overlap"], tot["pred"], tot["gold"]),
        "speaker_accuracy": round(tot["speaker_ok"] / tot["overlap"], 4) if tot["overlap"] else 0.0,
        "speaker_exact": round(tot["speaker_exact"] / tot["overlap"], 4) if tot["overlap"] else 0.0,
        "rows": rows,
        "kind_accuracy": round(tot["kind_ok"] / tot["overlap"], 4) if tot["overlap"] else 0.0,
        # over matched statements with the right speaker whose gold has a name / role span
        "name_accuracy": _ratio(tot["name_ok"], tot["name_gold"]),
        "role_accuracy": _ratio(tot["role_ok"], tot["role_gold"]),
        # over matched statements whose speaker is written as a back-reference (الأخير، الوزير)
        "anaphor_accuracy": _ratio(tot["anaphor_ok"], tot["anaphor_gold"]),
    }


def _ratio(a: int, b: int) -> dict[str, Any]:
    return {"accuracy": round(a / b, 4) if b else None, "n": b}


def evaluate(
    gold: str | None = None,
    split: str | None = None,
    limit: int | None = None,
    details: bool = False,
) -> dict[str, Any]:
    split = split or "test"
    path = gold_path(gold, split)
    recs = load_gold(path)
    if limit is not None:
        recs = recs[:limit]
    news = shared_data() / "news"
    if not news.exists():
        raise UsageError("E001", path=str(news))
    settings = load_settings()
    pipe = Pipeline(settings=settings)
    by_corpus: dict[str, list[str]] = {}
    for r in recs:
        by_corpus.setdefault(r["corpus"], []).append(r["id"])
    records = {c: load_records(c, ids) for c, ids in by_corpus.items()}
    tot: Counter[str] = Counter()
    outlets: dict[str, Counter[str]] = {}
    kinds_gold: Counter[str] = Counter()
    kinds_found: Counter[str] = Counter()
    per_article = []
    seconds = 0.0
    for n, g in enumerate(recs, 1):
        rec = records[g["corpus"]].get(g["id"])
        if rec is None:
            raise UsageError("E001", path=f"{g['corpus']}:{g['id']}")
        if text_sha1(rec["text"]) != g["sha1"]:
            raise UsageError("E013", detail=f"sha1 mismatch for {g['corpus']}:{g['id']}")
        art = record_to_article(rec, g["corpus"], g["corpus"], n, "utf-8", settings)
        t0 = time.perf_counter()
        art = pipe(art)
        seconds += time.perf_counter() - t0
        pred = [q.to_json(art) for q in art.layers.get("quotes", [])]
        s = score_article(g["quotes"], pred)
        per = outlets.setdefault(str(rec.get("source") or g["corpus"]), Counter())
        for k in ("gold", "pred", "exact", "overlap", "speaker_ok", "speaker_exact", "rows_ok",
                  "kind_ok", "name_gold", "name_ok", "role_gold", "role_ok", "anaphor_gold",
                  "anaphor_ok"):
            tot[k] += s.get(k, 0)
            per[k] += s.get(k, 0)
        tot["articles"] += 1
        per["articles"] += 1
        kinds_gold.update(s["kinds_gold"])
        kinds_found.update(s["kinds_found"])
        if details:
            per_article.append({"corpus": g["corpus"], "id": g["id"], "errors": s["errors"],
                                "text": art.text})
    result: dict[str, Any] = {
        "gold_file": str(path),
        "split": split,
        **_summary(tot),
        "by_outlet": {o: _summary(c) for o, c in sorted(outlets.items())},
        "recall_by_kind": {
            k: round(kinds_found[k] / v, 4) for k, v in sorted(kinds_gold.items()) if v
        },
        "pipeline_seconds": round(seconds, 3),
    }
    if details:
        result["details"] = per_article
    return result


def format_text(result: dict[str, Any]) -> str:
    ce, co = result["content_exact"], result["content_overlap"]
    lines = [
        f"quotes evaluation on {result['gold_file']} ({result['articles']} articles, "
        f"{result['gold_statements']} gold statements, {result['predicted_statements']} predicted)",
        f"content exact    P {ce['precision']:.3f}  R {ce['recall']:.3f}  F1 {ce['f1']:.3f}",
        f"content overlap  P {co['precision']:.3f}  R {co['recall']:.3f}  F1 {co['f1']:.3f}"
        f"  (overlap >= {OVERLAP} of the longer span)",
        f"speaker accuracy {result['speaker_accuracy']:.3f}  (right referent, over matched statements)",
        f"speaker exact    {result['speaker_exact']:.3f}  (the whole right mention, nothing else)",
        f"rows             P {result['rows']['precision']:.3f}  R {result['rows']['recall']:.3f}"
        f"  F1 {result['rows']['f1']:.3f}  (content matched and speaker fully right)",
        f"kind accuracy    {result['kind_accuracy']:.3f}",
        "name / role / back-reference accuracy  "
        + "  ".join(
            f"{k} {'-' if result[k + '_accuracy']['accuracy'] is None else format(result[k + '_accuracy']['accuracy'], '.3f')}"
            f" (n={result[k + '_accuracy']['n']})"
            for k in ("name", "role", "anaphor")
        ),
        "recall by kind   "
        + ", ".join(f"{k} {v:.3f}" for k, v in result["recall_by_kind"].items()),
        "by outlet        articles statements  rows P   rows R   speaker  content F1",
    ]
    for o, r in result.get("by_outlet", {}).items():
        lines.append(
            f"  {o:14} {r['articles']:8d} {r['gold_statements']:10d}  {r['rows']['precision']:.3f}"
            f"    {r['rows']['recall']:.3f}    {r['speaker_accuracy']:.3f}    "
            f"{r['content_exact']['f1']:.3f}"
        )
    return "\n".join(lines)


def _cut(text: str, span: Any, width: int = 120) -> str:
    if span is None:
        return "-"
    s, e = (span["start"], span["end"]) if isinstance(span, dict) else span
    t = text[s:e].replace("\n", " / ")
    return t if len(t) <= width else t[: width - 1] + "…"


def format_errors(result: dict[str, Any], kinds: set[str] | None = None) -> str:
    """One block per error of an ``evaluate(..., details=True)`` result, by article: the error
    type (``missed``, ``spurious``, ``speaker``: wrong referent, ``speaker_span``: right
    referent, not the whole mention, ``boundary``: content overlaps but not exactly), the gold
    and predicted cue, speaker and content, and how the speaker was found. Only for the dev
    split: test errors are never read (they would be tuned on)."""
    if str(result.get("split") or "").startswith("test"):
        raise UsageError("E001", path="test split errors are not listed (tune on dev only)")
    lines: list[str] = []
    counts: Counter[str] = Counter()
    for art in result.get("details", []):
        text = art["text"]
        for e in art["errors"]:
            if kinds and e["type"] not in kinds:
                continue
            counts[e["type"]] += 1
            lines.append(f"== {e['type']}  {art['corpus']}:{art['id']}")
            g, p = e.get("gold"), e.get("pred")
            if g:
                lines.append(f"  gold  cue {_cut(text, g['cue'])} | speaker "
                             f"{_cut(text, g.get('speaker'))} | content {_cut(text, g['content'])}")
            if p:
                src = p.get("speaker_source") or "-"
                lines.append(f"  pred  cue {p['cue']['text']} | speaker "
                             f"{_cut(text, p.get('speaker'))} ({src}) | content "
                             f"{_cut(text, p['content'])}")
    lines.append("errors: " + ", ".join(f"{k} {v}" for k, v in counts.most_common()))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """``python -m marsad.evaluate.quotes [--split dev] [--type missed,speaker]``: the scores
    and every dev error, with the words (printed, never stored)."""
    ap = argparse.ArgumentParser(prog="python -m marsad.evaluate.quotes")
    ap.add_argument("--gold")
    ap.add_argument("--split", default="dev")
    ap.add_argument("--type", default="", help="comma-separated error types to list")
    a = ap.parse_args(argv)
    if a.split.startswith("test"):
        raise UsageError("E001", path="test split errors are not listed (tune on dev only)")
    res = evaluate(a.gold, a.split, details=True)
    print(format_text(res))
    print(format_errors(res, set(filter(None, a.type.split(","))) or None))
    return 0


__all__ = ["evaluate", "format_errors", "format_text", "match", "overlap", "score_article",
           "shared_data"]

if __name__ == "__main__":
    raise SystemExit(main())
