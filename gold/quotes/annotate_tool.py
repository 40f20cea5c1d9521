"""Annotation helper for the quotation-attribution gold set (gold/quotes/).

This script is an annotator's tool, not part of the marsad library. It never writes article text
into the repository: article text is only read from the shared data folder, and the annotator's
working notes (which quote the text) live in a scratch folder outside the repository.

Subcommands
-----------
select   Deterministic article selection and dev/test split (prints the chosen ids and writes
         ``<scratch>/selection.json``).
show     Print the selected articles with character offsets into scratch files, for reading.
convert  Turn the annotator's snippet-based notes (``<scratch>/notes/*.txt``) into offsets and
         write ``gold/quotes/dev.jsonl`` and ``gold/quotes/test.jsonl``.
verify   Reload the gold files against the shared data, check sha1 and span sanity, and print
         ``text[start:end]`` of every span (to the terminal only) for a final read-through.
stats    Print counts (articles, statements by kind and speaker kind, outlets).

Data location: ``$MARSAD_SHARED/data/news`` (default ``/work/shared``). Scratch folder:
``$QUOTES_SCRATCH`` (default ``/tmp/quotes_scratch``).
"""

from __future__ import annotations

import argparse
import collections
import email.utils
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
SCRATCH = Path(os.environ.get("QUOTES_SCRATCH", "/work/scratch/quotes"))
CORPORA = {"saudinewsnet": "saudinewsnet.jsonl.gz", "ant_v2.1": "ant_v2.1.jsonl.gz",
           "ant_v1.1": "ant_v1.1.jsonl.gz"}
GOLD_FILES = ("dev", "test", "dev2", "test2", "dev3", "test3")

# ---------------------------------------------------------------------------------------------
# Selection
# ---------------------------------------------------------------------------------------------

SEED = 20250601
# Cue verbs used only to choose candidate articles (perfect-tense forms, masc./fem.), with an
# optional conjunction prefix و or ف. Annotation itself is not restricted to these forms.
# The undiacritised form بين is left out on purpose: it is almost always the preposition.
CUE_STEMS = [
    "قال", "قالت", "أكد", "أكدت", "أضاف", "أضافت", "أوضح", "أوضحت", "أشار", "أشارت",
    "أعلن", "أعلنت", "كشف", "كشفت", "شدد", "شددت", "نفى", "نفت", "حذر", "حذرت", "دعا", "دعت",
    "طالب", "طالبت", "ذكر", "ذكرت", "أفاد", "أفادت", "بينت", "بيّن", "صرح", "صرحت",
    "تابع", "تابعت",
]
CUE_RE = re.compile(r"(?<![\w])[وف]?(?:" + "|".join(sorted(CUE_STEMS, key=len, reverse=True))
                    + r")(?![\w])")
MIN_LEN, MAX_LEN, MIN_CUES = 700, 2600, 3
# SaudiNewsNet: all general-news outlets (the two sports papers are excluded), 2 articles each.
SNN_OUTLETS = ["3alyoum", "aawsat", "aleqtisadiya", "aljazirah", "almadina", "alriyadh",
               "alwatan", "alweeam", "alyaum", "okaz", "sabq", "was"]
SNN_PER_OUTLET = 2
# ANT v2.1: news categories only, all five outlets, round robin up to 22 articles.
ANT_CATEGORIES = {"middleEast", "internationalNews"}
ANT_OUTLETS = ["alarabia", "BBC", "CNN", "france24", "skynews"]
ANT_TOTAL = 22
DEV_FRACTION = 0.4


def load_corpus(corpus: str) -> dict[str, dict]:
    out = {}
    with gzip.open(SHARED / CORPORA[corpus], "rt", encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            out[rec["id"]] = rec
    return out


def eligible(rec: dict) -> bool:
    text = rec["text"]
    return MIN_LEN <= len(text) <= MAX_LEN and len(CUE_RE.findall(text)) >= MIN_CUES


def select() -> dict:
    rng = random.Random(SEED)
    chosen: list[tuple[str, str, str]] = []
    snn = load_corpus("saudinewsnet")
    for outlet in SNN_OUTLETS:
        ids = sorted(i for i, r in snn.items() if r["source"] == outlet and eligible(r))
        rng.shuffle(ids)
        chosen += [("saudinewsnet", i, outlet) for i in ids[:SNN_PER_OUTLET]]
    ant = load_corpus("ant_v2.1")
    pools = {}
    for outlet in ANT_OUTLETS:
        ids = sorted(i for i, r in ant.items() if r["source"] == outlet
                     and r["category"] in ANT_CATEGORIES and eligible(r))
        rng.shuffle(ids)
        pools[outlet] = ids
    k = 0
    while sum(1 for c in chosen if c[0] == "ant_v2.1") < ANT_TOTAL:
        outlet = ANT_OUTLETS[k % len(ANT_OUTLETS)]
        chosen.append(("ant_v2.1", pools[outlet][k // len(ANT_OUTLETS)], outlet))
        k += 1
    # split: within each corpus, shuffle (seeded) and put the first 40 % (rounded) in dev
    split = {}
    for corpus in ("saudinewsnet", "ant_v2.1"):
        ids = sorted(i for c, i, _ in chosen if c == corpus)
        rng.shuffle(ids)
        n_dev = round(DEV_FRACTION * len(ids))
        for j, i in enumerate(ids):
            split[f"{corpus}/{i}"] = "dev" if j < n_dev else "test"
    sel = {"seed": SEED, "articles": [
        {"corpus": c, "id": i, "source": s, "split": split[f"{c}/{i}"]} for c, i, s in chosen]}
    SCRATCH.mkdir(parents=True, exist_ok=True)
    (SCRATCH / "selection.json").write_text(json.dumps(sel, indent=1), encoding="utf-8")
    return sel


# ---------------------------------------------------------------------------------------------
# Notes format (scratch, outside the repo) and conversion to offsets
# ---------------------------------------------------------------------------------------------
# One notes file per article: <scratch>/notes/<corpus>__<id>.txt. Lines starting with '#' are
# comments. Every other non-empty line is one statement, fields separated by ' | ':
#   kind | cue | speaker | speaker_kind | speaker_id | content | via
# cue      snippet; found at its first occurrence at or after the previous statement's cue start
#          (statements are written in text order of their cues). 'snippet#n' = n-th such hit.
#          '^snippet' (round 3): the search may start at the previous cue itself, for two
#          statements sharing one cue (a quoted fragment and a nominal complement of one verb).
# speaker  snippet, resolved to the occurrence nearest to the cue; '<snippet' nearest before the
#          cue, '>snippet' nearest after; '-' = null.
# content  'start…end' (or 'start...end') or a full snippet. The start is looked for after the
#          cue ('<' prefix: nearest before the cue); the end is the first hit ending after start.
# via      snippet nearest to the cue, or '-'.
# Round 2 adds optional fields after the seventh, each 'key=snippet':
#   name=    the personal or proper name inside the speaker span (found inside that span);
#   role=    the role/title/description inside the speaker span (found inside that span);
#   anaphor= the anaphoric subject written at the cue ('الأخير', 'الوزير', 'المسؤول نفسه',
#            'سموه'), nearest to the cue; the speaker span is then its antecedent mention.

KINDS = {"direct", "indirect", "mixed"}
EXTRAS = {"name", "role", "anaphor"}
SKINDS = {"named", "role", "anonymous", "organisation", "-"}


class NoteError(ValueError):
    pass


def _is_letter(ch: str) -> bool:
    return ch.isalnum() or ch in "\u0640\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652"


def _hits(text: str, snip: str) -> list[int]:
    """Token-bounded occurrences of snip ('~' prefix: any occurrence)."""
    loose = snip.startswith("~")
    if loose:
        snip = snip[1:]
    out, i = [], text.find(snip)
    while i >= 0:
        j = i + len(snip)
        if loose or ((i == 0 or not _is_letter(text[i - 1]) or not _is_letter(snip[0]))
                     and (j == len(text) or not _is_letter(text[j])
                          or not _is_letter(snip[-1]))):
            out.append(i)
        i = text.find(snip, i + 1)
    if not out:
        raise NoteError(f"snippet not found: {snip!r}")
    return out


def _ln(snip: str) -> int:
    return len(snip) - 1 if snip.startswith("~") else len(snip)


def _nearest(text: str, snip: str, anchor: int, anchor_end: int) -> list[int]:
    mode = ""
    if snip[:1] in "<>":
        mode, snip = snip[0], snip[1:]
    nth = 1
    m = re.match(r"^(.*)#(\d+)$", snip)
    if m:
        snip, nth = m.group(1), int(m.group(2))
    hits = _hits(text, snip)
    if mode == "<":
        hits = sorted((h for h in hits if h + _ln(snip) <= anchor), key=lambda h: anchor - h)
    elif mode == ">":
        hits = sorted((h for h in hits if h >= anchor_end), key=lambda h: h - anchor_end)
    else:
        hits = sorted(hits, key=lambda h: min(abs(h - anchor), abs(h + _ln(snip) - anchor)))
    if len(hits) < nth:
        raise NoteError(f"no {mode or 'near'} hit #{nth} for {snip!r}")
    return [hits[nth - 1], hits[nth - 1] + _ln(snip)]


def convert_note(text: str, note: str) -> list[dict]:
    quotes, prev = [], 0
    for ln, line in enumerate(note.splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        parts = [p.strip() for p in line.split(" | ")]
        extras = {}
        while len(parts) > 7 and "=" in parts[-1] and parts[-1].split("=", 1)[0] in EXTRAS:
            key, val = parts.pop().split("=", 1)
            extras[key] = val.strip()
        if len(parts) != 7:
            raise NoteError(f"line {ln}: expected 7 fields, got {len(parts)}: {line!r}")
        kind, cue, spk, skind, sid, content, via = parts
        if kind not in KINDS or skind not in SKINDS:
            raise NoteError(f"line {ln}: bad kind/speaker_kind {kind!r}/{skind!r}")
        nth = 1
        same = cue.startswith("^")  # round 3: '^cue' = may be the previous statement's cue
        if same:
            cue = cue[1:]
        m = re.match(r"^(.*)#(\d+)$", cue)
        if m:
            cue, nth = m.group(1), int(m.group(2))
        hits = [h for h in _hits(text, cue) if h >= (prev - 1 if same else prev)]
        if len(hits) < nth:
            raise NoteError(f"line {ln}: cue {cue!r} #{nth} not found after {prev}")
        cs = hits[nth - 1]
        cue_span = [cs, cs + _ln(cue)]
        prev = cs + 1
        try:
            speaker = None if spk == "-" else _nearest(text, spk, cs, cue_span[1])
            if (spk == "-") != (skind == "-") or (spk == "-") != (sid == "-"):
                raise NoteError("speaker, speaker_kind and speaker_id must be null together")
            sep = "…" if "…" in content else ("..." if "..." in content else None)
            before = content.startswith("<")
            if before:
                content = content[1:]
            a, b = (content.split(sep, 1) if sep else (content, None))
            if before:
                starts = sorted((h for h in _hits(text, a) if h < cs), key=lambda h: cs - h)
            else:
                starts = sorted(h for h in _hits(text, a) if h >= cue_span[1])
            if not starts:
                raise NoteError(f"content start {a!r} not found on the expected side of the cue")
            s0 = starts[0]
            if b is None:
                e0 = s0 + _ln(a)
            else:
                ends = [h + _ln(b) for h in _hits(text, b) if h + _ln(b) >= s0 + _ln(a)]
                if not ends:
                    raise NoteError(f"content end {b!r} not found after start")
                e0 = min(ends)
            via_span = None if via == "-" else _nearest(text, via, cs, cue_span[1])
            more = {}
            for key in ("name", "role"):
                if key in extras:
                    if speaker is None:
                        raise NoteError(f"{key}= given without a speaker")
                    inside = [h for h in _hits(text, extras[key])
                              if speaker[0] <= h and h + _ln(extras[key]) <= speaker[1]]
                    if not inside:
                        raise NoteError(f"{key} {extras[key]!r} not inside the speaker span")
                    more[key] = [inside[0], inside[0] + _ln(extras[key])]
            if "anaphor" in extras:
                more["anaphor"] = _nearest(text, extras["anaphor"], cs, cue_span[1])
        except NoteError as exc:
            raise NoteError(f"line {ln}: {exc}") from None
        quotes.append({"kind": kind, "cue": cue_span, "content": [s0, e0], "speaker": speaker,
                       "speaker_kind": None if skind == "-" else skind,
                       "speaker_id": None if sid == "-" else sid, "via": via_span, **more})
    return quotes


def sha1(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def _selection(round_: int) -> dict:
    name = "selection.json" if round_ == 1 else f"selection{round_}.json"
    return json.loads((SCRATCH / name).read_text(encoding="utf-8"))


def _notes(round_: int) -> Path:
    return SCRATCH / ("notes" if round_ == 1 else f"notes{round_}")


def convert2() -> None:
    """Convert round-2 notes and merge them into dev/test.jsonl (round-1 records kept)."""
    sel = _selection(2)
    data = {c: load_corpus(c) for c in CORPORA}
    recs = {(r["corpus"], r["id"]): r for r in load_gold() if r["_split"] in ("dev", "test")}
    errors = 0
    for art in sel["articles"]:
        c, i = art["corpus"], art["id"]
        path = _notes(2) / f"{c}__{i}.txt"
        if not path.exists():
            print(f"MISSING notes {path.name}", file=sys.stderr)
            errors += 1
            continue
        text = data[c][i]["text"]
        try:
            quotes = convert_note(text, path.read_text(encoding="utf-8"))
        except NoteError as exc:
            print(f"{path.name}: {exc}", file=sys.stderr)
            errors += 1
            continue
        recs[(c, i)] = {"corpus": c, "id": i, "sha1": sha1(text), "quotes": quotes,
                        "_split": art["split"], "round": 2}
    for split in ("dev", "test"):
        lines = [json.dumps({k: v for k, v in rec.items() if k != "_split"}, ensure_ascii=False)
                 for rec in recs.values() if rec["_split"] == split]
        (HERE / f"{split}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"articles {len(recs)} errors {errors}")


def convert() -> None:
    sel = json.loads((SCRATCH / "selection.json").read_text(encoding="utf-8"))
    data = {c: load_corpus(c) for c in CORPORA}
    out: dict[str, list[str]] = {"dev": [], "test": []}
    errors = 0
    for art in sel["articles"]:
        c, i = art["corpus"], art["id"]
        path = SCRATCH / "notes" / f"{c}__{i}.txt"
        if not path.exists():
            print(f"MISSING notes {path.name}", file=sys.stderr)
            errors += 1
            continue
        text = data[c][i]["text"]
        try:
            quotes = convert_note(text, path.read_text(encoding="utf-8"))
        except NoteError as exc:
            print(f"{path.name}: {exc}", file=sys.stderr)
            errors += 1
            continue
        rec = {"corpus": c, "id": i, "sha1": sha1(text), "quotes": quotes}
        out[art["split"]].append(json.dumps(rec, ensure_ascii=False))
    for split, lines in out.items():
        (HERE / f"{split}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"dev {len(out['dev'])} test {len(out['test'])} errors {errors}")


# ---------------------------------------------------------------------------------------------
# Verification and statistics
# ---------------------------------------------------------------------------------------------


def load_gold() -> list[dict]:
    recs = []
    for split in GOLD_FILES:
        if not (HERE / f"{split}.jsonl").exists():
            continue
        with open(HERE / f"{split}.jsonl", encoding="utf-8") as fh:
            for line in fh:
                if line.strip():
                    rec = json.loads(line)
                    rec["_split"] = split
                    recs.append(rec)
    return recs


def verify(show: bool, only: str | None) -> None:
    data = {c: load_corpus(c) for c in CORPORA}
    problems = 0
    for rec in load_gold():
        if only and only not in rec["id"]:
            continue
        text = data[rec["corpus"]][rec["id"]]["text"]
        assert sha1(text) == rec["sha1"], rec["id"]
        if show:
            print(f"\n=== {rec['corpus']} {rec['id']} ({rec['_split']})")
        for q in rec["quotes"]:
            for key in ("cue", "content", "speaker", "via"):
                span = q[key]
                if span is None:
                    continue
                s, e = span
                seg = text[s:e]
                bad_start = "«»“”\".،," if (key != "content" or q["kind"] != "mixed") else "»”.،,"
                bad_end = "«»“”\".،,:" if (key != "content" or q["kind"] == "direct") else "«“.،,:"
                if key in ("speaker", "via") and seg.endswith('"') and seg.count('"') % 2 == 0:
                    bad_end = bad_end.replace('"', "")  # a quoted name inside the mention
                if key in ("speaker", "via") and seg.endswith("»") and "«" in seg:
                    bad_end = bad_end.replace("»", "")  # صحيفة «أ س»
                if not (0 <= s < e <= len(text)) or seg != seg.strip() or \
                        seg[:1] in bad_start or seg[-1:] in bad_end:
                    print(f"  !! {key} boundary {span} {seg[:30]!r}…{seg[-30:]!r}")
                    problems += 1
            if show:
                sp = text[q["speaker"][0]:q["speaker"][1]] if q["speaker"] else None
                via = text[q["via"][0]:q["via"][1]] if q["via"] else None
                print(f"- {q['kind']:8} cue=[{text[q['cue'][0]:q['cue'][1]]}] "
                      f"spk=[{sp}] {q['speaker_kind']} {q['speaker_id']} via=[{via}]")
                print(f"    «{text[q['content'][0]:q['content'][1]]}»")
    print(f"\nboundary problems: {problems}")


def stats() -> None:
    recs = load_gold()
    c = collections.Counter()
    for rec in recs:
        sp = rec["_split"]
        c[("articles", sp, rec["corpus"])] += 1
        for q in rec["quotes"]:
            c[("quotes", sp)] += 1
            c[("kind", q["kind"])] += 1
            c[("speaker_kind", q["speaker_kind"])] += 1
            c[("via", q["via"] is not None)] += 1
    for k in sorted(c, key=str):
        print(k, c[k])
    print("total articles", len(recs), "statements", sum(len(r["quotes"]) for r in recs))


def check(only: str | None, round_: int = 2) -> None:
    """Convert notes (all, or ids containing ``only``) and print every span, without writing."""
    sel = _selection(round_)
    data = {c: load_corpus(c) for c in CORPORA}
    for art in sel["articles"]:
        if only and only not in art["id"]:
            continue
        path = _notes(round_) / f"{art['corpus']}__{art['id']}.txt"
        if not path.exists():
            continue
        text = data[art["corpus"]][art["id"]]["text"]
        print(f"\n=== {art['id']}")
        try:
            quotes = convert_note(text, path.read_text(encoding="utf-8"))
        except NoteError as exc:
            print("ERROR", exc)
            continue
        for q in quotes:
            sp = text[q["speaker"][0]:q["speaker"][1]] if q["speaker"] else None
            via = text[q["via"][0]:q["via"][1]] if q["via"] else None
            print(f"- {q['kind']:8} cue={q['cue']}[{text[q['cue'][0]:q['cue'][1]]}] "
                  f"spk={q['speaker']}[{sp}] {q['speaker_kind']} {q['speaker_id']} via=[{via}]")
            for key in ("name", "role", "anaphor"):
                if key in q:
                    print(f"    {key}=[{text[q[key][0]:q[key][1]]}]")
            c0, c1 = q["content"]
            print(f"    [{text[max(0, c0 - 12):c0]}]<<{text[c0:c1]}>>[{text[c1:c1 + 8]}]")


def show(round_: int = 2) -> None:
    sel = _selection(round_)
    data = {c: load_corpus(c) for c in CORPORA}
    d = SCRATCH / ("articles" if round_ == 1 else f"articles{round_}")
    d.mkdir(parents=True, exist_ok=True)
    for n, art in enumerate(sel["articles"]):
        rec = data[art["corpus"]][art["id"]]
        body = f"# {n:02d} {art['corpus']} {art['id']} {art['source']} {art['split']}\n" \
               f"# TITLE {rec['title']}\n{rec['text']}\n"
        (d / f"{n:02d}__{art['corpus']}__{art['id']}.txt").write_text(body, encoding="utf-8")


# ---------------------------------------------------------------------------------------------
# Round 2 (2026-12): 110 more articles, same eligibility, new seed, no article of round 1
# ---------------------------------------------------------------------------------------------

SEED2 = 20261204
SNN_PER_OUTLET2 = 5          # 12 outlets x 5 = 60
ANT_PER_OUTLET2 = 10         # 5 outlets x 10 = 50


def select2() -> dict:
    """Round-2 selection: written to ``<scratch>/selection2.json`` and ``round2.json`` here."""
    rng = random.Random(SEED2)
    first = {(r["corpus"], r["id"]) for r in load_gold()}
    chosen: list[tuple[str, str, str]] = []
    snn = load_corpus("saudinewsnet")
    for outlet in SNN_OUTLETS:
        ids = sorted(i for i, r in snn.items() if r["source"] == outlet and eligible(r)
                     and ("saudinewsnet", i) not in first)
        rng.shuffle(ids)
        chosen += [("saudinewsnet", i, outlet) for i in ids[:SNN_PER_OUTLET2]]
    ant = load_corpus("ant_v2.1")
    for outlet in ANT_OUTLETS:
        ids = sorted(i for i, r in ant.items() if r["source"] == outlet
                     and r["category"] in ANT_CATEGORIES and eligible(r)
                     and ("ant_v2.1", i) not in first)
        rng.shuffle(ids)
        chosen += [("ant_v2.1", i, outlet) for i in ids[:ANT_PER_OUTLET2]]
    split = {}
    for corpus in ("saudinewsnet", "ant_v2.1"):
        ids = sorted(i for c, i, _ in chosen if c == corpus)
        rng.shuffle(ids)
        n_dev = round(DEV_FRACTION * len(ids))
        for j, i in enumerate(ids):
            split[f"{corpus}/{i}"] = "dev" if j < n_dev else "test"
    sel = {"seed": SEED2, "articles": [
        {"corpus": c, "id": i, "source": s, "split": split[f"{c}/{i}"]} for c, i, s in chosen]}
    SCRATCH.mkdir(parents=True, exist_ok=True)
    (SCRATCH / "selection2.json").write_text(json.dumps(sel, indent=1), encoding="utf-8")
    (HERE / "round2.json").write_text(json.dumps(sel, indent=1) + "\n", encoding="utf-8")
    return sel


# ---------------------------------------------------------------------------------------------
# Round 3 (2026-12): 40 articles, fresh test part (test2.jsonl) + more dev (dev2.jsonl)
# ---------------------------------------------------------------------------------------------

SEED3 = 20261207
MIN_WORDS3, MAX_WORDS3, MIN_CUES3 = 150, 700, 2
# SaudiNewsNet dates with more than this many articles already in dev/test are skipped, and
# 2015-08-08 (used for a reader's check) always.
MAX_USED_PER_DATE3 = 3
SNN_SKIP_DATES3 = {"2015-08-08"}
SNN_OUTLETS3 = ["aawsat", "aljazirah", "almadina", "alriyadh", "alwatan", "alyaum", "okaz",
                "sabq", "3alyoum", "aleqtisadiya"]   # 2 each = 20
ANT2_OUTLETS3 = ["alarabia", "BBC", "CNN", "france24", "skynews"]   # 2 each = 10
ANT1_CATEGORIES3 = {"localNews", "internationalNews", "politic"}
ANT1_TOTAL3 = 10                                     # Jawhara FM (the only ANT v1.1 outlet)
PER_OUTLET3 = 2


def eligible3(rec: dict) -> bool:
    text = rec["text"]
    return MIN_WORDS3 <= len(text.split()) <= MAX_WORDS3 and len(CUE_RE.findall(text)) >= MIN_CUES3


def select3() -> dict:
    """Round-3 selection: ``<scratch>/selection3.json`` and ``round3.json`` here.

    Excludes every article in dev/test.jsonl and round2.json. One ``random.Random(SEED3)``
    generator, used in this order: per SaudiNewsNet outlet (allowed dates only), per ANT v2.1
    outlet (middleEast/internationalNews), then ANT v1.1 (Jawhara FM, localNews/
    internationalNews/politic): eligible ids sorted, shuffled, first k taken. Split: within each
    corpus the chosen ids are sorted and shuffled; the first half goes to test2, the rest to dev2.
    """
    rng = random.Random(SEED3)
    old = {(r["corpus"], r["id"]) for r in load_gold()}
    r2 = json.loads((HERE / "round2.json").read_text(encoding="utf-8"))
    old |= {(a["corpus"], a["id"]) for a in r2["articles"]}
    used_dates = collections.Counter(i[:10] for c, i in old if c == "saudinewsnet")
    bad_dates = SNN_SKIP_DATES3 | {d for d, n in used_dates.items() if n > MAX_USED_PER_DATE3}
    chosen: list[tuple[str, str, str]] = []
    snn = load_corpus("saudinewsnet")
    for outlet in SNN_OUTLETS3:
        ids = sorted(i for i, r in snn.items() if r["source"] == outlet and eligible3(r)
                     and i[:10] not in bad_dates and ("saudinewsnet", i) not in old)
        rng.shuffle(ids)
        chosen += [("saudinewsnet", i, outlet) for i in ids[:PER_OUTLET3]]
    ant = load_corpus("ant_v2.1")
    for outlet in ANT2_OUTLETS3:
        ids = sorted(i for i, r in ant.items() if r["source"] == outlet
                     and r["category"] in ANT_CATEGORIES and eligible3(r)
                     and ("ant_v2.1", i) not in old)
        rng.shuffle(ids)
        chosen += [("ant_v2.1", i, outlet) for i in ids[:PER_OUTLET3]]
    ant1 = load_corpus("ant_v1.1")
    ids = sorted(i for i, r in ant1.items() if r["category"] in ANT1_CATEGORIES3 and eligible3(r)
                 and ("ant_v1.1", i) not in old)
    rng.shuffle(ids)
    chosen += [("ant_v1.1", i, ant1[i]["source"]) for i in ids[:ANT1_TOTAL3]]
    split = {}
    for corpus in CORPORA:
        ids = sorted(i for c, i, _ in chosen if c == corpus)
        rng.shuffle(ids)
        for j, i in enumerate(ids):
            split[f"{corpus}/{i}"] = "test2" if j < len(ids) // 2 else "dev2"
    sel = {"seed": SEED3, "skipped_snn_dates": sorted(bad_dates), "articles": [
        {"corpus": c, "id": i, "source": s, "split": split[f"{c}/{i}"]} for c, i, s in chosen]}
    SCRATCH.mkdir(parents=True, exist_ok=True)
    (SCRATCH / "selection3.json").write_text(json.dumps(sel, indent=1), encoding="utf-8")
    (HERE / "round3.json").write_text(json.dumps(sel, indent=1) + "\n", encoding="utf-8")
    return sel


def convert3() -> None:
    """Convert round-3 notes (``<scratch>/notes3``) into test2.jsonl and dev2.jsonl."""
    _convert_round(3)


# ---------------------------------------------------------------------------------------------
# Round 4 (2026-12-07): 18 articles, more dev data (dev3.jsonl)
# ---------------------------------------------------------------------------------------------

SEED4 = 20261208
MIN_WORDS4, MAX_WORDS4, MIN_CUES4 = 150, 400, 3
# SaudiNewsNet: one article per general-news outlet, from a date on which that outlet has no
# article in any gold file; 2015-08-08 and 2015-08-09 (readers' checks) never.
SNN_SKIP_DATES4 = {"2015-08-08", "2015-08-09"}
SNN_OUTLETS4 = SNN_OUTLETS                               # 12 outlets x 1
# ANT v2.1: the `economy` category, which no gold file holds yet, one per outlet.
ANT2_CATEGORIES4 = {"economy"}
ANT2_OUTLETS4 = ["alarabia", "BBC", "CNN", "france24", "skynews"]   # 5 x 1
ANT1_TOTAL4 = 1                                          # Jawhara FM


def eligible4(rec: dict) -> bool:
    text = rec["text"]
    return MIN_WORDS4 <= len(text.split()) <= MAX_WORDS4 and len(CUE_RE.findall(text)) >= MIN_CUES4


def select4() -> dict:
    """Round-4 selection: ``<scratch>/selection4.json`` and ``round4.json`` here (all dev3).

    Excludes every article of the gold files, round2.json and round3.json. One
    ``random.Random(SEED4)`` used in this order: per SaudiNewsNet outlet (dates on which the
    outlet has no gold article), per ANT v2.1 outlet (economy), then ANT v1.1
    (localNews/internationalNews/politic): eligible ids sorted, shuffled, first taken.
    """
    rng = random.Random(SEED4)
    # dev3 (its own output) and test3 (round 5) did not exist when round 4 was drawn: leave them
    # out so that a re-run reproduces round4.json
    old = {(r["corpus"], r["id"]) for r in load_gold() if r["_split"] not in ("dev3", "test3")}
    for name in ("round2.json", "round3.json"):
        sel = json.loads((HERE / name).read_text(encoding="utf-8"))
        old |= {(a["corpus"], a["id"]) for a in sel["articles"]}
    snn = load_corpus("saudinewsnet")
    used = {(i[:10], snn[i]["source"]) for c, i in old if c == "saudinewsnet" and i in snn}
    chosen: list[tuple[str, str, str]] = []
    for outlet in SNN_OUTLETS4:
        ids = sorted(i for i, r in snn.items() if r["source"] == outlet and eligible4(r)
                     and i[:10] not in SNN_SKIP_DATES4 and (i[:10], outlet) not in used
                     and ("saudinewsnet", i) not in old)
        rng.shuffle(ids)
        chosen += [("saudinewsnet", i, outlet) for i in ids[:1]]
    ant = load_corpus("ant_v2.1")
    for outlet in ANT2_OUTLETS4:
        ids = sorted(i for i, r in ant.items() if r["source"] == outlet
                     and r["category"] in ANT2_CATEGORIES4 and eligible4(r)
                     and ("ant_v2.1", i) not in old)
        rng.shuffle(ids)
        chosen += [("ant_v2.1", i, outlet) for i in ids[:1]]
    ant1 = load_corpus("ant_v1.1")
    ids = sorted(i for i, r in ant1.items() if r["category"] in ANT1_CATEGORIES3 and eligible4(r)
                 and ("ant_v1.1", i) not in old)
    rng.shuffle(ids)
    chosen += [("ant_v1.1", i, ant1[i]["source"]) for i in ids[:ANT1_TOTAL4]]
    sel = {"seed": SEED4, "skipped_snn_dates": sorted(SNN_SKIP_DATES4), "articles": [
        {"corpus": c, "id": i, "source": s, "split": "dev3"} for c, i, s in chosen]}
    SCRATCH.mkdir(parents=True, exist_ok=True)
    (SCRATCH / "selection4.json").write_text(json.dumps(sel, indent=1), encoding="utf-8")
    (HERE / "round4.json").write_text(json.dumps(sel, indent=1) + "\n", encoding="utf-8")
    return sel


def _convert_round(n: int) -> None:
    """Convert round-``n`` notes (``<scratch>/notes<n>``) into the ``<split>.jsonl`` files of
    the selection's splits.

    Articles without a notes file, or whose notes carry the line ``# INCOMPLETE``, are left out
    (and reported), so a partly annotated article is never written.
    """
    sel = _selection(n)
    data = {c: load_corpus(c) for c in CORPORA}
    out: dict[str, list[str]] = {art["split"]: [] for art in sel["articles"]}
    errors = 0
    for art in sel["articles"]:
        c, i = art["corpus"], art["id"]
        path = _notes(n) / f"{c}__{i}.txt"
        if not path.exists() or "# INCOMPLETE" in path.read_text(encoding="utf-8"):
            print(f"skipped (no complete notes) {path.name}", file=sys.stderr)
            continue
        text = data[c][i]["text"]
        try:
            quotes = convert_note(text, path.read_text(encoding="utf-8"))
        except NoteError as exc:
            print(f"{path.name}: {exc}", file=sys.stderr)
            errors += 1
            continue
        bad = check_record(text, quotes)
        if bad:
            print(f"{path.name}: {bad}", file=sys.stderr)
            errors += 1
            continue
        rec = {"corpus": c, "id": i, "sha1": sha1(text), "round": n, "quotes": quotes}
        out[art["split"]].append(json.dumps(rec, ensure_ascii=False))
    for split, lines in out.items():
        (HERE / f"{split}.jsonl").write_text("".join(ln + "\n" for ln in lines), encoding="utf-8")
    print(" ".join(f"{split} {len(lines)}" for split, lines in out.items()), f"errors {errors}")


def convert4() -> None:
    """Convert round-4 notes (``<scratch>/notes4``) into dev3.jsonl."""
    _convert_round(4)


# ---------------------------------------------------------------------------------------------
# Round 5 (2026-12-07): a fresh held-out test part (test3.jsonl), never tuned on
# ---------------------------------------------------------------------------------------------

SEED5 = 20261209
MIN_WORDS5, MAX_WORDS5, MIN_CUES5 = 150, 300, 3
SNN_SKIP_DATES5 = {"2015-08-08", "2015-08-09"}          # readers' checks, never
SNN_OUTLETS5 = ["aawsat", "aljazirah", "almadina", "alriyadh", "alwatan", "alyaum", "okaz",
                "sabq"]                                   # 8 x 1
ANT2_OUTLETS5 = ["alarabia", "BBC", "CNN", "france24", "skynews"]   # 5 x 1 (news categories)


def _date5(corpus: str, rec: dict) -> str:
    """The outlet's publication date as YYYY-MM-DD (SaudiNewsNet: the id prefix)."""
    if corpus == "saudinewsnet":
        return rec["id"][:10]
    try:
        return email.utils.parsedate_to_datetime(rec["date"]).strftime("%Y-%m-%d")
    except (TypeError, ValueError):
        return str(rec.get("date", ""))[:10]


def eligible5(rec: dict) -> bool:
    text = rec["text"]
    return MIN_WORDS5 <= len(text.split()) <= MAX_WORDS5 and len(CUE_RE.findall(text)) >= MIN_CUES5


def select5() -> dict:
    """Round-5 selection: ``<scratch>/selection5.json`` and ``round5.json`` here (all test3).

    Excludes every article of the gold files and of round2/3/4.json, and every (corpus, outlet,
    date) pair that any of them uses. One ``random.Random(SEED5)`` used in this order: per
    SaudiNewsNet outlet, then per ANT v2.1 outlet (middleEast/internationalNews): eligible ids
    sorted, shuffled, first taken.
    """
    rng = random.Random(SEED5)
    # test3 is this selection's own output: leave it out so that a re-run reproduces round5.json
    old = {(r["corpus"], r["id"]) for r in load_gold() if r["_split"] != "test3"}
    for name in ("round2.json", "round3.json", "round4.json"):
        sel = json.loads((HERE / name).read_text(encoding="utf-8"))
        old |= {(a["corpus"], a["id"]) for a in sel["articles"]}
    data = {c: load_corpus(c) for c in ("saudinewsnet", "ant_v2.1")}
    used = {(c, data[c][i]["source"], _date5(c, data[c][i])) for c, i in old
            if c in data and i in data[c]}
    chosen: list[tuple[str, str, str]] = []
    for corpus, outlets in (("saudinewsnet", SNN_OUTLETS5), ("ant_v2.1", ANT2_OUTLETS5)):
        recs = data[corpus]
        for outlet in outlets:
            ids = sorted(i for i, r in recs.items() if r["source"] == outlet and eligible5(r)
                         and (corpus != "ant_v2.1" or r["category"] in ANT_CATEGORIES)
                         and (corpus != "saudinewsnet" or i[:10] not in SNN_SKIP_DATES5)
                         and (corpus, outlet, _date5(corpus, r)) not in used
                         and (corpus, i) not in old)
            rng.shuffle(ids)
            chosen += [(corpus, i, outlet) for i in ids[:1]]
    sel = {"seed": SEED5, "skipped_snn_dates": sorted(SNN_SKIP_DATES5),
           "excluded": "ids and (corpus, outlet, date) pairs of all gold files and round2-4.json",
           "articles": [{"corpus": c, "id": i, "source": s, "date": _date5(c, data[c][i]),
                         "split": "test3"} for c, i, s in chosen]}
    SCRATCH.mkdir(parents=True, exist_ok=True)
    (SCRATCH / "selection5.json").write_text(json.dumps(sel, indent=1), encoding="utf-8")
    (HERE / "round5.json").write_text(json.dumps(sel, indent=1) + "\n", encoding="utf-8")
    return sel


def convert5() -> None:
    """Convert round-5 notes (``<scratch>/notes5``) into test3.jsonl."""
    _convert_round(5)


def check_record(text: str, quotes: list[dict]) -> list[str]:
    """Structural checks: spans in range, ordered by cue, speaker_kind null iff speaker null."""
    bad = []
    cues = [q["cue"][0] for q in quotes]
    if cues != sorted(cues):
        bad.append("not ordered by cue")
    for n, q in enumerate(quotes):
        for key in ("cue", "content", "speaker", "via", "name", "role", "anaphor"):
            span = q.get(key)
            if span is not None and not (0 <= span[0] < span[1] <= len(text)):
                bad.append(f"quote {n}: {key} out of range {span}")
        if (q["speaker"] is None) != (q["speaker_kind"] is None) or \
                (q["speaker"] is None) != (q["speaker_id"] is None):
            bad.append(f"quote {n}: speaker/speaker_kind/speaker_id null mismatch")
        if q["kind"] not in KINDS:
            bad.append(f"quote {n}: bad kind")
    return bad


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("cmd", choices=["select", "select2", "select3", "select4", "select5", "convert2",
                                    "convert3", "convert4", "convert5", "show", "check", "convert",
                                    "verify", "stats"])
    ap.add_argument("--print", action="store_true", help="verify: print every span")
    ap.add_argument("--only", help="verify: restrict to ids containing this string")
    ap.add_argument("--round", type=int, default=2, help="show/check: selection round")
    args = ap.parse_args()
    if args.cmd == "select":
        sel = select()
        for a in sel["articles"]:
            print(a["corpus"], a["id"], a["source"], a["split"])
    elif args.cmd == "select2":
        sel = select2()
        for a in sel["articles"]:
            print(a["corpus"], a["id"], a["source"], a["split"])
    elif args.cmd == "show":
        show(args.round)
    elif args.cmd == "check":
        check(args.only, args.round)
    elif args.cmd == "select3":
        sel = select3()
        for a in sel["articles"]:
            print(a["corpus"], a["id"], a["source"], a["split"])
    elif args.cmd == "convert2":
        convert2()
    elif args.cmd == "convert3":
        convert3()
    elif args.cmd == "select4":
        sel = select4()
        for a in sel["articles"]:
            print(a["corpus"], a["id"], a["source"], a["split"])
    elif args.cmd == "convert4":
        convert4()
    elif args.cmd == "select5":
        sel = select5()
        for a in sel["articles"]:
            print(a["corpus"], a["id"], a["source"], a["date"], a["split"])
    elif args.cmd == "convert5":
        convert5()
    elif args.cmd == "convert":
        convert()
    elif args.cmd == "verify":
        verify(args.print, args.only)
    else:
        stats()


if __name__ == "__main__":
    main()
