"""Named institutions and platforms the tagger misses, added to the entities stage's mentions.

The CRF learned ANERcorp's convention, where ``وزارة الصحة`` is not an entity; modern-news
readers (and our in-domain gold, gold/ner/README.md) count named institutions as organisations.
A head word from ``resources/ar/entity_institutions.json`` (وزارة، هيئة، النيابة، مركز …)
followed by the definite words of its name — ``الصحة``، ``العامة للسياحة والتراث الوطني`` —
is one ORG mention; a head alone (``الوزارة``) is a back-reference, not a name. Platforms and
agencies (تويتر، واس، CNN) are ORG wherever they stand. Mentions the tagger found inside such a
name (a place in ``وزارة الخارجية الأمريكية``) give way to it; a mention overlapping it
otherwise is kept and the institution is not added.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from marsad.core.article import Article
from marsad.core.items import Mention
from marsad.text.normalize import normalize_text

MAX_WORDS = 8
_PROCLITIC = re.compile(r"^(?:و|ف)?(?:ب|ل|ك)?")
_LATIN = re.compile(r"[A-Za-z]")
_TITLES = frozenset(normalize_text(w) for w in ("الملك", "الأمير", "الشيخ", "الإمام", "السلطان"))
#: Per process, per word type: the normalised, stripped word and its ``_strip`` against the
#: heads and the platforms (the lists are fixed per process). Cleared when it grows too large.
_WORDS: dict[str, tuple[str, int, str, int, str]] = {}
_WORDS_MAX = 200_000


def _word(token: str, lx: _Lists) -> tuple[str, int, str, int, str]:
    """(normalised word, head cut, head word, platform cut, platform word) of ``token``."""
    hit = _WORDS.get(token)
    if hit is None:
        if len(_WORDS) >= _WORDS_MAX:
            _WORDS.clear()
        w = normalize_text(token).strip()
        hit = _WORDS[token] = (w, *_strip(w, lx.heads), *_strip(w, lx.platforms))
    return hit


@dataclass(frozen=True, slots=True)
class _Lists:
    heads: frozenset[str]
    stops: frozenset[str]
    platforms: dict[str, int]  # normalised first word -> longest phrase length in words
    phrases: frozenset[str]
    generic: frozenset[str]


@lru_cache(maxsize=1)
def lists() -> _Lists:
    data = json.loads(
        resources.files("marsad.resources.ar")
        .joinpath("entity_institutions.json")
        .read_text("utf-8")
    )

    def norm(w: str) -> str:
        return normalize_text(w).strip()

    phrases = frozenset(norm(w) for w in data["platforms"]["words"])
    first: dict[str, int] = {}
    for p in phrases:
        ws = p.split()
        first[ws[0]] = max(first.get(ws[0], 0), len(ws))
    return _Lists(
        heads=frozenset(norm(w) for w in data["heads"]["words"]),
        stops=frozenset(norm(w) for w in data["stops"]["words"]),
        platforms=first,
        phrases=phrases,
        generic=frozenset(norm(w) for w in data["generic"]["words"]),
    )


def _strip(word: str, known) -> tuple[int, str]:
    """(characters of proclitics, the word without them) when the rest is in ``known``."""
    if word in known:
        return 0, word
    m = _PROCLITIC.match(word)
    k = m.end() if m else 0
    for cut in range(k, 0, -1):
        rest = word[cut:]
        if rest in known:
            return cut, rest
        if word[cut - 1] == "ل" and word[cut:].startswith("ل") and "ا" + rest in known:
            return cut, "ا" + rest  # للهيئة = ل + الهيئة
    return -1, word


def add_institutions(article: Article, mentions: list[Mention]) -> list[Mention]:
    """``mentions`` with the named institutions and platforms of ``article`` added."""
    lx = lists()
    text = article.text
    toks = article.tokens
    starts, ends = toks.starts, toks.ends
    n = len(starts)
    if n == 0:
        return mentions
    info = [_word(text[s:e], lx) for s, e in zip(starts, ends, strict=True)]
    words = [x[0] for x in info]
    found: list[Mention] = []
    i = 0
    while i < n:
        _, cut, w, cut2, w2 = info[i]
        if cut >= 0:
            j = i + 1
            inside = [(m.start, m.end) for m in mentions if m.start >= starts[i]]
            while j < n and j - i < MAX_WORDS:
                gap = text[ends[j - 1] : starts[j]]
                t = words[j]
                nxt = words[j + 1] if j + 1 < n else ""
                definite = (
                    t.startswith(("ال", "لل", "وال"))
                    or _LATIN.match(t) is not None
                    # لرعاية الشباب، لدول الخليج: a genitive with ل before a definite word
                    or (t.startswith("ل") and len(t) > 3 and nxt.startswith("ال") and j > i + 1)
                    # مستشفى الملك فهد: a name the tagger found goes on inside the institution's
                    or any(a <= starts[j] < b and a < starts[j] for a, b in inside)
                    # … or the name after a title (الملك فهد، الأمير سلطان بن عبدالعزيز)
                    or words[j - 1] in _TITLES
                    or words[j - 1] in ("بن", "ابن")
                    or (t in ("بن", "ابن") and words[j - 1] not in lx.stops)
                )
                if gap.strip() or not definite or t in lx.stops or t[1:] in lx.stops:
                    break
                j += 1
            if j > i + 1 and " ".join([w, *words[i + 1 : j]]) not in lx.generic:
                found.append(Mention(starts[i] + cut, ends[j - 1], "ORG", 0.9))
                i = j
                continue
        if cut2 >= 0:
            k = lx.platforms[w2]
            for size in range(k, 0, -1):
                phrase = " ".join([w2, *words[i + 1 : i + size]])
                if i + size <= n and phrase in lx.phrases:
                    found.append(Mention(starts[i] + cut2, ends[i + size - 1], "ORG", 0.9))
                    i += size
                    break
            else:
                i += 1
            continue
        i += 1
    if not found:
        return mentions
    out = list(mentions)
    for f in found:
        over = [m for m in out if m.start < f.end and f.start < m.end]
        if any(m.start < f.start or m.end > f.end for m in over):
            continue  # the tagger's mention reaches outside: keep it
        if any(m.type == "ORG" and m.start == f.start and m.end == f.end for m in over):
            continue
        out = [m for m in out if m not in over]
        out.append(f)
    out.sort(key=lambda m: (m.start, m.end))
    return out
