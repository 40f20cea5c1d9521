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

**Multi-article summaries** (``--multi``, on the event gold ``gold/events/<split>.jsonl``):
for every event with at least two articles and key facts, each system summarises the event's
articles (the gold grouping): ``marsad`` (the story brief of the collector), ``lead`` (the
first sentence of each article in publication order, then the second ones, …) and
``lexrank`` (sumy over all candidate sentences), all with marsad's number of sentences;
``lead@budget`` and ``lexrank@budget`` get the brief's full budget (``brief_sentences``, or
fewer for a story of two articles) when the brief stops earlier.
A key fact is **covered** when one summary sentence holds all its words, matched as
gold/events/README.md defines it (the gold's normalisation; a word matches a token equal to it
or to it behind one proclitic: هجوم ~ والهجوم; numbers also match their parts); the
``share_0.75`` figure counts a fact as covered when one sentence holds at least 3/4 of its
words. Reported: coverage (facts covered / facts, over all events), near-duplicate sentence
pairs (content-stem overlap >= 0.6 of the shorter sentence, or word-bigram Jaccard >= 0.5),
mean sentences and words per summary.

**Stories.** On the gold story clusters of ``gold/stories/<split>.jsonl`` with at least two
articles, the story summariser runs on the gold cluster; reported: share of summaries citing
``min(articles, sentences)`` different articles, near-duplicate sentence pairs in summaries,
and that every citation is verbatim (``text == article.text[start:end]``).
"""

from __future__ import annotations

import gzip
import json
import re
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


# -- multi-article summaries on the event gold ----------------------------------------------
# Fact matching as gold/events/README.md defines it ("Matching"): the gold's normalisation,
# word tokens (a number with separators also gives its digits and its parts), and a fact word
# matches a token equal to it or to it behind one proclitic.
_PROCLITICS = ("", *"و ف ب ل ك ال وال فال بال كال لل ولل فلل وب ول فب فل وك س وس".split())
_GOLD_DIACRITICS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
_GOLD_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹٫٬", "01234567890123456789.,")
_GOLD_TOKEN = re.compile(r"\d+(?:[.,]\d+)*|[^\W\d_]+")


def gold_tokens(text: str) -> set[str]:
    """The event gold's tokens of ``text`` (its normalisation and number parts)."""
    text = _GOLD_DIACRITICS.sub("", text)
    text = re.sub("[إأآٱ]", "ا", text).replace("ى", "ي").replace("ة", "ه").translate(_GOLD_DIGITS)
    out = set()
    for tok in _GOLD_TOKEN.findall(text):
        out.add(tok)
        if tok[0].isdigit() and ("." in tok or "," in tok):
            out.add(re.sub("[.,]", "", tok))
            out.update(re.split("[.,]", tok))
    return out


def fact_share(words: list[str], sentence: str) -> float:
    """Share of a fact's words found in ``sentence`` (the gold's matching)."""
    if not words:
        return 0.0
    toks = gold_tokens(sentence)
    return sum(1 for w in words if any(p + w in toks for p in _PROCLITICS)) / len(words)


def near_duplicate_pairs(texts: list[str]) -> int:
    """Pairs of sentences saying the same thing: content-stem overlap >= 0.6 of the shorter
    one, or word-bigram Jaccard >= 0.5."""
    from marsad.collect.stories.features import content_stems

    stems = [content_stems(normalize_text(t)) for t in texts]
    n = 0
    for i in range(len(texts)):
        for j in range(i + 1, len(texts)):
            a, b = set(stems[i]), set(stems[j])
            if a and b and len(a & b) / min(len(a), len(b)) >= 0.6:
                n += 1
                continue
            x = set(zip(stems[i], stems[i][1:], strict=False))
            y = set(zip(stems[j], stems[j][1:], strict=False))
            if x and y and len(x & y) / len(x | y) >= 0.5:
                n += 1
    return n


def multi_document(gold: str | None, split: str, settings, limit: int | None = None) -> dict:
    from marsad.collect.stories.cluster import story_settings
    from marsad.collect.stories.collector import story_brief
    from marsad.collect.stories.features import DocFreq, features_from_article
    from marsad.collect.stories.summary import article_sentences, summary_length
    from marsad.evaluate.stories import event_rows, load_articles, read_events

    events = [e for e in read_events(gold, split) if len(e["articles"]) >= 2 and e.get("facts")]
    if limit:
        events = events[:limit]
    rows = event_rows(events)
    arts = {a.id: a for a in load_articles(rows, settings)}
    df = DocFreq()
    totals: dict[str, Counter] = defaultdict(Counter)
    for ev in events:
        ids = [f"{ev['corpus']}:{a['id']}" for a in ev["articles"]]
        ids = [i for i in ids if i in arts]
        evarts = sorted(
            (arts[i] for i in ids),
            key=lambda a: (a.meta.published is None, a.meta.published or 0, ids.index(a.id)),
        )
        per_art = [article_sentences(a, n) for n, a in enumerate(evarts)]
        cands = [s for ss in per_art for s in ss]
        feats = [features_from_article(a, n) for n, a in enumerate(evarts)]
        cfg = story_settings(settings)
        ours = story_brief(cands, feats, cfg, df)
        k = len(ours)
        # the brief's budget: the baselines also get it in full (the brief may stop earlier)
        budget = min(
            summary_length(len(feats), int(cfg["summary_sentences"])), int(cfg["brief_sentences"])
        )
        texts = [s.text for s in cands]
        lead: list[str] = []
        for depth in range(max((len(ss) for ss in per_art), default=0)):
            lead += [ss[depth].text for ss in per_art if depth < len(ss)]
        picks = {"marsad": [s.text for s in ours], "lead": lead[:k], "lead@budget": lead[:budget]}
        for name, n in (("lexrank", k), ("lexrank@budget", budget)):
            lr = _lexrank(texts, n) if texts and n else []
            if lr is not None:
                picks[name] = [texts[i] for i in lr]
        facts = [f["words"] for f in ev["facts"]]
        for name, sents in picks.items():
            t = totals[name]
            t["events"] += 1
            t["facts"] += len(facts)
            t["sentences"] += len(sents)
            t["words"] += sum(len(x.split()) for x in sents)
            t["near_duplicates"] += near_duplicate_pairs(sents)
            for f in facts:
                best = max((fact_share(f, x) for x in sents), default=0.0)
                t["covered"] += best >= 1.0
                t["covered_75"] += best >= 0.75
    out = {}
    for name, t in totals.items():
        n = t["events"] or 1
        out[name] = {
            "coverage": round(t["covered"] / t["facts"], 4) if t["facts"] else None,
            "coverage_share_0.75": round(t["covered_75"] / t["facts"], 4) if t["facts"] else None,
            "near_duplicate_pairs": t["near_duplicates"],
            "sentences_mean": round(t["sentences"] / n, 2),
            "words_mean": round(t["words"] / n, 1),
        }
    return {
        "split": split,
        "events": len(events),
        "facts": sum(len(e["facts"]) for e in events),
        "systems": out,
    }


def format_multi(result: dict[str, Any]) -> str:
    lines = [
        f"multi-article summaries ({result['split']}): {result['events']} events, "
        f"{result['facts']} key facts",
        f"  {'system':14s} {'coverage':>9s} {'>=0.75':>7s} {'near-dup':>9s} {'sents':>6s} "
        f"{'words':>6s}",
    ]
    for name, s in result["systems"].items():
        lines.append(
            f"  {name:14s} {s['coverage']:9.3f} {s['coverage_share_0.75']:7.3f} "
            f"{s['near_duplicate_pairs']:9d} {s['sentences_mean']:6.2f} {s['words_mean']:6.1f}"
        )
    return "\n".join(lines)


def evaluate(
    gold: str | None = None,
    split: str | None = None,
    limit: int | None = None,
    multi: bool = False,
    **opts,
) -> dict[str, Any]:
    from marsad.core.settings import load_settings

    settings = load_settings()
    split = split or "dev"
    if multi:
        t0 = time.perf_counter()
        result = {"multi": True, **multi_document(gold, split, settings, limit)}
        result["seconds"] = round(time.perf_counter() - t0, 1)
        return result
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
    if result.get("multi"):
        return format_multi(result) + f"\ntime {result['seconds']} s"
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
