"""Which statements a person must decide on before publication, and why, in the analyst's words.

One answer for the three places that ask: the publish gate refuses while any of them has no decision,
the draft report highlights them with `[cần rà soát: …]`, and the review page counts them. A statement
needs a decision when a number in it matches no source (`unverified`) or when it carries a flag that
doubts what it says (`grounding.REVIEW_FLAGS`); an analyst's accept or edit settles it.
"""

from __future__ import annotations

from schemas.summary import Sentence
from tonghop.summarize.grounding import REVIEW_FLAGS, REVIEW_MARKS_VI

# Set by publication when an analyst accepted or edited the statement.
FLAG_ACCEPTED = "reviewer_accepted"
FLAG_EDITED = "reviewer_edited"
DECIDED_FLAGS = frozenset({FLAG_ACCEPTED, FLAG_EDITED})
UNVERIFIED_REASON_VI = "số liệu chưa kiểm chứng"


def review_reasons(sentence: Sentence) -> list[str]:
    """Why the statement needs a decision (empty: it needs none, or an analyst already decided)."""
    if DECIDED_FLAGS & set(sentence.flags):
        return []
    reasons: list[str] = []
    if sentence.unverified:
        numbers = ", ".join(sentence.unverified_numbers)
        reasons.append(f"{UNVERIFIED_REASON_VI}{': ' + numbers if numbers else ''}")
    reasons.extend(REVIEW_MARKS_VI[f] for f in sentence.flags if f in REVIEW_FLAGS)
    return reasons


def needs_review(sentence: Sentence) -> bool:
    return bool(review_reasons(sentence))
