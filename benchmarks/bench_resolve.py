"""Benchmark entity resolution (the ``entities`` collector) on real articles.

Usage: MARSAD_SHARED=/work/shared PYTHONPATH=src python benchmarks/bench_resolve.py [--limit N]
       [--trace]

The first N ANT v2.1 articles go through the base stages (not timed). Until the entities stage's
model is available here, mentions come from a stand-in tagger: runs of up to three consecutive
words of a content block found in the ANERgazet person / location / organisation lists (plain
and with ال) are tagged PER / LOC / ORG. That gives a realistic number of mentions per article
(names, surnames, places), not realistic accuracy. Timed: ``add`` for every article and
``results`` (process time). Prints articles/s, mentions/s, entities, the size of the name-key
index, and peak RSS before, after ``add`` and after ``results``.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import resource
import time

from marsad.evaluate.timegold import shared_data
from marsad.extract.mentions import Mention
from marsad.extract.resolve import EntityCollector
from marsad.pipeline import Pipeline
from marsad.readers.jsonl import record_to_article
from marsad.settings import load_settings
from marsad.text.normalize import normalize_text

BASE = ["language", "blocks", "metadata", "sentences", "tokens"]
_W = re.compile(r"\w+")


def gazetteer() -> dict[str, str]:
    base = shared_data() / "gazetteers" / "anergazet"
    out: dict[str, str] = {}
    for fname, typ in (
        ("AlignedLocGazetteer.txt", "LOC"),
        ("AlignedOrgGazetteer.txt", "ORG"),
        ("AlignedPersGazetteer.txt", "PER"),
    ):
        for line in (base / fname).read_text("utf-8").splitlines():
            w = normalize_text(line.strip())
            if len(w) >= 3 and not w.startswith("="):
                out.setdefault(w, typ)
    return out


def tag(art, gaz: dict[str, str]) -> None:
    norm = art.norm
    ms = []
    for _i, b in art.content_blocks():
        ns, ne = norm.to_normalized(b.start, b.end)
        toks = list(_W.finditer(norm.text, ns, ne))
        i = 0
        while i < len(toks):
            j = i
            typ = None
            while j < len(toks) and j - i < 3:
                w = toks[j].group()
                t = gaz.get(w) or (gaz.get(w[2:]) if w.startswith("ال") else None)
                if t is None or (typ is not None and t != typ and t != "PER"):
                    break
                typ = typ or t
                j += 1
            if j > i:
                s, e = norm.to_original(toks[i].start(), toks[j - 1].end())
                ms.append(Mention(s, e, typ, 0.9))
                i = j
            else:
                i += 1
    art.layers["mentions"] = ms


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--limit", type=int, default=2000)
    ap.add_argument("--trace", action="store_true", help="measure the collector's memory")
    args = ap.parse_args()
    settings = load_settings()
    base = Pipeline(stages=BASE, settings=settings)
    gaz = gazetteer()
    path = shared_data() / "news" / "ant_v2.1.jsonl.gz"
    arts = []
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if len(arts) >= args.limit:
                break
            try:
                art = record_to_article(json.loads(line), str(path), "ant", n, "utf-8", settings)
            except Exception:
                continue
            art = base(art)
            tag(art, gaz)
            arts.append(art)
    n_mentions = sum(len(a.layers["mentions"]) for a in arts)
    rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    for a in arts:
        a.norm  # noqa: B018  (the normalised view is the article's, built by earlier stages)
    coll = EntityCollector(settings)
    t0 = time.process_time()
    for a in arts:
        coll.add(a)
    t_add = time.process_time() - t0
    if args.trace:  # memory held by the collector after every add (slow: tracemalloc)
        import tracemalloc

        tracemalloc.start()
        c2 = EntityCollector(settings)
        for a in arts:
            c2.add(a)
        held = tracemalloc.get_traced_memory()[0] / 2**20
        tracemalloc.stop()
        del c2
        print(f"collector state after add: {held:.1f} MB (tracemalloc)")
    rss_add = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    t0 = time.process_time()
    res = coll.results()
    t_res = time.process_time() - t0
    rss1 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    ents = res["entities"]
    total = t_add + t_res
    print(f"articles: {len(arts)}, mentions: {n_mentions} ({n_mentions / len(arts):.1f}/article)")
    print(
        f"resolution: {len(arts) / total:.0f} articles/s, {n_mentions / total:.0f} mentions/s "
        f"(add {t_add:.2f} s, results {t_res:.2f} s)"
    )
    by_type: dict[str, int] = {}
    for e in ents:
        by_type[e["type"]] = by_type.get(e["type"], 0) + 1
    print(
        f"entities: {len(ents)} {by_type}; in 2+ documents: "
        f"{sum(1 for e in ents if e['documents'] > 1)}"
    )
    print(
        f"name-key index: {len(coll.index)} keys, "
        f"{sum(len(v) for v in coll.index.values())} entries"
    )
    print(
        f"peak RSS: {rss0:.0f} MB before resolution, {rss_add:.0f} MB after add, "
        f"{rss1:.0f} MB after results (output rows built)"
    )
    for e in ents[:10]:
        print(f"  {e['type']} {e['name']} docs={e['documents']} mentions={e['mention_count']}")


if __name__ == "__main__":
    main()
