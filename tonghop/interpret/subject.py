"""Whether a document addresses the subject of a round (`schemas/subjects.toml`).

A commune sends whatever it has: plans for an election, a decision on a citizens' reception team. Those are
registered and listed, but only a document whose title names the subject, or whose body keeps returning
to it, may become a commune's report or feed a theme of the provincial report.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from tonghop.settings import PROJECT_ROOT
from tonghop.text import fold

SUBJECTS_FILE = PROJECT_ROOT / "schemas" / "subjects.toml"


@dataclass(frozen=True)
class Subject:
    name: str
    label: str
    body_mentions: int
    folded: re.Pattern[str]
    exact: re.Pattern[str] | None

    def mentions(self, text: str) -> int:
        count = len(self.folded.findall(fold(text)))
        return count + (len(self.exact.findall(text)) if self.exact is not None else 0)


def _words(terms: list[str]) -> str:
    parts = [r"[\s\-]+".join(re.escape(word) for word in term.split()) for term in terms]
    return r"(?<!\w)(?:" + "|".join(sorted(parts, key=len, reverse=True)) + r")(?!\w)"


@lru_cache(maxsize=2)
def load_subjects(path: Path = SUBJECTS_FILE) -> dict[str, Subject]:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    subjects = {}
    for name, table in data.items():
        exact = table.get("exact_terms", [])
        subjects[name] = Subject(
            name=name,
            label=table.get("label", name),
            body_mentions=int(table.get("body_mentions", 1)),
            folded=re.compile(_words([fold(t) for t in table["terms"]])),
            exact=re.compile(_words(exact)) if exact else None,
        )
    return subjects


def subjects_addressed(title: str | None, body: list[str]) -> list[str]:
    """The subjects the title names, or the body names often enough, in the data file's order."""
    found = []
    for name, subject in load_subjects().items():
        if title and subject.mentions(title):
            found.append(name)
            continue
        total = 0
        for text in body:
            total += subject.mentions(text)
            if total >= subject.body_mentions:
                found.append(name)
                break
    return found
