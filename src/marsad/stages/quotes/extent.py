"""Where a speaker mention ends: a trained model over the words after the cue.

The rules (:func:`marsad.stages.quotes.speakers._speaker_phrase`) give the *zone* between a cue
and what opens its statement and a first guess at the end of the speaker in it (the first
adverbial, preposition or comma: ``قال مسؤول أمريكي وقتها إن`` → ``مسؤول أمريكي``). Those
guesses cut real speakers short (``قائد في تحالف إقليمي موال للنظام السوري``, ``المسؤول في حزب
"نداء تونس" وسام السعيدي``) or keep words that are not the speaker (``الخارجية بتصريحها``).
This module decides, word by word from the second, whether the speaker mention goes on: a
logistic model over features of the word, the one before it, what separates them, the entity
mentions, the cue lexicon's word classes and the rule's guess. The first word the model
rejects ends the mention.

The weights are a small JSON file (``models/quotes/speaker_extent.json``) made by
``marsad train quotes`` from the development split of ``gold/quotes`` (see its MODEL_CARD.md);
inference is a sum of weights, no library.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

MAX_WORDS = 16
_PREFIXES = ("وبال", "وال", "بال", "فال", "كال", "لل", "ال", "وب", "ول", "و", "ب", "ل", "ف")
_SUFFIXES = ("يين", "يون", "ية", "ي", "ات", "ون", "ين", "ة")
_NUM = re.compile(r"\d")


@lru_cache(maxsize=65536)
def _prefix(w: str) -> str:
    for p in _PREFIXES:
        if w.startswith(p) and len(w) > len(p) + 1:
            return p
    return "-"


@lru_cache(maxsize=65536)
def _suffix(w: str) -> str:
    for s in _SUFFIXES:
        if w.endswith(s) and len(w) > len(s) + 2:
            return s
    return "-"


def _gap(text: str) -> str:
    out = []
    for ch in text:
        c = (
            "C"
            if ch in "،,"
            else "Q"
            if ch in '«»“”"'
            else "K"
            if ch in ":;؛"
            else "P"
            if ch in "()[]"
            else "D"
            if ch in "-–—"
            else ""
        )
        if c and (not out or out[-1] != c):
            out.append(c)
    return "".join(out) or "S"


@dataclass(frozen=True, slots=True)
class Word:
    """One word of a zone: normalised offsets and what the context knows of it."""

    start: int
    end: int
    text: str
    gap: str  # what separates it from the previous word: S, C (comma), Q (quote mark) …
    mention: str  # entity type of the mention it is in, or "-"
    mention_id: int  # index of that mention, or -1
    stop: bool  # a speaker-stop phrase (adverbial, preposition, date word) starts here
    quoted: bool  # inside a quotation
    strong: bool = False  # what always ends a mention starts here (lexicon ``strong_stop_re``)


_CLASSES: dict[str, str] = {}


def _word_class(t: str, lex: Any) -> str:
    """role / anon / org / - from the cue lexicon's word lists (cached per word)."""
    c = _CLASSES.get(t)
    if c is None:
        bare = t[1:] if t.startswith("و") and len(t) > 3 else t
        c = (
            "role"
            if t in lex.roles or bare in lex.roles
            else "anon"
            if t in lex.anonymous
            else "org"
            if t in lex.organisation or bare in lex.organisation
            else "-"
        )
        if len(_CLASSES) < 100_000:
            _CLASSES[t] = c
    return c


def word_features(words: list[Word], i: int, rule_k: int, lex: Any) -> list[str]:
    """Features for "does the speaker mention go on with ``words[i]``?" (``i`` ≥ 1)."""
    w, p = words[i], words[i - 1]
    name_seen = any(x.mention == "PER" for x in words[:i])
    ment_seen = any(x.mention != "-" for x in words[:i])
    cls = _word_class(w.text, lex)
    same = w.mention_id >= 0 and w.mention_id == p.mention_id
    f = [
        "bias",
        f"w={w.text}",
        f"p={p.text}",
        f"pw={p.text}|{w.text}",
        f"pre={_prefix(w.text)}",
        f"suf={_suffix(w.text)}",
        f"ppre={_prefix(p.text)}",
        f"gap={w.gap}",
        f"rule={'in' if i < rule_k else 'out'}",
        f"stop={w.stop}",
        f"cls={cls}",
        f"ment={w.mention}",
        f"same={same}",
        f"pment={p.mention}",
        f"i={min(i, 6)}",
        f"num={bool(_NUM.search(w.text))}",
        f"quoted={w.quoted}",
        f"name_seen={name_seen}|gap={w.gap}",
        f"name_seen={name_seen}|pre={_prefix(w.text)}",
        f"name_seen={name_seen}|cls={cls}",
        f"name_seen={name_seen}|ment={w.mention}",
        f"ment_seen={ment_seen}|stop={w.stop}",
        f"gap={w.gap}|ment={w.mention}",
        f"gap={w.gap}|pre={_prefix(w.text)}",
        f"rule={'in' if i < rule_k else 'out'}|stop={w.stop}|pre={_prefix(w.text)}",
    ]
    t = w.text
    wa = t.startswith("و") and not t.startswith("وال")
    f += [
        f"wa={wa}|ment={w.mention != '-'}",
        f"wa={wa}|pdef={p.text.startswith('ال')}",
        f"pron={t.endswith(('ها', 'هم', 'هما', 'ته', 'تها'))}|pdef={p.text.startswith('ال')}",
    ]
    if i + 1 < len(words):
        nx = words[i + 1]
        f += [f"n={nx.text}", f"npre={_prefix(nx.text)}", f"nment={nx.mention}"]
    else:
        f.append("n=<end>")
    return f


@dataclass(slots=True)
class LinearModel:
    """A logistic model over string features (the speaker-extent and speaker-choice models)."""

    weights: dict[str, float]
    threshold: float = 0.5

    def probability(self, feats: list[str]) -> float:
        z = sum(self.weights.get(x, 0.0) for x in feats)
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


def mention_length(model: LinearModel, words: list[Word], rule_k: int, lex: Any) -> int:
    """How many of ``words`` the speaker mention takes (at least 1)."""
    k = 1
    while k < len(words):
        j = apposition(words, k, lex)
        if j > k:
            k = j  # ROLE، NAME: the name after the comma is part of the mention
            continue
        j = parenthesis(words, k, lex)
        if j > k:
            k = j  # متحدث باسم (فوت ليف)، جهاز الأمن العام (الشاباك): a name or gloss
            continue
        if (
            hard_stop(words, k, lex)
            or time_word(words[k])
            or (words[k].strong and not words[k].quoted)
            or (model.probability(word_features(words, k, rule_k, lex)) < model.threshold)
        ):
            break
        k += 1
    return k


def apposition(words: list[Word], i: int, lex: Any) -> int:
    """After a role and a comma, a person's name up to the next comma or the end of the zone
    (``الناطق الرسمي باسم المجلس، بليغ أبو كلل،``): the index after it, else ``i``."""
    if "C" not in words[i].gap or any(w.mention == "PER" for w in words[:i]):
        return i
    if _word_class(words[0].text, lex) != "role":
        return i
    j = i
    while j < len(words) and (j == i or words[j].gap == "S") and j - i < 5:
        if _word_class(words[j].text, lex) != "-" or words[j].stop:
            return i
        j += 1
    return j if any(w.mention == "PER" for w in words[i:j]) else i


def parenthesis(words: list[Word], i: int, lex: Any) -> int:
    """A short parenthesis (at most 4 words, closed) right after the mention's words: a name
    or an acronym of it (``متحدث باسم (فوت ليف)``، ``جهاز الأمن العام (الشاباك)``): the index
    after it, else ``i``. Only after ``باسم`` or with an entity mention or Latin letters inside;
    never a cue, a complementizer or a stop word inside it."""
    if i == 0 or words[i].gap != "P" or words[i - 1].stop:
        return i
    j = i + 1
    while j < len(words) and words[j].gap == "S" and j - i < 4:
        j += 1
    if j - i > 4 or j >= len(words) or "P" not in words[j].gap:
        return i  # not closed within the zone (or too long): an aside, not a name
    for w in words[i:j]:
        if w.stop or lex.cue_re.fullmatch(w.text) or lex.comp_re.fullmatch(w.text):
            return i
    named = words[i - 1].text == "باسم" or any(
        w.mention != "-" or w.text.isascii() for w in words[i:j]
    )
    return j if named else i  # not a gloss (ديمقراطي اشتراكي) or an aside (بلعنا لكم)


#: time adverbs (normalised): ``قال شهود عيان أمس إن`` — never part of who spoke
_TIME_WORDS = frozenset(
    {
        "امس",
        "اليوم",
        "مساء",
        "صباح",
        "الليله",
        "ظهر",
        "عصر",
        "فجر",
        "ليل",
        "غدا",
        "الاحد",
        "الاثنين",
        "الثلاثاء",
        "الاربعاء",
        "الخميس",
        "الجمعه",
        "السبت",
    }
)


#: words inside a person's name that the tagger may leave out of the mention
_NAME_PARTS = frozenset({"بن", "ابن", "بنت", "ابو", "أبو", "آل", "ال", "عبد", "الدين"})


def time_word(w: Word) -> bool:
    """``شهود عيان أمس``: a time adverb outside any mention ends the speaker mention. Checked at
    inference only: in training the gold mentions that end there are the model's lessons on
    where adverbials stop a mention."""
    return w.text in _TIME_WORDS and w.mention == "-" and not w.quoted


def hard_stop(words: list[Word], i: int, lex: Any) -> bool:
    """Never inside a speaker mention: a word after a colon, bracket or detached dash
    (``البرادعي - الرئيس الأسبق``), a cue verb or participle (``سموه قائلا``), a
    complementizer, the addressee written ``لـ"رويترز"``, a second place or organisation
    name right after another."""
    w = words[i]
    if "K" in w.gap or "P" in w.gap or "D" in w.gap:
        return True
    if w.text == "ل":
        return True  # the addressee: لـ«الشرق الأوسط»
    p = words[i - 1]
    if p.mention == "PER" and w.mention == "-" and w.gap == "S" and w.text not in _NAME_PARTS:
        return True  # a mention ends with the person's name (ووصف ترامب الكتاب بأنه …)
    if (
        w.mention in ("LOC", "ORG")
        and p.mention in ("LOC", "ORG")
        and w.mention_id != p.mention_id
        and w.gap == "S"
    ):
        return True  # حذرت الولايات المتحدة إيران: two names side by side, the second an object
    return lex.cue_re.fullmatch(w.text) is not None or lex.comp_re.fullmatch(w.text) is not None


MODEL_FILE = "speaker_extent.json"
CHOICE_FILE = "speaker_choice.json"


@lru_cache(maxsize=8)
def load_model(path: str | None = None, name: str = MODEL_FILE) -> LinearModel | None:
    """A shipped linear model (``name`` in ``models/quotes``; ``path`` None) or one from a
    file; None when there is none."""
    if path:
        p = Path(path)
        if not p.exists():
            return None
        data = json.loads(p.read_text(encoding="utf-8"))
    else:
        f = resources.files("marsad.models").joinpath("quotes").joinpath(name)
        if not f.is_file():
            return None
        data = json.loads(f.read_text(encoding="utf-8"))
    return LinearModel(weights=data["weights"], threshold=float(data.get("threshold", 0.5)))
