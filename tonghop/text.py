"""Vietnamese text normalisation: NFC at the reader's edge, and folded keys for matching.

Matching must survive old and new tone placement (`Hoà`/`Hòa`, `Thuỷ`/`Thủy`), `Đắk`/`Đăk`, decomposed
Unicode and missing diacritics, so every comparison goes through `fold` (tone placement normalised) or
`ascii_key` (diacritics and case removed).
"""

from __future__ import annotations

import re
import unicodedata

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
_SPACE_RE = re.compile(r"\s+")


def nfc(text: str) -> str:
    """NFC with non-breaking and zero-width spaces made plain; applied once where text enters."""
    text = unicodedata.normalize("NFC", text)
    return text.replace("\u00a0", " ").replace("\u200b", "").replace("\ufeff", "")


def squash(text: str) -> str:
    return _SPACE_RE.sub(" ", text).strip()


def fold(text: str) -> str:
    """Lower case, NFC, single spaces, one tone placement, `đăk`→`đắk`: a key that keeps diacritics."""
    text = squash(nfc(text).lower())
    text = _TONE_RE.sub(lambda m: _OLD_TONE[m.group(0)], text)
    return text.replace("đăk", "đắk").replace("dak ", "đắk ")


def strip_diacritics(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text)
    without = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return without.replace("đ", "d").replace("Đ", "D")


def ascii_key(text: str) -> str:
    """Lower case ASCII letters and digits separated by single spaces: the loosest key."""
    text = strip_diacritics(fold(text))
    return squash(re.sub(r"[^a-z0-9]+", " ", text))


_PROVINCE_PREFIX_RE = re.compile(r"^(tỉnh|thành phố|tp\.?)\s+")


def province_key(name: str) -> str:
    """`Tỉnh Nghệ An`, `Nghe An` → `nghe an`; `Thành phố Hải Phòng`, `TP. Hải Phòng` → `hai phong`."""
    return ascii_key(_PROVINCE_PREFIX_RE.sub("", fold(name)))
