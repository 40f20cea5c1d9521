"""A test-only stand-in for the entities stage: tags given names wherever they occur.

The real tagger (``entities`` stage) is built elsewhere; resolution only needs mentions with
spans and types, so tests place them by finding name strings in the content blocks (longest
name first, whole words, no overlaps), exactly as the contract (marsad.core.items) says.
"""

from __future__ import annotations

import re
from contextlib import contextmanager

from marsad.core.items import Mention

_LETTER = r"[\w\u0610-\u061a\u064b-\u065f]"


def tag(article, names: dict[str, str], clitics: str = "وبلف") -> list[Mention]:
    """Mentions of ``names`` (text -> type) in ``article``'s title/body/subheading blocks.
    A name may carry one attached clitic letter (وشكري): the mention then starts after it."""
    pats = sorted(names, key=len, reverse=True)
    cl = f"[{clitics}]?" if clitics else ""
    rx = re.compile(rf"(?<!{_LETTER}){cl}({'|'.join(re.escape(p) for p in pats)})(?!{_LETTER})")
    out: list[Mention] = []
    taken: list[tuple[int, int]] = []
    for _i, b in article.content_blocks():
        for m in rx.finditer(article.text, b.start, b.end):
            s, e = m.span(1)
            if any(s < te and ts < e for ts, te in taken):
                continue
            taken.append((s, e))
            out.append(Mention(s, e, names[m.group(1)], 0.9))
    out.sort(key=lambda x: x.start)
    return out


@contextmanager
def gazetteer_stage(names: dict[str, str], also_boilerplate: bool = False, clitics: str = "وبلف"):
    """Register a stage ``test_mentions`` (before quotes) that tags ``names``; with
    ``also_boilerplate`` it tags every block, to check that resolution ignores the others."""
    from marsad import builtins
    from marsad.core.protocols import Stage

    def stage(article, settings):
        if also_boilerplate:
            saved = article.content_blocks
            article.content_blocks = lambda: iter(enumerate(article.blocks))
            try:
                article.layers["mentions"] = tag(article, names, clitics)
            finally:
                article.content_blocks = saved
        else:
            article.layers["mentions"] = tag(article, names, clitics)
        return article

    saved = list(builtins.STAGES)
    test_stage = Stage("test_mentions", stage, ("blocks", "sentences"), ("mentions",))
    builtins.STAGES[:] = [*saved[:-1], test_stage, saved[-1]]  # before quotes
    try:
        yield
    finally:
        builtins.STAGES[:] = saved
