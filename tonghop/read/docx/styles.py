"""Effective paragraph and run properties through Word's style inheritance (basedOn chains).

A heading is often bold, centred and numbered only through its style, so `paragraph.text` plus direct
formatting misses it. Each style is resolved once (cycle-safe) and cached; the reader then only looks at
direct formatting and falls back to these values.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import NamedTuple

from lxml import etree

from tonghop.read.docx.ns import (
    BASED_ON,
    CAPS,
    DOC_DEFAULTS,
    ILVL,
    JC,
    NAME,
    NUM_ID,
    NUM_PR,
    PPR,
    RPR,
    RPR_DEFAULT,
    STYLE,
    STYLE_DEFAULT,
    STYLE_ID,
    TYPE,
    VAL,
    VANISH,
    B,
    I,
    flag,
)

ALIGN = {
    "both": "justify",
    "distribute": "justify",
    "lowKashida": "justify",
    "mediumKashida": "justify",
    "highKashida": "justify",
    "thaiDistribute": "justify",
    "start": "left",
    "end": "right",
    "left": "left",
    "right": "right",
    "center": "center",
}


class RunProps(NamedTuple):
    """Toggle properties of a run; None means "not set here, inherit"."""

    bold: bool | None = None
    italic: bool | None = None
    caps: bool | None = None
    hidden: bool | None = None

    def over(self, base: RunProps) -> RunProps:
        """These properties, falling back to `base` where unset."""
        return RunProps(
            bold=base.bold if self.bold is None else self.bold,
            italic=base.italic if self.italic is None else self.italic,
            caps=base.caps if self.caps is None else self.caps,
            hidden=base.hidden if self.hidden is None else self.hidden,
        )


@dataclass(frozen=True)
class ParaStyle:
    name: str | None = None
    align: str | None = None
    num_id: str | None = None
    ilvl: int | None = None
    run: RunProps = field(default_factory=RunProps)


def run_props(rpr: etree._Element | None) -> RunProps:
    if rpr is None:
        return RunProps()
    return RunProps(
        bold=flag(rpr.find(B)),
        italic=flag(rpr.find(I)),
        caps=flag(rpr.find(CAPS)),
        hidden=flag(rpr.find(VANISH)),
    )


def align_of(ppr: etree._Element | None) -> str | None:
    if ppr is None:
        return None
    jc = ppr.find(JC)
    return None if jc is None else ALIGN.get(jc.get(VAL, ""))


def numbering_of(num_pr: etree._Element) -> tuple[str | None, int | None]:
    """(numId, ilvl) of a `w:numPr`; either may be None."""
    num_id: str | None = None
    level: int | None = None
    for child in num_pr:
        if child.tag == NUM_ID:
            num_id = child.get(VAL)
        elif child.tag == ILVL:
            try:
                level = int(child.get(VAL, "0"))
            except ValueError:
                level = 0
    return num_id, level


def num_of(ppr: etree._Element | None) -> tuple[str | None, int | None]:
    """(numId, ilvl) written on a pPr; either may be None."""
    num = ppr.find(NUM_PR) if ppr is not None else None
    return (None, None) if num is None else numbering_of(num)


@dataclass(frozen=True)
class _StyleDef:
    """What one `w:style` says directly (before inheritance)."""

    name: str
    based_on: str | None
    align: str | None
    num_id: str | None
    ilvl: int | None
    run: RunProps


def _definition(style: etree._Element, style_id: str) -> _StyleDef:
    name = based_on = align = num_id = None
    ilvl: int | None = None
    run = RunProps()
    for child in style:
        tag = child.tag
        if tag == NAME:
            name = child.get(VAL)
        elif tag == BASED_ON:
            based_on = child.get(VAL)
        elif tag == PPR:
            align = align_of(child)
            num_id, ilvl = num_of(child)
        elif tag == RPR:
            run = run_props(child)
    if name and name.islower():  # built-in styles are stored as "heading 1"; Word shows "Heading 1"
        name = name.title()
    return _StyleDef(name or style_id, based_on, align, num_id, ilvl, run)


class Styles:
    """Definitions are copied out of the XML once, so a parsed styles.xml can be cached and its tree freed."""

    def __init__(self, root: etree._Element | None) -> None:
        self._defs: dict[str, _StyleDef] = {}
        self._para: dict[str, ParaStyle] = {}
        self._char: dict[str, RunProps] = {}
        self.default_paragraph: str | None = None
        self.defaults = RunProps()
        if root is None:
            return
        for style in root.iter(STYLE):
            style_id = style.get(STYLE_ID)
            if style_id is None or style_id in self._defs:
                continue
            self._defs[style_id] = _definition(style, style_id)
            if (
                self.default_paragraph is None
                and style.get(TYPE) == "paragraph"
                and style.get(STYLE_DEFAULT) in ("1", "true", "on")
            ):
                self.default_paragraph = style_id
        defaults = root.find(DOC_DEFAULTS)
        if defaults is not None:
            rpr_default = defaults.find(RPR_DEFAULT)
            if rpr_default is not None:
                self.defaults = run_props(rpr_default.find(RPR))

    def paragraph(self, style_id: str | None) -> ParaStyle:
        """The resolved paragraph style (the default paragraph style when none is given)."""
        key = style_id or self.default_paragraph
        if key is None:
            return ParaStyle(run=self.defaults)
        cached = self._para.get(key)
        if cached is None:
            cached = self._resolve_paragraph(key, set())
            self._para[key] = cached
        return cached

    def _resolve_paragraph(self, style_id: str, seen: set[str]) -> ParaStyle:
        style = self._defs.get(style_id)
        if style is None or style_id in seen:
            return ParaStyle(run=self.defaults)
        seen.add(style_id)
        parent = (
            self._resolve_paragraph(style.based_on, seen)
            if style.based_on is not None
            else ParaStyle(run=self.defaults)
        )
        return ParaStyle(
            name=style.name,
            align=style.align or parent.align,
            num_id=style.num_id if style.num_id is not None else parent.num_id,
            ilvl=style.ilvl if style.ilvl is not None else (parent.ilvl if style.num_id is None else None),
            run=style.run.over(parent.run),
        )

    def character(self, style_id: str) -> RunProps:
        """Run properties set by a character style (unset values stay None)."""
        cached = self._char.get(style_id)
        if cached is None:
            cached = self._resolve_character(style_id, set())
            self._char[style_id] = cached
        return cached

    def _resolve_character(self, style_id: str, seen: set[str]) -> RunProps:
        style = self._defs.get(style_id)
        if style is None or style_id in seen:
            return RunProps()
        seen.add(style_id)
        parent = self._resolve_character(style.based_on, seen) if style.based_on is not None else RunProps()
        return style.run.over(parent)

    def style_id_for_num(self, style_id: str) -> str | None:
        """The numId a (numbering) style points to, for abstractNum `numStyleLink`."""
        style = self._defs.get(style_id)
        return None if style is None else style.num_id


_CACHE_SIZE = 16
_cache: OrderedDict[bytes, Styles] = OrderedDict()
_cache_lock = threading.Lock()


def cached_styles(key: bytes | None, load: Callable[[], etree._Element | None]) -> Styles:
    """Styles shared between documents whose styles.xml is byte-identical (same template).

    A national round is thousands of files from a handful of templates, and styles.xml is often the
    largest part (350 KB in python-docx's template), so it is inflated and parsed once per distinct
    content. `key` must identify the stored bytes (SafePackage.fingerprint); None disables the cache.
    """
    if key is not None:
        with _cache_lock:
            styles = _cache.get(key)
            if styles is not None:
                _cache.move_to_end(key)
                return styles
    styles = Styles(load())
    if key is not None:
        with _cache_lock:
            _cache[key] = styles
            while len(_cache) > _CACHE_SIZE:
                _cache.popitem(last=False)
    return styles


def clear_styles_cache() -> None:
    """Forget shared styles (benchmarks measure the cold case with it)."""
    with _cache_lock:
        _cache.clear()
