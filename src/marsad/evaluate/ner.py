"""``marsad eval ner [FILE] [--json]``: CoNLL span-level evaluation of the NER model.

``FILE`` is a one-token-per-line file (ANERcorp style ``token TAG``; NewsFANE/WikiFANE
``token<TAB>FineClass`` files are recognised by name and mapped) or a folder of AQMAR files.
Default: ANERcorp ``test.txt`` from the shared data. A NewsFANE file is evaluated on its
held-out part only: the sentences that share no 5-word sequence with ANERcorp ``train.txt``
(NewsFANE re-annotates ANERcorp text; the rest was seen in training).

Scores: micro precision, recall and F1 over exact (start, end, type) spans, overall and per
type (CoNLL ``conlleval`` convention), and tagging speed in tokens per second (one process,
features + CRF + confidences, per second of CPU time of the process, after the model is
loaded, feature cache cold at the start).
The main figures tag the file as the entities stage tags an article: 20 consecutive
sentences at a time form one document, so that document-level name propagation applies
(:meth:`~marsad.stages.ner.model.NerTagger.document`); ``sentence_level`` holds the figures
of the tagger alone, each sentence on its own.

In-domain gold (``gold/ner/{dev,test}.jsonl``, made with ``gold/ner/annotate_tool.py``): one
object per article ``{"corpus", "id", "source", "sha1", "entities": [[start, end, type], ...]}``,
character offsets into the raw ``text`` of the shared news record. ``marsad eval ner --split
dev`` (or a ``.jsonl`` path) runs the pipeline up to the entities stage on each article (so
only title/body sentences are tagged, as in use) and scores gold and predicted spans mapped to
whitespace tokens (a span covers every whitespace token it overlaps): CoNLL span F1 per type,
per outlet, and a confusion table. Use dev for every decision; test once for the figure.

The tagger is the one of the settings (``[ner] model``; ``MARSAD_CONFIG`` to change it).
Every result has ``confusion``: ``{gold type: {predicted type: count}}`` over spans with the
same boundaries, where ``O`` stands for "no span with these boundaries" (a missed gold span, a
spurious prediction), and ``boundary_errors``: gold spans overlapped by a prediction with other
boundaries.
"""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

from marsad.core.items import TYPES
from marsad.evaluate.common import REPO, load_records, shared_data, text_sha1
from marsad.stages.ner import data


def load_gold(path: Path) -> tuple[list[data.Sentence], str]:
    if path.is_dir():
        return data.read_aqmar(path), "AQMAR"
    name = path.name.lower()
    if "fane" in name:
        sents = data.read_fane(path)
        if "newsfane" in name:
            train = shared_data() / "ner" / "anercorp" / "train.txt"
            if train.exists():
                seen: set = set()
                for s in data.read_conll(train):
                    seen |= data._ngrams(s)
                sents = [s for s in sents if not (data._ngrams(s) & seen)]
                return sents, "NewsFANE (held-out: not in ANERcorp train)"
        return sents, "FANE"
    return data.read_conll(path), "CoNLL"


def prf(tp: int, fp: int, fn: int) -> dict:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4),
            "gold": tp + fn, "predicted": tp + fp}  # fmt: skip


class Counts:
    """Span counts per type (true positives, false positives, false negatives), the confusion
    table and boundary errors, over any number of (gold spans, predicted spans) pairs."""

    def __init__(self) -> None:
        self.counts = {t: [0, 0, 0] for t in TYPES}
        keys = [*TYPES, "O"]
        self.confusion = {g: dict.fromkeys(keys, 0) for g in keys}
        self.boundary_errors = 0

    def add(self, gold: set[tuple[int, int, str]], pred: set[tuple[int, int, str]]) -> None:
        c = self.counts
        for x in pred & gold:
            c[x[2]][0] += 1
        for x in pred - gold:
            c.setdefault(x[2], [0, 0, 0])[1] += 1
        for x in gold - pred:
            c.setdefault(x[2], [0, 0, 0])[2] += 1
        pb = {(s, e): t for s, e, t in pred}
        gb = {(s, e): t for s, e, t in gold}
        conf = self.confusion
        for (s, e), t in gb.items():
            conf.setdefault(t, {})
            p = pb.get((s, e), "O")
            conf[t][p] = conf[t].get(p, 0) + 1
            if p == "O" and any(a < e and s < b for a, b in pb):
                self.boundary_errors += 1
        for (s, e), t in pb.items():
            if (s, e) not in gb:
                conf["O"][t] = conf["O"].get(t, 0) + 1

    def result(self) -> dict:
        tot = [sum(c[i] for c in self.counts.values()) for i in range(3)]
        out = prf(*tot)
        out["per_type"] = {t: prf(*c) for t, c in self.counts.items()}
        out["confusion"] = self.confusion
        out["boundary_errors"] = self.boundary_errors
        return out


def score(sents: list[data.Sentence], tagger) -> dict:
    counts = Counts()
    tokens = 0
    elapsed = 0.0
    for s in sents:
        words = [w for w, _ in s]
        t0 = time.process_time()
        pred = tagger.tag(words)
        elapsed += time.process_time() - t0
        tokens += len(words)
        counts.add(set(data.spans([t for _, t in s])), set(data.spans(pred)))
    out = counts.result()
    out["tokens"] = tokens
    out["sentences"] = len(sents)
    out["tokens_per_second"] = round(tokens / elapsed) if elapsed else 0
    return out


def evaluate(
    gold: str | None, split: str | None = None, limit: int | None = None, settings=None
) -> dict:
    """ANERcorp-style CoNLL file (default: ANERcorp ``test.txt``), or the in-domain gold when
    ``split`` is given or ``gold`` is a ``.jsonl`` file."""
    from marsad.core.errors import UsageError
    from marsad.core.settings import load_settings
    from marsad.stages.ner.tagger import load_tagger

    settings = settings if settings is not None else load_settings()
    if split or (gold and gold.endswith(".jsonl")):
        return evaluate_news(news_gold_path(gold, split or "dev"), settings, limit)
    path = Path(gold) if gold else shared_data() / "ner" / "anercorp" / "test.txt"
    if not path.exists():
        raise UsageError("E001", path=str(path))
    sents, kind = load_gold(path)
    if limit:
        sents = sents[:limit]
    tagger = load_tagger(settings, fresh=True)
    tagger.tag(["تجربة"])  # load and warm up outside the timing
    sentence_level = score(sents, tagger)
    tagger = load_tagger(settings, fresh=True)  # a cold cache again
    out = score_documents(sents, tagger)
    out["model"] = settings["ner"]["model"]
    out["sentence_level"] = {
        k: sentence_level[k] for k in ("precision", "recall", "f1", "per_type", "tokens_per_second")
    }
    out["gold"] = str(path)
    out["format"] = kind
    return out


def news_gold_path(gold: str | None, split: str) -> Path:
    from marsad.core.errors import UsageError

    if split not in ("dev", "test"):
        raise UsageError("E013", detail=f"--split {split!r}: use dev or test")
    path = Path(gold) if gold else REPO / "gold" / "ner" / f"{split}.jsonl"
    if not path.exists():
        raise UsageError("E001", path=str(path))
    return path


_WS = re.compile(r"\S+")


def to_tokens(
    spans: list[tuple[int, int, str]], starts: list[int], ends: list[int]
) -> set[tuple[int, int, str]]:
    """Character spans → (first, last + 1, type) over whitespace tokens: every token that the
    span overlaps (a proclitic left outside the span is in the same token)."""
    from bisect import bisect_left, bisect_right

    out = set()
    for s, e, t in spans:
        a = bisect_right(ends, s)  # first token ending after s
        b = bisect_left(starts, e)  # tokens starting before e
        if a < b:
            out.add((a, b, t))
    return out


def news_gold_sentences(path: Path, max_tokens: int = 200) -> list[data.Sentence]:
    """The in-domain training part (``gold/ner/train.jsonl``: article ids and character spans)
    as tagged sentences: each article's raw text from the shared data runs through the pipeline
    up to the tokens (so sentences and tokens are those the tagger sees in use); the content
    sentences are kept, and a token that overlaps a gold span gets its type (IOB2; a proclitic
    left outside the span is in the token, as in ANERcorp). Longer sentences are cut in pieces
    of ``max_tokens``."""
    from marsad.core.article import CONTENT_KINDS
    from marsad.core.settings import load_settings
    from marsad.readers.base import make_article
    from marsad.run.pipeline import Pipeline

    recs = [json.loads(x) for x in Path(path).read_text("utf-8").splitlines() if x.strip()]
    by_corpus: dict[str, list[str]] = {}
    for r in recs:
        by_corpus.setdefault(r["corpus"], []).append(r["id"])
    records = {c: load_records(c, ids) for c, ids in by_corpus.items()}
    settings = load_settings()
    keep = {"language", "blocks", "metadata", "sentences", "tokens"}
    pipe = Pipeline(
        settings=settings, disable=[s.name for s in Pipeline().stages if s.name not in keep]
    )
    out: list[data.Sentence] = []
    for n, g in enumerate(recs):
        text = records[g["corpus"]][g["id"]]["text"]
        if g.get("sha1") and text_sha1(text) != g["sha1"]:
            raise ValueError(f"sha1 mismatch for {g['corpus']}:{g['id']}")
        art = pipe(make_article(text, id=f"t:{n}", path=None, settings=settings))
        toks, blocks = art.tokens, art.blocks
        spans = sorted(tuple(x) for x in g["entities"])
        for sent in art.sentences:
            if not (0 <= sent.block < len(blocks)) or blocks[sent.block].kind not in CONTENT_KINDS:
                continue
            idx = list(toks.in_span(sent.start, sent.end))
            tags = ["O"] * len(idx)
            for s, e, t in spans:
                ti = [k for k, i in enumerate(idx) if toks.ends[i] > s and toks.starts[i] < e]
                for j, k in enumerate(ti):
                    tags[k] = ("B-" if j == 0 else "I-") + t
            words = [text[toks.starts[i] : toks.ends[i]] for i in idx]
            for a in range(0, len(words), max_tokens):
                piece = list(zip(words[a : a + max_tokens], tags[a : a + max_tokens], strict=True))
                if piece:
                    if piece[0][1].startswith("I-"):
                        piece[0] = (piece[0][0], "B-" + piece[0][1][2:])
                    out.append(piece)
    return out


def evaluate_news(path: Path, settings, limit: int | None = None) -> dict:
    """The in-domain gold of ``path`` (one article a line): the pipeline up to the entities
    stage on each article's raw text, spans compared over whitespace tokens."""
    from marsad.core.errors import UsageError
    from marsad.readers.base import make_article
    from marsad.run.pipeline import Pipeline

    recs = [json.loads(x) for x in path.read_text("utf-8").splitlines() if x.strip()]
    if limit:
        recs = recs[:limit]
    news = shared_data() / "news"
    if not news.exists():
        raise UsageError("E001", path=str(news))
    by_corpus: dict[str, list[str]] = {}
    for r in recs:
        by_corpus.setdefault(r["corpus"], []).append(r["id"])
    records = {c: load_records(c, ids) for c, ids in by_corpus.items()}
    keep = {"language", "blocks", "metadata", "sentences", "tokens", "entities"}
    pipe = Pipeline(
        settings=settings, disable=[s.name for s in Pipeline().stages if s.name not in keep]
    )
    counts = Counts()
    outlets: dict[str, Counts] = {}
    tokens = 0
    elapsed = 0.0
    for n, g in enumerate(recs):
        rec = records[g["corpus"]].get(g["id"])
        if rec is None:
            raise UsageError("E001", path=f"{g['corpus']}:{g['id']}")
        text = rec["text"]
        if g.get("sha1") and text_sha1(text) != g["sha1"]:
            raise UsageError("E013", detail=f"sha1 mismatch for {g['corpus']}:{g['id']}")
        art = make_article(text, id=f"{g['corpus']}:{g['id']}:{n}", path=None, settings=settings)
        t0 = time.process_time()
        art = pipe(art)
        elapsed += time.process_time() - t0
        ws = list(_WS.finditer(text))
        starts = [m.start() for m in ws]
        ends = [m.end() for m in ws]
        tokens += len(ws)
        gold = to_tokens([tuple(x) for x in g["entities"]], starts, ends)
        pred = to_tokens(
            [(m.start, m.end, m.type) for m in art.layers.get("mentions", [])], starts, ends
        )
        counts.add(gold, pred)
        outlets.setdefault(str(g.get("source") or g["corpus"]), Counts()).add(gold, pred)
    out = counts.result()
    out["by_outlet"] = {
        o: {k: v for k, v in c.result().items() if k in ("precision", "recall", "f1", "gold")}
        for o, c in sorted(outlets.items())
    }
    out.update(
        gold=str(path), format="in-domain news (whitespace tokens)", model=settings["ner"]["model"],
        articles=len(recs), sentences=len(recs), tokens=tokens,
        pipeline_tokens_per_second=round(tokens / elapsed) if elapsed else 0,
    )  # fmt: skip
    return out


def format_text(r: dict) -> str:
    unit = f"{r['articles']} articles" if "articles" in r else f"{r['sentences']} sentences"
    lines = [
        f"NER ({r.get('model', '?')}) on {r['gold']} ({r['format']}): {unit}, {r['tokens']} tokens",
        f"  overall  P {r['precision']:.3f}  R {r['recall']:.3f}  F1 {r['f1']:.3f}",
    ]
    for t, v in r["per_type"].items():
        lines.append(
            f"  {t:<7}  P {v['precision']:.3f}  R {v['recall']:.3f}  F1 {v['f1']:.3f}"
            f"  (gold {v['gold']}, predicted {v['predicted']})"
        )
    if "tokens_per_second" in r:
        lines.append(f"  speed {r['tokens_per_second']:,} tokens/s")
    if "confusion" in r:
        keys = [*TYPES, "O"]
        lines.append("  confusion (rows gold, columns predicted; O = no span with these bounds):")
        lines.append("           " + "".join(f"{k:>7}" for k in keys))
        for g in keys:
            row = r["confusion"].get(g, {})
            lines.append(f"  {g:<9}" + "".join(f"{row.get(k, 0):>7}" for k in keys))
        lines.append(
            f"  boundary errors (gold spans overlapped by other bounds): {r['boundary_errors']}"
        )
    for o, v in r.get("by_outlet", {}).items():
        lines.append(
            f"  {o:<14} P {v['precision']:.3f}  R {v['recall']:.3f}  F1 {v['f1']:.3f}  (gold {v['gold']})"
        )
    if "sentence_level" in r:
        s = r["sentence_level"]
        lines.append(
            f"  sentence by sentence (no document propagation): P {s['precision']:.3f}"
            f"  R {s['recall']:.3f}  F1 {s['f1']:.3f}"
        )
    return "\n".join(lines)


def score_documents(sents: list[data.Sentence], tagger, window: int = 20) -> dict:
    """Like :func:`score`, tagging ``window`` consecutive sentences at a time as one document
    (:meth:`NerTagger.document`: document-level name propagation)."""
    pred: list[list[str]] = []
    t0 = time.process_time()
    for k in range(0, len(sents), window):
        chunk = [[w for w, _ in s] for s in sents[k : k + window]]
        for words, ents in zip(chunk, tagger.document(chunk), strict=True):
            tags = ["O"] * len(words)
            for s, e, t, _ in ents:
                tags[s] = "B-" + t
                for i in range(s + 1, e):
                    tags[i] = "I-" + t
            pred.append(tags)
    elapsed = time.process_time() - t0
    it = iter(pred)
    r = score(sents, _Fixed(it))
    r["tokens_per_second"] = round(r["tokens"] / elapsed) if elapsed else 0
    return r


class _Fixed:
    def __init__(self, it):
        self.it = it

    def tag(self, words):
        return next(self.it)
