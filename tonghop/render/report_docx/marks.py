"""How the report marks what a person must still look at, and which communes a theme's line names.

Kept apart from the narrative's layout so the review rules (`summarize.review`) and the attribution rule
(`summarize.attribution`) reach the report through two small functions.
"""

from __future__ import annotations

from schemas.summary import Sentence, Theme, UnitRef
from tonghop.summarize.attribution import attribution_gaps, cited_texts
from tonghop.summarize.review import UNVERIFIED_REASON_VI, review_reasons

UNVERIFIED_MARK = "chưa kiểm chứng"
REVIEW_MARK = "cần rà soát"


def review_mark(sentence: Sentence) -> str:
    """`[chưa kiểm chứng: 12]` and/or `[cần rà soát: …]`; empty when no person needs to look at it."""
    reasons = review_reasons(sentence)
    marks = []
    if sentence.unverified and reasons:
        numbers = ", ".join(sentence.unverified_numbers)
        marks.append(f" [{UNVERIFIED_MARK}{': ' + numbers if numbers else ''}]")
    others = [r for r in reasons if not r.startswith(UNVERIFIED_REASON_VI)]
    if others:
        marks.append(f" [{REVIEW_MARK}: {'; '.join(others)}]")
    return "".join(marks)


def head_units(theme: Theme) -> list[UnitRef]:
    """The communes a theme's line names: those whose own cited text carries the figures of its title.

    A title without figures (or a theme whose statements cite nothing) names every commune of the theme.
    """
    cited = cited_texts([c for s in theme.sentences for c in s.citations])
    if not cited:
        return list(theme.units)
    return [u for u in theme.units if not attribution_gaps(theme.title, {u.name: cited.get(u.name, [])})]
