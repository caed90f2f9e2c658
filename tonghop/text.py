"""Vietnamese text normalisation: NFC at the reader's edge, and folded keys for matching.

Matching must survive old and new tone placement (`Hoà`/`Hòa`, `Thuỷ`/`Thủy`), `Đắk`/`Đăk`, decomposed
Unicode and missing diacritics, so every comparison goes through `fold` (tone placement normalised) or
`ascii_key` (diacritics and case removed).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Old-style tone placement (on the first vowel of oa/oe/uy) mapped to the modern placement.
_OLD_TONE = {
    "òa": "oà",
    "óa": "oá",
    "ỏa": "oả",
    "õa": "oã",
    "ọa": "oạ",
    "òe": "oè",
    "óe": "oé",
    "ỏe": "oẻ",
    "õe": "oẽ",
    "ọe": "oẹ",
    "ùy": "uỳ",
    "úy": "uý",
    "ủy": "uỷ",
    "ũy": "uỹ",
    "ụy": "uỵ",
}
# We fold to the *old* placement consistently; direction does not matter for a key, only consistency.
_TONE_RE = re.compile("|".join(sorted(_OLD_TONE, key=len, reverse=True)))
_NOT_ASCII_WORD_RE = re.compile(r"[^a-z0-9]+")
_COMBINING_RE = re.compile("[\u0300-\u036f]+")
_NON_ASCII_RE = re.compile("[^\x00-\x7f]")


def nfc(text: str) -> str:
    """NFC with non-breaking and zero-width spaces made plain; applied once where text enters."""
    text = unicodedata.normalize("NFC", text)
    return text.replace("\u00a0", " ").replace("\u200b", "").replace("\ufeff", "")


def squash(text: str) -> str:
    # str.split() and the regex `\s` agree on what is white space; splitting is ten times faster.
    return " ".join(text.split())


def fold(text: str) -> str:
    """Lower case, NFC, single spaces, one tone placement, `đăk`→`đắk`: a key that keeps diacritics."""
    text = squash(nfc(text).lower())
    text = _TONE_RE.sub(lambda m: _OLD_TONE[m.group(0)], text)
    return text.replace("đăk", "đắk").replace("dak ", "đắk ")


def _drop_mark(match: re.Match[str]) -> str:
    char = match.group(0)
    return "" if unicodedata.category(char) == "Mn" else char


def strip_diacritics(text: str) -> str:
    """Every combining mark (category Mn) dropped after NFD, and `đ` made `d`.

    Vietnamese marks all sit in U+0300–U+036F and go in one regex pass; only the few other non-ASCII
    characters left (quotes, dashes, marks of other scripts) are looked up one by one. Summaries and
    renderers call this tens of thousands of times on long sentences.
    """
    decomposed = unicodedata.normalize("NFD", text).replace("đ", "d").replace("Đ", "D")
    return _NON_ASCII_RE.sub(_drop_mark, _COMBINING_RE.sub("", decomposed))


@lru_cache(maxsize=16384)
def ascii_key(text: str) -> str:
    """Lower case ASCII letters and digits separated by single spaces: the loosest key."""
    text = strip_diacritics(fold(text))
    return squash(_NOT_ASCII_WORD_RE.sub(" ", text))


_PROVINCE_PREFIX_RE = re.compile(r"^(tỉnh|thành phố|tp\.?)\s+")


def province_key(name: str) -> str:
    """`Tỉnh Nghệ An`, `Nghe An` → `nghe an`; `Thành phố Hải Phòng`, `TP. Hải Phòng` → `hai phong`."""
    return ascii_key(_PROVINCE_PREFIX_RE.sub("", fold(name)))
