"""The cue lexicon of the quotes stage: the forms of the cue verbs (:class:`CueForm`) and the
compiled expressions and word lists built from ``resources/ar/cues.json`` (:func:`lexicon`)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from marsad.text.normalize import normalize_text


@dataclass(frozen=True, slots=True)
class CueForm:
    lemma: str
    gender: str | None
    number: str | None
    hal: bool
    relay: bool
    continuation: bool
    #: Prepositions that open a reported noun phrase (أشار إلى، أعرب عن), normalised.
    preps: tuple[str, ...] = ()
    #: Takes what was said as a direct object (نفت الوزارة أي صلة، أعلن الرئيس فوزه).
    np: bool = False
    #: Present tense (يقول، تشير): with no subject after it, it is impersonal (يُتوقع أن).
    present: bool = False
    #: The addressee or target after the speaker is part of what was said (دعا X إلى …،
    #: اتهم X بـ …).
    addressee: bool = False


@dataclass(frozen=True)
class Lexicon:
    forms: dict[str, CueForm]
    cue_re: re.Pattern[str]
    comp_re: re.Pattern[str]
    saying_re: re.Pattern[str]
    from_re: re.Pattern[str]
    inline_relay_re: re.Pattern[str]
    nominal_re: re.Pattern[str]
    prep_re: re.Pattern[str]
    after_re: re.Pattern[str]
    relayed_by_re: re.Pattern[str]
    stop_re: re.Pattern[str]
    #: what always ends a speaker mention (``speaker_stops``: the stop phrases but the
    #: prepositions of ``not_strong``, a speech noun after في with its pronoun, ``relatives``)
    strong_stop_re: re.Pattern[str]
    relatives: frozenset[str]
    anonymous: frozenset[str]
    organisation: frozenset[str]
    roles: frozenset[str]
    #: roles | anonymous | organisation (speaker head words), and roles | anonymous
    heads: frozenset[str]
    person_heads: frozenset[str]
    media: tuple[str, ...]
    openers: tuple[str, ...]
    not_comp_before: frozenset[str]
    #: words before a headline colon that tag the story (``headline_tags``)
    headline_tags: frozenset[str]
    #: words skipped at the start of a speaker zone (``zone_skips``: pronouns, documents)
    skip_pronouns: frozenset[str]
    skip_documents: frozenset[str]
    skip_issued: frozenset[str]
    #: (normalised) preposition -> nouns that govern it (``prep_governors``: المشرف على)
    prep_governors: dict[str, frozenset[str]]
    #: adjectives that may stand between such a noun and its preposition (المشرف العام على)
    gov_between: frozenset[str]
    #: narrator phrases that end a reported statement after a comma (``content_tails``)
    tails_re: re.Pattern[str]
    #: back-reference words (``latter``, ``honorific``, ``same``; ``all`` = their union)
    anaphora: dict[str, frozenset[str]]
    #: honorific pronoun (normalised) -> the titles it stands for, as one expression
    #: (``honorific_titles``: سموه → سمو، الأمير …)
    honorific_titles: dict[str, re.Pattern[str]]


def _n(s: str) -> str:
    return normalize_text(s).strip()


def _alt(phrases: list[str]) -> str:
    return "|".join(re.escape(p) for p in sorted(set(phrases), key=len, reverse=True))


def _anaphora(spec: dict) -> dict[str, frozenset[str]]:
    out = {k: frozenset(_n(w) for w in v) for k, v in spec.items() if not k.startswith("_")}
    out["all"] = frozenset().union(*out.values())
    return out


#: object pronouns attached to a singular perfect verb that takes an addressee
_OBJECT_PRONOUNS = {"m": ("ها", "هم", "هما"), "f": ("ه", "ها", "هم", "هما")}


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """The cue lexicon from ``resources/ar/cues.json``, compiled once."""
    data = json.loads(
        resources.files("marsad.resources.ar").joinpath("cues.json").read_text("utf-8")
    )
    forms: dict[str, CueForm] = {}
    for lemma, spec in data["verbs"].items():
        if lemma.startswith("_"):
            continue
        for form, tag in spec["forms"].items():
            parts = tag.split(".")
            forms[_n(form)] = CueForm(
                lemma=lemma,
                gender=parts[0] if parts[0] in ("m", "f") else None,
                number=parts[1] if len(parts) > 1 else None,
                hal="hal" in parts,
                relay=bool(spec.get("relay")),
                continuation=bool(spec.get("continuation")),
                preps=tuple(_n(p) for p in spec.get("complement", [])),
                np=bool(spec.get("object")),
                addressee=bool(spec.get("addressee")),
                present=_n(form)[:1] == "ي"
                or (_n(form)[:1] == "ت" and not _n(lemma).startswith("ت")),
            )
            cf = forms[_n(form)]
            if cf.addressee and not cf.hal and not cf.present and cf.number == "sg":
                # the addressee as an attached pronoun: ووصفها بـ…، واتهمهم بأنهم، وصفته بأنه
                # (not -ه after a masculine form: folded, it is the -ة of a noun, طالبة)
                for suffix in _OBJECT_PRONOUNS[cf.gender or "m"]:
                    forms.setdefault(_n(form) + suffix, cf)
    cue_re = re.compile(rf"(?<!\w)(?:[وف](?=\w))?(?P<form>{_alt(list(forms))})(?!\w)")
    comp = data["complementizers"]
    words = {_n(w) for w in comp["words"]}
    prons = "|".join(sorted((_n(p) for p in comp["pronouns"]), key=len, reverse=True))
    comp_re = re.compile(rf"(?<![\w.])(?P<w>{_alt(list(words))})(?P<pron>{prons})?(?!\w)")
    relay = data["relay_markers"]
    saying_re = re.compile(rf"(?<!\w)(?:{_alt([_n(w) for w in relay['saying']])})(?!\w)")
    from_re = re.compile(r"(?<!\w)عن(?P<pron>ه|ها|هم|هما|هن)?(?!\w)")
    inline_relay_re = re.compile(rf"(?<!\w)(?:{_alt([_n(w) for w in relay['inline']])})(?!\w)")
    nominal = [_n(p) for p in data["nominal"]["phrases"]]
    # A phrase ending in the preposition ل attaches to the next word (وفقا لمصادر).
    nom_alts = []
    for p in sorted(set(nominal), key=len, reverse=True):
        if p.endswith(" ل"):
            nom_alts.append(re.escape(p))
        else:
            nom_alts.append(re.escape(p) + r"(?!\w)")
    nominal_re = re.compile(rf"(?<!\w)(?:[وف](?=\w))?(?P<cue>{'|'.join(nom_alts)})")
    stops = [_n(p) for p in data["speaker_stops"]["phrases"]]
    stop_re = re.compile(
        rf"(?<!\w)(?:{_alt(stops)})(?!\w)|(?<!\w)ل(?=[«\"“A-Za-z]|\s)|[،,:;؛«»“”\"()\[\]]"
    )
    weak = {_n(w) for w in data["speaker_stops"]["not_strong"]["words"]}
    multi = [p for p in stops if " " in p]
    single = [p for p in stops if " " not in p and p not in weak]
    rel = [_n(w) for w in data["speaker_stops"]["relatives"]]
    strong_stop_re = re.compile(
        rf"(?<!\w)(?:(?:{_alt(multi)})(?:ه|ها|هم|هما)?|{_alt(single + rel)})(?!\w)"
    )
    all_preps = {p for f in forms.values() for p in f.preps}
    prep_re = re.compile(rf"(?<!\w)(?:{_alt(sorted(all_preps))})(?!\w)")
    after_re = re.compile(rf"\s*(?:{_alt([_n(w) for w in data['after_cues']['words']])})(?!\w)")
    anonymous = frozenset(_n(w) for w in data["anonymous_heads"]["words"])
    organisation = frozenset(_n(w) for w in data["organisation_heads"]["words"])
    roles = frozenset(_n(w) for w in data["role_heads"]["words"])
    return Lexicon(
        forms=forms,
        prep_re=prep_re,
        after_re=after_re,
        relayed_by_re=re.compile(rf"(?<!\w)(?:{_alt([_n(w) for w in relay['relayed_by']])})(?!\w)"),
        cue_re=cue_re,
        comp_re=comp_re,
        saying_re=saying_re,
        from_re=from_re,
        inline_relay_re=inline_relay_re,
        nominal_re=nominal_re,
        stop_re=stop_re,
        strong_stop_re=strong_stop_re,
        relatives=frozenset(rel),
        anonymous=anonymous,
        organisation=organisation,
        roles=roles,
        heads=roles | anonymous | organisation,
        person_heads=roles | anonymous,
        media=tuple(_n(w) for w in data["media"]["words"]),
        openers=tuple(
            sorted((_n(p) for p in data["continuation_openers"]["phrases"]), key=len, reverse=True)
        ),
        anaphora=_anaphora(data["anaphora"]),
        honorific_titles={
            _n(k): re.compile(rf"(?<!\w)([وبل]?)(?:{_alt([_n(t) for t in v])})(?!\w)")
            for k, v in data["honorific_titles"].items()
            if not k.startswith("_")
        },
        headline_tags=frozenset(_n(w) for w in data["headline_tags"]["words"]),
        skip_pronouns=frozenset(_n(w) for w in data["zone_skips"]["pronouns"]),
        skip_documents=frozenset(_n(w) for w in data["zone_skips"]["documents"]),
        skip_issued=frozenset(_n(w) for w in data["zone_skips"]["issued"]),
        prep_governors={
            _n(k): frozenset(_n(w) for w in v)
            for k, v in data["prep_governors"].items()
            if not k.startswith("_")
        },
        gov_between=frozenset(_n(w) for w in data["prep_governors"].get("_between", [])),
        tails_re=re.compile(
            rf"[،,]\s*(?:{_alt([_n(p) for p in data['content_tails']['phrases']])})(?!\w)"
        ),
        not_comp_before=frozenset(
            _n(w) for w in ("بعد", "قبل", "منذ", "دون", "حتى", "رغم", "بدل", "إلا", "لو", "كما")
        ),
    )
