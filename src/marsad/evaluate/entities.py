"""``marsad eval entities [GOLD] [--split dev|test] [--json]``: the run-level entity list
against the entity-list gold (``gold/entities/``).

The sample is deterministic (``gold/entities/sample.json``): the ``size`` SaudiNewsNet
articles with the lowest SHA-1 of ``seed + ":" + id``. They run through the stages the
entity list needs (language, blocks, metadata, sentences, tokens, entities) and the
``entities`` collector, as ``marsad analyze`` would run them; the entity list is ordered as
``analysis.json`` orders it (documents, then mentions). The ``top`` (200) first entities are
looked up in the gold by their key (else by the key of one of their forms) and scored:

- **type accuracy**: share of the judged top entities whose type is the gold type (an entity
  the gold calls ``not an entity`` is wrong whatever its type);
- **junk rate**: share of the judged top entities that are not entities;
- **bad boundaries**: share whose name has words or clitics that are not part of it, or misses
  some (``boundary: "bad"`` in the gold);
- **split variants**: top entities that the gold says are another top entity (``same_as``).

Each gold row carries its split (``dev``/``test``: parity of the SHA-1 of its key, fixed when
the row was written). Entities of the top list that the gold does not know are listed as
``unjudged`` (annotate them before reading the scores). Nothing is cached.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import time
from pathlib import Path
from typing import Any

from marsad.evaluate.common import CORPORA, REPO, shared_data

GOLD = REPO / "gold" / "entities"
LABELS = ("PER", "ORG", "LOC", "MISC", "O")  # O: not an entity
STAGES = ["language", "blocks", "metadata", "sentences", "tokens", "entities"]


def split_of(key: str) -> str:
    """The split of a gold key: dev or test, by the parity of its SHA-1."""
    return "dev" if int(hashlib.sha1(key.encode("utf-8")).hexdigest()[:8], 16) % 2 == 0 else "test"


def sample_spec(gold: Path = GOLD) -> dict[str, Any]:
    return json.loads((gold / "sample.json").read_text("utf-8"))


def sample_ids(spec: dict[str, Any]) -> list[str]:
    """Ids of the sample, in file order: among the records with a non-blank text, the ``size``
    lowest SHA-1 of ``seed:id``."""
    path = shared_data() / "news" / CORPORA[spec["corpus"]]
    ids: list[str] = []
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            if str(rec.get("text") or "").strip():
                ids.append(rec["id"])
    seed = spec["seed"]

    def h(i: str) -> str:
        return hashlib.sha1(f"{seed}:{i}".encode()).hexdigest()

    chosen = set(sorted(ids, key=h)[: int(spec["size"])])
    return [i for i in ids if i in chosen]


def entity_list(spec: dict[str, Any], settings=None, limit: int | None = None) -> dict[str, Any]:
    """Run the sample and return the collector's entity rows and timing."""
    from marsad.collect.entities import EntityCollector
    from marsad.core.errors import ArticleError
    from marsad.core.settings import load_settings
    from marsad.readers.jsonl import record_to_article
    from marsad.run.pipeline import Pipeline

    settings = settings or load_settings()
    ids = sample_ids(spec)
    if limit:
        ids = ids[:limit]
    wanted = set(ids)
    pipe = Pipeline(STAGES, settings=settings)
    pipe.warm_up()
    coll = EntityCollector(settings)
    t0 = time.process_time()
    n = skipped = 0
    path = shared_data() / "news" / CORPORA[spec["corpus"]]
    digest = hashlib.sha1()
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            if rec.get("id") not in wanted:
                continue
            digest.update(rec["id"].encode() + b"\n")
            try:
                art = record_to_article(rec, spec["corpus"], rec["id"], n, "utf-8", settings)
                art.id = f"{spec['corpus']}:{rec['id']}"
                art = pipe(art)
            except ArticleError:
                skipped += 1  # empty or unreadable: skipped as marsad analyze would
                continue
            coll.add(art)
            n += 1
    rows = coll.results()["entities"]
    return {
        "articles": n,
        "skipped": skipped,
        "ids_sha1": digest.hexdigest(),
        "entities": rows,
        "cpu_seconds": round(time.process_time() - t0, 1),
    }


def read_gold(gold: Path = GOLD) -> list[dict[str, Any]]:
    path = gold / "entities.jsonl"
    return [json.loads(ln) for ln in path.read_text("utf-8").splitlines() if ln.strip()]


def _form_keys(row: dict[str, Any]) -> list[str]:
    from marsad.collect.entities import lexicon, name_parts
    from marsad.text.normalize import normalize_text

    lex = lexicon()
    return [" ".join(name_parts(normalize_text(f), row["type"], lex)) for f in row["forms"]]


def _index(gold: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    by_key: dict[str, dict[str, Any]] = {}
    for g in gold:
        by_key.setdefault(g["key"], g)
    for g in gold:
        for k in g.get("also", ()):
            by_key.setdefault(k, g)
    return by_key


def match(rows: list[dict[str, Any]], gold: list[dict[str, Any]]) -> list[dict[str, Any] | None]:
    """The gold row of each entity row: by its key, else by the key of one of its forms."""
    by_key = _index(gold)
    out: list[dict[str, Any] | None] = []
    for r in rows:
        g = by_key.get(r["key"])
        if g is None:
            g = next((by_key[k] for k in _form_keys(r) if k in by_key), None)
        out.append(g)
    return out


def score(
    rows: list[dict[str, Any]], gold: list[dict[str, Any]], top: int, split: str | None
) -> dict[str, Any]:
    top_rows = rows[:top]
    found = match(top_rows, gold)
    by_key = _index(gold)
    present = {id(g) for g in found if g is not None}
    judged = correct = junk = bad = dup = 0
    errors: list[dict[str, Any]] = []
    unjudged: list[dict[str, Any]] = []
    per_type: dict[str, list[int]] = {}
    for rank, (r, g) in enumerate(zip(top_rows, found, strict=True), 1):
        if g is None:
            if split is None or split_of(r["key"]) == split:
                unjudged.append(
                    {"rank": rank, "key": r["key"], "name": r["name"], "type": r["type"]}
                )
            continue
        if split is not None and g["split"] != split:
            continue
        judged += 1
        label = g["label"]
        ok = r["type"] in (label, *g.get("accept", ()))
        correct += ok
        junk += label == "O"
        bad += g.get("boundary") == "bad"
        other = by_key.get(g.get("same_as") or "")
        variant = other is not None and other is not g and id(other) in present
        dup += variant
        c = per_type.setdefault(label, [0, 0])
        c[0] += 1
        c[1] += ok
        if not ok or g.get("boundary") == "bad" or variant:
            errors.append(
                {"rank": rank, "key": r["key"], "name": r["name"], "type": r["type"],
                 "gold": label, "ok": ok, "boundary": g.get("boundary", "ok"),
                 "variant_of": g["same_as"] if variant else None, "notes": g.get("notes", "")}
            )  # fmt: skip
    d = judged or 1
    return {
        "judged": judged,
        "type_accuracy": round(correct / d, 4),
        "junk_rate": round(junk / d, 4),
        "bad_boundary_rate": round(bad / d, 4),
        "split_variants": dup,
        "per_gold_type": {t: {"n": c[0], "right": c[1]} for t, c in sorted(per_type.items())},
        "errors": errors,
        "unjudged": unjudged,
    }


def evaluate(
    gold: str | None = None, split: str | None = None, limit: int | None = None
) -> dict[str, Any]:
    """Run the sample, score its top entities on the gold (``split``: dev, test or both)."""
    folder = Path(gold) if gold else GOLD
    spec = sample_spec(folder)
    t0 = time.perf_counter()
    run = entity_list(spec, limit=limit)
    top = int(spec["top"])
    result = score(run["entities"], read_gold(folder), top, split)
    if spec.get("ids_sha1") and not limit and run["ids_sha1"] != spec["ids_sha1"]:
        raise ValueError("the sample's ids differ from gold/entities/sample.json (corpus changed?)")
    result.update(
        split=split or "all",
        articles=run["articles"],
        entities=len(run["entities"]),
        top=top,
        cpu_seconds=run["cpu_seconds"],
        seconds=round(time.perf_counter() - t0, 1),
    )
    return result


def format_text(result: dict[str, Any]) -> str:
    lines = [
        f"entities ({result['split']}): {result['articles']} articles, {result['entities']} "
        f"entities; top {result['top']}: {result['judged']} judged, "
        f"{len(result['unjudged'])} unjudged",
        f"type accuracy {result['type_accuracy']:.3f}  junk {result['junk_rate']:.3f}  "
        f"bad boundaries {result['bad_boundary_rate']:.3f}  "
        f"split variants {result['split_variants']}",
        "per gold type: "
        + ", ".join(f"{t} {c['right']}/{c['n']}" for t, c in result["per_gold_type"].items()),
    ]
    if result["errors"]:
        lines.append("errors (rank, name, type → gold; [boundary], [variant of ...]; notes):")
        for e in result["errors"]:
            lines.append(
                f"  {e['rank']:4d} {e['name']}  {e['type']} → {e['gold']}"
                f"{'' if e['ok'] else '  ✗'}"
                f"{'  [boundary]' if e['boundary'] == 'bad' else ''}"
                f"{'  [variant of ' + e['variant_of'] + ']' if e['variant_of'] else ''}"
                f"  {e['notes']}"
            )
    if result["unjudged"]:
        lines.append("unjudged (not in the gold; annotate them):")
        for u in result["unjudged"]:
            lines.append(f"  {u['rank']:4d} {u['name']}  {u['type']}  key={u['key']}")
    lines.append(f"time: {result['seconds']} s ({result['cpu_seconds']} CPU s for the run)")
    return "\n".join(lines)
