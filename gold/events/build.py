"""Check the event gold (events with angles, key facts and distractors) against the shared data.

Usage (from the repository root, with the shared data reachable)::

    MARSAD_SHARED=/work/shared python gold/events/build.py check

``check`` loads ``dev.jsonl``, ``test.jsonl``, ``test2.jsonl`` and ``test3.jsonl``, reads the article texts from
``$MARSAD_SHARED/data/news/saudinewsnet.jsonl.gz`` (default: ``../shared`` next to the
repository root), and verifies:

* every article id exists and the SHA-1 of its ``text`` (UTF-8) matches;
* event ids are unique, ASCII and start with ``<corpus>-``; no article is in two events;
* a real event (``distractor_of`` null) has >= 3 articles from >= 3 outlets and 4-6 facts;
  a distractor has >= 1 article, names an event of the same split, and has no facts;
* no article is in the test split of the story gold (``gold/stories/test.jsonl``);
* every fact has 2-5 words, an ``about`` from the fixed list, and articles of its own event;
  every word of a fact occurs, after the normalisation below, as a token of at least one of
  the fact's articles (title or text), bare or behind a proclitic (و ف ب ل ك ال لل ...).

Then it prints the counts per split (the figures in README.md). The files hold no article
text: only ids, SHA-1s, the annotator's own notes and normalised key words.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import re
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
SPLITS = ("dev", "test", "test2", "test3")
ABOUT = ("what", "who", "decision", "figure", "when", "next")
CORPUS_FILES = {"saudinewsnet": "saudinewsnet.jsonl.gz"}
PROCLITICS = ("", *"و ف ب ل ك ال وال فال بال كال لل ولل فلل وب ول فب فل وك س وس".split())

_DIACRITICS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹٫٬", "01234567890123456789.,")
_TOKEN = re.compile(r"\d+(?:[.,]\d+)*|[^\W\d_]+")


def normalise(text: str) -> str:
    """Strip diacritics and tatweel, fold alef forms to ا, ى to ي, ة to ه, digits to Western."""
    text = _DIACRITICS.sub("", text)
    text = re.sub("[إأآٱ]", "ا", text).replace("ى", "ي").replace("ة", "ه")
    return text.translate(_DIGITS)


def tokens(text: str) -> set[str]:
    """Word tokens of the normalised text; a number also yields its digits without
    separators and its parts (``439.491`` gives ``439491``, ``439`` and ``491``)."""
    out = set()
    for tok in _TOKEN.findall(normalise(text)):
        out.add(tok)
        if tok[0].isdigit() and ("." in tok or "," in tok):
            out.add(re.sub("[.,]", "", tok))
            out.update(re.split("[.,]", tok))
    return out


def word_in(word: str, toks: set[str]) -> bool:
    """True when ``word`` is a token of ``toks``, bare or behind a proclitic."""
    return any(p + word in toks for p in PROCLITICS)


def sha1(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def shared_news_dir() -> Path:
    root = os.environ.get("MARSAD_SHARED")
    base = Path(root) if root else HERE.parent.parent.parent / "shared"
    return base / "data" / "news"


def load_articles(corpus: str, ids: set[str] | None = None) -> dict[str, dict]:
    """Rows of a corpus file by id (only ``ids`` when given)."""
    path = shared_news_dir() / CORPUS_FILES[corpus]
    if not path.exists():
        raise SystemExit(f"shared data not found: {path} (set MARSAD_SHARED)")
    out = {}
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            if ids is None or row["id"] in ids:
                out[row["id"]] = row
    return out


def read_gold() -> dict[str, list[dict]]:
    gold = {}
    for split in SPLITS:
        path = HERE / f"{split}.jsonl"
        if not path.exists():
            gold[split] = []
            continue
        lines = path.read_text(encoding="utf-8").splitlines()
        gold[split] = [json.loads(x) for x in lines if x.strip()]
    return gold


def _fail(msg: str) -> None:
    raise SystemExit(f"event gold check failed: {msg}")


def check() -> None:
    gold = read_gold()
    wanted = {a["id"] for rows in gold.values() for e in rows for a in e["articles"]}
    arts = load_articles("saudinewsnet", wanted)
    story_test = HERE.parent / "stories" / "test.jsonl"
    if story_test.exists():
        lines = story_test.read_text(encoding="utf-8").splitlines()
        taken = {json.loads(x)["id"] for x in lines if x.strip()} & wanted
        if taken:
            _fail(f"articles of the story gold's test split: {sorted(taken)}")
    seen_event: set[str] = set()
    seen_article: dict[str, str] = {}
    for split, rows in gold.items():
        real = {e["event"] for e in rows if e["distractor_of"] is None}
        for e in rows:
            eid = e["event"]
            if e["split"] != split or e["corpus"] not in CORPUS_FILES:
                _fail(f"{eid}: split/corpus")
            if eid in seen_event or not eid.isascii() or not eid.startswith(e["corpus"] + "-"):
                _fail(f"bad or duplicate event id {eid}")
            seen_event.add(eid)
            ids = [a["id"] for a in e["articles"]]
            for a in e["articles"]:
                row = arts.get(a["id"])
                if row is None:
                    _fail(f"{eid}: unknown article {a['id']}")
                if sha1(row["text"]) != a["sha1"]:
                    _fail(f"{eid}: sha1 mismatch for {a['id']}")
                if a["id"] in seen_article:
                    _fail(f"{a['id']} in {seen_article[a['id']]} and {eid}")
                seen_article[a["id"]] = eid
            outlets = {arts[i]["source"] for i in ids}
            if e["distractor_of"] is None:
                if len(ids) < 3 or len(outlets) < 3:
                    _fail(f"{eid}: needs >= 3 articles from >= 3 outlets")
                if not 4 <= len(e["facts"]) <= 6:
                    _fail(f"{eid}: {len(e['facts'])} facts")
            else:
                if e["distractor_of"] not in real or not ids or e["facts"]:
                    _fail(f"{eid}: bad distractor")
            for f in e["facts"]:
                if f["about"] not in ABOUT or not 2 <= len(f["words"]) <= 5 or not f["articles"]:
                    _fail(f"{eid} {f['fact']}: bad fact")
                for aid in f["articles"]:
                    if aid not in ids:
                        _fail(f"{eid} {f['fact']}: article {aid} not in the event")
                for w in f["words"]:
                    if w != normalise(w):
                        _fail(f"{eid} {f['fact']}: word not normalised: {w!r}")
                    if not any(
                        word_in(w, tokens(arts[a]["title"] + "\n" + arts[a]["text"]))
                        for a in f["articles"]
                    ):
                        _fail(f"{eid} {f['fact']}: word {w!r} in none of its articles")
    for split, rows in gold.items():
        real = [e for e in rows if e["distractor_of"] is None]
        dis = [e for e in rows if e["distractor_of"] is not None]
        if not real:
            print(f"{split:4} (no events)")
            continue
        n_real = sum(len(e["articles"]) for e in real)
        n_dis = sum(len(e["articles"]) for e in dis)
        outlets = {arts[a["id"]]["source"] for e in rows for a in e["articles"]}
        per_event = sorted(len({arts[a["id"]]["source"] for a in e["articles"]}) for e in real)
        sizes = sorted((len(e["articles"]) for e in real), reverse=True)
        about = Counter(f["about"] for e in real for f in e["facts"])
        print(
            f"{split:4} events={len(real)} articles={n_real} distractors={len(dis)} "
            f"distractor_articles={n_dis} outlets={len(outlets)} "
            f"facts={sum(len(e['facts']) for e in real)} "
            f"outlets_per_event(min/median/max)={per_event[0]}/{per_event[len(per_event) // 2]}"
            f"/{per_event[-1]} largest={sizes[:5]}"
        )
        print(f"     facts by kind: {dict(sorted(about.items()))}")


if __name__ == "__main__":
    if len(sys.argv) == 2 and sys.argv[1] == "check":
        check()
    else:
        raise SystemExit(__doc__)
