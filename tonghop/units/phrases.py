"""Cut the text that names a document's issuer into phrases: a division word and the name after it.

Headers, place lines and body sentences name the issuer in many ways ("ỦY BAN NHÂN DÂN / XÃ KẼ SẮT",
"UBND xã Diễn Châu, tỉnh Nghệ An", "Ủy ban nhân dân huyện Đắk Glei báo cáo…", "SỞ CÔNG THƯƠNG"). The roster
only needs to know, for each phrase, the level the writer meant (commune, pre-2025 district, province, a
body above the commune) and the words of the name; which words are a name and which are trailing prose is
left to the roster (it tries the longest prefix first). The words themselves live in `schemas/units.toml`.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal

from tonghop.interpret.body_kinds import load_body_kinds
from tonghop.settings import PROJECT_ROOT
from tonghop.text import ascii_key, fold, nfc

VOCABULARY_FILE = PROJECT_ROOT / "schemas" / "units.toml"

Level = Literal["commune", "legacy_ward", "legacy_district", "city", "province", "none", "non_commune"]
LEVELS: tuple[str, ...] = ("commune", "legacy_ward", "legacy_district", "city", "province")

# A name is never longer than this many words (the longest in the roster has six).
MAX_WORDS = 8

_SEPARATORS = re.compile(r"[\n\r,;/()\[\]{}:|\"“”«»]+")
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "ʼ": "'"})
_WORD = re.compile(r"[\w']+")


@dataclass(frozen=True)
class Phrase:
    """One mention of a unit. `words` are folded (lower case, one tone placement), punctuation dropped."""

    level: Level
    division: str | None  # the official word ("xã", "thành phố"), whatever spelling was written
    words: tuple[str, ...]
    raw: str

    @property
    def name(self) -> str:
        return " ".join(self.words)


@dataclass(frozen=True)
class Vocabulary:
    body_words: tuple[str, ...]
    divisions: dict[str, Level]
    aliases: dict[str, str]
    non_commune: tuple[str, ...]
    header_stop: tuple[str, ...]
    division_re: re.Pattern[str]
    ascii_division_re: re.Pattern[str]


@lru_cache(maxsize=65536)
def name_words(text: str) -> tuple[str, ...]:
    """The folded words of a name, the same way for the roster and for documents."""
    return tuple(_WORD.findall(fold(text).translate(_APOSTROPHES).replace("_", " ")))


@lru_cache(maxsize=65536)
def _loose_word(word: str) -> str:
    return ascii_key(word)


def loose_key(words: str) -> str:
    """`ascii_key` of folded words, word by word with a cache: names share few distinct words, and this
    runs for every name of the roster and of the pre-2025 dataset."""
    return " ".join(filter(None, (_loose_word(w) for w in words.split(" "))))


@lru_cache(maxsize=4)
def load_vocabulary(path: Path = VOCABULARY_FILE) -> Vocabulary:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    divisions: dict[str, Level] = {}
    for word, level in data["divisions"].items():
        if level not in LEVELS:
            raise ValueError(f"{path}: cấp '{level}' của '{word}' không hợp lệ")
        divisions[fold(word).rstrip(".")] = level

    def pattern(words: list[str]) -> re.Pattern[str]:
        alternatives = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
        return re.compile(rf"(?<!\w)({alternatives})(?!\w)\.?")

    return Vocabulary(
        body_words=tuple(sorted({fold(w) for w in data["body_words"]}, key=len, reverse=True)),
        divisions=divisions,
        aliases={fold(k): fold(v) for k, v in data.get("division_aliases", {}).items()},
        non_commune=tuple(sorted({fold(w) for w in data["non_commune"]["prefixes"]}, key=len, reverse=True)),
        header_stop=tuple(fold(w) for w in data.get("header_stop_words", [])),
        # Words without diacritics ("xa", "phuong", "tinh") are also syllables of names ("Xã Bạch Xa",
        # "Phường Phương Liệt"): they count only in a text typed without diacritics, and only once.
        division_re=pattern([w for w in divisions if not w.isascii() or w == "tp"]),
        ascii_division_re=pattern(list(divisions)),
    )


def _strip_body_words(text: str, vocab: Vocabulary) -> str:
    changed = True
    while changed and text:
        changed = False
        for word in vocab.body_words:
            if text == word or text.startswith(word + " "):
                text = text[len(word) :].strip()
                changed = True
    return text


def _starts_with(text: str, prefixes: tuple[str, ...]) -> bool:
    return any(text == p or text.startswith(p + " ") for p in prefixes)


def issuer_lines(text: str | None) -> str | None:
    """A header's issuer lines: everything before the number, the `V/v` subject or the addressee."""
    if not text:
        return text
    vocab = load_vocabulary()
    kept: list[str] = []
    for line in nfc(text).splitlines():
        folded = fold(line).lstrip(" -")
        if any(
            folded.startswith(stop) and not folded[len(stop) : len(stop) + 1].isalnum()
            for stop in vocab.header_stop
        ):
            break
        kept.append(line)
    return "\n".join(kept)


def parse_phrases(text: str | None) -> list[Phrase]:
    """Every phrase of `text`, in reading order."""
    if not text:
        return []
    vocab = load_vocabulary()
    kinds = load_body_kinds()
    phrases: list[Phrase] = []
    for segment in _SEPARATORS.split(nfc(text)):
        folded = _strip_body_words(fold(segment.translate(_APOSTROPHES)).strip(" .-–—\t"), vocab)
        if not folded:
            continue
        raw = segment.strip()
        if all(ch.isascii() for ch in segment if ch.isalpha()):
            first = vocab.ascii_division_re.search(folded)
            matches = [first] if first else []
        else:
            matches = list(vocab.division_re.finditer(folded))
        lead = folded[: matches[0].start()] if matches else folded
        if _starts_with(_strip_body_words(lead.strip(), vocab), vocab.non_commune):
            phrases.append(Phrase("non_commune", None, name_words(lead), raw))
        if not matches:
            words = name_words(folded)[:MAX_WORDS]
            # "TIỂU BAN THÔNG TIN…" names a body, not a place: no fuzzy guess may come from it.
            if words and not _starts_with(folded, vocab.non_commune) and not kinds.names_body(folded):
                phrases.append(Phrase("none", None, words, raw))
            continue
        for i, match in enumerate(matches):
            end = matches[i + 1].start() if i + 1 < len(matches) else len(folded)
            words = name_words(folded[match.end() : end])[:MAX_WORDS]
            if words:
                division = match.group(1)
                level = vocab.divisions[division]
                phrases.append(Phrase(level, vocab.aliases.get(division, division), words, raw))
    return phrases
