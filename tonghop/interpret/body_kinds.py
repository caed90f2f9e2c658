"""The kinds of body that issue commune paperwork (`schemas/issuers.toml`), as matching keys.

Shared by the issuer record and by the unit phrases: the words that name a kind of body (ban, tiểu ban,
ủy ban, tổ, đoàn…) start an issuer's name, never a place's, so no commune is ever guessed from them.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from schemas.report import IssuerKind
from tonghop.interpret.vocabulary import key, starts_with_phrase
from tonghop.settings import PROJECT_ROOT

ISSUERS_FILE = PROJECT_ROOT / "schemas" / "issuers.toml"
STANDING = "standing"


@dataclass(frozen=True)
class BodyKinds:
    """(phrase key, kind) pairs, longest phrase first, so `ban chấp hành đoàn` is not `ban`."""

    phrases: tuple[tuple[str, str], ...]

    def kind_of(self, text: str) -> str | None:
        """The kind a header line starts with, `standing` for a standing body, None for a place line."""
        k = key(text)
        for phrase, kind in self.phrases:
            if starts_with_phrase(k, phrase):
                return kind
        return None

    def names_body(self, words: str) -> bool:
        """True when folded `words` begin with a kind of body (`tiểu ban …`), so they are no place name."""
        return self.kind_of(words) is not None


@lru_cache(maxsize=2)
def load_body_kinds(path: Path = ISSUERS_FILE) -> BodyKinds:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    pairs: dict[str, str] = {}
    for kind, phrases in data["kinds"].items():
        IssuerKind(kind)  # an unknown kind in the data file fails loudly
        for phrase in phrases:
            pairs.setdefault(key(phrase), kind)
    for phrase in data.get("standing", {}).get("phrases", []):
        pairs[key(phrase)] = STANDING
    return BodyKinds(tuple(sorted(pairs.items(), key=lambda pair: len(pair[0]), reverse=True)))
