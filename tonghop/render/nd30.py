"""What every document the Sở issues shares under Decree 30/2020: letterhead, names, numbers, fonts.

The report and the reminder letter are rendered from .docx templates (`templates/`); this module computes
the values that go into their header and signature blocks, formats Vietnamese numbers, and enforces the one
rule a restyled template must never break: Times New Roman on every font slot.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Protocol, TypeVar

from docx.document import Document as DocxDocument
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from lxml import etree
from vietnam_provinces import Province

from tonghop.settings import Settings
from tonghop.text import province_key

FONT = "Times New Roman"
FONT_SLOTS = ("ascii", "hAnsi", "cs", "eastAsia")
_THEME_SLOTS = ("asciiTheme", "hAnsiTheme", "cstheme", "eastAsiaTheme")

# Page (mm) and header-table geometry (cm), each inside the decree's range; see docs in nd30.md.
PAGE_WIDTH_MM, PAGE_HEIGHT_MM = 210, 297
MARGIN_TOP_MM, MARGIN_BOTTOM_MM, MARGIN_LEFT_MM, MARGIN_RIGHT_MM = 20, 20, 30, 17
HEADER_DISTANCE_MM = 10
HEADER_LEFT_CM, HEADER_RIGHT_CM = 7.0, 9.5
CELL_MARGIN_CM = 0.1
# Short line under the issuing body (~40% of "SỞ KHOA HỌC VÀ CÔNG NGHỆ" at 12 pt bold, 6.45 cm) and the
# line under the motto (as long as "Độc lập - Tự do - Hạnh phúc" at 13 pt bold, 5.6 cm), both measured on
# LibreOffice's rendering with Liberation Serif, which has Times New Roman's metrics.
SHORT_RULE_CM = 2.5
MOTTO_RULE_CM = 5.6
TITLE_RULE_CM = 3.0

NATIONAL_TITLE = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
BLANK_NUMBER = "     "  # the văn thư writes the number in by hand: `Số:      /BC-SKHCN`

NATIONAL_PARENT = "BỘ KHOA HỌC VÀ CÔNG NGHỆ"
NATIONAL_PLACE = "Hà Nội"
NATIONAL_RECIPIENT = "Lãnh đạo Bộ Khoa học và Công nghệ"

_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_VI_LETTERS = "abcdđeghiklmnopqrstuvxy"
_DIVISIONS = ("Xã ", "Phường ", "Đặc khu ", "Thị trấn ", "Huyện ", "Thị xã ", "Thành phố ", "Quận ")


def clean(text: str | None) -> str:
    """Text safe for WordprocessingML: characters XML 1.0 forbids (a commune's stray control codes) go."""
    return _INVALID_XML.sub("", text or "")


def vn_number(value: int) -> str:
    """`1.234`: Vietnamese thousands separator."""
    return f"{value:,}".replace(",", ".")


def vn_percent(rate: float | None, digits: int = 1) -> str:
    """`45,6%` from 0.456; an em dash when the rate cannot be computed."""
    if rate is None:
        return "—"
    return f"{rate * 100:.{digits}f}".replace(".", ",") + "%"


def roman(number: int) -> str:
    values = ((10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))
    out = ""
    for value, numeral in values:
        while number >= value:
            out += numeral
            number -= value
    return out


def vn_letter(index: int) -> str:
    """`a`, `b`, … `đ`, … for items `a)`, `b)`: the Vietnamese alphabet, then `aa`, `ab`… past `y`."""
    if index < len(_VI_LETTERS):
        return _VI_LETTERS[index]
    return vn_letter(index // len(_VI_LETTERS) - 1) + _VI_LETTERS[index % len(_VI_LETTERS)]


def running_name(name: str) -> str:
    """`Xã Diễn Châu` → `xã Diễn Châu`: inside a sentence the unit type is lower case."""
    for prefix in _DIVISIONS:
        if name.startswith(prefix):
            return prefix.lower() + name[len(prefix) :]
    return name


_ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_TONES = {"\u0300": 1, "\u0301": 2, "\u0303": 3, "\u0309": 4, "\u0323": 5}


@lru_cache(maxsize=4096)
def _letter_tone(char: str) -> tuple[int, int]:
    """Rank in the Vietnamese alphabet and tone of one lower-case NFC character."""
    parts = unicodedata.normalize("NFD", char)
    tone = next((_TONES[c] for c in parts if c in _TONES), 0)
    shaped = unicodedata.normalize("NFC", "".join(c for c in parts if c not in _TONES))
    return (_ALPHABET.index(shaped) if shaped in _ALPHABET else 1000 + ord(shaped[0])), tone


@lru_cache(maxsize=65536)
def vn_sort_key(text: str) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """Vietnamese dictionary order: `Đ` after `D`, `Ă`/`Â` after `A`…, tones second. Python's own order
    would put `Đông Hiếu` after `Yên Thành`.

    Cached, by name and by character: a national round sorts the same 3,321 names and 34 provinces in
    every output, thousands of times over (each theme sorts its communes).
    """
    pairs = [_letter_tone(char) for char in unicodedata.normalize("NFC", text.lower())]
    return tuple(letter for letter, _ in pairs), tuple(tone for _, tone in pairs)


class _Named(Protocol):
    name: str
    province: str | None


N = TypeVar("N", bound=_Named)


def sort_units(units: list[N]) -> list[N]:
    """Units by province, then name, in Vietnamese order."""
    return sorted(units, key=lambda u: (vn_sort_key(u.province or ""), vn_sort_key(u.name)))


def names_list(names: list[str]) -> str:
    return ", ".join(running_name(n) for n in names)


def sentence_case_body(upper: str) -> str:
    """`SỞ KHOA HỌC VÀ CÔNG NGHỆ` → `Sở Khoa học và Công nghệ` (type word and each field capitalised)."""
    words = upper.lower().split()
    out: list[str] = []
    capitalise = True
    for i, word in enumerate(words):
        if capitalise or i == 1:
            out.append(word[:1].upper() + word[1:])
            capitalise = False
        else:
            out.append(word)
        if word in ("và", "-", ","):
            capitalise = True
    return " ".join(out)


@dataclass(frozen=True)
class ProvinceNames:
    kind: str  # "tỉnh" or "thành phố"
    name: str  # without the kind: "Nghệ An", "Hà Nội"


@lru_cache(maxsize=64)
def province_names(province: str) -> ProvinceNames:
    """The official kind and bare name of a province as the settings spell it (`Nghệ An`, `TP. Hà Nội`)."""
    key = province_key(province)
    for item in Province.iter_all():
        if province_key(item.name) == key:
            if item.name.startswith("Thành phố "):
                return ProvinceNames("thành phố", item.name.removeprefix("Thành phố "))
            return ProvinceNames("tỉnh", item.name)
    bare = re.sub(r"^(tỉnh|thành phố|tp\.?)\s+", "", province.strip(), flags=re.IGNORECASE)
    return ProvinceNames("tỉnh", bare)


@dataclass(frozen=True)
class Letterhead:
    """Everything the header and signature blocks print; the same for the report and the reminder."""

    parent_body: str
    issuing_body: str
    issuing_body_name: str
    symbol: str
    number: str
    place: str
    recipient: str
    signer_authority: str
    signer_title: str
    signer_name: str
    recipients: list[str] = field(default_factory=list)

    @property
    def number_line(self) -> str:
        return f"Số: {self.number}/{self.symbol}"


def letterhead(
    settings: Settings, province: str | None, *, symbol: str, to_superior: bool = True
) -> Letterhead:
    """Header values from the settings; blanks are derived from the province (or national defaults)."""
    report = settings.report
    if province:
        names = province_names(province)
        parent = report.parent_body or f"UBND {names.kind.upper()} {names.name.upper()}"
        place = report.place or names.name
        recipient = report.recipient or f"Ủy ban nhân dân {names.kind} {names.name}"
    else:
        parent = report.parent_body or NATIONAL_PARENT
        place = report.place or NATIONAL_PLACE
        recipient = report.recipient or NATIONAL_RECIPIENT
    lines = ["- Như trên;"] if to_superior else []
    lines += [f"- {clean(r).strip().rstrip(';')};" for r in report.extra_recipients if r.strip()]
    lines.append(f"- Lưu: {report.archive_units.strip().rstrip('.')}.")
    return Letterhead(
        parent_body=clean(parent).upper(),
        issuing_body=clean(report.issuing_body).upper(),
        issuing_body_name=clean(report.issuing_body_name) or sentence_case_body(report.issuing_body),
        symbol=clean(symbol),
        number=BLANK_NUMBER,
        place=clean(place),
        recipient=clean(recipient),
        signer_authority=clean(report.signer_authority).upper(),
        signer_title=clean(report.signer_title).upper(),
        signer_name=clean(report.signer_name),
        recipients=lines,
    )


# --- fonts ---------------------------------------------------------------------------------------------


def _set_fonts(rfonts: etree._Element) -> None:
    for slot in _THEME_SLOTS:
        rfonts.attrib.pop(qn(f"w:{slot}"), None)
    for slot in FONT_SLOTS:
        rfonts.set(qn(f"w:{slot}"), FONT)


def _ensure_rfonts(rpr: etree._Element) -> None:
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(_rfonts_position(rpr), rfonts)
    _set_fonts(rfonts)


def _rfonts_position(rpr: etree._Element) -> int:
    """`w:rFonts` must follow `w:rStyle` (if any) and precede everything else in a run's properties."""
    return 1 if len(rpr) and rpr[0].tag == qn("w:rStyle") else 0


def enforce_times_new_roman(document: DocxDocument) -> None:
    """Times New Roman on the four slots of every `w:rFonts`, in the defaults, styles, body and headers.

    Theme font references (`w:asciiTheme`…) win over explicit names in Word, so they are removed: a Sở
    restyling the template in a Word with another default theme still gets the decree's font.
    """
    styles = document.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    if defaults is not None:
        rpr_default = defaults.find(qn("w:rPrDefault"))
        if rpr_default is not None:
            rpr = rpr_default.find(qn("w:rPr"))
            if rpr is not None:
                _ensure_rfonts(rpr)
    roots = [styles, document.element]
    for section in document.sections:
        for part in (section.header, section.first_page_header, section.footer, section.first_page_footer):
            if not part.is_linked_to_previous:
                roots.append(part._element)
    for root in roots:
        for rfonts in root.iter(qn("w:rFonts")):
            _set_fonts(rfonts)
    for style in styles.iter(qn("w:style")):
        if style.get(qn("w:type")) in ("paragraph", "character", "table"):
            rpr = style.find(qn("w:rPr"))
            if rpr is not None:
                _ensure_rfonts(rpr)
