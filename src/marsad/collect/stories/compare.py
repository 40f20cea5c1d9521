"""Cross-outlet comparison inside one story: figures, statements per speaker, contradictions.

- **Figures** (``quantities`` layer: ``start, end, text, value, unit``; figures without a
  unit are left out): a figure's subject is
  the first content word after it in its clause (``2500 عسكري`` → ``عسكري``), else the last
  one before it; its context is the clause's content stems. Figures of different articles are
  compared when unit and subject match and their clauses share at least two more stems
  (linked transitively). Each comparison lists the values with the outlets and spans that
  report them and says whether they agree.
- **Statements** (``quotes`` layer): grouped by speaker, each cited with its span.
- **Contradictions** (first, precise version): two sentences of different articles that share
  at least ``min_shared`` content stems (Jaccard ≥ ``min_jaccard``), one of which negates
  the shared claim (a negation particle within ``window`` words before shared stems, or a
  denial verb such as نفى before them) while the other holds no negation cue at all. The
  cue lists are data: ``resources/ar/polarity.json``. Precision comes before recall.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from functools import lru_cache
from importlib import resources
from typing import Any

from marsad.collect.stories.features import WORD, content_stems, stem, stopwords
from marsad.text.normalize import normalize_text

_CLAUSE = re.compile(r"[،,؛;.!?؟\n]")


@lru_cache(maxsize=1)
def polarity() -> dict[str, Any]:
    return json.loads(
        resources.files("marsad.resources.ar").joinpath("polarity.json").read_text("utf-8")
    )


# -- figures ------------------------------------------------------------------------------
def _unit_key(unit: object) -> str | None:
    """Units compare on their stems (العسكريين ~ عسكري)."""
    if not isinstance(unit, str) or not unit.strip():
        return None
    return " ".join(content_stems(normalize_text(unit))) or normalize_text(unit)


def article_figures(article, order: int = 0) -> list[dict[str, Any]]:
    """The article's figures with subject and clause context (content blocks only)."""
    items = article.layers.get("quantities") or ()
    out = []
    text = article.text
    for q in items:
        b = article.block_at(q.start)
        if b is not None and b.kind not in ("title", "body", "subheading"):
            continue
        value = getattr(q, "value", None)
        if value is None or not getattr(q, "unit", None):
            continue  # a bare number (list numbering, a year) has no subject to compare
        # The clause around the figure.
        lo = q.start
        while lo > 0 and not _CLAUSE.match(text[lo - 1]):
            lo -= 1
        hi = q.end
        while hi < len(text) and not _CLAUSE.match(text[hi]):
            hi += 1
        after = content_stems(normalize_text(text[q.end : hi]))
        before = content_stems(normalize_text(text[lo : q.start]))
        head = after[0] if after else (before[-1] if before else None)
        if head is None:
            continue
        out.append(
            {
                "doc": article.id,
                "outlet": article.meta.outlet,
                "start": q.start,
                "end": q.end,
                "text": text[q.start : q.end],
                "value": value,
                "unit": getattr(q, "unit", None),
                "_unit_key": _unit_key(getattr(q, "unit", None)),
                "subject": head,
                # the words around the figure (not the whole clause): what it counts
                "_context": (set(before[-FIGURE_CONTEXT:]) | set(after[:FIGURE_CONTEXT])) - {head},
                "_order": order,
            }
        )
    return out


#: Figures of the same (unit, subject) key compared with each new figure (docs/stories.md).
FIGURE_WINDOW = 64
#: Content words on each side of a figure that say what it counts, and how many of them two
#: figures must share to be the same quantity.
FIGURE_CONTEXT = 6
FIGURE_MIN_SHARED = 2


def _one_quantity(fs: list[dict[str, Any]]) -> bool:
    """The group is one quantity: no article gives two different values of it (a market
    report's 3 rising, 161 falling and 12 unchanged companies are three quantities with one
    unit and subject, not a disagreement), and differing values come from two outlets."""
    per_doc: dict[str, set[str]] = defaultdict(set)
    for f in fs:
        per_doc[f["doc"]].add(json.dumps(f["value"], sort_keys=True))
    if any(len(v) > 1 for v in per_doc.values()):
        return False
    values = {next(iter(v)) for v in per_doc.values()}
    return len(values) == 1 or len({f["outlet"] for f in fs}) >= 2


def compare_figures(figures: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Groups of comparable figures reported by at least two articles."""
    n = len(figures)
    parent = list(range(n))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    by_key: dict[tuple, list[int]] = defaultdict(list)
    for i, f in enumerate(figures):
        by_key[(f["_unit_key"], f["subject"])].append(i)
    for idx in by_key.values():
        for b in range(1, len(idx)):
            # Bounded work: each figure is compared with the FIGURE_WINDOW figures of the same
            # key before it (not all pairs; a 1,000-article story of agency copies would
            # otherwise cost millions of comparisons). Groups still chain through the window.
            for a in range(max(0, b - FIGURE_WINDOW), b):
                if find(idx[a]) == find(idx[b]):
                    continue
                fa, fb = figures[idx[a]], figures[idx[b]]
                shared = len(fa["_context"] & fb["_context"])
                if fa["doc"] != fb["doc"] and shared >= FIGURE_MIN_SHARED:
                    parent[find(idx[a])] = find(idx[b])
    groups: dict[int, list[int]] = defaultdict(list)
    for i in range(n):
        groups[find(i)].append(i)
    out = []
    for idx in groups.values():
        fs = [figures[i] for i in idx]
        if len({f["doc"] for f in fs}) < 2:
            continue
        if not _one_quantity(fs):
            continue
        values: dict[str, dict[str, Any]] = {}
        for f in sorted(fs, key=lambda f: (f["_order"], f["start"])):
            key = json.dumps(f["value"], sort_keys=True, ensure_ascii=False)
            v = values.setdefault(key, {"value": f["value"], "outlets": [], "mentions": []})
            if f["outlet"] not in v["outlets"]:
                v["outlets"].append(f["outlet"])
            v["mentions"].append(
                {"doc": f["doc"], "start": f["start"], "end": f["end"], "text": f["text"]}
            )
        out.append(
            {
                "subject": fs[0]["subject"],
                "unit": fs[0]["unit"],
                "agree": len(values) == 1,
                "values": list(values.values()),
            }
        )
    out.sort(key=lambda g: (g["agree"], -sum(len(v["mentions"]) for v in g["values"])))
    return out


# -- statements ---------------------------------------------------------------------------
def _speaker_name(d: dict[str, Any]) -> str | None:
    sp = d.get("speaker")
    if isinstance(sp, dict):
        sp = sp.get("name") or sp.get("text")
    return sp if isinstance(sp, str) and sp.strip() else None


def article_statements(article) -> list[dict[str, Any]]:
    out = []
    for q in article.layers.get("quotes") or ():
        d = q.to_json(article)
        name = _speaker_name(d)
        if not name:
            continue
        out.append(
            {
                "speaker": name,
                "doc": article.id,
                "outlet": article.meta.outlet,
                "start": d["start"],
                "end": d["end"],
                "text": d["text"],
            }
        )
    return out


def statements_by_speaker(statements: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Statements grouped by speaker, by the stems of the speaker's name; a name whose stems
    are all inside exactly one longer name of the story joins it (شكري, وزير الخارجية المصري →
    وزير الخارجية المصري سامح شكري). (Statements are taken in the worker, before entities are
    resolved: they carry no entity id to group by.)"""
    keys: list[str] = []
    for s in statements:
        keys.append(
            " ".join(content_stems(normalize_text(s["speaker"]))) or normalize_text(s["speaker"])
        )
    stems = {k: set(k.split()) for k in set(keys)}
    target: dict[str, str] = {}
    for k, ks in stems.items():
        supers = [o for o, os_ in stems.items() if o != k and ks < os_]
        maximal = [o for o in supers if not any(stems[o] < stems[p] for p in supers)]
        target[k] = maximal[0] if len(maximal) == 1 else k
    groups: dict[str, list[dict[str, Any]]] = {}
    names: dict[str, str] = {}
    for k, s in zip(keys, statements, strict=True):
        t = target[k]
        groups.setdefault(t, []).append({x: v for x, v in s.items() if x != "speaker"})
        if k == t or t not in names:
            names[t] = s["speaker"] if k == t else names.get(t, s["speaker"])
    out = [
        {"speaker": names[k], "outlets": sorted({x["outlet"] or "" for x in v}), "statements": v}
        for k, v in groups.items()
    ]
    out.sort(key=lambda g: (-len(g["statements"]), g["speaker"]))
    return out


# -- contradictions -----------------------------------------------------------------------
# A contradiction is two claims about the same subject and the same predicate whose truth
# conflicts. Claims are aligned first, then compared (docs/stories.md, "Contradictions"):
#
# 1. the negated side: a negation particle (لم/لن/لا/ليس…) directly before a verb-like
#    predicate, or a denial verb (نفى…) whose clause holds the predicate; fused or idiomatic
#    forms are no negation of a claim (لا يزال/لازال/مازال = "still"; كي لا/كيلا/لئلا/أن لا
#    = "so as not to"): a sentence holding them is left out of both sides;
# 2. the affirmed side: the same predicate (same consonant skeleton: يتفق ~ اتفقت) with no
#    negation or denial cue anywhere in the sentence;
# 3. the same subject: both sentences name the same entity (mentions layer), or carry a
#    statement of the same speaker, and share at least ``min_shared`` more content stems
#    with Jaccard >= ``min_jaccard``;
# 4. the two sentences come from different articles of different outlets.
_VERB_PREFIX = ("ي", "ت", "ن", "ا", "س")
_VERB_SUFFIX = ("تما", "تم", "ون", "وا", "ين", "ان", "تا", "ت", "ن", "ا", "ه")


def skeleton(word: str) -> str:
    """The consonants of a verb-like word without one inflection prefix and suffix: يتفق,
    اتفقت and اتفقوا share تفق; enough to align a negated predicate with its affirmation."""
    w = word
    for p in ("و", "ف"):
        if w.startswith(p) and len(w) > 4:
            w = w[1:]
            break
    if len(w) > 3 and w[0] in _VERB_PREFIX:
        w = w[1:]
    for e in _VERB_SUFFIX:
        if w.endswith(e) and len(w) - len(e) >= 3:
            w = w[: -len(e)]
            break
    core = "".join(ch for ch in w if ch not in "اويى")
    return core if len(core) >= 2 else w


@lru_cache(maxsize=1)
def _polarity_sets() -> tuple[frozenset[str], ...]:
    pol = polarity()
    return tuple(
        frozenset(pol[k])
        for k in (
            "negation_particles",
            "denial_verbs",
            "not_negation",
            "continuity_verbs",
            "purpose_before_particle",
            "weak_negation",
        )
    )


def _polarity_view(text: str) -> dict[str, Any] | None:
    """Claim stems, negated predicates and the cue of one sentence; None when the sentence
    holds a fused or idiomatic negation (no evidence either way).

    ``negated`` and ``context`` map a predicate's skeleton to the content stems within
    ``CONTEXT`` content words of it (its subject and object, on either side)."""
    particles, denials, idioms, continuity, purpose, weak = _polarity_sets()
    stop = stopwords()
    words = [m.group() for m in WORD.finditer(normalize_text(text))]
    negated_at: set[int] = set()  # word indices under negation (the predicates)
    cue = None
    any_cue = False
    for i, t in enumerate(words):
        nxt = words[i + 1] if i + 1 < len(words) else ""
        prev = words[i - 1] if i else ""
        if t in idioms or (t in particles and (nxt in continuity or prev in purpose)):
            return None
        if t in weak:
            any_cue = True
        elif t in particles:
            any_cue = True
            # the predicate: the next word (after قد/بعد/يعد…), verb-like, not a stopword
            j = i + 1
            while j < len(words) and words[j] in _AUXILIARIES:
                j += 1
            if j < len(words) and not words[j][0].isdigit() and words[j] not in stop:
                negated_at.add(j)
                cue = cue or t
        elif t in denials or stem(t) in denials:
            any_cue = True
            # a denial covers what follows it (the denied clause: the next 12 words)
            negated_at.update(range(i + 1, min(len(words), i + 13)))
            cue = cue or t
    claim: set[str] = set()
    seq: list[tuple[str, str, bool]] = []  # (stem, skeleton, negated) of the content words
    for i, t in enumerate(words):
        if t in particles or t in denials or t in weak or t[0].isdigit() or t in stop:
            continue
        s = stem(t)
        if s in stop or len(s) < 2 or s in denials:
            continue
        claim.add(s)
        seq.append((s, skeleton(t), i in negated_at))
    context: dict[str, set[str]] = defaultdict(set)
    negated: dict[str, set[str]] = defaultdict(set)
    for k, (_, sk, neg) in enumerate(seq):
        near = {x[0] for x in seq[max(0, k - CONTEXT) : k + CONTEXT + 1]} - {seq[k][0]}
        context[sk] |= near
        if neg:
            negated[sk] |= near
    return {"claim": claim, "context": context, "negated": negated, "cue": cue, "any": any_cue}


#: Content words on each side of a predicate that count as its subject and object.
CONTEXT = 3
#: Words between a negation particle and its predicate (لم يعد، لم يكن قد…).
_AUXILIARIES = frozenset({"قد", "بعد", "يعد", "تعد", "يكن", "تكن", "يكون", "تكون"})


def _aligned(va: dict, vb: dict, min_context: int) -> set[str]:
    """The negated predicates of ``va`` that ``vb`` affirms about the same subject/object:
    the same skeleton with at least ``min_context`` shared stems around it."""
    return {
        sk
        for sk, near in va["negated"].items()
        if sk in vb["context"] and len(near & vb["context"][sk]) >= min_context
    }


def contradictions(
    sentences: list, limit: int = 10, pol: dict | None = None
) -> list[dict[str, Any]]:
    """Aligned pairs of sentences (``summary.Sent``) of different outlets with opposite
    polarity on the same predicate about the same subject (see the comment above)."""
    pol = pol or polarity()
    if not pol.get("enabled", True):
        return []
    min_shared = int(pol["min_shared"])
    min_j = float(pol["min_jaccard"])
    min_context = int(pol["min_context"])
    views = [_polarity_view(s.text) for s in sentences]
    index: dict[str, list[int]] = defaultdict(list)
    for i, v in enumerate(views):
        if v is not None and not v["any"]:
            for t in v["claim"]:
                index[t].append(i)
    out = []
    for i, v in enumerate(views):
        if v is None or not v["negated"]:
            continue
        a = sentences[i]
        counts: dict[int, int] = defaultdict(int)
        for t in v["claim"]:
            for j in index[t]:
                counts[j] += 1
        for j, c in sorted(counts.items()):
            b = sentences[j]
            if c < min_shared or b.doc == a.doc or (a.outlet and a.outlet == b.outlet):
                continue
            w = views[j]
            shared = v["claim"] & w["claim"]
            if len(shared) / len(v["claim"] | w["claim"]) < min_j:
                continue
            predicate = _aligned(v, w, min_context)
            if not predicate:
                continue
            out.append(
                {
                    "kind": "polarity",
                    "subject": " ".join(sorted(shared)[:6]),
                    "predicate": " ".join(sorted(predicate)),
                    "cue": v["cue"],
                    "negated": a.cite(),
                    "affirmed": b.cite(),
                    "negated_outlet": a.outlet,
                    "affirmed_outlet": b.outlet,
                }
            )
            if len(out) >= limit:
                return out
    return out
