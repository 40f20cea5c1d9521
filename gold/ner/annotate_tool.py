"""Annotation helper for the in-domain NER gold set (gold/ner/).

An annotator's tool, not part of the marsad library. It never writes article text into the
repository: text is read from the shared data folder; the annotator's notes (which quote the
text) live in a scratch folder outside the repository.

Subcommands
-----------
select   Deterministic article selection and dev/test split -> ``selection.json`` (ids only).
select-train  Deterministic selection of the training part -> ``train_selection.json``
         (seed ``TRAIN_SEED``; disjoint from dev/test and from every gold/quotes file).
pretag   (``--part train`` only) Write notes pre-filled with the current ``entities`` stage's
         mentions into ``<scratch>/notes_train/``, for hand correction (model-assisted).
show     Write the selected articles (title + text) into ``<scratch>/articles/`` for reading.
check    Convert notes (``--only`` an id substring) and print every entity in context.
convert  Convert all notes into ``gold/ner/dev.jsonl`` and ``gold/ner/test.jsonl``
         (``--part train``: into ``gold/ner/train.jsonl``).
stats    Counts: articles, outlets, whitespace tokens, entities by type.

``--part gold`` (default) works on dev/test (``selection.json``, ``<scratch>/notes/``);
``--part train`` on the training part (``train_selection.json``, ``<scratch>/notes_train/``,
``<scratch>/articles_train/``).

Notes format (``<scratch>/notes/<corpus>__<id>.txt``; '#' starts a comment line). One line per
distinct surface form: ``TYPE | surface``, TYPE one of PER ORG LOC MISC, or O to block a
shorter form inside it or a non-entity use. Every token-bounded occurrence of ``surface`` in the
text is marked, also behind the proclitics و ف ب ل ك (and their combinations, and ل + ال written
لل), which stay outside the span. Longer surfaces are applied first and occurrences never
overlap, so ``ORG | الأمم المتحدة`` wins over ``LOC | المتحدة``. ``surface#n`` restricts a line to
the n-th occurrence (counted over all occurrences, 1-based), ``surface#n,m`` to several.

Data: ``$MARSAD_SHARED/data/news`` (default ``/work/shared``); scratch: ``$NER_SCRATCH``
(default ``/work/scratch/ner``).
"""

from __future__ import annotations

import argparse
import collections
import gzip
import hashlib
import json
import os
import random
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
SHARED = Path(os.environ.get("MARSAD_SHARED", "/work/shared")) / "data" / "news"
SCRATCH = Path(os.environ.get("NER_SCRATCH", "/work/scratch/ner"))
CORPORA = {"saudinewsnet": "saudinewsnet.jsonl.gz", "ant_v2.1": "ant_v2.1.jsonl.gz"}
SEED = 20261205
MIN_LEN, MAX_LEN = 1200, 3000
SNN_OUTLETS = ["3alyoum", "aawsat", "aleqtisadiya", "aljazirah", "almadina", "alriyadh",
               "alwatan", "alweeam", "alyaum", "okaz", "sabq", "was"]
SNN_PER_OUTLET = 4            # 48
ANT_OUTLETS = ["alarabia", "BBC", "CNN", "france24", "skynews"]
ANT_PER_OUTLET = 11           # 55
DEV_FRACTION = 0.4
# The training part (model-assisted annotation; never used to score)
TRAIN_SEED = 20261208
TRAIN_MIN_LEN, TRAIN_MAX_LEN = 1000, 2200
TRAIN_SNN_PER_OUTLET = 4      # 48
TRAIN_ANT_PER_OUTLET = 10     # 50
PART = "gold"                 # set by --part
TYPES = {"PER", "ORG", "LOC", "MISC", "O"}
PROCLITIC = re.compile(r"(?:[وف]?[بلك]|[وف])")


def load_corpus(corpus: str) -> dict[str, dict]:
    out = {}
    with gzip.open(SHARED / CORPORA[corpus], "rt", encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            out[rec["id"]] = rec
    return out


def sha1(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def _quotes_gold_ids() -> set[tuple[str, str]]:
    ids = set()
    for split in ("dev", "test"):
        p = HERE.parent / "quotes" / f"{split}.jsonl"
        if p.exists():
            for line in p.read_text(encoding="utf-8").splitlines():
                if line.strip():
                    r = json.loads(line)
                    ids.add((r["corpus"], r["id"]))
    p = HERE.parent / "quotes" / "round2.json"
    if p.exists():
        ids |= {(a["corpus"], a["id"]) for a in json.loads(p.read_text())["articles"]}
    return ids


def _all_quotes_ids() -> set[tuple[str, str]]:
    """Every article of gold/quotes (all rounds and splits), for the training part."""
    ids = set()
    for p in sorted((HERE.parent / "quotes").glob("*.jsonl")):
        for line in p.read_text(encoding="utf-8").splitlines():
            if line.strip():
                r = json.loads(line)
                ids.add((r["corpus"], r["id"]))
    for p in sorted((HERE.parent / "quotes").glob("*.json")):
        ids |= {(a["corpus"], a["id"]) for a in json.loads(p.read_text())["articles"]}
    return ids


def select_train() -> dict:
    """The training part: TRAIN_SNN_PER_OUTLET articles of each SaudiNewsNet outlet and
    TRAIN_ANT_PER_OUTLET of each ANT outlet, TRAIN_MIN_LEN..TRAIN_MAX_LEN characters, none in
    dev/test (selection.json) or in any gold/quotes file; same procedure as ``select``."""
    rng = random.Random(TRAIN_SEED)
    taken = _all_quotes_ids() | {(a["corpus"], a["id"]) for a in
                                 json.loads((HERE / "selection.json").read_text())["articles"]}
    chosen = []
    for corpus, outlets, n in (("saudinewsnet", SNN_OUTLETS, TRAIN_SNN_PER_OUTLET),
                               ("ant_v2.1", ANT_OUTLETS, TRAIN_ANT_PER_OUTLET)):
        recs = load_corpus(corpus)
        for outlet in outlets:
            ids = sorted(i for i, r in recs.items() if r["source"] == outlet
                         and TRAIN_MIN_LEN <= len(r["text"]) <= TRAIN_MAX_LEN
                         and (corpus, i) not in taken)
            rng.shuffle(ids)
            chosen += [(corpus, i, outlet) for i in ids[:n]]
    sel = {"seed": TRAIN_SEED, "length": [TRAIN_MIN_LEN, TRAIN_MAX_LEN],
           "articles": [{"corpus": c, "id": i, "source": s, "split": "train"}
                        for c, i, s in chosen]}
    (HERE / "train_selection.json").write_text(json.dumps(sel, indent=1) + "\n", encoding="utf-8")
    return sel


def select() -> dict:
    rng = random.Random(SEED)
    taken = _quotes_gold_ids()
    chosen = []
    snn = load_corpus("saudinewsnet")
    for outlet in SNN_OUTLETS:
        ids = sorted(i for i, r in snn.items() if r["source"] == outlet
                     and MIN_LEN <= len(r["text"]) <= MAX_LEN and ("saudinewsnet", i) not in taken)
        rng.shuffle(ids)
        chosen += [("saudinewsnet", i, outlet) for i in ids[:SNN_PER_OUTLET]]
    ant = load_corpus("ant_v2.1")
    for outlet in ANT_OUTLETS:
        ids = sorted(i for i, r in ant.items() if r["source"] == outlet
                     and MIN_LEN <= len(r["text"]) <= MAX_LEN and ("ant_v2.1", i) not in taken)
        rng.shuffle(ids)
        chosen += [("ant_v2.1", i, outlet) for i in ids[:ANT_PER_OUTLET]]
    split = {}
    for corpus in CORPORA:
        ids = sorted(i for c, i, _ in chosen if c == corpus)
        rng.shuffle(ids)
        n_dev = round(DEV_FRACTION * len(ids))
        for j, i in enumerate(ids):
            split[(corpus, i)] = "dev" if j < n_dev else "test"
    sel = {"seed": SEED, "articles": [{"corpus": c, "id": i, "source": s, "split": split[(c, i)]}
                                      for c, i, s in chosen]}
    (HERE / "selection.json").write_text(json.dumps(sel, indent=1) + "\n", encoding="utf-8")
    return sel


def selection() -> dict:
    name = "train_selection.json" if PART == "train" else "selection.json"
    return json.loads((HERE / name).read_text(encoding="utf-8"))


def notes_dir() -> Path:
    return SCRATCH / ("notes_train" if PART == "train" else "notes")


def pretag() -> None:
    """Notes pre-filled with the entities stage's mentions (one line per distinct surface and
    type), never overwriting a notes file that exists. For the training part only."""
    sys.path.insert(0, str(HERE.parents[1] / "src"))
    from marsad.core.settings import load_settings
    from marsad.readers.base import make_article
    from marsad.run.pipeline import Pipeline

    settings = load_settings()
    keep = {"language", "blocks", "metadata", "sentences", "tokens", "entities"}
    pipe = Pipeline(settings=settings,
                    disable=[s.name for s in Pipeline().stages if s.name not in keep])
    data = {c: load_corpus(c) for c in CORPORA}
    d = notes_dir()
    d.mkdir(parents=True, exist_ok=True)
    for art in selection()["articles"]:
        path = d / f"{art['corpus']}__{art['id']}.txt"
        if path.exists():
            continue
        text = data[art["corpus"]][art["id"]]["text"]
        a = pipe(make_article(text, id=art["id"], path=None, settings=settings))
        lines, seen = [], set()
        for m in a.layers.get("mentions", []):
            key = (m.type, text[m.start:m.end])
            if key not in seen:
                seen.add(key)
                lines.append(f"{key[0]} | {key[1]}")
        path.write_text("# pre-tagged by the entities stage; corrected by hand\n"
                        + "\n".join(lines) + "\n", encoding="utf-8")


class NoteError(ValueError):
    pass


def _letter(ch: str) -> bool:
    return ch.isalnum() or "\u064b" <= ch <= "\u0652" or ch == "\u0640"


def _occurrences(text: str, surface: str) -> list[tuple[int, int]]:
    """(start, end) of each occurrence of surface as a whole token run, proclitics allowed."""
    forms = [surface]
    if surface.startswith("ال") and len(surface) > 2:
        forms.append("ل" + surface[2:])        # ل + ال -> لل : match after the first ل
    out = []
    for form in forms:
        i = text.find(form)
        while i >= 0:
            j = i + len(form)
            # walk back over proclitics to the token start
            k = i
            while k > 0 and _letter(text[k - 1]):
                k -= 1
            prefix = text[k:i]
            ok_prefix = prefix == "" or PROCLITIC.fullmatch(prefix) is not None
            if form is not surface:          # the لل form needs ل before it
                ok_prefix = prefix in ("ل", "ول", "فل")
            if ok_prefix and (j == len(text) or not _letter(text[j])):
                out.append((i, j))
            i = text.find(form, i + 1)
    return sorted(set(out))


def convert_note(text: str, note: str) -> list[list]:
    rules = []
    for ln, line in enumerate(note.splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        parts = [p.strip() for p in line.split(" | ")]
        if len(parts) != 2 or parts[0] not in TYPES:
            raise NoteError(f"line {ln}: expected 'TYPE | surface': {line!r}")
        typ, surface = parts
        nths = None
        m = re.match(r"^(.*)#([\d,]+)$", surface)
        if m:
            surface, nths = m.group(1), {int(x) for x in m.group(2).split(",")}
        occ = _occurrences(text, surface)
        if not occ:
            raise NoteError(f"line {ln}: not found: {surface!r}")
        if nths:
            if max(nths) > len(occ):
                raise NoteError(f"line {ln}: {surface!r} has only {len(occ)} occurrences")
            occ = [o for n, o in enumerate(occ, 1) if n in nths]
        rules.append((len(surface), ln, typ, occ))
    taken: list[tuple[int, int, str]] = []
    for _, _, typ, occ in sorted(rules, key=lambda r: (-r[0], r[1])):
        for s, e in occ:
            if any(s < b and a < e for a, b, _ in taken):
                continue
            taken.append((s, e, typ))
    return sorted([s, e, t] for s, e, t in taken if t != "O")


def show() -> None:
    data = {c: load_corpus(c) for c in CORPORA}
    d = SCRATCH / ("articles_train" if PART == "train" else "articles")
    d.mkdir(parents=True, exist_ok=True)
    for n, art in enumerate(selection()["articles"]):
        rec = data[art["corpus"]][art["id"]]
        body = (f"# {n:03d} {art['corpus']} {art['id']} {art['source']} {art['split']}\n"
                f"# TITLE {rec['title']}\n{rec['text']}\n")
        (d / f"{n:03d}__{art['corpus']}__{art['id']}.txt").write_text(body, encoding="utf-8")


def _convert_all(only: str | None = None):
    data = {c: load_corpus(c) for c in CORPORA}
    for art in selection()["articles"]:
        if only and only not in art["id"]:
            continue
        path = notes_dir() / f"{art['corpus']}__{art['id']}.txt"
        text = data[art["corpus"]][art["id"]]["text"]
        if not path.exists():
            yield art, text, None, "MISSING notes"
            continue
        try:
            yield art, text, convert_note(text, path.read_text(encoding="utf-8")), None
        except NoteError as exc:
            yield art, text, None, str(exc)


def check(only: str | None) -> None:
    for art, text, ents, err in _convert_all(only):
        print(f"\n=== {art['corpus']} {art['id']}")
        if err:
            print("ERROR", err)
            continue
        for s, e, t in ents:
            print(f"{t:5} [{text[max(0, s - 15):s]}]<<{text[s:e]}>>[{text[e:e + 10]}]")


def convert() -> None:
    out = {"train": []} if PART == "train" else {"dev": [], "test": []}
    errors = 0
    for art, text, ents, err in _convert_all():
        if err:
            print(f"{art['corpus']}__{art['id']}: {err}", file=sys.stderr)
            errors += 1
            continue
        out[art["split"]].append(json.dumps({"corpus": art["corpus"], "id": art["id"],
                                             "source": art["source"], "sha1": sha1(text),
                                             "entities": ents}, ensure_ascii=False))
    for split, lines in out.items():
        (HERE / f"{split}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(" ".join(f"{k} {len(v)}" for k, v in out.items()), f"errors {errors}")


def stats() -> None:
    data = {c: load_corpus(c) for c in CORPORA}
    c = collections.Counter()
    outlets = set()
    for split in ("dev", "test", "train"):
        p = HERE / f"{split}.jsonl"
        if not p.exists():
            continue
        for line in p.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            r = json.loads(line)
            outlets.add(r["source"])
            c[(split, "articles")] += 1
            c[(split, "tokens")] += len(data[r["corpus"]][r["id"]]["text"].split())
            for _, _, t in r["entities"]:
                c[(split, t)] += 1
    for k in sorted(c):
        print(k, c[k])
    print("outlets", len(outlets))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("cmd", choices=["select", "select-train", "pretag", "show", "check",
                                    "convert", "stats"])
    ap.add_argument("--only")
    ap.add_argument("--part", choices=["gold", "train"], default="gold")
    args = ap.parse_args()
    global PART
    PART = args.part
    if args.cmd == "select-train":
        for a in select_train()["articles"]:
            print(a["corpus"], a["id"], a["source"], a["split"])
    elif args.cmd == "pretag":
        if PART != "train":
            sys.exit("pretag is for --part train only: dev/test stay independent of marsad")
        pretag()
    elif args.cmd == "select":
        for a in select()["articles"]:
            print(a["corpus"], a["id"], a["source"], a["split"])
    elif args.cmd == "show":
        show()
    elif args.cmd == "check":
        check(args.only)
    elif args.cmd == "convert":
        convert()
    else:
        stats()


if __name__ == "__main__":
    main()
