"""Blocks and boilerplate: split an article into lines and label each one.

Labels: ``title``, ``body``, ``subheading``, ``dateline``, ``caption``, ``boilerplate``.

Evidence, in order:

1. **Cue phrases** (data: ``resources/ar/boilerplate.json``): teasers (اقرأ أيضا), related-article
   headers (مواضيع ذات صلة) — the short headline lines after them are list items —, share and
   follow prompts, navigation, copyright lines, ticker labels (عاجل), captions (صورة أرشيفية …,
   short lines ending in a photo credit such as (رويترز)), editorial credits (a role word such as
   رئيس التحرير followed only by a name), menus (lines made of section names).
2. **Datelines**: a short line that is mostly a date or time, possibly after نشر في / آخر تحديث.
3. **Structure and position**: lines repeated within the article; the headline (the first
   title-like line, or the line equal to the title given by the input); short lines above the
   headline (mastheads, tickers); short unpunctuated lines after the last body paragraph
   (footers). A short unpunctuated line between body paragraphs is a ``subheading``, which is
   article content, not boilerplate.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from marsad.core.article import Article, Block
from marsad.core.protocols import Stage
from marsad.core.settings import Settings
from marsad.text.normalize import Normalized, normalize_text

_LINE = re.compile(r"[^\n\r\u2028\u2029]+")
_WORD = re.compile(r"[^\W_]+")
_FINAL_PUNCT = re.compile(r"[.!?\u061f\u2026:؛;][\"'»”’)\]]*\s*$")
# "بغداد - الراصد" / "القاهرة (رويترز)": a place and a source on a line of their own.
_PLACE_SOURCE = re.compile(
    r"^[^\W\d_][^\n:.!?؟]{0,30}?\s*(?:[-–—]\s*[^\W\d_][^\n:.!?؟]{0,40}|\([^()]{2,40}\))$"
)
_SENT_PUNCT = re.compile(r"[.!?\u061f\u2026]")
# A sentence end: a single dot (not ".." used as a separator in headlines) or ! ? ؟ …,
# before white space or the end of the line (after any closing quotes).
_SENT_END = re.compile(r"(?:(?<!\.)\.(?!\.)|[!?\u061f\u2026]+)[\"'»”’)\]]*(?=\s|$)")
_SEPARATORS = re.compile(r"[|•·/\\\-–—»«>،,:;]+")
_STRIP = " \t\u00a0|•·-–—:*#>»«\"'“”()[]{}،,.!؟?…\u200f\u200e↑↓←→▲▼►◄"
# Endings that may follow a cue phrase's last word ("أضف تعليقاً", "تابعونا").
_SUFFIXES = frozenset({"ا", "ك", "ها", "كم", "نا", "ي", "ه", "وا", "ونا"})
# Emoji and symbols before the first word ("⏱ وقت القراءة", "▶ استمع").
_LEADING_SYMBOLS = re.compile(r"^[^\w(«\"“]+")
_LONE_PUNCT = re.compile(r"(?:^|\s)[^\w\s]+(?=\s|$)")
# "1 / 12" gallery counters
_GALLERY = re.compile(r"^\d+\s*/\s*\d+$")
# "د." / "م." (doctor, engineer) inside credits are abbreviations, not sentence ends.
_ABBREV_DOT = re.compile(r"(?<![^\W\d_])[^\W\d_]\.")
_DIGITS = re.compile(r"\d")
_TIME = re.compile(r"\b\d{1,2}[:.]\d{2}(?:[:.]\d{2})?\b")
_NUMDATE = re.compile(r"\b\d{1,4}[/.\-]\d{1,2}[/.\-]\d{1,4}\b")
_YEAR = re.compile(r"\b(?:19|20|14)\d{2}\b")


#: Lines longer than this (characters) are paragraphs: no cue or title checks.
LONG_LINE_CHARS = 400
LONG_LINE_WORDS = 60
#: ... and so are lines with this many spaces (more words than any cue, caption or title).
LONG_LINE_SPACES = 40


@dataclass(frozen=True)
class Cues:
    starts: list[tuple[str, str, str, int]]  # (phrase, group, kind, max_words)
    starts_re: re.Pattern[str]
    caption_re: re.Pattern[str]
    credit_re: re.Pattern[str]
    roles_re: re.Pattern[str]
    dateline_re: re.Pattern[str]
    calendar_re: re.Pattern[str]
    stamp_re: re.Pattern[str]
    counter_re: re.Pattern[str]
    caption_contains: tuple[str, ...]
    starts_by_phrase: dict[str, tuple[str, str, int]]
    whole: dict[str, tuple[str, str]]
    contains: list[tuple[str, str]]
    list_groups: frozenset[str]
    roles: tuple[str, ...]
    credits_max_words: int
    caption_starts: tuple[str, ...]
    credit_ends: tuple[str, ...]
    dateline_phrases: tuple[str, ...]
    sections: frozenset[str]
    masthead_heads: frozenset[str]
    domain_suffixes: tuple[str, ...]
    months: frozenset[str]
    weekdays: frozenset[str]
    #: Groups whose ``line_starts`` cue a line only without sentence punctuation ("plain").
    plain_groups: frozenset[str] = frozenset()


def _n(s: str) -> str:
    return normalize_text(s).lower().strip()


@lru_cache(maxsize=1)
def cues() -> Cues:
    res = resources.files("marsad.resources.ar")
    data = json.loads(res.joinpath("boilerplate.json").read_text("utf-8"))
    cal = json.loads(res.joinpath("calendar.json").read_text("utf-8"))
    starts: list[tuple[str, str, str, int]] = []
    whole: dict[str, tuple[str, str]] = {}
    contains: list[tuple[str, str]] = []
    list_groups = set()
    plain_groups = set()
    for group, spec in data.items():
        if (
            group.startswith("_")
            or "kind" not in spec
            or group in ("credits", "caption", "relative_stamp")
        ):
            continue
        kind = spec["kind"]
        for p in spec.get("line_starts", []):
            starts.append((_n(p), group, kind, int(spec.get("max_words", 40))))
        for p in spec.get("whole_line", []):
            whole[_n(p).strip(_STRIP)] = (group, kind)
        for p in spec.get("contains", []):
            contains.append((_n(p), group))
        if spec.get("starts_list"):
            list_groups.add(group)
        if spec.get("plain"):
            plain_groups.add(group)
    starts.sort(key=lambda t: -len(t[0]))
    months = set()
    for table in ("gregorian_msa", "levantine", "maghrebi", "hijri", "english_months"):
        months.update(cal[table])
    months.update(cal["hijri_first_words"]["words"])
    starts_re = re.compile("^(?:" + "|".join(re.escape(p) for p, *_ in starts) + ")")

    def alternation(phrases) -> str:
        return "|".join(re.escape(p) for p in sorted(phrases, key=len, reverse=True))

    caption_starts = [_n(p) for p in data["caption"]["line_starts"]]
    credit_ends = [_n(p).replace(" ", "") for p in data["caption"]["credit_ends"]]
    roles = [_n(r) for r in data["credits"]["roles"]]
    datelines = [_n(p) for p in data["dateline_cues"]["phrases"]]
    calendar_words = [
        _n(w) for w in (*months, *cal["weekdays"], *cal["hijri_first_words"]["words"])
    ]
    return Cues(
        starts=starts,
        starts_re=starts_re,
        caption_re=re.compile(f"(?:{alternation(caption_starts)})(?![^\\W\\d_])"),
        credit_re=re.compile(f"(?:{alternation(credit_ends)})$"),
        roles_re=re.compile(f"(?:{alternation(roles)})(?![^\\W\\d_])"),
        dateline_re=re.compile(alternation(datelines)),
        stamp_re=re.compile(
            f"(?:{alternation(_n(p) for p in data['relative_stamp']['prefixes'])})"
            f"\\s+(?:\\d+\\s+)?(?:{alternation(_n(u) for u in data['relative_stamp']['units'])})$"
        ),
        counter_re=re.compile(
            f"^[\\d,.]+\\s*(?:{alternation(_n(u) for u in data['counters']['units'])})(?![^\\W\\d_])"
        ),
        caption_contains=tuple(_n(p) for p in data["caption"].get("contains", [])),
        calendar_re=re.compile(
            f"(?<![^\\W\\d_])(?:[وب]?)(?:{alternation(calendar_words)})(?![^\\W\\d_])"
        ),
        starts_by_phrase={p: (g, k, w) for p, g, k, w in starts},
        whole=whole,
        contains=contains,
        list_groups=frozenset(list_groups),
        roles=tuple(sorted((_n(r) for r in data["credits"]["roles"]), key=len, reverse=True)),
        credits_max_words=int(data["credits"]["max_words"]),
        caption_starts=tuple(_n(p) for p in data["caption"]["line_starts"]),
        credit_ends=tuple(_n(p).replace(" ", "") for p in data["caption"]["credit_ends"]),
        dateline_phrases=tuple(
            sorted((_n(p) for p in data["dateline_cues"]["phrases"]), key=len, reverse=True)
        ),
        sections=frozenset(_n(w) for w in data["sections"]["words"]),
        masthead_heads=frozenset(_n(w) for w in data["masthead_heads"]["words"]),
        domain_suffixes=tuple(data["masthead_heads"]["domain_suffixes"]),
        months=frozenset(months),
        weekdays=frozenset(cal["weekdays"]),
        plain_groups=frozenset(plain_groups),
    )


@dataclass(slots=True)
class _Line:
    start: int
    end: int
    norm: str  # normalised, lower-cased
    words: int
    final_punct: bool  # ends like a sentence (or a quotation, or a colon)
    sentences: int
    kind: str | None = None
    reason: str = ""


def split_lines(text: str) -> list[tuple[int, int]]:
    """Non-blank lines of ``text`` as spans trimmed of surrounding white space."""
    out = []
    for m in _LINE.finditer(text):
        s, e = m.start(), m.end()
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            out.append((s, e))
    return out


def classify_cue(norm: str, words: int, c: Cues, settings: dict) -> tuple[str, str] | None:
    """Label a single line from cue phrases alone: ``(kind, reason)`` or None."""
    core = _LEADING_SYMBOLS.sub("", norm.strip(_STRIP)).strip(_STRIP)
    if not core:
        return "boilerplate", "empty:punctuation"
    hit = c.whole.get(core)
    if hit:
        return hit[1], f"cue:{hit[0]}"
    m = c.starts_re.match(core)
    while m:
        phrase = m.group()
        group, kind, max_words = c.starts_by_phrase[phrase]
        rest = core[len(phrase) : len(phrase) + 1]
        tail = core[len(phrase) :].split(" ", 1)[0]
        if (
            words <= max_words
            and (not rest or not rest.isalpha() or phrase.endswith(":") or tail in _SUFFIXES)
            and (group not in c.plain_groups or not _SENT_PUNCT.search(norm))
        ):
            return kind, f"cue:{group}"
        # a longer phrase matched a word prefix ("شاركت"): try the shorter alternatives
        shorter = [p for p in c.starts_by_phrase if len(p) < len(phrase) and core.startswith(p)]
        if not shorter:
            break
        phrase = max(shorter, key=len)
        group, kind, max_words = c.starts_by_phrase[phrase]
        rest = core[len(phrase) : len(phrase) + 1]
        if words <= max_words and (not rest or not rest.isalpha()):
            return kind, f"cue:{group}"
        break
    if words > 30:
        return None  # every remaining rule is about short lines
    if words <= 6 and c.stamp_re.match(core):
        return "dateline", "dateline:relative"
    if _GALLERY.match(core) or (words <= 6 and c.counter_re.search(core)):
        return "boilerplate", "counter"
    if words <= 2 and all(_section(t, c) for t in core.split()):
        return "boilerplate", "section_label"
    for phrase, group in c.contains:
        if phrase in norm:
            return "boilerplate", f"cue:{group}"
    # captions
    if words <= settings["max_caption_words"]:
        if c.caption_re.match(core):
            return "caption", "caption:start"
        if words <= 20 and any(p in norm for p in c.caption_contains):
            return "caption", "caption:credit"
        if norm.rstrip(" .").endswith(")"):
            compact = norm.rstrip(" .").replace(" ", "")
            if c.credit_re.search(compact) and not _SENT_END.search(norm.rstrip(" .")[:-1]):
                return "caption", "caption:credit"
    # editorial credits: role word, then only a short name
    if words <= c.credits_max_words and not _SENT_PUNCT.search(_ABBREV_DOT.sub("", norm)):
        m = c.roles_re.match(core)
        if m:
            rest = core[m.end() :].lstrip(" :-–—/")
            if rest and len(_WORD.findall(_ABBREV_DOT.sub("", rest))) <= 6:
                return "boilerplate", "credits"
    # menus: mostly section names
    if words > 30 or _SENT_PUNCT.search(core):
        return ("dateline", "dateline") if is_dateline(norm, words, c) else None
    items = [w for w in _SEPARATORS.split(core) if w.strip()]
    tokens = (
        [t for t in _SEPARATORS.sub(" ", core).split() if _WORD.search(t)] if words <= 15 else []
    )
    if len(tokens) >= settings["menu_min_items"]:
        known = sum(1 for t in tokens if _section(t.strip(_STRIP), c))
        if known >= settings["menu_min_items"] and known / len(tokens) >= 0.6:
            return "boilerplate", "menu"
    if len(items) >= 4 and "|" in norm and all(len(i.split()) <= 3 for i in items):
        return "boilerplate", "menu:separators"
    if "°" in norm or (norm.count("|") >= 2 and _DIGITS.search(norm)):
        return "boilerplate", "widget"
    crumbs = re.split(r"\s[»>/›]\s", core)
    if (
        len(crumbs) >= 3
        and all(1 <= len(i.split()) <= 4 for i in crumbs)
        and not _SENT_PUNCT.search(core)
    ):
        return "boilerplate", "menu:breadcrumbs"
    if is_dateline(norm, words, c):
        return "dateline", "dateline"
    first = core.split(maxsplit=1)[0] if core else ""
    if words <= 6 and first not in c.masthead_heads and _PLACE_SOURCE.match(norm.strip()):
        return "dateline", "dateline:place"
    return None


def _section(word: str, c: Cues) -> bool:
    return word in c.sections or (word[:1] == "و" and word[1:] in c.sections)


def is_dateline(norm: str, words: int, c: Cues) -> bool:
    """A short line that is mostly a date or a time (after an optional 'published' cue)."""
    if words > 14 or not (_DIGITS.search(norm) or c.calendar_re.search(norm)):
        return False
    rest = c.dateline_re.sub(" ", norm)
    has_date = bool(_NUMDATE.search(rest) or _TIME.search(rest))
    toks = _WORD.findall(rest)
    if not toks:
        return False
    datey = 0
    for t in toks:
        t2 = t[1:] if t[:1] in "وب" and t[1:] in c.weekdays | c.months else t
        if t2 in c.months or t2 in c.weekdays or ("ال" + t2) in c.weekdays or _DIGITS.search(t2):
            datey += 1
            if t2 in c.months:
                has_date = True
        elif t2 in (
            "م",
            "هـ",
            "ه",
            "الموافق",
            "ص",
            "صباحا",
            "مساء",
            "مساءا",
            "ظهرا",
            "am",
            "pm",
            "gmt",
            "بتوقيت",
            "غرينتش",
            "مكه",
            "المكرمه",
        ):
            datey += 1
    if not has_date and not (_YEAR.search(rest) and datey >= 2):
        return False
    return datey / len(toks) >= 0.6


def _is_short(line: _Line, settings: dict) -> bool:
    return line.words <= settings["short_line_words"] and not line.final_punct


def label_blocks(
    text: str, title: str | None, settings: dict, norm: Normalized | None = None
) -> list[Block]:
    """Split ``text`` into line blocks and label them (the classifier behind the stage).

    ``norm`` is the normalised view of ``text`` when the caller has it (saves work)."""
    c = cues()
    spans = split_lines(text)
    lines: list[_Line] = []
    for s, e in spans:
        raw = text[s:e]
        if e - s > LONG_LINE_CHARS or raw.count(" ") >= LONG_LINE_SPACES:
            # A paragraph this long is never a cue line, a title or a list item: skip the
            # normalisation and cue matching (most of the text of an article is here).
            # sentence count only matters up to "more than one" for long lines
            lines.append(_Line(s, e, "", LONG_LINE_WORDS, bool(_FINAL_PUNCT.search(raw)), 2))
            continue
        if norm is not None:
            ns, ne = norm.to_normalized(s, e)
            lnorm = norm.text[ns:ne].lower().strip()
        else:
            lnorm = _n(raw)
        # words: white-space separated chunks that contain a letter or digit (a lone "|" or "-"
        # is not a word); counted the cheap way when the line has no lone punctuation
        chunks = lnorm.split()
        words = len(chunks) if _LONE_PUNCT.search(lnorm) is None else len(_WORD.findall(lnorm))
        lines.append(
            _Line(s, e, lnorm, words, bool(_FINAL_PUNCT.search(raw)), len(_SENT_END.findall(raw)))
        )
    if not lines:
        return []

    # 1-2. cues and datelines; lists after a related-articles header
    in_list = False
    for ln in lines:
        hit = classify_cue(ln.norm, ln.words, c, settings) if ln.norm else None
        if hit:
            ln.kind, ln.reason = hit
            in_list = ln.reason.split(":")[-1] in c.list_groups
            continue
        if in_list and ln.words <= 20 and not ln.final_punct and ln.sentences == 0:
            ln.kind, ln.reason = "boilerplate", "list:related"
            continue
        in_list = False

    # 3a. repeated short lines (teasers and labels repeated by templates)
    seen: dict[str, int] = {}
    for ln in lines:
        if ln.norm and ln.words <= settings["short_line_words"]:
            seen[ln.norm] = seen.get(ln.norm, 0) + 1
    for ln in lines:
        if (
            ln.kind is None
            and seen.get(ln.norm, 0) > 1
            and ln.words <= settings["short_line_words"]
        ):
            ln.kind, ln.reason = "boilerplate", "repeated"

    # 3b. the headline
    title_i = _find_title(lines, title, settings, c)
    if title_i is not None:
        lines[title_i].kind, lines[title_i].reason = "title", "title"
        for ln in lines[:title_i]:
            if ln.kind is None:
                ln.kind, ln.reason = "boilerplate", "above_title"
            if ln.kind == "boilerplate" and _looks_like_masthead(ln, c):
                ln.reason = "masthead"

    # Outlet names above the first paragraph are mastheads even when no headline was found.
    first_para = next(
        (i for i, ln in enumerate(lines) if ln.kind is None and not _is_short(ln, settings)),
        len(lines),
    )
    for ln in lines[:first_para]:
        if ln.kind is None and _is_masthead_name(ln, c):
            ln.kind, ln.reason = "boilerplate", "masthead"

    # 3c. body paragraphs, subheadings and the footer
    undecided = [i for i, ln in enumerate(lines) if ln.kind is None]
    body_like = [i for i in undecided if not _is_short(lines[i], settings)]
    last_body = body_like[-1] if body_like else None
    for i in undecided:
        ln = lines[i]
        if not _is_short(ln, settings):
            ln.kind, ln.reason = "body", "paragraph"
        elif last_body is not None and body_like[0] < i < last_body:
            ln.kind, ln.reason = "subheading", "short_line_inside_body"
        elif last_body is not None and i > last_body and not _has_verbish(ln):
            ln.kind, ln.reason = "boilerplate", "below_body"
        else:
            ln.kind, ln.reason = "body", "short_line"
    # A "subheading" directly followed by a dateline or boilerplate is not inside the body.
    for i, ln in enumerate(lines):
        if ln.kind == "subheading":
            nxt = next((x for x in lines[i + 1 :] if x.kind not in ("subheading",)), None)
            if nxt is None or nxt.kind not in ("body",):
                ln.kind, ln.reason = "boilerplate", "short_line_outside_body"
    return [Block(ln.start, ln.end, ln.kind or "body", ln.reason) for ln in lines]


def _has_verbish(ln: _Line) -> bool:
    """A weak sign that a short line is a sentence: it contains a sentence mark inside."""
    return ln.sentences > 0


def _looks_like_masthead(ln: _Line, c: Cues) -> bool:
    toks = ln.norm.split()
    if not toks or len(toks) > 6:
        return False
    return any(t.strip(_STRIP) in c.masthead_heads for t in toks) or any(
        ln.norm.endswith(d) for d in c.domain_suffixes
    )


def _is_masthead_name(ln: _Line, c: Cues) -> bool:
    """ "صحيفة الأفق الجديد": an outlet-type word first, and only a short name after it."""
    toks = ln.norm.split()
    return 1 <= len(toks) <= 4 and toks[0] in c.masthead_heads and not ln.final_punct


def _find_title(lines: list[_Line], title: str | None, settings: dict, c: Cues) -> int | None:
    if title:
        nt = _n(title)
        for i, ln in enumerate(lines[:10]):
            if (
                ln.kind in (None, "boilerplate")
                and ln.norm
                and (
                    ln.norm == nt
                    or (len(nt) > 15 and nt.startswith(ln.norm) and len(ln.norm) > 0.6 * len(nt))
                )
            ):
                return i
        return None
    # The undecided line just before the first body paragraph, if it is title-like; the
    # undecided lines above it are mastheads and the like.
    # A paragraph ends like a sentence or is longer than any headline.
    first_para = next(
        (
            i
            for i, ln in enumerate(lines)
            if ln.kind is None and (ln.final_punct or ln.words > settings["max_title_words"])
        ),
        None,
    )
    if first_para is None or first_para > 15:
        return None
    before = [
        i
        for i in range(first_para)
        if lines[i].kind is None
        and len(lines[i].norm) <= settings["max_title_chars"]
        and lines[i].sentences <= 1
        and lines[i].words >= 2
        and not _is_masthead_name(lines[i], c)
    ]
    if not before:
        return None
    # Section labels ("أخبار عربية") are shorter than headlines: prefer the last line of 4+ words.
    long_enough = [i for i in before if lines[i].words >= 4]
    return (long_enough or before)[-1]


def blocks_stage(article: Article, settings: Settings) -> Article:
    article.blocks = label_blocks(
        article.text, article.meta.title, settings["blocks"], article.norm
    )
    return article


STAGE = Stage("blocks", blocks_stage, requires=("text",), assigns=("blocks",))
