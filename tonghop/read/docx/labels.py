"""Typed numbering and chat-tool markup: what a clerk typed, separated from what the text says.

Commune reports number their outline by hand as often as with Word's lists (`I.`, `1.`, `1.1.`, `a)`, `đ)`,
`-`, `+`), and text pasted from chat tools carries Markdown (`**…**`, `### …`). Both are moved out of the
text: numbering into the block's `label`, markup into `bold`/`italic`.

Levels follow the outline of Nghị định 30 so that typed and automatic numbering compare:
roman `I.` → 0, `1.` → 1, `1.1.` → 2, `1.1.1.` → 3 (one more per dotted part), letters `a)` → 4,
dashes and bullets (`-`, `•`) → 5, `+` → 6.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

ROMAN_LEVEL = 0
LETTER_LEVEL = 4
DASH_LEVEL = 5
PLUS_LEVEL = 6

_VALID_ROMAN = re.compile(r"X{0,3}(IX|IV|V?I{0,3})")
_BULLET_CHARS = "•●▪◦○■□♦❖➢►✓·*"
_DASHES = "-–—"

# Upper-case letters a Vietnamese word may start with, for "1.1 Tồn tại" (a number without final dot).
_UPPER_START = r"(?=[\"“'(]?[A-ZĐÀ-ỸẠ-Ỹ])"
_MANUAL = re.compile(
    r"""^(?:
        (?P<roman>[IVX]{1,7})[.)](?:\s+|(?=[A-ZĐ]))
      | \(?(?P<num>\d{1,3}(?:\.\d{1,2})*)(?P<numend>[.)])(?:\s+|(?=[^\W\d_]))
      | (?P<dotted>\d{1,3}(?:\.\d{1,2})+)\s+"""
    + _UPPER_START
    + r"""
      | (?P<letter>\(?[a-zđ]\)|[a-zđ]\.)(?:\s+|(?=[^\W\d_]))
      | (?P<dash>[-–—])(?:\s+|(?=[^\W\d_\-–—]))
      | (?P<plus>\+)(?:\s+|(?=[^\W\d_]))
      | (?P<bullet>[•●▪◦○■□♦❖➢►✓·])\s*
      | (?P<star>\*)\s+(?=[^*])
    )""",
    re.VERBOSE,
)


def level_of(label: str) -> int | None:
    """The outline level of a visible label (typed or automatic), None when it is not an outline mark."""
    core = label.strip().strip("()").rstrip(".)").strip()
    if not core:
        return None
    if core in _DASHES:
        return DASH_LEVEL
    if core == "+":
        return PLUS_LEVEL
    if len(core) == 1 and core in _BULLET_CHARS:
        return DASH_LEVEL
    if re.fullmatch(r"\d{1,3}(\.\d{1,3})*", core):
        return core.count(".") + 1
    if re.fullmatch(r"[IVXLC]+", core) and _VALID_ROMAN.fullmatch(core):
        return ROMAN_LEVEL
    if re.fullmatch(r"[a-zđ]{1,2}|[ivx]{1,4}", core):
        return LETTER_LEVEL
    if re.fullmatch(r"[A-ZĐ]", core):
        return ROMAN_LEVEL
    return None


def split_label(text: str) -> tuple[str | None, str]:
    """(`label`, rest) when `text` starts with typed numbering and has words after it, else (None, text)."""
    match = _MANUAL.match(text)
    if match is None:
        return None, text
    rest = text[match.end() :].strip()
    if not rest:
        return None, text
    groups = match.groupdict()
    if groups["roman"]:
        if not _VALID_ROMAN.fullmatch(groups["roman"]):
            return None, text
        label = groups["roman"] + match.group(0).strip()[len(groups["roman"])]
    elif groups["num"]:
        opening = "(" if match.group(0).startswith("(") else ""
        label = opening + groups["num"] + groups["numend"]
    elif groups["dotted"]:
        label = groups["dotted"]
    elif groups["letter"]:
        label = groups["letter"]
    elif groups["dash"]:
        label = "-"
    elif groups["plus"]:
        label = "+"
    else:
        label = "•"
    return label, rest


# --- Markdown pasted from chat tools -------------------------------------------------------------------

_HEADING = re.compile(r"^#{1,6}\s+")
_WRAP = re.compile(r"^(\*{1,3}|_{2})(?=\S)(.*?\S)\1$", re.DOTALL)
_INLINE_BOLD = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*")
_INLINE_ITALIC = re.compile(r"(?<![\w*])\*(?=[^\s*])([^*\n]+?)(?<=[^\s*])\*(?![\w*])")


@dataclass
class Markup:
    text: str
    bold: bool = False
    italic: bool = False
    opens: bool = False
    closes: bool = False


def strip_markdown(text: str) -> Markup:
    """Text without Markdown marks; `opens`/`closes` flag a `**` pair split over several paragraphs."""
    if "*" not in text and "#" not in text and "__" not in text:
        return Markup(text)
    out = Markup(_HEADING.sub("", text).strip())
    wrapped = _WRAP.match(out.text)
    if wrapped and "**" not in wrapped.group(2).replace("***", ""):
        marks = wrapped.group(1)
        out.text = wrapped.group(2).strip()
        out.bold = marks in ("**", "***", "__")
        out.italic = marks in ("*", "***")
    elif out.text.startswith("**") and out.text.count("**") % 2 == 1:
        out.text = out.text.lstrip("*").strip()
        out.opens = True
        out.bold = True
    elif out.text.endswith("**") and out.text.count("**") % 2 == 1:
        out.text = out.text.rstrip("*").strip()
        out.closes = True
    out.text = _INLINE_BOLD.sub(r"\1", out.text)
    out.text = _INLINE_ITALIC.sub(r"\1", out.text)
    return out
