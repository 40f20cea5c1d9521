"""Across articles: the ``entities`` collector (:class:`EntityCollector`), its compact
run-level records (:class:`_Entity`, pickled by the store) and its per-article part
(:func:`preparer`)."""

from __future__ import annotations

import hashlib
import pickle
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from marsad.collect.entities.local import LocalEntity, resolve_article, speaker_entity
from marsad.collect.entities.names import (
    form_eq,
    form_key,
    is_prefix,
    is_sub,
    lexicon,
    skel,
    swap_eq,
    tok_eq,
)
from marsad.core.article import Article
from marsad.core.protocols import prepared
from marsad.core.serialise import LazyRows
from marsad.core.settings import load_settings


@dataclass
class _Entity:
    """Compact record of one run-level entity (bounded by its mentions, which are output).

    Mention rows are kept pickled: a tuple of rows (``_ROW_KEYS`` order) per blob, one blob
    per article when added, one sorted blob once the entity's row has been built. A row as
    Python tuples cost about 270 bytes; pickled with the rows of its article, about 60."""

    cls: str  # PER or X (organisations, places and other names merge with each other)
    types: Counter = field(default_factory=Counter)
    forms: Counter = field(default_factory=Counter)  # parts -> mentions
    surfaces: dict[tuple[str, ...], Counter] = field(default_factory=dict)
    roles: Counter = field(default_factory=Counter)
    mentions: list[bytes] = field(default_factory=list)  # pickled tuples of rows
    n_mentions: int = 0
    docs: dict[str, int] = field(default_factory=dict)  # doc -> report number
    order: int = 0
    alias_type: str | None = None

    def absorb(self, other: _Entity) -> None:
        self.types.update(other.types)
        self.forms.update(other.forms)
        for f, c in other.surfaces.items():
            self.surfaces.setdefault(f, Counter()).update(c)
        self.roles.update(other.roles)
        self.mentions.extend(other.mentions)
        self.n_mentions += other.n_mentions
        for d, n in other.docs.items():
            self.docs.setdefault(d, n)
        self.order = min(self.order, other.order)
        self.alias_type = self.alias_type or other.alias_type

    def rows(self) -> list[tuple]:
        """The mention rows in report order (document, then offset); kept as one blob."""
        rows = [m for blob in self.mentions for m in pickle.loads(blob)]
        ordered = sorted(rows, key=lambda m: (self.docs.get(m[0], 0), m[1]))
        if len(self.mentions) > 1 or ordered != rows:
            self.mentions = [pickle.dumps(tuple(ordered), protocol=5)]
        return ordered

    def longest(self) -> tuple[str, ...]:
        return max(self.forms, key=lambda f: (len(f), self.forms[f]))

    # saved by the store: counters as plain dicts (a Counter pickles through Python code)
    def __getstate__(self) -> tuple:
        surfaces = {k: dict(v) for k, v in self.surfaces.items()}
        return (self.cls, dict(self.types), dict(self.forms), surfaces, dict(self.roles),
                self.mentions, self.n_mentions, self.docs, self.order, self.alias_type)  # fmt: skip

    def __setstate__(self, state: tuple) -> None:
        (self.cls, types, forms, surfaces, roles, self.mentions, self.n_mentions, self.docs,
         self.order, self.alias_type) = state  # fmt: skip
        self.types, self.forms, self.roles = Counter(types), Counter(forms), Counter(roles)
        self.surfaces = {k: Counter(v) for k, v in surfaces.items()}


#: Keys of a mention row of ``entities[].mentions``.
_ROW_KEYS = ("doc", "start", "end", "text", "type", "kind", "confidence")


class MentionRows(LazyRows):
    """The ``mentions`` of an ``entities`` row from :meth:`EntityCollector.results`: dicts
    (``_ROW_KEYS``) built when read from the entity's pickled rows (building a dict for every
    mention of a large run at once, a million on the shared corpora, held them all in memory
    at the end of the run). A snapshot: mentions added to the collector later are not in it."""

    __slots__ = ()

    def __init__(self, blob: bytes, n: int) -> None:
        super().__init__(_Blob(blob, n))

    def _row(self, m: tuple) -> dict[str, Any]:
        return dict(zip(_ROW_KEYS, m, strict=True))


class _Blob(Sequence):
    """The rows of one pickled blob as a sequence (``len`` without unpickling)."""

    __slots__ = ("blob", "n")

    def __init__(self, blob: bytes, n: int) -> None:
        self.blob, self.n = blob, n

    def __len__(self) -> int:
        return self.n

    def __getitem__(self, i):  # type: ignore[override]
        return pickle.loads(self.blob)[i]

    def __iter__(self) -> Iterator[tuple]:
        return iter(pickle.loads(self.blob))


class EntityCollector:
    """The ``entities`` collector: run-level entities (top-level list ``entities``).

    State: one :class:`_Entity` per entity (forms, counts, mention rows), a union-find parent
    list and a dict from name keys to entity numbers. ``results()`` also returns report-only
    lists: ``speaker_entities`` (quote id → entity id, to fill ``speaker.entity``) and
    ``entity_report`` (for the report section)."""

    #: The shape of the state the store saves (marsad.store.state): bump it when it changes.
    #: 3: the classes moved from ``marsad.collect.entities`` to its ``collector`` module, so a
    #: state pickled under the old path is rebuilt rather than read.
    STATE_VERSION = 5

    def __init__(self, settings=None) -> None:
        cfg = (settings if settings is not None else load_settings())["resolve"]
        self.role_window = int(cfg["role_window"])
        self.max_roles = int(cfg["max_roles"])
        self.max_candidates = int(cfg["max_candidates"])
        self.report_links = int(cfg["report_links"])
        self.ents: list[_Entity | None] = []  # None: merged into another record
        self.parent: list[int] = []
        self.index: dict[str, list[int]] = {}
        self.speakers: list[tuple[str, str, int]] = []  # (doc, quote id, entity)
        self.n = 0
        self.lex = lexicon()
        #: Entities changed since the last results()/update() (root numbers), and each root's
        #: id as it was then: update() builds again only what changed.
        self.dirty: set[int] = set()
        self._eids: dict[int, str] = {}
        self._changed: set[str] = set()

    # persisted by the store (pickle): the name lexicon is package data, loaded again
    def __getstate__(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if k != "lex"}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self.lex = lexicon()

    # union-find
    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, a: int, b: int) -> int:
        a, b = self.find(a), self.find(b)
        if a == b:
            return a
        if self.ents[a].n_mentions < self.ents[b].n_mentions:
            a, b = b, a
        self.parent[b] = a
        self.ents[a].absorb(self.ents[b])
        self.ents[b] = None  # the merged record is freed
        self.dirty.add(a)
        return a

    def _keys(self, cls: str, parts: tuple[str, ...]) -> list[str]:
        keys = [f"{cls}|{form_key(parts)}"]
        if cls == "PER" and len(parts) > 1:
            keys.append(f"PER|FL|{skel(parts[0])}|{skel(parts[-1])}")
            keys.append(f"PER|L|{skel(parts[-1])}")
            keys.append(f"PER|F|{skel(parts[0])}")
        return keys

    def _register(self, i: int, cls: str, parts: tuple[str, ...]) -> None:
        for k in self._keys(cls, parts):
            lst = self.index.setdefault(k, [])
            if i not in lst and len(lst) < self.max_candidates:
                lst.append(i)

    def prepare(self, article: Article) -> list[LocalEntity]:
        """The per-article part of :meth:`add` (pure; runs where the stages run, so with
        ``--jobs``/``--scheduler`` it leaves the main process): the article's local entities."""
        return resolve_article(article, self.lex, self.role_window)

    def add(self, article: Article) -> None:
        self.n += 1
        local = prepared(article, "entities")
        if local is None:
            local = self.prepare(article)
        mentions = article.layers.get("mentions") or []
        gids: list[int] = []
        for le in local:
            cls = "PER" if le.type == "PER" else "X"
            # a name given in both orders in this article keeps its more frequent order only
            # (the other order is the same person here, not necessarily elsewhere)
            forms: dict[tuple[str, ...], list[str]] = {}
            for f in sorted(le.forms, key=lambda f: -len(le.forms[f])):
                g = next((g for g in forms if swap_eq(f, g)), f)
                forms.setdefault(g, []).extend(le.forms[f])
            multi = [f for f in forms if len(f) > 1] if cls == "PER" else list(forms)
            # a person named by one word only is matched against one-word entities here and
            # against full names at the end (when it is known whether that is ambiguous)
            lookup = multi or list(forms)
            found: set[int] = set()
            for f in lookup:
                for j in self.index.get(f"{cls}|{form_key(f)}", ()):
                    r = self.find(j)
                    ent = self.ents[r]
                    if ent.cls == cls and any(
                        form_eq(f, g) for g in ent.forms if (len(g) > 1) == (len(f) > 1)
                    ):
                        found.add(r)
            rec = _Entity(cls, order=len(self.ents))
            for f, surfaces in forms.items():
                rec.forms[f] += len(surfaces)
                rec.surfaces.setdefault(f, Counter()).update(surfaces)
            rec.types.update(le.types)
            rec.alias_type = le.alias_type
            for r in le.roles:
                if r in rec.roles or len(rec.roles) < self.max_roles:
                    rec.roles[r] += 1
            rec.docs[article.id] = self.n
            # compact rows (tuples, pickled); the output dicts are built in results()
            rows = tuple(
                (
                    article.id,
                    m.start,
                    m.end,
                    m.text,
                    m.type,
                    m.kind,
                    None if m.confidence is None else round(m.confidence, 3),
                )
                for m in le.mentions
            )
            rec.mentions = [pickle.dumps(rows, protocol=5)] if rows else []
            rec.n_mentions = len(rows)
            i = len(self.ents)
            self.ents.append(rec)
            self.parent.append(i)
            for r in sorted(found):
                i = self.union(i, r)
            root = self.find(i)
            self.dirty.add(root)
            for f in lookup:
                self._register(root, cls, f)
            gids.append(root)
            for m in le.mentions:  # provisional id for later collectors in this run (stories)
                if 0 <= m.index < len(mentions):
                    try:
                        mentions[m.index].entity = f"ent~{root}"
                    except AttributeError:
                        pass
        for q in article.layers.get("quotes") or ():
            k = speaker_entity(q, local)
            if k is not None and getattr(q, "id", None):
                self.speakers.append((article.id, str(q.id), gids[k]))

    # -- the end of the run: unambiguous merges of shorter names, ids, rows --------------------
    def _roots(self) -> list[int]:
        return sorted(
            {self.find(i) for i in range(len(self.ents))}, key=lambda r: self.ents[r].order
        )

    def _touched(self) -> list[int]:
        """The people a merge can concern since the last results(): those changed, and those
        that share a name key with one of them (a new longer name may now contain an old
        shorter one). Every entity the first time."""
        if not self._eids:
            return self._roots()
        near = set()
        for r in {self.find(i) for i in self.dirty}:
            e = self.ents[r]
            if e is None or e.cls != "PER":
                continue
            near.add(r)
            for f in e.forms:
                # its own keys, and each of its words as a one-word name (السوداني)
                keys = [*self._keys("PER", f), *(f"PER|{form_key((w,))}" for w in f)]
                for k in keys:
                    near.update(self.find(j) for j in self.index.get(k, ()))
        return sorted(near, key=lambda r: self.ents[r].order)

    def _merge_shorter(self) -> None:
        """A name joins the one longer name that contains it (``محمد السوداني`` → ``محمد شياع
        السوداني``; ``السوداني`` → the one person of that surname, unless it is also someone's
        first name). Longest names first."""
        roots = [r for r in self._touched() if self.ents[r].cls == "PER"]
        # longest names first: a shorter name then meets the longer ones already merged
        roots.sort(key=lambda r: (-len(self.ents[r].longest()), self.ents[r].order))
        for r in roots:
            r = self.find(r)
            short = self.ents[r].longest()
            key = (
                f"PER|L|{skel(short[0])}"
                if len(short) == 1
                else f"PER|FL|{skel(short[0])}|{skel(short[-1])}"
            )
            supers = set()
            for j in self.index.get(key, ()):
                c = self.find(j)
                if c == r or self.ents[c].cls != "PER":
                    continue
                if any(is_sub(short, g) for g in self.ents[c].forms):
                    supers.add(c)
            if not supers and len(short) >= 2:
                # a name cut before its surname (the tagger stopped at محمد شياع): the first
                # words of exactly one longer name
                for j in self.index.get(f"PER|F|{skel(short[0])}", ()):
                    c = self.find(j)
                    if (
                        c != r
                        and self.ents[c].cls == "PER"
                        and any(is_prefix(short, g) for g in self.ents[c].forms)
                    ):
                        supers.add(c)
            if len(short) == 1 and any(
                self.find(j) != r
                and any(
                    len(g) > 1 and tok_eq(g[0], short[0]) for g in self.ents[self.find(j)].forms
                )
                for j in self.index.get(f"PER|F|{skel(short[0])}", ())
            ):
                continue  # also someone's first name (محمد): ambiguous alone
            if len(supers) == 1:
                new = self.union(r, supers.pop())
                for f in list(self.ents[new].forms):
                    self._register(new, "PER", f)

    def _type(self, e: _Entity) -> str:
        if e.cls == "PER":
            return "PER"
        if e.alias_type:
            return e.alias_type
        t = e.types.most_common(1)[0][0] if e.types else "MISC"
        return t if t in ("ORG", "LOC", "MISC") else "MISC"

    def changed(self) -> dict[str, set[str]]:
        """Ids of the ``entities`` rows that the last :meth:`results` or :meth:`update` built
        (:meth:`results` builds them all)."""
        return {"entities": set(self._changed)}

    def _build(
        self, r: int, eid: str, typ: str, lazy: bool = False
    ) -> tuple[dict[str, Any], dict[str, Any]]:
        e = self.ents[r]
        best = max(e.forms, key=lambda f: (len(f), e.forms[f]))
        sf = e.surfaces[best]
        name = max(sf, key=lambda s: (len(s.split()), sf[s]))
        mentions = e.rows()
        forms = []
        for f, _c in e.forms.most_common():
            forms.extend(s for s, _n in e.surfaces[f].most_common(3) if s not in forms)
        row = {
            "id": eid,
            "type": typ,
            "name": name,
            "key": " ".join(best),
            "forms": forms[:12],
            "roles": [x for x, _c in e.roles.most_common()],
            "documents": len(e.docs),
            "mention_count": e.n_mentions,
            "mentions": (
                MentionRows(e.mentions[0], e.n_mentions)
                if lazy
                else [dict(zip(_ROW_KEYS, m, strict=True)) for m in mentions]
            ),
        }
        report = {
            "id": eid,
            "type": typ,
            "name": name,
            "roles": [x for x, _c in e.roles.most_common(3)],
            "documents": len(e.docs),
            "mentions": e.n_mentions,
            "links": [[e.docs[m[0]], m[1], m[2], m[5]] for m in mentions[: self.report_links]],
        }
        return row, report

    def results(self) -> dict[str, list[dict[str, Any]]]:
        """The lists, every row built: ``entities``; ``speaker_entities`` (quote → entity id, to
        fill ``speaker.entity``) and ``entity_report`` (for the report section). A row's
        ``mentions`` is a :class:`MentionRows` (dicts built when read)."""
        return self._lists(everything=True)

    def update(self) -> dict[str, list[dict[str, Any]]]:
        """Like :meth:`results`, for a caller that keeps the rows (the store): a row that has
        not changed since the last call is given as ``{"id", "documents", "mention_count",
        "_unchanged": True}``; :meth:`changed` names the rows built anew."""
        return self._lists(everything=False)

    def _lists(self, everything: bool) -> dict[str, list[dict[str, Any]]]:
        self._merge_shorter()
        rows = []
        report = []
        ids: dict[int, str] = {}
        used: set[str] = set()
        built: set[str] = set()
        for r in self._roots():
            e = self.ents[r]
            if not e.n_mentions:
                continue
            clean = not everything and r not in self.dirty and r in self._eids
            eid = self._eids.get(r, "") if clean else ""
            if not eid or eid in used:
                clean = False
                typ = self._type(e)
                best = max(e.forms, key=lambda f: (len(f), e.forms[f]))
                key = f"{typ}|{' '.join(best)}"
                eid = "ent-" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:10]
                k = 1
                base = eid
                while eid in used:
                    k += 1
                    eid = f"{base}~{k}"
                clean = not everything and r not in self.dirty and self._eids.get(r) == eid
            used.add(eid)
            ids[r] = eid
            if clean:
                rows.append(
                    {
                        "id": eid,
                        "documents": len(e.docs),
                        "mention_count": e.n_mentions,
                        "_unchanged": True,
                    }
                )
                report.append({"id": eid, "_unchanged": True})
            else:
                row, rep = self._build(r, eid, self._type(e), lazy=everything)
                rows.append(row)
                report.append(rep)
                built.add(eid)
        self._eids = ids
        self.dirty = set()
        self._changed = built
        order = sorted(
            range(len(rows)), key=lambda i: (-rows[i]["documents"], -rows[i]["mention_count"], i)
        )
        rows = [rows[i] for i in order]
        report = [report[i] for i in order]
        speakers = [
            {"doc": d, "quote": q, "entity": ids[self.find(g)]}
            for d, q, g in self.speakers
            if self.find(g) in ids
        ]
        return {"entities": rows, "speaker_entities": speakers, "entity_report": report}


def preparer(settings: Any) -> Callable[[Article], list[LocalEntity]]:
    """The per-article part of the collector (:class:`marsad.core.protocols.CollectorSpec`)."""
    return EntityCollector(settings).prepare
