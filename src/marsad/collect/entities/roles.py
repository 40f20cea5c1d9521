"""Role phrases next to a person's name, on the words of the article's content blocks:
before the name (``وزير الخارجية المصري سامح شكري``) or as an apposition after a comma
(``شكري، وزير الخارجية المصري،``), and the role keys they are matched by later in the article."""

from __future__ import annotations

import re
from dataclasses import dataclass

from marsad.collect.entities.names import _WORD, NameLexicon, _strip_article, tok_key
from marsad.core.article import Article

#: Punctuation that separates a role phrase from a name it is not tied to.
_GAP_OK = re.compile(r"\s*")
_COMMA = re.compile(r"\s*[،,]\s*")


@dataclass(slots=True)
class _Tok:
    ns: int  # normalised offsets
    ne: int
    word: str


class _BlockTokens:
    """Words of the content blocks on the normalised view, tokenised when first needed."""

    def __init__(self, article: Article) -> None:
        norm = article.norm
        self.text = norm.text
        self.spans = [norm.to_normalized(b.start, b.end) for _i, b in article.content_blocks()]
        self.starts = [s for s, _e in self.spans]
        self._toks: dict[int, list[_Tok]] = {}

    def __len__(self) -> int:
        return len(self.spans)

    def tokens(self, k: int) -> list[_Tok]:
        toks = self._toks.get(k)
        if toks is None:
            ns, ne = self.spans[k]
            toks = [_Tok(m.start(), m.end(), m.group()) for m in _WORD.finditer(self.text, ns, ne)]
            self._toks[k] = toks
        return toks


def _is_head(word: str, lex: NameLexicon) -> bool:
    if word in lex.role_stops:  # أمام (in front of) is written like الإمام without ال
        return False
    if _strip_article(word) in lex.role_heads:
        return True
    return (
        len(word) > 3
        and word[0] in "وبلف"
        and word[1:] not in lex.role_stops
        and _strip_article(word[1:]) in lex.role_heads
    )


def _head_key(word: str, lex: NameLexicon) -> str:
    k = _strip_article(word)
    if k in lex.role_heads:
        return k
    return _strip_article(word[1:])


def _role_key(words: list[str], lex: NameLexicon) -> tuple[str, ...]:
    return (_head_key(words[0], lex), *(tok_key(w, lex) for w in words[1:]))


def _adjacent(n: str, a: _Tok, b: _Tok) -> bool:
    """Only spaces between two words (no punctuation)."""
    return n[a.ne : b.ns].strip() == ""


def _role_before(
    n: str, toks: list[_Tok], i: int, busy, lex: NameLexicon, window: int = 8
) -> tuple[int, int] | None:
    """Token range ``[j, i)`` of a role phrase ending right before token ``i``."""
    j = i - 1
    head = None

    def _rank(k: int) -> bool:  # a rank or courtesy title (اللواء): the role may go on before
        return toks[k].word in lex.honorifics and not toks[k].word.startswith("الرئيس")

    while j >= 0 and i - j <= window:
        t = toks[j]
        if not _adjacent(n, t, toks[j + 1]) or t.word in lex.role_stops or busy(t.ns, t.ne):
            break
        if _is_head(t.word, lex) and (head is None or head == j + 1 or _rank(head)):
            head = j
            # a chain of role heads (نائب رئيس الوزراء) is one role
            while (
                head > 0
                and _adjacent(n, toks[head - 1], toks[head])
                and _is_head(toks[head - 1].word, lex)
                and not busy(toks[head - 1].ns, toks[head - 1].ne)
            ):
                head -= 1
            j = head
            if not _rank(head):
                break
        j -= 1
    return (head, i) if head is not None else None


def _role_after(n: str, toks: list[_Tok], i: int, busy, lex: NameLexicon) -> tuple[int, int] | None:
    """Token range of an apposition after a comma: ``شكري، وزير الخارجية المصري،``."""
    if i + 1 >= len(toks) or not _COMMA.fullmatch(n[toks[i].ne : toks[i + 1].ns]):
        return None
    j = i + 1
    if not _is_head(toks[j].word, lex) or busy(toks[j].ns, toks[j].ne):
        return None
    k = j + 1
    while k < len(toks):
        t = toks[k]
        if not _adjacent(n, toks[k - 1], t) or t.word in lex.role_stops or busy(t.ns, t.ne):
            break  # the apposition ends at punctuation, a clause word or another name
        if k - j >= 6:
            return None  # no clear end: not an apposition
        k += 1
    return j, k
