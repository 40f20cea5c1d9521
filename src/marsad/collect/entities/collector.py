"""Across articles: the ``entities`` collector (:class:`EntityCollector`), its compact
run-level records (:class:`_Entity`, pickled by the store) and its per-article part
(:func:`preparer`)."""

from __future__ import annotations

import hashlib
import pickle
from array import array
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from marsad.collect.buckets import IdBuckets
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

#: From this many mentions a record keeps its counters unpacked (it is named often, so it
#: absorbs new records often); rarer ones, most of them, keep them pickled between uses.
_HOT = 8


def _pack(c: tuple[Counter, Counter, dict, Counter]) -> bytes:
    t, f, s, r = c
    surfaces = {k: dict(v) for k, v in s.items()}
    return pickle.dumps((dict(t), dict(f), surfaces, dict(r)), protocol=5)


class _Entity:
    """Compact record of one run-level entity (bounded by its mentions, which are output).

    Its counters (``types``, ``forms``: parts -> mentions, ``surfaces``: parts -> surface ->
    mentions, ``roles``) are kept pickled in one bytes object for an entity named fewer than
    ``_HOT`` times (a record with its own Python counters costs about 2.3 KB; most entities are
    named once or twice); reading them then gives copies: change them through :meth:`absorb`.
    Mention rows are kept pickled: a tuple of rows (the article's report number, then
    ``_ROW_KEYS`` but the article id) per blob, one blob per article when added, one sorted blob
    once the entity's row has been built. A row as Python tuples cost about 270 bytes; pickled
    with the rows of its article, about 60. ``n_docs``, its number of articles, is counted from
    the rows when the entity's row is built."""

    __slots__ = (
        "_c",
        "_packed",
        "alias_type",
        "cls",
        "dirty",
        "mentions",
        "n_docs",
        "n_mentions",
        "order",
    )  # fmt: skip

    def __init__(self, cls: str, order: int = 0) -> None:
        self.cls = cls  # PER or X (organisations, places and other names merge with each other)
        self.order = order
        self.n_mentions = 0
        self.alias_type: str | None = None
        self.dirty = True  # changed since the last results()/update()
        self.n_docs = 1  # articles, as counted when its row was last built
        self.mentions: list[bytes] = []  # pickled tuples of rows
        self._packed: bytes | None = None
        self._c: tuple[Counter, Counter, dict, Counter] | None = (
            Counter(), Counter(), {}, Counter()
        )  # fmt: skip

    def counts(self) -> tuple[Counter, Counter, dict[tuple[str, ...], Counter], Counter]:
        """``types``, ``forms``, ``surfaces``, ``roles``."""
        if self._c is not None:
            return self._c
        t, f, s, r = pickle.loads(self._packed)
        return Counter(t), Counter(f), {k: Counter(v) for k, v in s.items()}, Counter(r)

    @property
    def types(self) -> Counter:
        return self.counts()[0]

    @property
    def forms(self) -> Counter:
        return self.counts()[1]

    @property
    def surfaces(self) -> dict[tuple[str, ...], Counter]:
        return self.counts()[2]

    @property
    def roles(self) -> Counter:
        return self.counts()[3]

    def open(self) -> tuple[Counter, Counter, dict, Counter]:
        """The counters, to change (then :meth:`settle`)."""
        if self._c is None:
            self._c, self._packed = self.counts(), None
        return self._c

    def settle(self) -> None:
        """Pack the counters of an entity named fewer than ``_HOT`` times."""
        if self._c is not None and self.n_mentions < _HOT:
            self._packed, self._c = _pack(self._c), None

    def absorb(self, other: _Entity) -> None:
        types, forms, surfaces, roles = self.open()
        ot, of, os_, orl = other.counts()
        types.update(ot)
        forms.update(of)
        for f, c in os_.items():
            surfaces.setdefault(f, Counter()).update(c)
        roles.update(orl)
        self.mentions.extend(other.mentions)
        self.n_mentions += other.n_mentions
        self.order = min(self.order, other.order)
        self.alias_type = self.alias_type or other.alias_type
        self.settle()

    def rows(self) -> list[tuple]:
        """The mention rows in report order (document, then offset); kept as one blob."""
        rows = [m for blob in self.mentions for m in pickle.loads(blob)]
        ordered = sorted(rows, key=lambda m: (m[0], m[1]))
        if len(self.mentions) > 1 or ordered != rows:
            self.mentions = [pickle.dumps(tuple(ordered), protocol=5)]
        return ordered

    def longest(self) -> tuple[str, ...]:
        forms = self.forms
        return max(forms, key=lambda f: (len(f), forms[f]))

    # saved by the store: the counters packed
    def __getstate__(self) -> tuple:
        packed = self._packed if self._c is None else _pack(self._c)
        return (self.cls, self.order, self.n_mentions, self.alias_type, self.dirty,
                self.n_docs, self.mentions, packed)  # fmt: skip

    def __setstate__(self, state: tuple) -> None:
        (self.cls, self.order, self.n_mentions, self.alias_type, self.dirty, self.n_docs,
         self.mentions, self._packed) = state  # fmt: skip
        self._c = None
        if self.n_mentions >= _HOT:
            self.open()


#: Keys of a mention row of ``entities[].mentions``.
_ROW_KEYS = ("doc", "start", "end", "text", "type", "kind", "confidence")


class MentionRows(LazyRows):
    """The ``mentions`` of an ``entities`` row from :meth:`EntityCollector.results`: dicts
    (``_ROW_KEYS``) built when read from the entity's pickled rows (building a dict for every
    mention of a large run at once, a million on the shared corpora, held them all in memory
    at the end of the run). A snapshot: mentions added to the collector later are not in it."""

    __slots__ = ("doc_ids",)

    def __init__(self, blob: bytes, n: int, doc_ids: list[str]) -> None:
        super().__init__(_Blob(blob, n))
        self.doc_ids = doc_ids

    def _row(self, m: tuple) -> dict[str, Any]:
        return _row(m, self.doc_ids)


def _row(m: tuple, doc_ids: list[str]) -> dict[str, Any]:
    """A mention row as a dict (``_ROW_KEYS``) from its compact tuple."""
    return dict(zip(_ROW_KEYS, (doc_ids[m[0] - 1], *m[1:]), strict=True))


class EntityRows(LazyRows):
    """The ``entities`` (``part`` 0) or ``entity_report`` (1) list of
    :meth:`EntityCollector.results`, in its order, each row built when read (building every
    row at the end of a run on the shared corpora took 250 MB at once)."""

    __slots__ = ("coll", "part")

    def __init__(self, coll: EntityCollector, pending: list[tuple], part: int) -> None:
        super().__init__(pending)
        self.coll, self.part = coll, part

    def _row(self, p: tuple) -> dict[str, Any]:
        _docs, _mentions, r, eid, typ = p
        return self.coll._build(r, eid, typ, lazy=True)[self.part]


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
    array and an index from name keys (as 64-bit hashes: a candidate is always checked against
    its forms) to entity numbers. ``results()`` also returns report-only
    lists: ``speaker_entities`` (quote id → entity id, to fill ``speaker.entity``) and
    ``entity_report`` (for the report section)."""

    #: The shape of the state the store saves (marsad.store.state): bump it when it changes.
    #: 3: the classes moved from ``marsad.collect.entities`` to its ``collector`` module, so a
    #: state pickled under the old path is rebuilt rather than read.
    #: 6: compact records (packed counters, report numbers in rows), hashed index keys.
    STATE_VERSION = 6

    def __init__(self, settings=None) -> None:
        cfg = (settings if settings is not None else load_settings())["resolve"]
        self.role_window = int(cfg["role_window"])
        self.max_roles = int(cfg["max_roles"])
        self.max_candidates = int(cfg["max_candidates"])
        self.report_links = int(cfg["report_links"])
        self.ents: list[_Entity | None] = []  # None: merged into another record
        self.parent = array("q")
        self.index = IdBuckets()  # name key hash -> entity numbers
        self.doc_ids: list[str] = []  # the articles in the order added
        self.speakers: list[bytes] = []  # per article, pickled (doc, ((quote id, entity), ...))
        self.n = 0
        self.lex = lexicon()
        #: Each root's id at the last results()/update() (a record's ``dirty`` says whether it
        #: changed since): update() builds again only what changed.
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
        self.ents[a].dirty = True
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
            self.index.add(_hash(k), i, self.max_candidates)

    def _candidates(self, key: str) -> tuple[int, ...] | list[int]:
        return self.index.get(_hash(key))

    def prepare(self, article: Article) -> list[LocalEntity]:
        """The per-article part of :meth:`add` (pure; runs where the stages run, so with
        ``--jobs``/``--scheduler`` it leaves the main process): the article's local entities."""
        return resolve_article(article, self.lex, self.role_window)

    def add(self, article: Article) -> None:
        self.n += 1
        self.doc_ids.append(article.id)  # report number n is doc_ids[n - 1]
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
                for j in self._candidates(f"{cls}|{form_key(f)}"):
                    r = self.find(j)
                    ent = self.ents[r]
                    if ent.cls == cls and any(
                        form_eq(f, g) for g in ent.forms if (len(g) > 1) == (len(f) > 1)
                    ):
                        found.add(r)
            rec = _Entity(cls, order=len(self.ents))
            r_types, r_forms, r_surfaces, r_roles = rec.open()
            for f, surfaces in forms.items():
                r_forms[f] += len(surfaces)
                r_surfaces.setdefault(f, Counter()).update(surfaces)
            r_types.update(le.types)
            rec.alias_type = le.alias_type
            for r in le.roles:
                if r in r_roles or len(r_roles) < self.max_roles:
                    r_roles[r] += 1
            # compact rows (tuples, pickled); the output dicts are built in results()
            rows = tuple(
                (
                    self.n,
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
            rec.settle()
            i = len(self.ents)
            self.ents.append(rec)
            self.parent.append(i)
            for r in sorted(found):
                i = self.union(i, r)
            root = self.find(i)
            self.ents[root].dirty = True
            for f in lookup:
                self._register(root, cls, f)
            gids.append(root)
            for m in le.mentions:  # provisional id for later collectors in this run (stories)
                if 0 <= m.index < len(mentions):
                    try:
                        mentions[m.index].entity = f"ent~{root}"
                    except AttributeError:
                        pass
        said = []
        for q in article.layers.get("quotes") or ():
            k = speaker_entity(q, local)
            if k is not None and getattr(q, "id", None):
                said.append((str(q.id), gids[k]))
        if said:
            self.speakers.append(pickle.dumps((article.id, tuple(said)), protocol=5))

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
        for r, e in enumerate(self.ents):  # a record not merged into another is a root
            if e is None or not e.dirty or e.cls != "PER":
                continue
            near.add(r)
            for f in e.forms:
                # its own keys, and each of its words as a one-word name (السوداني)
                keys = [*self._keys("PER", f), *(f"PER|{form_key((w,))}" for w in f)]
                for k in keys:
                    near.update(self.find(j) for j in self._candidates(k))
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
            for j in self._candidates(key):
                c = self.find(j)
                if c == r or self.ents[c].cls != "PER":
                    continue
                if any(is_sub(short, g) for g in self.ents[c].forms):
                    supers.add(c)
            if not supers and len(short) >= 2:
                # a name cut before its surname (the tagger stopped at محمد شياع): the first
                # words of exactly one longer name
                for j in self._candidates(f"PER|F|{skel(short[0])}"):
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
                for j in self._candidates(f"PER|F|{skel(short[0])}")
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
        types = e.types
        t = types.most_common(1)[0][0] if types else "MISC"
        return t if t in ("ORG", "LOC", "MISC") else "MISC"

    def changed(self) -> dict[str, set[str]]:
        """Ids of the ``entities`` rows that the last :meth:`results` or :meth:`update` built
        (:meth:`results` builds them all)."""
        return {"entities": set(self._changed)}

    def _build(
        self, r: int, eid: str, typ: str, lazy: bool = False
    ) -> tuple[dict[str, Any], dict[str, Any]]:
        """An entity's ``entities`` row and its ``entity_report`` row."""
        e = self.ents[r]
        _types, e_forms, surfaces, roles = e.counts()
        best = max(e_forms, key=lambda f: (len(f), e_forms[f]))
        sf = surfaces[best]
        name = max(sf, key=lambda s: (len(s.split()), sf[s]))
        mentions = e.rows()
        e.n_docs = len({m[0] for m in mentions})
        forms = []
        for f, _c in e_forms.most_common():
            forms.extend(s for s, _n in surfaces[f].most_common(3) if s not in forms)
        row = {
            "id": eid,
            "type": typ,
            "name": name,
            "key": " ".join(best),
            "forms": forms[:12],
            "roles": [x for x, _c in roles.most_common()],
            "documents": e.n_docs,
            "mention_count": e.n_mentions,
            "mentions": (
                MentionRows(e.mentions[0], e.n_mentions, self.doc_ids)
                if lazy
                else [_row(m, self.doc_ids) for m in mentions]
            ),
        }
        report = {
            "id": eid,
            "type": typ,
            "name": name,
            "roles": [x for x, _c in roles.most_common(3)],
            "documents": e.n_docs,
            "mentions": e.n_mentions,
            "links": [[m[0], m[1], m[2], m[5]] for m in mentions[: self.report_links]],
        }
        return row, report

    def results(self) -> dict[str, list[dict[str, Any]]]:
        """The lists: ``entities``; ``speaker_entities`` (quote → entity id, to fill
        ``speaker.entity``) and ``entity_report`` (for the report section). ``entities`` and
        ``entity_report`` are :class:`EntityRows`: each row is built when read (from the
        collector's state: read them before adding more articles), and a row's ``mentions`` is
        a :class:`MentionRows` (dicts built when read)."""
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
        pending: list[tuple[int, int, int, str, str]] = []
        for r in self._roots():
            e = self.ents[r]
            if not e.n_mentions:
                continue
            clean = not everything and not e.dirty and r in self._eids
            eid = self._eids.get(r, "") if clean else ""
            if not eid or eid in used:
                clean = False
                typ = self._type(e)
                e_forms = e.forms
                best = max(e_forms, key=lambda f: (len(f), e_forms[f]))
                key = f"{typ}|{' '.join(best)}"
                eid = "ent-" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:10]
                k = 1
                base = eid
                while eid in used:
                    k += 1
                    eid = f"{base}~{k}"
                clean = not everything and not e.dirty and self._eids.get(r) == eid
            used.add(eid)
            ids[r] = eid
            if clean:
                rows.append(
                    {
                        "id": eid,
                        "documents": e.n_docs,
                        "mention_count": e.n_mentions,
                        "_unchanged": True,
                    }
                )
                report.append({"id": eid, "_unchanged": True})
            elif everything:  # built when read (EntityRows): the sort keys now
                e.n_docs = len({m[0] for m in e.rows()})
                pending.append((e.n_docs, e.n_mentions, r, eid, self._type(e)))
                built.add(eid)
            else:
                row, rep = self._build(r, eid, self._type(e))
                rows.append(row)
                report.append(rep)
                built.add(eid)
        self._eids = ids
        for r in ids:
            self.ents[r].dirty = False
        self._changed = built
        if everything:
            pending.sort(key=lambda p: (-p[0], -p[1]))  # stable: then in order of roots
            rows, report = EntityRows(self, pending, 0), EntityRows(self, pending, 1)
        else:
            order = sorted(
                range(len(rows)),
                key=lambda i: (-rows[i]["documents"], -rows[i]["mention_count"], i),
            )
            rows = [rows[i] for i in order]
            report = [report[i] for i in order]
        speakers = []
        for blob in self.speakers:
            d, said = pickle.loads(blob)
            speakers.extend(
                {"doc": d, "quote": q, "entity": ids[self.find(g)]}
                for q, g in said
                if self.find(g) in ids
            )
        return {"entities": rows, "speaker_entities": speakers, "entity_report": report}


def _hash(key: str) -> int:
    """A name key's index hash (64 bits, the same in every process: the state is pickled)."""
    return int.from_bytes(hashlib.blake2b(key.encode("utf-8"), digest_size=8).digest(), "little")


def preparer(settings: Any) -> Callable[[Article], list[LocalEntity]]:
    """The per-article part of the collector (:class:`marsad.core.protocols.CollectorSpec`)."""
    return EntityCollector(settings).prepare
