"""Word clusters of the news word vectors, for the CRF (``fc1=``/``fc2=`` features).

``python -m marsad.train.vector_clusters --out DIR/clusters.tsv.gz``: spherical k-means (numpy,
seeded) of the fastText vectors of ``models/vectors`` at 256 and 1,024 clusters. The two ids are
added as two more columns to each word of the CRF's ``clusters.tsv.gz``
(:mod:`marsad.stages.ner.clusters`); the CRF's features read them when present. A word
without a vector gets ``-``.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

from marsad.stages.ner.clusters import read, write
from marsad.stages.ner.model import default_dir
from marsad.stages.ner.neural import Vectors, models_dir


def kmeans(x: np.ndarray, k: int, iters: int = 15, seed: int = 13) -> np.ndarray:
    rng = np.random.default_rng(seed)
    c = x[rng.choice(len(x), k, replace=False)].copy()
    for _ in range(iters):
        lab = (x @ c.T).argmax(axis=1)
        for j in range(k):
            m = lab == j
            if m.any():
                v = x[m].sum(axis=0)
                c[j] = v / (np.linalg.norm(v) + 1e-9)
    return (x @ c.T).argmax(axis=1)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m marsad.train.vector_clusters")
    ap.add_argument("--clusters", default=str(default_dir() / "clusters.tsv.gz"))
    ap.add_argument("--out", required=True)
    ap.add_argument("--ks", default="256,1024")
    a = ap.parse_args(argv)
    vec = Vectors(models_dir() / "vectors" / "vectors.npz")
    x = vec.rows(np.arange(len(vec.words)))
    x /= np.linalg.norm(x, axis=1, keepdims=True) + 1e-9
    ids = [kmeans(x, int(k)) for k in a.ks.split(",")]
    cl = read(Path(a.clusters))
    out = {}
    for w, c in cl.items():
        r = vec.index.get(w)
        extra = tuple(str(i[r]) for i in ids) if r is not None else ("-",) * len(ids)
        out[w] = (*c[:6], *extra)
    write(out, Path(a.out))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
