"""The items of the quotes stage: :class:`Quote`, one reported statement as the stage writes it
to ``article.layers["quotes"]`` (original offsets), and ``_Stmt``, a statement as the passes
find it (normalised offsets), before speakers are resolved."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from marsad.core.article import Article
from marsad.stages.quotes.lexicon import CueForm


@dataclass(slots=True)
class Quote:
    """One reported statement. All spans are original-text offsets."""

    start: int
    end: int
    kind: str  # direct / indirect / mixed
    cue: tuple[int, int]
    content: tuple[int, int]
    speaker: tuple[int, int] | None = None
    via: tuple[int, int] | None = None
    confidence: float = 0.5
    cue_type: str = "verb"  # verb / relay / nominal / headline / end
    cue_lemma: str | None = None
    gender: str | None = None
    number: str | None = None
    speaker_kind: str | None = None  # named / role / anonymous / organisation
    speaker_source: str | None = None  # local / continuation / pronoun
    speaker_mention_type: str | None = None
    refers_to: tuple[int, int] | None = None
    #: the name and the role inside (or, a role after the name, next to) the speaker mention
    speaker_name: tuple[int, int] | None = None
    speaker_role: tuple[int, int] | None = None
    #: what the speaker was resolved from: the back-reference written at the cue (anaphor:
    #: الأخير، الوزير) or, for a cue with no subject (continuation, pronoun, clause), the cue
    resolved_from: tuple[int, int] | None = None
    id: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    def to_json(self, article: Article) -> dict[str, Any]:
        t = article.text

        def span(s: tuple[int, int] | None) -> dict[str, Any] | None:
            return None if s is None else {"start": s[0], "end": s[1], "text": t[s[0] : s[1]]}

        speaker = None
        if self.speaker is not None:
            resolved = span(self.resolved_from)
            if resolved is not None:
                resolved["kind"] = self.speaker_source
            speaker = {
                "entity": None,
                **span(self.speaker),  # type: ignore[dict-item]
                "name": span(self.speaker_name),
                "role": span(self.speaker_role),
                "resolved_from": resolved,
            }
        return {
            "id": self.id,
            "doc": article.id,
            "start": self.start,
            "end": self.end,
            "text": t[self.start : self.end],
            "kind": self.kind,
            "cue": span(self.cue),
            "content": span(self.content),
            "speaker": speaker,
            "via": span(self.via),
            "confidence": round(self.confidence, 2),
            "cue_type": self.cue_type,
            "cue_lemma": self.cue_lemma,
            "gender": self.gender,
            "number": self.number,
            "speaker_kind": self.speaker_kind,
            "speaker_source": self.speaker_source,
            "speaker_mention_type": self.speaker_mention_type,
            "speaker_refers_to": span(self.refers_to),
        }


@dataclass(slots=True)
class _Stmt:
    cue: tuple[int, int]
    content: tuple[int, int]
    kind: str
    speaker: tuple[int, int] | None
    via: tuple[int, int] | None
    form: CueForm | None
    cue_type: str
    confidence: float
    speaker_source: str | None = None
    pron_gender: str | None = None  # gender/number of an attached pronoun (عنه، عنها)
    pron_number: str | None = None
    needs_antecedent: bool = False
    extra: dict[str, Any] = field(default_factory=dict)
