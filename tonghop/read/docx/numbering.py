"""Word automatic numbering, rebuilt: the `I.`, `1.`, `a)` a reader sees but `paragraph.text` drops.

`numbering.xml` holds abstract definitions (`abstractNum`: per level a start value, a format and a text
pattern such as `%1.%2.`) and list instances (`num`) that point to one, optionally overriding levels or
restarting them (`lvlOverride`/`startOverride`). Instances of the same definition share one counter
sequence, which is how Word continues a list across paragraphs that use different `numId`s; an instance
with a `startOverride` restarts the count at its first paragraph (Word's "Restart numbering").
Counters advance in document order, one call per numbered paragraph.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from lxml import etree

from tonghop.read.docx.ns import ILVL, VAL, w

_ABSTRACT = w("abstractNum")
_ABSTRACT_ID = w("abstractNumId")
_NUM = w("num")
_NUM_ID = w("numId")
_LVL = w("lvl")
_START = w("start")
_FMT = w("numFmt")
_TEXT = w("lvlText")
_RESTART = w("lvlRestart")
_LEGAL = w("isLgl")
_OVERRIDE = w("lvlOverride")
_START_OVERRIDE = w("startOverride")
_STYLE_LINK = w("numStyleLink")
_PSTYLE = w("pStyle")

_PLACEHOLDER = re.compile(r"%([1-9])")
_ROMAN = [
    (1000, "M"),
    (900, "CM"),
    (500, "D"),
    (400, "CD"),
    (100, "C"),
    (90, "XC"),
    (50, "L"),
    (40, "XL"),
    (10, "X"),
    (9, "IX"),
    (5, "V"),
    (4, "IV"),
    (1, "I"),
]
# Symbol/Wingdings private-use code points Word stores for bullets, as the glyph a reader sees.
_BULLETS = {
    "\uf0b7": "•",
    "\uf0a7": "▪",
    "\uf0a8": "•",
    "\uf0d8": "➢",
    "\uf076": "❖",
    "\uf0fc": "✓",
    "\uf06e": "■",
    "\uf071": "❑",
    "\uf02d": "-",
    "\uf0be": "-",
    "o": "◦",
    "–": "-",
    "—": "-",
    "": "•",
}


def roman(number: int) -> str:
    if not 0 < number < 4000:
        return str(number)
    out = []
    for value, letters in _ROMAN:
        while number >= value:
            out.append(letters)
            number -= value
    return "".join(out)


def letters(number: int) -> str:
    """Word's alphabetic numbering: a … z, aa, bb … (English letters, as Word displays them)."""
    if not 0 < number <= 26 * 30:
        return str(number)
    return chr(ord("a") + (number - 1) % 26) * ((number - 1) // 26 + 1)


def format_number(number: int, fmt: str) -> str:
    if fmt == "upperRoman":
        return roman(number) if number > 0 else str(number)
    if fmt == "lowerRoman":
        return roman(number).lower() if number > 0 else str(number)
    if fmt == "upperLetter":
        return letters(number).upper()
    if fmt == "lowerLetter":
        return letters(number)
    if fmt == "decimalZero":
        return f"{number:02d}"
    if fmt == "decimalEnclosedParen":
        return f"({number})"
    if fmt == "none":
        return ""
    return str(number)


def bullet_glyph(text: str) -> str:
    text = text.strip()
    if not text:
        return "•"
    return "".join(_BULLETS.get(ch, "•" if "\uf000" <= ch <= "\uf0ff" else ch) for ch in text)


@dataclass(frozen=True)
class Level:
    start: int = 1
    fmt: str = "decimal"
    text: str | None = None
    restart: int | None = None
    legal: bool = False
    style: str | None = None


def _int(el: etree._Element | None, default: int) -> int:
    if el is None:
        return default
    try:
        return int(el.get(VAL, default))
    except ValueError:
        return default


def _level(lvl: etree._Element, base: Level | None = None) -> Level:
    base = base or Level()
    fmt_el = lvl.find(_FMT)
    text_el = lvl.find(_TEXT)
    restart_el = lvl.find(_RESTART)
    style_el = lvl.find(_PSTYLE)
    legal_el = lvl.find(_LEGAL)
    return Level(
        start=_int(lvl.find(_START), base.start),
        fmt=fmt_el.get(VAL, "decimal") if fmt_el is not None else base.fmt,
        text=text_el.get(VAL) if text_el is not None else base.text,
        restart=_int(restart_el, 0) if restart_el is not None else base.restart,
        legal=(legal_el is not None and legal_el.get(VAL, "1") not in ("0", "false")) or base.legal,
        style=style_el.get(VAL) if style_el is not None else base.style,
    )


@dataclass
class _Instance:
    abstract: str
    overrides: dict[int, etree._Element]
    starts: dict[int, int]


class Numbering:
    """Definitions from numbering.xml plus the running counters of one document."""

    def __init__(self, root: etree._Element | None, style_num: Callable[[str], str | None]) -> None:
        self._abstract_xml: dict[str, etree._Element] = {}
        self._abstract: dict[str, dict[int, Level]] = {}
        self._instances: dict[str, _Instance] = {}
        self._counters: dict[str, list[int | None]] = {}  # per abstractNum: instances continue each other
        self._started: set[str] = set()
        self._resolved: dict[str, dict[int, Level]] = {}
        self._style_num = style_num
        if root is None:
            return
        for abstract in root.iter(_ABSTRACT):
            self._abstract_xml.setdefault(abstract.get(_ABSTRACT_ID, ""), abstract)
        for num in root.iter(_NUM):
            num_id = num.get(_NUM_ID)
            ref = num.find(_ABSTRACT_ID)
            if num_id is None or ref is None:
                continue
            starts: dict[int, int] = {}
            overrides: dict[int, etree._Element] = {}
            for override in num.iter(_OVERRIDE):
                ilvl = _int_attr(override, ILVL)
                start = override.find(_START_OVERRIDE)
                if start is not None:
                    starts[ilvl] = _int(start, 1)
                lvl = override.find(_LVL)
                if lvl is not None:
                    overrides[ilvl] = lvl
            self._instances[num_id] = _Instance(ref.get(VAL, ""), overrides, starts)

    def _levels(self, num_id: str, instance: _Instance) -> dict[int, Level]:
        cached = self._resolved.get(num_id)
        if cached is not None:
            return cached
        abstract_id = instance.abstract
        levels = self._abstract_levels(abstract_id)
        link = self._link(abstract_id)
        if not levels and link is not None:
            # numStyleLink: the definition lives behind a numbering style's own numId.
            target = self._instances.get(self._style_num(link) or "")
            if target is not None and target.abstract != abstract_id:
                levels = self._abstract_levels(target.abstract)
        if instance.overrides:
            levels = dict(levels)
            for ilvl, el in instance.overrides.items():
                levels[ilvl] = _level(el, levels.get(ilvl))
        self._resolved[num_id] = levels
        return levels

    def _abstract_levels(self, abstract_id: str) -> dict[int, Level]:
        levels = self._abstract.get(abstract_id)
        if levels is None:
            element = self._abstract_xml.get(abstract_id)
            levels = (
                {} if element is None else {_int_attr(lvl, ILVL): _level(lvl) for lvl in element.iter(_LVL)}
            )
            self._abstract[abstract_id] = levels
        return levels

    def _link(self, abstract_id: str) -> str | None:
        element = self._abstract_xml.get(abstract_id)
        link = element.find(_STYLE_LINK) if element is not None else None
        return None if link is None else link.get(VAL, "")

    def level_for_style(self, num_id: str, style_id: str) -> int | None:
        """The level whose `pStyle` names `style_id` (styles that carry numbering without an ilvl)."""
        instance = self._instances.get(num_id)
        if instance is None:
            return None
        for ilvl, level in self._levels(num_id, instance).items():
            if level.style == style_id:
                return ilvl
        return None

    def next_label(self, num_id: str, ilvl: int) -> str | None:
        """Advance the counters for one paragraph and return its visible label (None when unnumbered)."""
        instance = self._instances.get(num_id)
        if instance is None or num_id == "0":
            return None
        levels = self._levels(num_id, instance)
        level = levels.get(ilvl)
        if level is None:
            return None
        counters = self._counters.setdefault(instance.abstract, [None] * 9)
        ilvl = max(0, min(ilvl, 8))
        if num_id not in self._started:
            # The first paragraph of an instance with startOverride restarts those levels (and deeper).
            self._started.add(num_id)
            for restarted in sorted(instance.starts):
                for deeper in range(restarted, 9):
                    counters[deeper] = None
        current = counters[ilvl]
        counters[ilvl] = instance.starts.get(ilvl, level.start) if current is None else current + 1
        for deeper in range(ilvl + 1, 9):
            restart = levels.get(deeper, Level()).restart
            if restart is None or (restart != 0 and ilvl < restart):
                counters[deeper] = None
        if level.fmt == "bullet":
            return bullet_glyph(level.text or "")
        if level.text is None:
            return None

        def value(match: re.Match[str]) -> str:
            k = int(match.group(1)) - 1
            other = levels.get(k, Level())
            number = counters[k]
            if number is None:
                number = instance.starts.get(k, other.start)
            fmt = "decimal" if level.legal and other.fmt not in ("decimalZero",) else other.fmt
            return format_number(number, fmt)

        label = _PLACEHOLDER.sub(value, level.text).strip()
        return label or None


def _int_attr(el: etree._Element, attr: str) -> int:
    try:
        return int(el.get(attr, "0"))
    except ValueError:
        return 0
