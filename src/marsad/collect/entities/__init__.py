"""Entity resolution: one entity per referent across all the articles of a run.

Input is the ``mentions`` layer (:class:`marsad.core.items.Mention`, written by the
``entities`` stage). Resolution runs in two steps, both deterministic:

1. **In one article** (:func:`resolve_article`, a pure function of the article): a person's
   mentions are grouped by their *name parts* (normalised words; a particle and the word after it
   are one part: ``عبد الله``, ``بن زايد``, ``أبو الغيط``). A shorter name joins a longer one when
   its parts are a subsequence of the longer name's with the same surname (and the same first
   name when it has two parts or more): ``السوداني``, ``محمد السوداني`` → ``محمد شياع
   السوداني``. Two-part names in either order are one person (``سامح شكري`` / ``شكري سامح``).
   When a short name fits several people of the article, it goes to the nearest one before it.
   A role phrase next to a name (``وزير الخارجية المصري سامح شكري``, ``شكري، وزير الخارجية
   المصري،``) is kept as the person's role, and later occurrences of that role alone in the
   article become mentions of that person (``kind: "role"``). Organisations, places and other
   names are grouped by their key (with the alias table ``entity_aliases.json``).
2. **Across articles** (:class:`EntityCollector`, the ``entities`` collector): an article's
   entities are merged into the run's entities through a dict of name keys (no comparison of
   every pair): equal names merge at once; at the end a shorter name joins the one longer name
   that contains it, and a surname alone joins the one person with that surname — only when
   that is unambiguous, so ``عبد الله علي صالح`` and ``علي عبد الله صالح`` stay two people.

Names are compared on keys: normalised (alef, hamza, yaa, taa marbuta folded), without the
article ال and attached و/ب/ل/ف/ك before it, and with small spelling variation tolerated in
long words (a long vowel added or moved: ``الأمريكي`` / ``الأميركي``, ``نتنياهو`` /
``نتانياهو``). Short words must be equal: ``محمد`` is not ``محمود``, ``حسن`` is not ``حسين``.

The code, by concern: ``names`` (the name lexicon, name parts, keys and comparisons),
``roles`` (role phrases next to a person's name), ``local`` (one article:
:func:`resolve_article`, :func:`speaker_entity`), ``collector`` (across articles:
:class:`EntityCollector` and its per-article part :func:`preparer`) and ``links`` (the results
on in-memory mentions and on the quotes' ``speaker.entity``). The names below are importable
from this package. See docs/entity-resolution.md.
"""

from marsad.collect.entities.collector import EntityCollector, MentionRows, preparer
from marsad.collect.entities.links import (
    apply_entities,
    link_speaker,
    link_speakers,
    mention_entities,
    speaker_links,
)
from marsad.collect.entities.local import (
    LocalEntity,
    LocalMention,
    resolve_article,
    speaker_entity,
)
from marsad.collect.entities.names import (
    NameLexicon,
    alias_key,
    form_eq,
    form_key,
    is_prefix,
    is_sub,
    lexicon,
    name_parts,
    skel,
    swap_eq,
    tok_eq,
    tok_key,
)

__all__ = [
    "EntityCollector",
    "LocalEntity",
    "LocalMention",
    "MentionRows",
    "NameLexicon",
    "alias_key",
    "apply_entities",
    "form_eq",
    "form_key",
    "is_prefix",
    "is_sub",
    "lexicon",
    "link_speaker",
    "link_speakers",
    "mention_entities",
    "name_parts",
    "preparer",
    "resolve_article",
    "skel",
    "speaker_entity",
    "speaker_links",
    "swap_eq",
    "tok_eq",
    "tok_key",
]
