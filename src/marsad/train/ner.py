"""Training the NER model: ``marsad train ner [options]``.

Data (from ``../shared/data``): ANERcorp ``train.txt`` (never ``test.txt``), optionally
WikiFANE (mapped to PER/ORG/LOC/MISC, see :mod:`.data`). NewsFANE is not used for training:
nearly all of it re-annotates ANERcorp text (test included); see docs/entities.md.
Word clusters come from :mod:`.clusters` (learned from the unlabelled news corpora) and are
copied into the model folder; gazetteers are built from the shared lists (ANERgazet only as
salted hashes).

``--dev`` holds out the last 20 % of ANERcorp train and reports its scores: use it to choose
settings (c1, c2, data); the final model is trained on all of train.
"""

from __future__ import annotations

import argparse
import gzip
import json
import logging
import secrets
import shutil
import time
from pathlib import Path

from marsad.evaluate.ner import news_gold_sentences
from marsad.stages.ner import data
from marsad.stages.ner.features import Features, Gazetteers
from marsad.text.clitics import analyse
from marsad.text.normalize import normalize_text
from marsad.train.crf import train_crf

log = logging.getLogger(__name__)


def entity_lexicon(
    sents: list[data.Sentence], min_count: int = 2, min_ratio: float = 0.5
) -> dict[str, set[str]]:
    """Words (normalised, and their clitic-stripped stems) that are mostly inside entities of
    one type in ``sents``: at least ``min_count`` times, and in ≥ ``min_ratio`` of their uses."""
    from collections import Counter, defaultdict

    total: Counter[str] = Counter()
    by_type: dict[str, Counter[str]] = defaultdict(Counter)
    for s in sents:
        for w, t in s:
            n = normalize_text(w)
            keys = {n, analyse(n).stem}
            for k in keys:
                total[k] += 1
                if t != "O":
                    by_type[k][t[2:]] += 1
    out: dict[str, set[str]] = defaultdict(set)
    for k, c in by_type.items():
        typ, cnt = c.most_common(1)[0]
        if cnt >= min_count and cnt >= min_ratio * total[k] and len(k) >= 2:
            out[typ].add(k)
    return dict(out)


def build_gazetteers(
    gaz_dir: Path, out: Path, lexicon_from: list[data.Sentence] | None = None
) -> None:
    """gazetteer.json (open lists: AKhateeb arabic-names, MIT; mledoze countries, ODbL) and
    gazetteer_hashed.json.gz (ANERgazet, no redistribution licence, and the entity lexicon
    learned from ``lexicon_from`` (WikiFANE): salted hashes only)."""
    plain: dict[str, set[str]] = {"PER": set(), "LOC": set()}
    names = gaz_dir / "arabic_names"
    for fn in (
        "male-first--names-in-arabic.txt",
        "female-first-names-in-arabic.txt",
        "last-names-in-arabic.txt",
        "400-Arabic-Names.txt",
    ):
        p = names / fn
        if p.exists():
            for line in p.read_text("utf-8").splitlines():
                for w in line.split():
                    n = normalize_text(w)
                    if len(n) >= 3:
                        plain["PER"].add(n)
    cp = gaz_dir / "countries" / "countries.json"
    if cp.exists():
        for rec in json.loads(cp.read_text("utf-8")):
            ara = rec.get("translations", {}).get("ara", {})
            for name in {ara.get("common", ""), ara.get("official", "")}:
                words = [normalize_text(w) for w in name.split()]
                if len(words) == 1 and len(words[0]) >= 3:
                    plain["LOC"].add(words[0])
                    plain["LOC"].add(analyse(words[0]).stem)
                elif words:
                    # multi-word official names: the distinctive last word (جمهورية مصر العربية)
                    for w in words:
                        if len(w) >= 4 and not w.startswith("جمهوري") and w != "المتحده":
                            plain["LOC"].add(w)
    (out / "gazetteer.json").write_text(
        json.dumps(
            {
                "_source": "AKhateeb/arabic-names (MIT) person name parts; mledoze/countries "
                "(ODbL) Arabic country names; normalised",
                "types": {k: sorted(v) for k, v in plain.items()},
            },
            ensure_ascii=False,
            indent=0,
        ),
        "utf-8",
    )
    ag = gaz_dir / "anergazet"
    files = {
        "PER": "AlignedPersGazetteer.txt",
        "LOC": "AlignedLocGazetteer.txt",
        "ORG": "AlignedOrgGazetteer.txt",
    }
    salt = secrets.token_hex(8)
    g = Gazetteers({}, {}, salt)
    hashed: dict[str, list[str]] = {}
    for t, fn in files.items():
        p = ag / fn
        if not p.exists():
            continue
        words: set[str] = set()
        for line in p.read_text("utf-8", errors="replace").splitlines():
            n = normalize_text(line.strip())
            if not n:
                continue
            words.add(n)  # the whole entry (one token entries match a token)
            for w in n.split():
                if len(w) >= 3:
                    words.add(w)
                    words.add(analyse(w).stem)
        hashed[t] = sorted({g.digest(w) for w in words})
    if lexicon_from:
        for t, words in entity_lexicon(lexicon_from).items():
            hashed["w" + t] = sorted({g.digest(w) for w in words})
    if hashed:
        (out / "gazetteer_hashed.json.gz").write_bytes(
            gzip.compress(
                json.dumps({"salt": salt, "types": hashed}).encode("utf-8"), compresslevel=9
            )
        )


def _with_lexicon(gaz: Gazetteers, lexicon: dict[str, set[str]]) -> Gazetteers:
    hashed = {k: v for k, v in gaz.hashed.items() if not k.startswith("t")}
    for t, words in lexicon.items():
        hashed["t" + t] = {gaz.digest(w) for w in words}
    return Gazetteers(gaz.plain, hashed, gaz.salt.decode())


def _save_hashed(gaz: Gazetteers, out: Path) -> None:
    (out / "gazetteer_hashed.json.gz").write_bytes(
        gzip.compress(
            json.dumps(
                {"salt": gaz.salt.decode(), "types": {k: sorted(v) for k, v in gaz.hashed.items()}}
            ).encode("utf-8"),
            compresslevel=9,
        )
    )


def make_silver(
    out: Path,
    per_corpus: int = 1500,
    min_conf: float = 0.9,
    institutions: bool = False,
    corpora: tuple[str, ...] = ("saudinewsnet", "ant_v2.1"),
) -> dict:
    """Silver training data (self-training): the content sentences of ``per_corpus`` articles
    of each unlabelled news corpus (every k-th record, never an article of the in-domain gold),
    tagged by the shipped tagger, kept when every token's tag has a marginal probability ≥
    ``min_conf`` and the sentence has an entity. Tags are the tagger's Viterbi path, or
    (``institutions``) the ``entities`` stage's mentions (tidied, propagated, institutions
    added). Written as a CoNLL file (token TAB tag) outside the repository: it holds corpus
    text."""
    from marsad.core.article import CONTENT_KINDS
    from marsad.core.errors import ArticleError
    from marsad.core.settings import load_settings
    from marsad.evaluate.common import CORPORA, shared_data
    from marsad.readers.base import make_article
    from marsad.run.pipeline import Pipeline
    from marsad.stages.ner.tagger import load_tagger

    repo = Path(__file__).resolve().parents[3]
    gold_ids = set()
    for split in ("dev", "test"):
        for line in (repo / "gold" / "ner" / f"{split}.jsonl").read_text("utf-8").splitlines():
            if line.strip():
                r = json.loads(line)
                gold_ids.add((r["corpus"], r["id"]))
    settings = load_settings()
    tagger = load_tagger(settings)
    keep = {"language", "blocks", "metadata", "sentences", "tokens", "entities"}
    pipe = Pipeline(
        settings=settings, disable=[s.name for s in Pipeline().stages if s.name not in keep]
    )
    labels = tagger.labels
    stats = {"articles": 0, "sentences": 0, "kept": 0, "tokens": 0}
    with open(out, "w", encoding="utf-8") as fo:
        for corpus in corpora:
            with gzip.open(shared_data() / "news" / CORPORA[corpus], "rt", encoding="utf-8") as f:
                total = sum(1 for _ in f)
            step = max(1, total // per_corpus)
            with gzip.open(shared_data() / "news" / CORPORA[corpus], "rt", encoding="utf-8") as f:
                for n, line in enumerate(f):
                    if n % step or n // step >= per_corpus:
                        continue
                    rec = json.loads(line)
                    if (corpus, rec.get("id")) in gold_ids or not rec.get("text", "").strip():
                        continue
                    try:
                        art = make_article(rec["text"], id=f"s:{n}", path=None, settings=settings)
                    except ArticleError:
                        continue  # empty or too large
                    art = pipe(art)
                    stats["articles"] += 1
                    text, toks, blocks = art.text, art.tokens, art.blocks
                    ments = art.layers.get("mentions", [])
                    for sent in art.sentences:
                        if not (0 <= sent.block < len(blocks)):
                            continue
                        if blocks[sent.block].kind not in CONTENT_KINDS:
                            continue
                        idx = toks.in_span(sent.start, sent.end)
                        if not 5 <= len(idx) <= 80:
                            continue
                        words = [text[toks.starts[i] : toks.ends[i]] for i in idx]
                        stats["sentences"] += 1
                        e = tagger.scores(words)
                        path = tagger.viterbi(e)
                        p = tagger.marginals(e)
                        if min(p[i, path[i]] for i in range(len(words))) < min_conf:
                            continue
                        if institutions:
                            tags = ["O"] * len(words)
                            for m in ments:
                                if (
                                    m.start < toks.starts[idx.start]
                                    or m.end > toks.ends[idx.stop - 1]
                                ):
                                    continue
                                ti = [k for k, i in enumerate(idx)
                                      if toks.ends[i] > m.start and toks.starts[i] < m.end]  # fmt: skip
                                for j, k in enumerate(ti):
                                    tags[k] = ("B-" if j == 0 else "I-") + m.type
                        else:
                            tags = [labels[i] for i in path]
                        if all(t == "O" for t in tags):
                            continue
                        stats["kept"] += 1
                        stats["tokens"] += len(words)
                        fo.write("".join(f"{w}\t{t}\n" for w, t in zip(words, tags, strict=True)))
                        fo.write("\n")
    return stats


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="marsad train ner")
    ap.add_argument("--shared", default="../shared/data", help="the shared data folder")
    ap.add_argument(
        "--out", default=None, help="model folder (default: the packaged src/marsad/models/ner)"
    )
    ap.add_argument(
        "--clusters",
        default=None,
        help="clusters.tsv.gz from `python -m marsad.stages.ner.clusters` "
        "(default: the one already in the model folder)",
    )
    ap.add_argument("--c1", type=float, default=0.05)
    ap.add_argument("--c2", type=float, default=0.01)
    ap.add_argument("--iters", type=int, default=200)
    ap.add_argument("--minfreq", type=int, default=1)
    ap.add_argument("--wikifane", type=float, default=0.0, help="share of WikiFANE to add")
    ap.add_argument(
        "--no-lexicon",
        dest="lexicon",
        action="store_false",
        help="no entity-word lexicon from WikiFANE",
    )
    ap.add_argument("--keep-crfsuite", action="store_true", help="keep ner.crfsuite beside ner.npz")
    ap.add_argument(
        "--o-penalty", type=float, default=0.0, help="taken off the O score at run time"
    )
    ap.add_argument(
        "--train-lexicon",
        action="store_true",
        help="entity-word lexicon from ANERcorp train (jackknifed for training)",
    )
    ap.add_argument(
        "--table", type=int, default=100_000, help="frequent words whose scores are precomputed"
    )
    ap.add_argument("--dev", action="store_true", help="hold out 20%% of train; report dev F1")
    ap.add_argument(
        "--rank-features", action="store_true", help="rk= features: frequency-rank band of words"
    )
    ap.add_argument(
        "--cluster-pairs",
        nargs="?",
        const="c1",
        default="",
        choices=("", "c0", "c1", "c2"),
        help="cp= features: word-cluster pairs of the token and each neighbour, over the "
        "64 (c0), 256 (c1, the default) or 1,024 (c2) clusters",
    )
    ap.add_argument(
        "--silver",
        default=None,
        help="extra CoNLL training file FILE[:SHARE] (e.g. from --make-silver)",
    )
    ap.add_argument(
        "--indomain",
        default=None,
        metavar="FILE[:REPEAT]",
        help="in-domain training articles (gold/ner/train.jsonl), each sentence added REPEAT "
        "times (default 1)",
    )
    ap.add_argument(
        "--make-silver",
        default=None,
        metavar="FILE",
        help="write silver data (the shipped tagger on unlabelled news) to FILE and stop",
    )
    ap.add_argument("--silver-articles", type=int, default=1000, help="articles per corpus")
    ap.add_argument("--silver-conf", type=float, default=0.9, help="min. token marginal")
    ap.add_argument(
        "--silver-institutions",
        action="store_true",
        help="silver tags from the entities stage (institutions added), not the tagger alone",
    )
    ap.add_argument(
        "--model",
        choices=("crf", "neural"),
        default="crf",
        help="which tagger to train (neural: needs the train extra, torch)",
    )
    nn = ap.add_argument_group("neural model (marsad.train.neural)")
    nn.add_argument("--epochs", type=int, default=None)
    nn.add_argument("--hidden", type=int, default=None)
    nn.add_argument("--lr", type=float, default=None)
    nn.add_argument("--batch", type=int, default=None)
    nn.add_argument("--seed", type=int, default=None)
    nn.add_argument("--dropout", type=float, default=None)
    nn.add_argument(
        "--finetune",
        type=int,
        default=None,
        help="fine-tune the vectors of words seen at least N times in training",
    )
    nn.add_argument(
        "--word-drop",
        type=float,
        default=None,
        help="per-token probability of dropping a word's fine-tuned correction",
    )
    nn.add_argument(
        "--ema",
        type=float,
        default=None,
        help="ship an exponential moving average of the weights (decay per step)",
    )
    nn.add_argument("--lr-decay", type=float, default=None, help="lr / (1 + decay · epoch)")
    nn.add_argument("--char-out", type=int, default=None, help="character CNN filters")
    nn.add_argument("--threads", type=int, default=None, help="torch threads")
    nn.add_argument(
        "--stem-vector",
        action="store_true",
        default=None,
        help="also read the vector of the word's lexical stem (clitics off)",
    )
    nn.add_argument(
        "--extra",
        action="append",
        help="extra training data NAME[:SHARE], NAME = newsfane, wikifane or aqmar (repeatable)",
    )
    nn.add_argument(
        "--crf-input",
        default=None,
        metavar="CRF_DIR",
        help="a learned stack: the network also reads the marginals of the CRF of CRF_DIR "
        "(trained on the same sentences; out-of-fold CRFs with its settings in training)",
    )
    nn.add_argument("--crf-folds", type=int, default=None, help="folds for --crf-input (4)")
    nn.add_argument(
        "--crf-drop",
        type=float,
        default=None,
        help="--crf-input: per-token probability of hiding the CRF's marginals in training",
    )
    nn.add_argument("--snapshots", action="store_true", help="keep the weights of every epoch")
    nn.add_argument("--onnx", action="store_true", help="also write the network as neural.onnx")
    a = ap.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s", force=True)
    if a.make_silver:
        stats = make_silver(
            Path(a.make_silver), a.silver_articles, a.silver_conf, a.silver_institutions
        )
        print(json.dumps(stats))
        return 0
    if a.model == "neural":
        from marsad.train.neural import main as train_neural

        return train_neural(a)
    from marsad.stages.ner.model import default_dir

    shared = Path(a.shared)
    out = Path(a.out) if a.out else default_dir()
    out.mkdir(parents=True, exist_ok=True)
    t0 = time.time()
    if a.clusters and Path(a.clusters).resolve() != (out / "clusters.tsv.gz").resolve():
        shutil.copy(a.clusters, out / "clusters.tsv.gz")
    wf = data.read_fane(shared / "ner" / "fane" / "WikiFANE_Gold_2014_500K.txt")
    build_gazetteers(shared / "gazetteers", out, wf if a.lexicon else None)
    train = data.read_conll(shared / "ner" / "anercorp" / "train.txt")
    dev: list[data.Sentence] = []
    if a.dev:
        cut = int(len(train) * 0.8)
        train, dev = train[:cut], train[cut:]
    sents = list(train)
    if a.wikifane > 0:
        sents += wf[: int(len(wf) * a.wikifane)]
    if a.silver:
        path, _, share = a.silver.partition(":")
        silver = data.read_conll(path)
        sents += silver[: int(len(silver) * float(share or 1))]
    n_indomain = 0
    if a.indomain:
        path, _, rep = a.indomain.partition(":")
        ind = news_gold_sentences(Path(path))
        n_indomain = len(ind)
        sents += ind * int(rep or 1)
    from marsad.stages.ner.clusters import read

    clusters = read(out / "clusters.tsv.gz") if (out / "clusters.tsv.gz").exists() else {}
    gaz = Gazetteers.load(out)
    if a.train_lexicon:
        # Lexicon of ANERcorp train entity words. Each training sentence sees the lexicon of
        # the other folds only (jackknife), as unseen text will; the shipped one uses all.
        xseqs: list[list[list[str]]] = []
        k = 5
        fold = [i * k // len(sents) for i in range(len(sents))]
        for f in range(k):
            rest = [s for s, g in zip(sents, fold, strict=True) if g != f]
            fx = Features(
                clusters,
                _with_lexicon(gaz, entity_lexicon(rest)),
                ranks=a.rank_features,
                pairs=a.cluster_pairs,
            )
            xseqs += [
                fx.sentence([w for w, _ in s]) for s, g in zip(sents, fold, strict=True) if g == f
            ]
        gaz = _with_lexicon(gaz, entity_lexicon(sents))
        _save_hashed(gaz, out)
    else:
        fx = Features(clusters, gaz, ranks=a.rank_features, pairs=a.cluster_pairs)
        xseqs = [fx.sentence([w for w, _ in s]) for s in sents]
    log.info("training on %d sentences, %d tokens", len(sents), sum(map(len, sents)))
    crf = out / "ner.crfsuite"
    train_crf(sents, xseqs, crf, a.c1, a.c2, a.iters, a.minfreq)
    from marsad.stages.ner.model import MODEL_FILE, export_crfsuite

    n_attrs = export_crfsuite(crf, out / MODEL_FILE)
    if not a.keep_crfsuite:
        crf.unlink()
    took = time.time() - t0
    meta = {
        "trained_on": ["ANERcorp train.txt" + (" (first 80%)" if a.dev else "")]
        + ([f"WikiFANE (first {a.wikifane:.0%}, mapped)"] if a.wikifane else [])
        + ([f"silver: {Path(a.silver).name}"] if a.silver else [])
        + (
            [
                f"in-domain: {Path(a.indomain.partition(':')[0]).name} ({n_indomain} sentences"
                f" x {a.indomain.partition(':')[2] or 1})"
            ]
            if a.indomain
            else []
        ),
        "sentences": len(sents),
        "tokens": sum(map(len, sents)),
        "c1": a.c1,
        "c2": a.c2,
        "iterations": a.iters,
        "minfreq": a.minfreq,
        "wikifane_lexicon": a.lexicon,
        "train_lexicon": a.train_lexicon,
        "rank_features": a.rank_features,
        "cluster_pairs": a.cluster_pairs,
        "attributes": n_attrs,
        "training_seconds": round(took, 1),
        "o_penalty": a.o_penalty,
        # document propagation (model.NerTagger.document), chosen on train dev
        "propagate_types": ["PER", "ORG", "LOC"],
        "propagate_min_confidence": 0.8,
        "propagate_min_rank": 3000,
    }
    (out / "meta.json").write_text(json.dumps(meta, indent=2) + "\n", "utf-8")
    from marsad.stages.ner.model import export_table

    export_table(out, a.table)
    log.info("model written to %s in %.0f s", out, took)
    if dev:
        from marsad.evaluate.ner import score
        from marsad.stages.ner.model import NerTagger

        tagger = NerTagger(out)
        r = score(dev, tagger)
        print(json.dumps({"dev": r}, indent=1))
        o = tagger.labels.index("O")
        row = tagger.index["bias"]
        base = tagger.weights[row, o]
        for pen in (0.0, 0.25, 0.5, 0.75, 1.0, 1.5, 2.0):
            tagger.weights[row, o] = base - pen
            tagger._cache.clear()
            r = score(dev, tagger)
            print(
                f"o_penalty {pen}: dev P {r['precision']} R {r['recall']} F1 {r['f1']} "
                + " ".join(f"{t} {v['f1']}" for t, v in r["per_type"].items())
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
