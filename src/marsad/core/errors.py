"""Every error marsad reports, with a code, what went wrong and how to fix it.

Per-article problems (undecodable bytes, an empty file, a broken JSON line) are raised as
:class:`ArticleError` inside the library and turned into records under ``errors`` in
``analysis.json``; the rest of the batch goes on. Problems with the call itself (an unknown
stage, a bad settings file) are :class:`UsageError` and stop the run.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

_SURROGATE = re.compile("[\ud800-\udfff]")

#: code -> (message template, how to fix)
MESSAGES: dict[str, tuple[str, str]] = {
    "E001": ("File not found: {path}", "Check the path; folders are read recursively."),
    "E002": (
        "Unsupported file type '{suffix}': {path}",
        "marsad reads .txt, .html/.htm, .json/.jsonl, RSS/Atom feeds (.rss/.atom/.xml), "
        "WARC archives (.warc) and .gz of these.",
    ),
    "E003": (
        "Cannot decode the text ({detail})",
        "Save the file as UTF-8, or as Windows-1256 / ISO-8859-6 / UTF-16 with a BOM.",
    ),
    "E004": (
        "Binary content, not text ({detail})",
        "Only text, HTML and JSON files are articles; remove this file from the input.",
    ),
    "E005": (
        "Empty article: no text after decoding",
        "Nothing to analyse; the file can be removed.",
    ),
    "E006": (
        "Article too large: {size:,} {unit} (limit {limit:,})",
        "Split the file, or raise [read] {setting} in your settings file.",
    ),
    "E007": (
        "Malformed JSON record ({detail})",
        "Each line of a .jsonl file must be one JSON object with a 'text', 'body' or 'content' field.",
    ),
    "E008": (
        "No article text found in the HTML page ({detail})",
        "The page may be an index or a login page; pass the article page itself.",
    ),
    "E009": ("Corrupt compressed file ({detail})", "Re-download or re-compress the file."),
    "E010": (
        "Stage '{stage}' failed on this article: {detail}",
        "This is a bug in marsad: please report it with the article.",
    ),
    "E011": (
        "Stage '{stage}' needs '{needs}', which no earlier stage assigns",
        "Enable the stage that assigns it, or disable '{stage}' too.",
    ),
    "E012": ("Unknown stage '{stage}' (known: {known})", "Use one of the known stage names."),
    "E013": ("Invalid settings: {detail}", "See docs/settings.md for the names and types."),
    "E014": ("Cannot read the file: {detail}", "Check the file's permissions."),
    "E015": (
        "Article took longer than {limit} s in stage '{stage}'",
        "The article is probably pathological; raise [pipeline] article_timeout to allow more time.",
    ),
    "E016": (
        "Cannot open the database: {detail}",
        "Check the --db path or URL (a SQLite file, or postgresql://user@host:port/dbname) "
        "and that the server is running; run `marsad ingest` first to create a store.",
    ),
    "E017": (
        "The database schema is version {found}, newer than this marsad ({known})",
        "Upgrade marsad; an older marsad never writes to a newer store.",
    ),
    "E018": (
        "Record skipped: not an HTML article page ({detail})",
        "Nothing to fix: archives hold images, scripts, redirects and error pages as well; "
        "only HTML responses are read as articles.",
    ),
    "E019": (
        "Record skipped: not Arabic (language '{language}')",
        "Nothing to fix: marsad analyses Arabic news; entries of feeds and archives in other "
        "languages are counted and skipped ([read] skip_non_arabic).",
    ),
    "E020": (
        "Cannot parse the {kind} ({detail})",
        "The file is truncated or not a valid {kind}; re-download it. Records read before "
        "the damage are kept.",
    ),
    "E021": (
        "Record skipped: empty entry in {kind} ({detail})",
        "Nothing to fix: the entry has no text (e.g. a feed item with only a title).",
    ),
}

#: Codes that mean "counted and skipped with a reason", not "failed": an ``ErrorRecord`` with
#: one of these codes has ``severity == "skip"``.
SKIP_CODES = frozenset({"E018", "E019", "E021"})


class MarsadError(Exception):
    """Base class: a coded error with context."""

    code = "E000"

    def __init__(self, code: str, **context: Any):
        self.code = code
        self.context = context
        template, fix = MESSAGES[code]
        try:
            self.message = template.format(**context)
        except (KeyError, IndexError, ValueError):
            self.message = template
        try:
            self.fix = fix.format(**context)
        except (KeyError, IndexError, ValueError):
            self.fix = fix
        super().__init__(f"[{code}] {self.message}")

    @property
    def severity(self) -> str:
        """``"skip"`` for the codes in :data:`SKIP_CODES`, else ``"error"``."""
        return "skip" if self.code in SKIP_CODES else "error"


class ArticleError(MarsadError):
    """One article could not be read or analysed; the batch goes on."""


class UsageError(MarsadError):
    """The call itself is wrong (settings, stage names); the run stops."""


def _valid(s: str | None) -> str | None:
    """Unpaired surrogates (a file name in a legacy encoding, a bad JSON escape) as U+FFFD:
    error records are written as UTF-8."""
    if s is None or s.isascii():
        return s
    return _SURROGATE.sub("\ufffd", s)


@dataclass(slots=True)
class ErrorRecord:
    """An ``errors[]`` entry of ``analysis.json``."""

    code: str
    reason: str
    path: str | None = None
    doc: str | None = None
    #: Line number inside a JSONL file, or record number inside an archive.
    record: int | None = None
    fix: str | None = None
    #: ``"error"`` (the article failed) or ``"skip"`` (counted and skipped with a reason:
    #: a record that is not HTML or not Arabic, an empty entry inside a feed or archive).
    severity: str = "error"

    @property
    def skipped(self) -> bool:
        return self.severity == "skip"

    @classmethod
    def from_error(
        cls,
        err: MarsadError,
        path: str | None = None,
        doc: str | None = None,
        record: int | None = None,
    ) -> ErrorRecord:
        return cls(
            err.code,
            _valid(err.message),
            _valid(path),
            _valid(doc),
            record,
            _valid(err.fix),
            err.severity,
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "reason": self.reason,
            "path": self.path,
            "doc": self.doc,
            "record": self.record,
            "fix": self.fix,
            "severity": self.severity,
        }
