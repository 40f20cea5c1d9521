"""Summary evaluation: ROUGE on ANT v2.1 single articles, and checks on multi-document stories.

**Single articles.** ANT v2.1's ``abstract`` is the outlet's lead paragraph, and in about 94%
of the articles the ``text`` *starts with it*: on the full text a first-sentences ("lead")
baseline reproduces the reference almost verbatim, which says nothing. So two settings are
reported:

- ``held_out_lead`` (the figure that matters): the abstract is removed from the start of the
  text and each system summarises the rest; the reference is the abstract. The task becomes
  "write the lead from the body", where the body's first sentences are still a strong
  baseline;
- ``full_text``: the text as published (the lead baseline is expected to be near perfect).

Systems: ``marsad`` (:func:`marsad.collect.stories.summary.summarise`, MMR, with the headline as
query), ``lead`` (the first sentences), ``lexrank`` (sumy's LexRank on the same pre-split
sentences, when sumy is installed: an evaluation-only dependency). All pick 3 sentences from
the same candidates (body sentences of 6 to 80 words); scores are given for the 3 sentences
and for the same sentences in text order cut at the abstract's length in words. ROUGE-1, ROUGE-2 (F1 on n-grams) and ROUGE-L (F1 on the
longest common subsequence) are computed here on normalised word tokens.

Articles: ANT v2.1 in corpus order, split by ``crc32(id) % 5`` (0 = test, else dev), whose
abstract has at least 10 words and whose remaining text has at least 5 candidate sentences;
``--limit`` (default 300) per run.

**Stories.** On the gold story clusters of ``gold/stories/<split>.jsonl`` with at least two
articles, the story summariser runs on the gold cluster; reported: share of summaries citing
``min(articles, sentences)`` different articles, near-duplicate sentence pairs in summaries,
and that every citation is verbatim (``text == article.text[start:end]``).
"""

from __future__ import annotations

import gzip
import json
import time
import zlib
from collections import Counter, defaultdict
from typing import Any

from marsad.collect.stories.features import WORD
from marsad.evaluate.common import shared_data
from marsad.text.normalize import normalize_text

K = 3


# -- ROUGE --------------------------------------------------------------------------------
def rouge_tokens(text: str) -> list[str]:
    return [m.group() for m in WORD.finditer(normalize_text(text))]


def _f1(overlap: int, n_sys: int, n_ref: int) -> float:
    if not overlap or not n_sys or not n_ref:
        return 0.0
    p, r = overlap / n_sys, overlap / n_ref
    return 2 * p * r / (p + r)


def rouge_n(sys: list[str], ref: list[str], n: int) -> float:
    a = Counter(tuple(sys[i : i + n]) for i in range(len(sys) - n + 1))
    b = Counter(tuple(ref[i : i + n]) for i in range(len(ref) - n + 1))
    return _f1(sum((a & b).values()), sum(a.values()), sum(b.values()))


def lcs(a: list[str], b: list[str]) -> int:
    if not a or not b:
        return 0
    prev = [0] * (len(b) + 1)
    for x in a:
        cur = [0]
        for j, y in enumerate(b):
            cur.append(prev[j] + 1 if x == y else max(prev[j + 1], cur[j]))
        prev = cur
    return prev[-1]


def rouge(sys_text: str, ref_text: str) -> dict[str, float]:
    s, r = rouge_tokens(sys_text), rouge_tokens(ref_text)
    return {
        "rouge1": rouge_n(s, r, 1),
        "rouge2": rouge_n(s, r, 2),
        "rougeL": _f1(lcs(s, r), len(s), len(r)),
    }


# -- systems ------------------------------------------------------------------------------
def _lexrank(sentences: list[str], k: int) -> list[int] | None:
    try:
        from sumy.models.dom import ObjectDocumentModel, Paragraph, Sentence
        from sumy.nlp.stemmers import null_stemmer
        from sumy.summarizers.lex_rank import LexRankSummarizer
    except ImportError:
        return None

    class _Tok:
        """Words are normalised word tokens (sentences are given pre-split)."""

        language = "arabic"

        def to_words(self, sentence: str) -> list[str]:
            return rouge_tokens(sentence)

    from marsad.collect.stories.features import stopwords

    tok = _Tok()
    doc = ObjectDocumentModel([Paragraph([Sentence(s, tok) for s in sentences])])
    summ = LexRankSummarizer(null_stemmer)
    summ.stop_words = stopwords()
    chosen = {str(s) for s in summ(doc, k)}
    return [i for i, s in enumerate(sentences) if s in chosen][:k]


def _articles(split: str, limit: int, held_out: bool, settings) -> list[tuple[Any, str]]:
    from marsad.collect.stories.summary import article_sentences
    from marsad.readers.jsonl import record_to_article
    from marsad.run.pipeline import Pipeline

    pipe = Pipeline(settings=settings)
    out = []
    path = shared_data() / "news" / "ant_v2.1.jsonl.gz"
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for n, line in enumerate(fh):
            rec = json.loads(line)
            is_test = zlib.crc32(rec["id"].encode()) % 5 == 0
            if is_test != (split == "test"):
                continue
            abstract = (rec.get("abstract") or "").strip()
            if len(abstract.split()) < 10:
                continue
            text = rec["text"]
            if held_out:
                stripped = text.lstrip()
                if not stripped.startswith(abstract):
                    continue
                text = stripped[len(abstract) :].lstrip()
                if not text:
                    continue
            rec = {**rec, "text": text}
            art = pipe(record_to_article(rec, "ant_v2.1", rec["id"], n, "utf-8", settings))
            if len(article_sentences(art)) < 5:
                continue
            out.append((art, abstract))
            if len(out) >= limit:
                break
    return out


def _cut(text: str, n_words: int) -> str:
    return " ".join(text.split()[:n_words])


def single_document(
    split: str, limit: int, held_out: bool, settings, **summary_opts
) -> dict[str, Any]:
    """ROUGE of each system, with 3 sentences and with the abstract's length in words
    (each system's sentences in text order, cut at that many words)."""
    from marsad.collect.stories.features import DocFreq, article_title, content_stems, tfidf
    from marsad.collect.stories.summary import article_sentences, summarise

    df = DocFreq()
    totals: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    arts = _articles(split, limit, held_out, settings)
    for art, ref in arts:
        cands = article_sentences(art)
        texts = [s.text for s in cands]
        query = tfidf(content_stems(normalize_text(article_title(art))), df, 40)
        ours = summarise(cands, k=K, df=df, query=query, **summary_opts)
        picks = {"marsad": sorted(cands.index(s) for s in ours), "lead": list(range(K))}
        lr = _lexrank(texts, K)
        if lr is not None:
            picks["lexrank"] = sorted(lr)
        n_ref = len(ref.split())
        for name, idx in picks.items():
            text = " ".join(texts[i] for i in idx)
            for mode, sys_text in (("3_sentences", text), ("abstract_length", _cut(text, n_ref))):
                for metric, v in rouge(sys_text, ref).items():
                    totals[f"{mode}/{name}"][metric] += v
    n = len(arts) or 1
    scores: dict[str, dict[str, dict[str, float]]] = defaultdict(dict)
    for key, ms in totals.items():
        mode, name = key.split("/")
        scores[mode][name] = {m: round(v / n, 4) for m, v in ms.items()}
    return {"articles": len(arts), "scores": dict(scores)}


def stories_check(split: str, settings) -> dict[str, Any]:
    from marsad.collect.stories.features import DocFreq, features_from_article, tfidf
    from marsad.collect.stories.summary import (
        article_sentences,
        headline_vector,
        near_duplicate,
        summarise,
        summary_length,
    )
    from marsad.evaluate.stories import load_articles, read_gold

    rows = read_gold(None, split)
    arts = load_articles(rows, settings)
    by_id = {a.id: a for a in arts}
    clusters: dict[str, list[str]] = defaultdict(list)
    for r in rows:
        clusters[r["cluster"]].append(f"{r['corpus']}:{r['id']}")
    df = DocFreq()
    n = covered = dup_pairs = verbatim_bad = sentences = 0
    for ids in clusters.values():
        if len(ids) < 2:
            continue
        cands = [s for i, d in enumerate(ids) for s in article_sentences(by_id[d], i)]
        k = summary_length(len(ids), 7)
        feats = [features_from_article(by_id[d]) for d in ids]
        for f in feats:
            f.title_vec = tfidf(f.title_terms, df, 40)
        chosen = summarise(cands, k=k, df=df, query=headline_vector(feats))
        n += 1
        sentences += len(chosen)
        docs = {s.doc for s in chosen}
        if len(docs) >= min(len(ids), len(chosen)):
            covered += 1
        for i, a in enumerate(chosen):
            if by_id[a.doc].text[a.start : a.end] != a.text:
                verbatim_bad += 1
            for b in chosen[i + 1 :]:
                if near_duplicate(a, b, 0.5):
                    dup_pairs += 1
    return {
        "stories": n,
        "sentences": sentences,
        "full_source_coverage": round(covered / n, 4) if n else None,
        "near_duplicate_pairs": dup_pairs,
        "citations_not_verbatim": verbatim_bad,
    }


def evaluate(
    gold: str | None = None, split: str | None = None, limit: int | None = None, **opts
) -> dict[str, Any]:
    from marsad.core.settings import load_settings

    settings = load_settings()
    split = split or "dev"
    limit = limit or 300
    t0 = time.perf_counter()
    result = {
        "split": split,
        "sentences": K,
        "held_out_lead": single_document(split, limit, True, settings, **opts),
        "full_text": single_document(split, limit, False, settings, **opts),
        "stories": stories_check(split, settings),
    }
    result["seconds"] = round(time.perf_counter() - t0, 1)
    return result


def format_text(result: dict[str, Any]) -> str:
    lines = [f"summary ({result['split']}), {result['sentences']} sentences, ROUGE F1"]
    for setting in ("held_out_lead", "full_text"):
        r = result[setting]
        lines.append(f"{setting}: {r['articles']} ANT v2.1 articles")
        for mode, systems in r["scores"].items():
            lines.append(f"  {mode:16s} {'R-1':>7s} {'R-2':>7s} {'R-L':>7s}")
            for name, s in systems.items():
                lines.append(
                    f"    {name:14s} {s['rouge1']:7.4f} {s['rouge2']:7.4f} {s['rougeL']:7.4f}"
                )
    s = result["stories"]
    lines.append(
        f"stories ({s['stories']} gold stories of 2+ articles, {s['sentences']} sentences): "
        f"full source coverage {s['full_source_coverage']}, near-duplicate pairs "
        f"{s['near_duplicate_pairs']}, citations not verbatim {s['citations_not_verbatim']}"
    )
    lines.append(f"time {result['seconds']} s")
    return "\n".join(lines)
