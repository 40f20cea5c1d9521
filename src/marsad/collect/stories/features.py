"""Text features shared by the story modules: normalised word tokens, light stems, TF-IDF.

Tokens come from the normalised view (see :mod:`marsad.text.normalize`); a token's stem is
the clitic analysis' stem (:func:`marsad.text.clitics.analyse`) with one common plural or
feminine ending removed, so that الأمريكيين, الأمريكية and أمريكي share ``امريكي``.
Function words (``resources/ar/stopwords.txt``) are dropped.

Document frequencies come from a shipped count table (``resources/ar/story_df.tsv.gz``,
built by ``scripts/build_story_df.py`` from the unlabelled news corpora) and are updated
incrementally with the documents a run sees.
"""

from __future__ import annotations

import gzip
import heapq
import math
import re
import zlib
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from marsad.text.clitics import analyse
from marsad.text.normalize import normalize_text

#: Words on the normalised view: letters (Arabic or Latin) or digit runs.
WORD = re.compile(r"[^\W\d_]+|\d+(?:[.,]\d+)*")
_ENDINGS = ("يين", "ات", "ون", "ين", "ان", "يه", "ه")


def _read_lines(name: str) -> list[str]:
    text = resources.files("marsad.resources.ar").joinpath(name).read_text("utf-8")
    return [ln.strip() for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    return frozenset(_read_lines("stopwords.txt"))


@lru_cache(maxsize=300_000)
def stem(norm_token: str) -> str:
    """Light stem of a normalised token (clitics and one plural/feminine ending removed)."""
    w = analyse(norm_token).stem
    for e in _ENDINGS:
        if w.endswith(e) and len(w) - len(e) >= 3:
            w = w[: -len(e)]
            if e in ("يين", "يه"):
                w += "ي"
            break
    return w


@lru_cache(maxsize=300_000)
def _content_stem(t: str) -> str:
    """The stem of a word of the normalised view if it is a content word, else ``""``."""
    stop = stopwords()
    if t[0].isdigit() or len(t) < 2 or t in stop:
        return ""
    s = stem(t)
    return "" if s in stop or len(s) < 2 else s


_INNER_VOWELS = str.maketrans("", "", "اوي")


@lru_cache(maxsize=300_000)
def skeleton(stem: str) -> str:
    """A stem without its inner long vowels (ا و ي after the first letter), so that spelling
    variants of a name or its nisba share one key: نتنياهو ~ نتانياهو، روس ~ روسي ~ روسيا."""
    return stem[:1] + stem[1:].translate(_INNER_VOWELS)


def content_stems(norm_text: str) -> list[str]:
    """Stems of the content words of a normalised text, in order (no numbers, no stopwords)."""
    return [s for s in map(_content_stem, WORD.findall(norm_text)) if s]


class DocFreq:
    """Document frequencies: a shipped table plus the documents seen in this run."""

    def __init__(self, table: bool = True):
        self.n = 0
        self.df: dict[str, int] = {}
        if table:
            self.n, self.df = _shipped_df()
            self.df = dict(self.df)
        self._cap = 0.0

    def add(self, terms: Iterable[str]) -> None:
        self.n += 1
        df = self.df
        for t in set(terms):
            df[t] = df.get(t, 0) + 1

    def idf(self, term: str) -> float:
        # Terms never seen count as seen twice: a typo must not outweigh a name.
        return math.log((self.n + 1) / (self.df.get(term, 0) + 2)) + 1.0


@lru_cache(maxsize=1)
def _shipped_df() -> tuple[int, dict[str, int]]:
    res = resources.files("marsad.resources.ar").joinpath("story_df.tsv.gz")
    try:
        raw = gzip.decompress(res.read_bytes()).decode("utf-8")
    except FileNotFoundError:
        return 0, {}
    n = 0
    df: dict[str, int] = {}
    for line in raw.splitlines():
        if line.startswith("#"):
            if line.startswith("#N\t"):
                n = int(line.split("\t")[1])
            continue
        term, _, count = line.partition("\t")
        df[term] = int(count)
    return n, df


def tfidf(terms: list[str] | dict[str, int], df: DocFreq, top: int = 60) -> dict[str, float]:
    """L2-normalised TF-IDF vector (sublinear tf) of ``terms`` (a list, or term counts),
    keeping the ``top`` weights."""
    if not terms:
        return {}
    counts = terms if isinstance(terms, dict) else Counter(terms)
    # DocFreq.idf, inlined (this is a hot loop)
    n1, get, log = df.n + 1, df.df.get, math.log
    w = {t: (1.0 + log(c)) * (log(n1 / (get(t, 0) + 2)) + 1.0) for t, c in counts.items()}
    # Sorted by weight (descending): callers take the first terms as the most specific.
    w = dict(sorted(w.items(), key=lambda kv: (-kv[1], kv[0]))[:top])
    norm = math.sqrt(sum(v * v for v in w.values())) or 1.0
    return {t: v / norm for t, v in w.items()}


def cosine(a: dict[str, float], b: dict[str, float]) -> float:
    shared = a.keys() & b.keys()
    return sum(a[t] * b[t] for t in shared) if shared else 0.0


MAX_TERMS = 100


@lru_cache(maxsize=1)
def _static_idf():
    return DocFreq().idf


@dataclass(slots=True)
class DocFeatures:
    """What the clusterer needs of one article (small; computed once per article)."""

    id: str
    day: int | None  # date.toordinal() of publication, None when unknown
    outlet: str | None
    title_terms: list[str]
    #: Counts of the headline and lead stems (at most ``MAX_TERMS`` distinct, the most
    #: specific by the shipped document frequencies), so that features stay small.
    counts: dict[str, int]
    entities: frozenset[str] = frozenset()
    #: Sampled hashes of word 5-shingles (a cheap shared-passage signal).
    fingerprints: frozenset[int] = frozenset()
    order: int = 0
    vec: dict[str, float] = field(default_factory=dict)
    title_vec: dict[str, float] = field(default_factory=dict)
    #: Skeletons of the headline and lead stems and of the entities' stems (:func:`lead_keys`;
    #: the clusterer fills it while it places the article, then frees it).
    core_keys: frozenset[str] = frozenset()


def name_keys(words: Iterable[str]) -> tuple[str, ...]:
    """The :func:`skeleton` of an entity key's words and of their light stems (a resolved
    entity's id holds words, the mentions' keys stems: بغداد and غداد both match)."""
    out: list[str] = []
    for w in words:
        for k in (skeleton(w), skeleton(stem(w))):
            if k not in out:
                out.append(k)
    return tuple(out)


def lead_keys(doc: DocFeatures) -> frozenset[str]:
    """What the article says of an event's core: the :func:`skeleton` of its headline and
    lead stems, and :func:`name_keys` of its entities."""
    keys = set(map(skeleton, {*doc.counts, *doc.vec, *doc.title_terms}))
    for e in doc.entities:
        keys.update(name_keys(e.partition(":")[2].split()))
    return frozenset(keys)


def fingerprints(norm_text: str, k: int = 5, mod: int = 8, cap: int = 96) -> frozenset[int]:
    """Hashes of word ``k``-shingles kept when ``hash % mod == 0`` (deterministic sampling)."""
    words = [m.group() for m in WORD.finditer(norm_text)]
    out = set()
    for i in range(len(words) - k + 1):
        h = zlib.crc32(" ".join(words[i : i + k]).encode("utf-8"))
        if h % mod == 0:
            out.add(h)
            if len(out) >= cap:
                break
    return frozenset(out)


def features_from_text(
    id: str,
    title: str | None,
    body: str,
    day: int | None,
    outlet: str | None,
    entities: Iterable[str] = (),
    lead_tokens: int = 400,
) -> DocFeatures:
    """Features from raw title and body strings (normalised here)."""
    ntitle = normalize_text(title or "")
    nbody = normalize_text(body)
    title_terms = content_stems(ntitle)
    counts = Counter(title_terms + content_stems(nbody)[:lead_tokens])
    if len(counts) > MAX_TERMS:
        idf = _static_idf()
        counts = Counter(
            dict(heapq.nlargest(MAX_TERMS, counts.items(), key=lambda kv: (idf(kv[0]), kv[0])))
        )
    return DocFeatures(
        id=id,
        day=day,
        outlet=outlet,
        title_terms=title_terms,
        counts=dict(counts),
        entities=frozenset(entities),
        fingerprints=fingerprints(nbody),
    )


def article_title(article) -> str:  # article: marsad.core.article.Article
    """The headline: the metadata title, else the first title block."""
    if article.meta.title:
        return article.meta.title
    for _, b in article.content_blocks():
        if b.kind == "title":
            return article.text[b.start : b.end]
    return ""


def entity_keys(article) -> frozenset[str]:
    """Keys of the article's entities (mentions layer, when present): the cross-document
    entity id when the resolver set one, else the mention's stems (``PER:سوداني``)."""
    keys = set()
    for m in article.layers.get("mentions", ()) or ():
        ent = getattr(m, "entity", None) or getattr(m, "entity_id", None)
        if ent:
            keys.add(str(ent))
            continue
        stems = content_stems(normalize_text(article.text[m.start : m.end]))
        if stems:
            keys.add(f"{getattr(m, 'type', '')}:{' '.join(stems)}")
    return frozenset(keys)


def features_from_article(article, order: int = 0) -> DocFeatures:
    """Features of an analysed article: headline, content blocks (never boilerplate,
    captions or datelines), entities, publication day and outlet."""
    norm = article.norm.text
    title = article_title(article)
    body_parts = [
        norm[slice(*article.norm.to_normalized(b.start, b.end))]
        for _, b in article.content_blocks()
        if b.kind != "title"
    ]
    if not body_parts and not article.blocks:
        body_parts = [norm]
    day = article.meta.published.toordinal() if article.meta.published else guess_day(article)
    f = features_from_text(
        article.id, title, "\n".join(body_parts), day, article.meta.outlet, entity_keys(article)
    )
    f.order = order
    return f


@lru_cache(maxsize=1)
def _date_in_text() -> tuple[re.Pattern[str], dict[str, int]]:
    import json

    cal = json.loads(
        resources.files("marsad.resources.ar").joinpath("calendar.json").read_text("utf-8")
    )
    names = {}
    for group in ("gregorian_msa", "levantine", "maghrebi"):
        names.update(cal[group])
    alt = "|".join(sorted(map(re.escape, names), key=len, reverse=True))
    return re.compile(
        rf"\b(\d{{1,2}})\s+({alt})(?:\s*[(/]\s*(?:{alt})\s*\)?)?\s+(\d{{4}})\b"
    ), names


def guess_day(article, sentences: int = 3) -> int | None:
    """Publication day of an undated article: the first full date (day, month, year) in its
    first content sentences, from the dates layer when present, else from month names."""
    from datetime import date

    sents = [
        s
        for s in article.sentences
        if article.blocks and article.blocks[s.block].kind in ("body", "subheading")
    ]
    if not sents:
        return None
    limit = sents[min(sentences, len(sents)) - 1].end
    for it in article.layers.get("dates") or ():
        v = getattr(it, "value", None)
        if it.start < limit and isinstance(v, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}.*", v):
            try:
                return date.fromisoformat(v[:10]).toordinal()
            except ValueError:
                continue
    if "dates" in article.layers:
        return None
    pattern, names = _date_in_text()
    ns, ne = article.norm.to_normalized(sents[0].start, limit)
    m = pattern.search(article.norm.text, ns, ne)
    if m:
        try:
            return date(int(m.group(3)), names[m.group(2)], int(m.group(1))).toordinal()
        except ValueError:
            return None
    return None
