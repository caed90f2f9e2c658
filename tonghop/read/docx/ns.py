"""WordprocessingML names in Clark notation, shared by the .docx reader modules."""

from __future__ import annotations

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC_NS = "http://schemas.openxmlformats.org/markup-compatibility/2006"
M_NS = "http://schemas.openxmlformats.org/officeDocument/2006/math"
REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"


def w(local: str) -> str:
    return f"{{{W_NS}}}{local}"


VAL = w("val")
ID = w("id")
TYPE = w("type")

P = w("p")
PPR = w("pPr")
R = w("r")
RPR = w("rPr")
T = w("t")
TAB = w("tab")
PTAB = w("ptab")
BR = w("br")
CR = w("cr")
SYM = w("sym")
NO_BREAK_HYPHEN = w("noBreakHyphen")
SOFT_HYPHEN = w("softHyphen")
FLD_CHAR = w("fldChar")
FLD_CHAR_TYPE = w("fldCharType")
INSTR_TEXT = w("instrText")
FOOTNOTE_REF = w("footnoteReference")
ENDNOTE_REF = w("endnoteReference")
TXBX_CONTENT = w("txbxContent")

TBL = w("tbl")
TR = w("tr")
TC = w("tc")
TC_PR = w("tcPr")
TR_PR = w("trPr")
GRID_SPAN = w("gridSpan")
GRID_BEFORE = w("gridBefore")
V_MERGE = w("vMerge")

SDT = w("sdt")
SDT_CONTENT = w("sdtContent")
CUSTOM_XML = w("customXml")
SMART_TAG = w("smartTag")
HYPERLINK = w("hyperlink")
FLD_SIMPLE = w("fldSimple")
INS = w("ins")
MOVE_TO = w("moveTo")
DIR = w("dir")
BDO = w("bdo")
BODY = w("body")

STYLE = w("style")
STYLE_ID = w("styleId")
STYLE_DEFAULT = w("default")
NAME = w("name")
BASED_ON = w("basedOn")
DOC_DEFAULTS = w("docDefaults")
RPR_DEFAULT = w("rPrDefault")

P_STYLE = w("pStyle")
R_STYLE = w("rStyle")
NUM_PR = w("numPr")
NUM_ID = w("numId")
ILVL = w("ilvl")
JC = w("jc")
SECT_PR = w("sectPr")
B = w("b")
I = w("i")  # noqa: E741 - the element is called w:i
CAPS = w("caps")
VANISH = w("vanish")

ALTERNATE_CONTENT = f"{{{MC_NS}}}AlternateContent"
MC_CHOICE = f"{{{MC_NS}}}Choice"
MATH_T = f"{{{M_NS}}}t"
MATH_PARA = f"{{{M_NS}}}oMathPara"
MATH = f"{{{M_NS}}}oMath"

OFF = frozenset({"0", "false", "off", "none"})


def flag(el: object) -> bool | None:
    """A toggle property (`<w:b/>`, `<w:b w:val="0"/>`): None when absent."""
    if el is None:
        return None
    value = el.get(VAL)  # type: ignore[attr-defined]
    return value is None or value.lower() not in OFF
