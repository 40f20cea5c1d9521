"""Word clusters learned from unlabelled news (training only; needs numpy and scipy).

Distributional word vectors from the news corpora in ``../shared/data/news``: counts of
(word, context word at position -2, -1, +1 or +2) pairs (four context blocks, so that the
vectors reflect word order and syntax more than topic), positive PMI with context-distribution smoothing
(α = 0.75), truncated SVD, then spherical k-means at several granularities. Each word gets one
cluster id per granularity; the tagger uses them as features (words that behave alike, e.g.
unseen foreign surnames, share a cluster). Three context priors are added (:func:`context_priors`:
how often the word follows a title or speech verb, a place word, and carries ال). The result
is a small TSV shipped with the model: ``word<TAB>c1<TAB>c2<TAB>c3<TAB>per<TAB>loc<TAB>al``.

Run: ``python -m marsad.stages.ner.clusters [--news DIR] [--out FILE]``.
"""

from __future__ import annotations

import argparse
import gzip
import json
import logging
import re
import time
from collections import Counter
from pathlib import Path

import numpy as np

from marsad.text.normalize import normalize_text

log = logging.getLogger(__name__)

NEWS_FILES = ("ant_v2.1.jsonl.gz", "ant_v1.1.jsonl.gz", "saudinewsnet.jsonl.gz")
_WORD = re.compile(r"[^\W\d_]+|\d+")


def news_texts(news_dir: Path, limit: int | None = None):
    """Title and text of each article of the news corpora (normalised)."""
    n = 0
    for name in NEWS_FILES:
        p = news_dir / name
        if not p.exists():
            continue
        with gzip.open(p, "rt", encoding="utf-8") as f:
            for line in f:
                rec = json.loads(line)
                yield normalize_text(f"{rec.get('title') or ''}\n{rec.get('text') or ''}")
                n += 1
                if limit and n >= limit:
                    return


def tokens_of(text: str) -> list[str]:
    return _WORD.findall(text)


def learn(
    news_dir: Path,
    vocab: int = 100_000,
    contexts: int = 20_000,
    dim: int = 100,
    ks: tuple[int, ...] = (64, 256, 1024),
    min_count: int = 5,
    limit: int | None = None,
    seed: int = 13,
) -> dict[str, tuple[int, ...]]:
    from scipy.sparse import coo_matrix, csr_matrix
    from scipy.sparse.linalg import svds

    t0 = time.time()
    docs = [tokens_of(t) for t in news_texts(news_dir, limit)]
    counts = Counter()
    for d in docs:
        counts.update(d)
    words = [w for w, c in counts.most_common(vocab) if c >= min_count]
    index = {w: i for i, w in enumerate(words)}
    V, C = len(words), min(contexts, len(words))
    log.info(
        "%d docs, %d tokens, vocab %d (%.0fs)", len(docs), sum(counts.values()), V, time.time() - t0
    )
    get = index.get
    mat = csr_matrix((V, 4 * C), dtype=np.float64)
    chunk: list[int] = []

    def flush(chunk: list[int]) -> csr_matrix:
        ids = np.asarray(chunk, dtype=np.int64)
        rows, cols = [], []
        # directional contexts: word at -2, -1, +1, +2 are four separate context blocks
        for slot, k in enumerate((1, 2)):
            a, b = ids[:-k], ids[k:]
            for d, (x, y) in enumerate(((a, b), (b, a))):
                m = (x >= 0) & (y >= 0) & (y < C)
                rows.append(x[m])
                cols.append(y[m] + (2 * slot + d) * C)
        r = np.concatenate(rows)
        c = np.concatenate(cols)
        return coo_matrix((np.ones(len(r)), (r, c)), shape=(V, 4 * C)).tocsr()

    for d in docs:
        chunk.extend(get(w, -1) for w in d)
        chunk.extend((-1, -1))
        if len(chunk) > 5_000_000:
            mat = mat + flush(chunk)
            chunk = []
    if chunk:
        mat = mat + flush(chunk)
    del docs
    log.info("co-occurrence %d non-zero (%.0fs)", mat.nnz, time.time() - t0)
    # PPMI with context smoothing
    total = mat.sum()
    wsum = np.asarray(mat.sum(axis=1)).ravel()
    csum = np.asarray(mat.sum(axis=0)).ravel() ** 0.75
    csum /= csum.sum()
    mat = mat.tocoo()
    pmi = np.log(mat.data / total) - np.log(wsum[mat.row] / total) - np.log(csum[mat.col])
    keep = pmi > 0
    ppmi = csr_matrix((pmi[keep], (mat.row[keep], mat.col[keep])), shape=(V, 4 * C))
    u, s, _ = svds(ppmi, k=dim, random_state=seed)
    vec = u * np.sqrt(s)
    vec /= np.linalg.norm(vec, axis=1, keepdims=True) + 1e-9
    log.info("svd done (%.0fs)", time.time() - t0)
    labels = [kmeans(vec, k, seed=seed) for k in ks]
    log.info("k-means done (%.0fs)", time.time() - t0)
    return {w: tuple(int(lab[i]) for lab in labels) for i, w in enumerate(words)}


def kmeans(x: np.ndarray, k: int, iters: int = 15, seed: int = 13) -> np.ndarray:
    """Spherical k-means (cosine), initialised from frequent words (rows are by frequency)."""
    rng = np.random.default_rng(seed)
    n = len(x)
    init = rng.choice(min(n, max(4 * k, 20_000)), size=k, replace=False)
    cent = x[init].copy()
    lab = np.zeros(n, dtype=np.int64)
    for _ in range(iters):
        lab = np.empty(n, dtype=np.int64)
        for i in range(0, n, 20_000):
            lab[i : i + 20_000] = np.argmax(x[i : i + 20_000] @ cent.T, axis=1)
        for j in range(k):
            m = lab == j
            if m.any():
                c = x[m].sum(axis=0)
                cent[j] = c / (np.linalg.norm(c) + 1e-9)
    return lab


#: Words before a person name (titles, roles) and before a place name, normalised.
PERSON_TRIGGERS = frozenset(
    normalize_text(w)
    for w in (
        "الرئيس السيد السيدة الوزير وزير الملك الأمير الأميرة الشيخ الدكتور د المهندس اللاعب "
        "المدرب النجم الفنان الفنانة الكاتب الكاتبة الشاعر المخرج الممثل الممثلة المطرب "
        "المطربة الناطق المتحدث السفير النائب العقيد اللواء العميد الفريق المشير الرئيسة "
        "الإمام البابا القس المستشار الزعيم رئيس نائب الأستاذ القاضي المحامي الصحفي "
        "الصحافي الجنرال المرشح المغني المغنية السلطان ولي قال قالت أكد أكدت وأكد وقال"
    ).split()
)
PLACE_TRIGGERS = frozenset(
    normalize_text(w)
    for w in (
        "مدينة مدينه العاصمة ولاية محافظة منطقة إقليم بلدة قرية جزيرة جزر بحر نهر مطار "
        "ميناء حي شارع دولة عاصمة مدن"
    ).split()
)


def context_priors(news_dir: Path, words: list[str], limit: int | None = None) -> dict:
    """For each word, the share of its occurrences in the news right after a person trigger
    (a title or a speech verb) and right after a place trigger, bucketed (0-4), and the
    share of its occurrences that carry the article ال, bucketed: evidence that a rare
    word is a name, learned without labels."""
    index = {w: i for i, w in enumerate(words)}
    n = len(words)
    total = np.zeros(n)
    after_per = np.zeros(n)
    after_loc = np.zeros(n)
    with_al = np.zeros(n)
    get = index.get
    for text in news_texts(news_dir, limit):
        prev = ""
        for w in tokens_of(text):
            key = w
            i = get(key)
            if i is None and w.startswith("ال"):
                i = get(w[2:])
                if i is not None:
                    with_al[i] += 1
            elif i is None and len(w) > 3 and w[0] in "وفبل":
                i = get(w[1:])
            if i is not None:
                total[i] += 1
                if prev in PERSON_TRIGGERS:
                    after_per[i] += 1
                elif prev in PLACE_TRIGGERS:
                    after_loc[i] += 1
            prev = w

    def bucket(x: np.ndarray) -> np.ndarray:
        r = x / np.maximum(total, 1)
        return np.digitize(r, [0.02, 0.1, 0.3, 0.6])

    bp, bl, ba = bucket(after_per), bucket(after_loc), bucket(with_al)
    return {w: (str(bp[i]), str(bl[i]), str(ba[i])) for i, w in enumerate(words)}


def write(clusters: dict[str, tuple[int, ...]], out: Path) -> None:
    with gzip.open(out, "wt", encoding="utf-8", compresslevel=9) as f:
        for w, cs in clusters.items():
            f.write(w + "\t" + "\t".join(map(str, cs)) + "\n")


def read(path: Path) -> dict[str, tuple[str, ...]]:
    out: dict[str, tuple[str, ...]] = {}
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for line in f:
            parts = line.rstrip("\n").split("\t")
            out[parts[0]] = tuple(parts[1:])
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="marsad.stages.ner.clusters")
    ap.add_argument("--news", default="../shared/data/news")
    ap.add_argument("--out", default="src/marsad/models/ner/clusters.tsv.gz")
    ap.add_argument("--limit", type=int, default=None)
    ap.add_argument("--vocab", type=int, default=100_000)
    ap.add_argument(
        "--priors-only", action="store_true", help="keep the clusters of --out, recount priors"
    )
    a = ap.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    if a.priors_only and Path(a.out).exists():
        cl = {w: c[:3] for w, c in read(Path(a.out)).items()}
    else:
        cl = learn(Path(a.news), vocab=a.vocab, limit=a.limit)
    pri = context_priors(Path(a.news), list(cl), a.limit)
    write({w: (*c, *pri[w]) for w, c in cl.items()}, Path(a.out))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
