"""What the LLM summary's map and reduce steps share: the calls, their results and the drafts between them."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from tonghop.settings import Settings
from tonghop.summarize.grounding import NumberEvidence, citation_key, is_supported
from tonghop.summarize.privacy import Redactor
from tonghop.summarize.prompts import LlmRequest
from tonghop.summarize.statements import Statement
from tonghop.summarize.support import foreign_words, off_register, sentence_supported

Scope = tuple[str | None, str]
P = TypeVar("P")


@dataclass(frozen=True)
class CallResult:
    """What became of one call: the validated reply, or why there is none."""

    reply: dict[str, Any] | None
    error: str | None = None  # "invalid_reply", "too_long" (cut off or beyond the context) or "failed"
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

    def chunks(self, size: int) -> list[Group]:
        """The group in parts of at most `size` items, each keeping the group's title."""
        statements = self.statements
        if len(statements) <= size:
            return [self]
        title = self.title
        return [Group([Draft(title, statements[i : i + size])]) for i in range(0, len(statements), size)]


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


def supported_text(text: str, statements: Sequence[Statement], settings: Settings) -> bool:
    """A model's sentence or title: every clause backed by `statements`, in Vietnamese and in the register
    of an administrative report."""
    texts = [s.text for s in statements]
    names = sorted({s.unit.name for s in statements})
    if foreign_words(text, texts) or off_register(text, texts):
        return False
    return sentence_supported(text, texts, names, threshold=settings.llm.sentence_support)


def reply_budget(per_part: int, items: int, settings: Settings) -> int:
    """`max_tokens` of a reply: its fixed part, its groups or items, and the ids it may cite."""
    return settings.llm.reply_tokens_base + per_part + 4 * items


def fits(request: LlmRequest, settings: Settings, context: int | None) -> bool:
    """Whether the prompt and the longest reply allowed fit the server's context (True when unknown)."""
    if context is None:
        return True
    prompt = request.prompt_chars() / settings.llm.chars_per_token
    return prompt + (request.max_tokens or 0) <= context


def run_split(
    plans: list[P],
    build: Callable[[P], Call],
    split: Callable[[P], list[P]],
    execute: Executor,
    fits_context: Callable[[LlmRequest], bool],
) -> list[tuple[Call, CallResult]]:
    """Every plan's call and result; a call too long for the context, or whose reply was cut off, is split
    in two and asked again (a one-item call that is still too long keeps its failure)."""
    pending: list[P] = []
    for plan in plans:
        pending.extend(_fitting(plan, build, split, fits_context))
    done: list[tuple[Call, CallResult]] = []
    while pending:
        calls = [build(plan) for plan in pending]
        results = execute([c.request for c in calls])
        again: list[P] = []
        for plan, call, result in zip(pending, calls, results, strict=True):
            parts = split(plan) if result.error == "too_long" else []
            if parts:
                again.extend(parts)
            else:
                done.append((call, result))
        pending = again
    return done


def _fitting(
    plan: P,
    build: Callable[[P], Call],
    split: Callable[[P], list[P]],
    fits_context: Callable[[LlmRequest], bool],
) -> list[P]:
    if fits_context(build(plan).request):
        return [plan]
    parts = split(plan)
    if not parts:
        return [plan]
    return [piece for part in parts for piece in _fitting(part, build, split, fits_context)]
