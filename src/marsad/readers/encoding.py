"""Decoding bytes into text: UTF-8 (with or without BOM), UTF-16 with BOM, Windows-1256, ISO-8859-6.

The legacy Arabic code pages decode almost any byte sequence, so the choice between them is
made by plausibility: the candidate whose result has the most Arabic letters and the fewest
stray Latin-1 letters, control characters and undefined bytes wins. Input that is not
plausible text in any of them is an :class:`~marsad.core.errors.ArticleError` (E003 or E004).
"""

from __future__ import annotations

import codecs
import re

from marsad.core.errors import ArticleError

_ARABIC = re.compile("[\u0621-\u064a]")
# Characters that are almost never in Arabic news text but appear when the wrong single-byte
# code page is used: C0/C1 controls (bar tab and newlines), accented Latin letters next to
# Arabic letters, box-drawing and replacement characters.
_CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ufffd]")
_MOJIBAKE = re.compile("[\u0621-\u064a][\u00c0-\u00ff]|[\u00c0-\u00ff][\u0621-\u064a]")

BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
LEGACY = ("cp1256", "iso-8859-6")


def control_ratio(text: str) -> float:
    if not text:
        return 0.0
    return len(_CONTROL.findall(text)) / len(text)


def decode(
    data: bytes, declared: str | None = None, max_control_ratio: float = 0.05
) -> tuple[str, str]:
    """Return ``(text, encoding)``. Raises ArticleError E003 (undecodable) or E004 (binary)."""
    for bom, enc in BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(enc)
            except UnicodeDecodeError as e:
                raise ArticleError("E003", detail=f"{enc} with BOM, bad byte at {e.start}") from e
            return _check(text, enc, max_control_ratio)
    if b"\x00" in data[:4096]:
        # NUL bytes without a UTF-16/32 BOM: try BOM-less UTF-16 only when it looks like it
        # (every other byte NUL in Latin text, or Arabic code points 0x06xx).
        for enc in ("utf-16-le", "utf-16-be"):
            try:
                text = data.decode(enc)
            except UnicodeDecodeError:
                continue
            if control_ratio(text) < 0.01 and (_ARABIC.search(text) or text.isascii()):
                return _check(text, enc, max_control_ratio)
        raise ArticleError("E004", detail="NUL bytes found")
    candidates = []
    if declared:
        candidates.append(declared)
    candidates += ["utf-8", *LEGACY]
    best: tuple[float, str, str] | None = None
    for enc in candidates:
        try:
            text = data.decode(enc)
        except (UnicodeDecodeError, LookupError):
            continue
        if enc in ("utf-8", declared):
            if enc == "utf-8" or control_ratio(text) <= max_control_ratio:
                return _check(text, enc, max_control_ratio)
            continue
        score = _plausibility(text)
        if best is None or score > best[0]:
            best = (score, text, enc)
    if best is None or not _plausible_legacy(best[1]):
        raise ArticleError(
            "E003", detail="not UTF-8, and not Arabic text in Windows-1256 or ISO-8859-6"
        )
    return _check(best[1], best[2], max_control_ratio)


def _plausible_legacy(text: str) -> bool:
    """Single-byte code pages decode any bytes: require that most non-ASCII characters are
    Arabic letters, as they are in real Arabic text."""
    non_ascii = sum(1 for ch in text if ord(ch) > 127)
    if non_ascii == 0:
        return True
    return len(_ARABIC.findall(text)) >= 0.5 * non_ascii


def _plausibility(text: str) -> float:
    n = max(len(text), 1)
    return (
        len(_ARABIC.findall(text))
        - 20 * len(_MOJIBAKE.findall(text))
        - 50 * len(_CONTROL.findall(text))
    ) / n


def _check(text: str, enc: str, max_control_ratio: float) -> tuple[str, str]:
    if control_ratio(text) > max_control_ratio:
        raise ArticleError("E004", detail=f"{control_ratio(text):.0%} control characters as {enc}")
    if enc == "utf-8-sig":
        enc = "utf-8-bom"
    return text, enc
