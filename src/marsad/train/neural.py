"""Training the neural NER tagger (characters + word vectors → BiLSTM → CRF) with PyTorch.

``marsad train ner --model neural [--dev] [--epochs N] [--extra corpus:share ...]``. Needs the
``train`` extra (``pip install -e ".[train]"``: a CPU build of torch); the shipped model is
plain numpy arrays (``neural.npz``) read by :mod:`marsad.stages.ner.neural`, so torch is never
needed at run time. ``--onnx`` also writes the network as ONNX (for other run times).

Data: ANERcorp ``train.txt`` (never ``test.txt``); ``--dev`` holds out its last 20 % and
scores every epoch on it (the numpy tagger, exactly as shipped), which is how the number of
epochs and the extra data were chosen. Without ``--dev`` the model is trained on all of train
for ``--epochs`` epochs. Word vectors are frozen (so the shipped list can be pruned).
"""

from __future__ import annotations

import json
import logging
import random
import time
from pathlib import Path

import numpy as np

from marsad.evaluate.ner import news_gold_sentences
from marsad.stages.ner import data
from marsad.stages.ner.features import Features, Gazetteers
from marsad.stages.ner.neural import (
    WEIGHTS_FILE,
    NeuralTagger,
    WordInputs,
    default_dir,
    load_inputs,
    models_dir,
)
from marsad.text.normalize import normalize_text

log = logging.getLogger(__name__)

LABELS = ["O", "B-PER", "I-PER", "B-LOC", "I-LOC", "B-ORG", "I-ORG", "B-MISC", "I-MISC"]
GAZ_KEYS = ["gPER", "gLOC", "hPER", "hLOC", "hORG", "hwPER", "hwLOC", "hwORG", "hwMISC"]


def _torch():
    try:
        import torch
    except ImportError as e:  # pragma: no cover - depends on the environment
        raise SystemExit(
            'training the neural tagger needs torch: pip install -e ".[train]" '
            "(a CPU build is enough)"
        ) from e
    return torch


def build_net(
    torch,
    n_chars: int,
    d_vec: int,
    n_flags: int,
    cfg: dict,
    n_ft: int = 0,
    d_ft: int = 0,
    n_crf: int = 0,
):
    """The network; ``n_ft`` > 0 adds a trainable correction of the word vectors of that many
    training words (row 0: none), fine-tuning them while the shipped vectors stay frozen; it
    corrects the first ``d_ft`` inputs (the word's own vector; default all ``d_vec``).
    ``n_crf`` > 0: the LSTM also reads that many per-token inputs (the CRF's marginals),
    after the dropout of the word inputs."""
    nn = torch.nn

    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.cemb = nn.Embedding(n_chars, cfg["char_dim"], padding_idx=0)
            self.conv = nn.Conv1d(cfg["char_dim"], cfg["char_out"], 3, padding=1)
            d_in = d_vec + cfg["char_out"] + n_flags
            self.lstm = nn.LSTM(
                d_in + n_crf, cfg["hidden"], batch_first=True, bidirectional=True
            )
            self.out = nn.Linear(2 * cfg["hidden"], len(LABELS))
            self.trans = nn.Parameter(torch.zeros(len(LABELS), len(LABELS)))
            self.start = nn.Parameter(torch.zeros(len(LABELS)))
            self.end = nn.Parameter(torch.zeros(len(LABELS)))
            self.drop = nn.Dropout(cfg["dropout"])
            self.d_ft = d_ft or d_vec
            if n_ft:
                self.delta = nn.Embedding(n_ft, self.d_ft, padding_idx=0)
                nn.init.zeros_(self.delta.weight)

        def char_feats(self, chars):
            e = self.cemb(chars).transpose(1, 2)
            c = self.conv(e)
            c = c.masked_fill((chars == 0).unsqueeze(1), -1e4)
            return c.max(dim=2).values

        def emissions(self, ids, lens, vec, chars, flags, ft=None, crf=None):
            x = torch.cat([vec, self.char_feats(chars), flags], dim=1)[ids]
            if ft is not None:
                d = self.delta(ft)
                x = torch.cat([x[..., : self.d_ft] + d, x[..., self.d_ft :]], dim=-1)
            x = self.drop(x)
            if crf is not None:
                x = torch.cat([x, crf], dim=-1)
            packed = nn.utils.rnn.pack_padded_sequence(
                x, lens, batch_first=True, enforce_sorted=False
            )
            h, _ = self.lstm(packed)
            h, _ = nn.utils.rnn.pad_packed_sequence(h, batch_first=True, total_length=ids.shape[1])
            return self.out(self.drop(h))

        def nll(self, em, tags, mask, lens):
            b, m, _ = em.shape
            ar = torch.arange(b)
            gold = em.gather(2, tags.unsqueeze(2)).squeeze(2)
            score = (gold * mask).sum(1) + self.start[tags[:, 0]]
            tr = self.trans[tags[:, :-1], tags[:, 1:]]
            score = score + (tr * mask[:, 1:]).sum(1)
            score = score + self.end[tags[ar, lens - 1]]
            alpha = self.start + em[:, 0]
            for t in range(1, m):
                nxt = torch.logsumexp(alpha.unsqueeze(2) + self.trans, dim=1) + em[:, t]
                alpha = torch.where(mask[:, t].unsqueeze(1) > 0, nxt, alpha)
            log_z = torch.logsumexp(alpha + self.end, dim=1)
            return (log_z - score).sum()

    return Net()


def export(
    net, out: Path, inputs: WordInputs, meta: dict, ft_words: list[str] | None = None
) -> None:
    """The weights as numpy arrays (gates reordered to i, f, o, g; both directions' input
    projections side by side) and ``meta.json``; with fine-tuning, the corrections of the
    training words' vectors (``ft_words``: the normalised words of rows 1…, float16)."""
    sd = {k: v.detach().cpu().numpy().astype(np.float32) for k, v in net.state_dict().items()}
    extra = {}
    if ft_words and "delta.weight" in sd:
        d = sd["delta.weight"][1:]
        keep = np.abs(d).max(axis=1) > 0
        extra = {
            "ft_words": np.array([w for w, k in zip(ft_words, keep, strict=True) if k]),
            "ft_delta": d[keep].astype(np.float16),
        }
    h = sd["lstm.weight_hh_l0"].shape[1]

    def reorder(w):  # torch gate order i, f, g, o → i, f, o, g
        i, f, g, o = np.split(w, 4, axis=0)
        return np.concatenate([i, f, o, g], axis=0)

    w_in, b_in, w_hh = [], [], []
    for sfx in ("l0", "l0_reverse"):
        w_in.append(reorder(sd[f"lstm.weight_ih_{sfx}"]).T)
        b_in.append(reorder(sd[f"lstm.bias_ih_{sfx}"] + sd[f"lstm.bias_hh_{sfx}"]))
        w_hh.append(reorder(sd[f"lstm.weight_hh_{sfx}"]).T)
    w_in_all = np.concatenate(w_in, axis=1)
    n_crf = len(LABELS) if meta.get("crf_input") else 0
    if n_crf:  # the CRF-marginal rows of the input projection, kept apart
        extra["w_crf"] = w_in_all[-n_crf:]
        w_in_all = w_in_all[:-n_crf]
    conv = sd["conv.weight"]  # cout × cdim × 3
    out.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(
        out / WEIGHTS_FILE,
        labels=np.array(LABELS),
        char_emb=sd["cemb.weight"],
        conv_w=conv.transpose(2, 1, 0).reshape(-1, conv.shape[0]),
        conv_b=sd["conv.bias"],
        w_in=w_in_all,
        b_in=np.concatenate(b_in),
        w_hh=np.stack(w_hh),
        w_out=sd["out.weight"].T,
        b_out=sd["out.bias"],
        trans=sd["trans"],
        start=sd["start"],
        end=sd["end"],
        **extra,
    )
    assert w_hh[0].shape == (h, 4 * h)
    (out / "meta.json").write_text(json.dumps(meta, indent=1, ensure_ascii=False) + "\n", "utf-8")


def export_onnx(torch, net, path: Path, n_flags: int, d_vec: int) -> None:
    """The emission network as ONNX (inputs: token→type ids, sentence lengths, type vectors,
    character ids, flags; output: label scores). The CRF (``trans``, ``start``, ``end``) is in
    ``neural.npz``."""

    class Emit(torch.nn.Module):
        def __init__(self, net):
            super().__init__()
            self.net = net

        def forward(self, ids, vec, chars, flags):
            x = torch.cat([vec, self.net.char_feats(chars), flags], dim=1)[ids]
            h, _ = self.net.lstm(x)
            return self.net.out(h)

    net.eval()
    args = (
        torch.zeros((1, 3), dtype=torch.long),
        torch.zeros((2, d_vec)),
        torch.ones((2, 4), dtype=torch.long),
        torch.zeros((2, n_flags)),
    )
    torch.onnx.export(
        Emit(net), args, str(path), input_names=["ids", "vec", "chars", "flags"],
        output_names=["scores"], dynamo=False,
        dynamic_axes={"ids": {0: "b", 1: "t"}, "vec": {0: "w"}, "chars": {0: "w", 1: "l"},
                      "flags": {0: "w"}, "scores": {0: "b", 1: "t"}},
    )  # fmt: skip


class Encoded:
    """Sentences as word-type ids, with the inputs of every type (computed once)."""

    def __init__(self, inputs: WordInputs):
        self.inputs = inputs
        self.types: dict[str, int] = {}
        self.norms: list[str] = []

    def ids(self, words: list[str]) -> list[int]:
        out = []
        for w in words:
            n = normalize_text(w)
            i = self.types.get(n)
            if i is None:
                i = self.types[n] = len(self.norms)
                self.norms.append(n)
            out.append(i)
        return out

    def tensors(self, torch):
        vec, chars, flags, _ = self.inputs.batch(self.norms)
        return torch.from_numpy(vec), torch.from_numpy(chars), torch.from_numpy(flags)


def char_list(sents: list[data.Sentence], min_count: int = 2) -> str:
    from collections import Counter

    c: Counter[str] = Counter()
    for s in sents:
        for w, _ in s:
            c.update(normalize_text(w))
    return "".join(sorted(ch for ch, k in c.items() if k >= min_count))


def crf_fold_marginals(
    sents: list[data.Sentence], crf_dir: Path, k: int, work: Path
) -> list[np.ndarray]:
    """The learned stack's CRF inputs in training: each sentence's marginals (tokens × labels,
    in :data:`LABELS` order) from a CRF trained, with the settings, gazetteers and clusters of
    ``crf_dir``, on the other ``k`` − 1 folds (blocks of 20 sentences dealt round), so the
    network sees CRF outputs as they are on unseen text. Cached in ``work``."""
    import shutil

    from marsad.stages.ner.clusters import read
    from marsad.stages.ner.model import MODEL_FILE, NerTagger, _pairs, export_crfsuite
    from marsad.train.crf import train_crf

    n_tok = sum(map(len, sents))
    cache = work / f"crf_folds{k}.npz"
    if cache.exists():
        with np.load(cache) as z:
            if int(z["n_sents"]) == len(sents) and int(z["n_tokens"]) == n_tok:
                flat, lens = z["marginals"], z["lens"]
                return np.split(flat, np.cumsum(lens)[:-1])
    meta = json.loads((crf_dir / "meta.json").read_text("utf-8"))
    clusters = read(crf_dir / "clusters.tsv.gz")
    fx = Features(
        clusters,
        Gazetteers.load(crf_dir),
        ranks=bool(meta.get("rank_features")),
        pairs=_pairs(meta.get("cluster_pairs")),
    )
    xseqs = [fx.sentence([w for w, _ in s]) for s in sents]
    fold = [(i // 20) % k for i in range(len(sents))]
    got: list[np.ndarray | None] = [None] * len(sents)
    for f in range(k):
        fdir = work / f"crf_fold{f}"
        fdir.mkdir(parents=True, exist_ok=True)
        for name in ("clusters.tsv.gz", "gazetteer.json", "gazetteer_hashed.json.gz", "meta.json"):
            if (crf_dir / name).exists():
                shutil.copy(crf_dir / name, fdir / name)
        rest = [i for i in range(len(sents)) if fold[i] != f]
        t0 = time.time()
        train_crf([sents[i] for i in rest], [xseqs[i] for i in rest], fdir / "ner.crfsuite",
                  meta.get("c1", 0.05), meta.get("c2", 0.01), meta.get("iterations", 200),
                  meta.get("minfreq", 1))  # fmt: skip
        export_crfsuite(fdir / "ner.crfsuite", fdir / MODEL_FILE)
        (fdir / "ner.crfsuite").unlink()
        crf = NerTagger(fdir, use_table=False)
        cols = [(j, crf.labels.index(lab)) for j, lab in enumerate(LABELS) if lab in crf.labels]
        held = [i for i in range(len(sents)) if fold[i] == f]
        for i, p in zip(held, crf.marginals_many([[w for w, _ in sents[i]] for i in held]),
                        strict=True):  # fmt: skip
            q = np.zeros((len(p), len(LABELS)), dtype=np.float32)
            for j, c in cols:
                q[:, j] = p[:, c]
            got[i] = q
        log.info("CRF fold %d/%d: %d sentences held out, %.0f s", f + 1, k, len(held),
                 time.time() - t0)  # fmt: skip
    out = [g for g in got if g is not None]
    assert len(out) == len(sents)
    np.savez_compressed(cache, marginals=np.concatenate(out), lens=np.array(list(map(len, out))),
                        n_sents=len(sents), n_tokens=n_tok)  # fmt: skip
    return out


def train(
    sents: list[data.Sentence],
    dev: list[data.Sentence],
    out: Path,
    cfg: dict,
    meta: dict,
    onnx: bool = False,
) -> dict:
    torch = _torch()
    torch.set_num_threads(cfg["threads"])
    torch.manual_seed(cfg["seed"])
    rng = random.Random(cfg["seed"])
    chars = char_list(sents)
    meta = {**meta, "chars": chars, "gaz_keys": GAZ_KEYS, "config": cfg}
    inputs = load_inputs(out, meta)
    enc = Encoded(inputs)
    lid = {lab: i for i, lab in enumerate(LABELS)}
    xs = [enc.ids([w for w, _ in s]) for s in sents]
    ys = [[lid[t] for _, t in s] for s in sents]
    vec, ch, fl = enc.tensors(torch)
    # a learned stack: the CRF's out-of-fold marginals of every training token
    crf_dir = Path(cfg["crf_input"]) if cfg.get("crf_input") else None
    cms: list | None = None
    if crf_dir is not None:
        meta["crf_input"] = {"crf": str(crf_dir), "folds": cfg["crf_folds"]}
        cms = [torch.from_numpy(p) for p in
               crf_fold_marginals(sents, crf_dir, cfg["crf_folds"], out)]  # fmt: skip
    # fine-tuning: the words seen at least ``finetune`` times in training get a trainable
    # correction of their vector (dropped per token with probability ``word_drop``, so that
    # the network also learns to read words it never saw)
    ft_min = int(cfg.get("finetune", 0))
    ft_words: list[str] = []
    ft_of = torch.zeros(len(enc.norms), dtype=torch.long)
    if ft_min:
        from collections import Counter

        seen = Counter(i for x in xs for i in x)
        for i, n in enumerate(enc.norms):
            if seen[i] >= ft_min:
                ft_words.append(n)
                ft_of[i] = len(ft_words)
    net = build_net(torch, len(chars) + 2, vec.shape[1], fl.shape[1], cfg,
                    n_ft=len(ft_words) + 1 if ft_min else 0, d_ft=inputs.vectors.dim,
                    n_crf=len(LABELS) if cms is not None else 0)  # fmt: skip
    opt = torch.optim.Adam(net.parameters(), lr=cfg["lr"])
    # an exponential moving average of the weights is what is scored and shipped
    ema_decay = float(cfg.get("ema", 0.0))
    avg = None
    if ema_decay:
        import copy

        avg = copy.deepcopy(net)
    shipped = avg if avg is not None else net
    # long sentences are cut into pieces for training only (the recurrence is sequential)
    ml = cfg["max_len"]
    xs = [x[i : i + ml] for x in xs for i in range(0, len(x), ml)]
    ys = [y[i : i + ml] for y in ys for i in range(0, len(y), ml)]
    if cms is not None:
        cms = [c[i : i + ml] for c in cms for i in range(0, len(c), ml)]
        from marsad.stages.ner.model import NerTagger

        run_crf = NerTagger(crf_dir)  # the CRF beside the network when scoring dev
    order = list(range(len(xs)))
    history = []
    best = (-1.0, 0)
    t0 = time.time()
    for epoch in range(1, cfg["epochs"] + 1):
        net.train()
        for g in opt.param_groups:
            g["lr"] = cfg["lr"] / (1 + cfg.get("lr_decay", 0.0) * (epoch - 1))
        rng.shuffle(order)
        # batches of similar lengths: sort each pool of 20 batches by length
        pool = 20 * cfg["batch"]
        for k in range(0, len(order), pool):
            order[k : k + pool] = sorted(order[k : k + pool], key=lambda j: len(xs[j]))
        batches = [order[k : k + cfg["batch"]] for k in range(0, len(order), cfg["batch"])]
        rng.shuffle(batches)
        total = 0.0
        for batch in batches:
            used = sorted({i for j in batch for i in xs[j]})
            remap = {t: r for r, t in enumerate(used)}
            lens = torch.tensor([len(xs[j]) for j in batch])
            m = int(lens.max())
            ids = torch.zeros((len(batch), m), dtype=torch.long)
            tags = torch.zeros((len(batch), m), dtype=torch.long)
            for r, j in enumerate(batch):
                ids[r, : len(xs[j])] = torch.tensor([remap[i] for i in xs[j]])
                tags[r, : len(ys[j])] = torch.tensor(ys[j])
            mask = (torch.arange(m)[None, :] < lens[:, None]).float()
            u = torch.tensor(used)
            ft = None
            if ft_min:
                ft = ft_of[u][ids]
                ft = ft * (torch.rand(ft.shape) >= cfg.get("word_drop", 0.0))
            crf_in = None
            if cms is not None:
                crf_in = torch.zeros((len(batch), m, len(LABELS)))
                for r, j in enumerate(batch):
                    crf_in[r, : len(xs[j])] = cms[j]
                if cfg.get("crf_drop"):  # some tokens without the CRF: the network's own say
                    crf_in = crf_in * (torch.rand(crf_in.shape[:2]) >= cfg["crf_drop"])[..., None]
            em = net.emissions(ids, lens, vec[u], ch[u], fl[u], ft, crf_in)
            loss = net.nll(em, tags, mask, lens) / len(batch)
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(net.parameters(), 5.0)
            opt.step()
            if avg is not None:
                with torch.no_grad():
                    for pa, pn in zip(avg.parameters(), net.parameters(), strict=True):
                        pa.mul_(ema_decay).add_(pn, alpha=1 - ema_decay)
            total += float(loss.detach()) * len(batch)
        row = {
            "epoch": epoch,
            "loss": round(total / len(xs), 3),
            "seconds": round(time.time() - t0),
        }
        if dev or cfg.get("snapshots"):
            shipped.eval()
            export(shipped, out, inputs, meta, ft_words)
        if dev:
            from marsad.evaluate.ner import score

            r = score(dev, NeuralTagger(out, inputs=inputs,
                                        crf=run_crf if cms is not None else None))  # fmt: skip
            row.update(dev_f1=r["f1"], dev_p=r["precision"], dev_r=r["recall"],
                       per_type={t: v["f1"] for t, v in r["per_type"].items()})  # fmt: skip
            if r["f1"] > best[0]:
                best = (r["f1"], epoch)
                torch.save(shipped.state_dict(), out / "best.pt")
        if cfg.get("snapshots"):
            import shutil

            shutil.copy(out / WEIGHTS_FILE, out / f"epoch{epoch:02d}.npz")
        history.append(row)
        log.info("%s", json.dumps(row))
    if dev and best[1]:
        shipped.load_state_dict(torch.load(out / "best.pt"))
        (out / "best.pt").unlink()
    net = shipped
    net.eval()
    meta["history"] = history
    meta["training_seconds"] = round(time.time() - t0, 1)
    if dev:
        meta["best_dev"] = {"f1": best[0], "epoch": best[1]}
    export(net, out, inputs, meta, ft_words)
    if onnx:
        export_onnx(torch, net, out / "neural.onnx", fl.shape[1], vec.shape[1])
    return meta


DEFAULTS = {
    "char_dim": 32, "char_out": 64, "hidden": 128, "dropout": 0.5, "lr": 2e-3, "batch": 16,
    "epochs": 20, "seed": 13, "threads": 1, "max_len": 120, "finetune": 0, "word_drop": 0.0,
    "ema": 0.0, "lr_decay": 0.0, "stem_vector": False, "crf_input": "", "crf_folds": 4,
    "crf_drop": 0.0,
}  # fmt: skip


def main(a) -> int:
    """Called by :func:`marsad.train.ner.main` with its parsed arguments."""
    # progress lines on stderr even when the CLI configured logging already
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s", force=True)
    shared = Path(a.shared)
    out = Path(a.out) if a.out else default_dir()
    out.mkdir(parents=True, exist_ok=True)
    train_s = data.read_conll(shared / "ner" / "anercorp" / "train.txt")
    dev: list[data.Sentence] = []
    used = ["ANERcorp train.txt"]
    if a.dev:
        cut = int(len(train_s) * 0.8)
        train_s, dev = train_s[:cut], train_s[cut:]
        used = ["ANERcorp train.txt (first 80%)"]
    sents = list(train_s)
    for spec in a.extra or []:
        name, _, share = spec.partition(":")
        extra = extra_corpus(shared, name)
        extra = extra[: int(len(extra) * float(share or 1))]
        sents += extra
        used.append(f"{name} ({len(extra)} sentences)")
    if getattr(a, "indomain", None):
        path, _, rep = a.indomain.partition(":")
        ind = news_gold_sentences(Path(path))
        sents += ind * int(rep or 1)
        used.append(f"in-domain: {Path(path).name} ({len(ind)} sentences x {rep or 1})")
    cfg = dict(DEFAULTS)
    for k in ("epochs", "hidden", "lr", "batch", "seed", "dropout", "finetune", "word_drop",
              "ema", "lr_decay", "char_out", "threads", "stem_vector", "crf_input",
              "crf_folds", "crf_drop"):  # fmt: skip
        v = getattr(a, k, None)
        if v is not None:
            cfg[k] = v
    cfg["snapshots"] = bool(getattr(a, "snapshots", False))
    vpath = out / "vectors.json"
    if not vpath.exists():
        vpath = models_dir() / "vectors" / "vectors.json"
    vmeta = json.loads(vpath.read_text("utf-8")) if vpath.exists() else {}
    meta = {
        "model": "neural",
        "trained_on": used,
        "sentences": len(sents),
        "tokens": sum(map(len, sents)),
        "vectors": {k: vmeta.get(k) for k in ("dim", "shipped_words", "tokens")},
        "propagate_types": ["PER", "ORG", "LOC"],
        "propagate_min_confidence": 0.8,
        "propagate_min_rank": 3000,
    }
    log.info("training on %d sentences, %d tokens", len(sents), meta["tokens"])
    meta = train(sents, dev, out, cfg, meta, onnx=bool(getattr(a, "onnx", False)))
    print(card_summary(meta))
    return 0


def extra_corpus(shared: Path, name: str) -> list[data.Sentence]:
    """Extra training data: ``newsfane`` (only its sentences sharing no 5-word sequence with
    ANERcorp train *or test*: NewsFANE re-annotates ANERcorp text), ``wikifane``, ``aqmar``."""
    ner = shared / "ner"
    if name == "wikifane":
        return data.read_fane(ner / "fane" / "WikiFANE_Gold_2014_500K.txt")
    if name == "aqmar":
        return data.read_aqmar(ner / "aqmar")
    if name == "newsfane":
        fane = data.read_fane(ner / "fane" / "NewsFANE_Gold_2014_170K.txt")
        aner = [data.read_conll(ner / "anercorp" / f) for f in ("train.txt", "test.txt")]
        kept, rest, _ = data.newsfane_split(fane, aner, heldout=0.0)
        return kept + rest
    raise SystemExit(f"unknown extra corpus {name!r}: newsfane, wikifane or aqmar")


def card_summary(meta: dict) -> str:
    lines = [
        "neural NER model (characters + fastText vectors → BiLSTM → CRF)",
        f"  trained on: {', '.join(meta['trained_on'])}; {meta['tokens']:,} tokens",
        f"  config: {json.dumps(meta['config'])}",
        f"  training: {meta['training_seconds']:.0f} s",
    ]
    if "best_dev" in meta:
        lines.append(f"  best dev F1 {meta['best_dev']['f1']} at epoch {meta['best_dev']['epoch']}")
    return "\n".join(lines)
