"""What the LLM summary's map and reduce steps share: the calls, their results and the drafts between them."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from tonghop.summarize.grounding import NumberEvidence, citation_key, is_supported
from tonghop.summarize.privacy import Redactor
from tonghop.summarize.prompts import LlmRequest
from tonghop.summarize.statements import Statement

Scope = tuple[str | None, str]


@dataclass(frozen=True)
class CallResult:
    """What became of one call: the validated reply, or why there is none."""

    reply: dict[str, Any] | None
    error: str | None = None  # "invalid_reply" or "failed"
    message: str = ""
    cached: bool = False


Executor = Callable[[Sequence[LlmRequest]], list[CallResult]]


@dataclass
class Draft:
    """A theme of one call's items: a title (original text, not redacted) and its statements."""

    title: str
    statements: list[Statement]

    @property
    def scope(self) -> Scope:
        first = self.statements[0]
        return (first.province, first.section)


@dataclass
class Group:
    """Drafts of one (province, section) the offline clustering found alike; a reduce call merges them."""

    drafts: list[Draft]

    @property
    def statements(self) -> list[Statement]:
        seen: dict[str, Statement] = {}
        for draft in self.drafts:
            for statement in draft.statements:
                seen.setdefault(statement.key, statement)
        return sorted(seen.values(), key=lambda s: citation_key(s.citation))

    @property
    def anchor(self) -> str:
        return min(order_key(s) for s in self.statements)

    @property
    def province(self) -> str | None:
        return self.drafts[0].scope[0]

    @property
    def title(self) -> str:
        return max(self.drafts, key=lambda d: (len(d.statements), -len(d.title))).title


@dataclass
class Call:
    request: LlmRequest
    redactor: Redactor
    items: dict[str, Statement]
    groups: dict[str, Group] = field(default_factory=dict)
    section: str | None = None  # reduce calls: the section all their groups belong to


def order_key(statement: Statement) -> str:
    """Orders statements by what they say and who said it, not by file hash: a resubmitted report with the
    same wording leaves every prompt (hence every cache entry) of the other sections unchanged."""
    return hashlib.sha256(f"{statement.unit.name}|{statement.section}|{statement.text}".encode()).hexdigest()


def evidence_of(statements: Sequence[Statement]) -> NumberEvidence:
    evidence = NumberEvidence()
    for statement in statements:
        evidence.add_text(statement.text)
    return evidence


def supported(text: str, statements: Sequence[Statement]) -> bool:
    return is_supported(text, [s.text for s in statements], sorted({s.unit.name for s in statements}))
