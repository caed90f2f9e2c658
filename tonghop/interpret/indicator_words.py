"""Which indicator a phrase talks about, from the vocabulary's `[indicators]` words.

Shared by sentences (`28/36 cán bộ … đã sử dụng AI`) and table labels (`Số CBCC được tập huấn`), so that
an analyst who adds a word to the vocabulary changes both at once.
"""

from __future__ import annotations

import re
from functools import lru_cache

from tonghop.interpret.vocabulary import Vocabulary, key
from tonghop.text import fold

STAFF_ORDER: tuple[str, ...] = ("staff_trained", "staff_accessed_ai", "staff_using_ai", "staff_total")


def phrase_pattern(phrases: tuple[str, ...]) -> str:
    """A regex alternative for folded text: `cán bộ công chức` also matches `cán bộ, công chức`."""
    parts = [r"[\s,\-–/]+".join(re.escape(word) for word in p.split()) for p in phrases]
    return r"(?<!\w)(?:" + "|".join(parts) + r")(?!\w)"


@lru_cache(maxsize=8)
def staff_re(vocab: Vocabulary) -> str:
    """Nouns counting staff; `người dân` (citizens) is not staff."""
    return phrase_pattern(vocab.indicators.staff_nouns) + r"(?!\s+dân)"


@lru_cache(maxsize=8)
def pattern(vocab: Vocabulary, name: str) -> re.Pattern[str]:
    words: tuple[str, ...] = getattr(vocab.indicators, name)
    return re.compile(phrase_pattern(words))


def mentions_ai(text: str, vocab: Vocabulary) -> bool:
    return pattern(vocab, "ai_words").search(fold(text)) is not None


def _has(folded: str, vocab: Vocabulary, name: str) -> bool:
    return pattern(vocab, name).search(folded) is not None


def staff_kind(window: str, vocab: Vocabulary) -> str | None:
    """The staff indicator a clause's verb names: trained before accessed before using before total."""
    folded = fold(window)
    if _has(folded, vocab, "training_words"):
        return "staff_trained"
    if _has(folded, vocab, "access_words"):
        return "staff_accessed_ai"
    if _has(folded, vocab, "use_words"):
        return "staff_using_ai"
    if _has(folded, vocab, "total_words"):
        return "staff_total"
    return None


def label_kind(label: str, vocab: Vocabulary) -> str | None:
    """The indicator a table row's label names (`Số lớp tập huấn` → trainings), or None."""
    folded = fold(label)
    if _has(folded, vocab, "training_units") and _has(folded, vocab, "training_words"):
        return "trainings"
    if _has(folded, vocab, "account_words"):
        return "ai_accounts"
    if not re.search(staff_re(vocab), folded):
        return None
    kind = staff_kind(folded, vocab)
    if kind is not None:
        return kind
    return "staff_total" if key(label).startswith("số") else None
