"""Parse an XML part of an untrusted package: no DTD, no entities, no network, no file access.

Office parts never carry a DOCTYPE, so any DTD is refused outright rather than parsed "safely": that rules
out entity expansion (billion laughs) and external entities (`file:///etc/passwd`, http) in one check.
The byte scan catches the usual UTF-8 case before libxml2 sees a DTD at all; the parser is configured so
that, even for another encoding, nothing is loaded or substituted, and the tree is checked afterwards.
"""

from __future__ import annotations

import threading

from lxml import etree

from tonghop.errors import IntakeError

_FORBIDDEN = (b"<!DOCTYPE", b"<!ENTITY", b"<\x00!\x00D\x00O\x00C\x00", b"\x00<\x00!\x00D\x00O\x00C")

_LOCAL = threading.local()


def _parser() -> etree.XMLParser:
    """One parser per thread (lxml advises against sharing them)."""
    parser = getattr(_LOCAL, "parser", None)
    if parser is None:
        parser = etree.XMLParser(
            resolve_entities=False,
            load_dtd=False,
            dtd_validation=False,
            no_network=True,
            huge_tree=False,
            remove_comments=True,
            remove_pis=True,
            collect_ids=False,
        )
        _LOCAL.parser = parser
    return parser


def forbidden(name: str, part: str) -> IntakeError:
    return IntakeError(
        f"Tệp {name}: phần {part} chứa khai báo DOCTYPE/ENTITY (có thể là tấn công XML); "
        "văn bản Word hợp lệ không có khai báo này, tệp không được đọc.",
        code="xml_forbidden",
    )


def parse_part(data: bytes, name: str, part: str) -> etree._Element:
    """The root element of `part`; IntakeError `xml_forbidden` or `malformed_xml` otherwise."""
    head = data[:4096]
    if any(marker in data for marker in _FORBIDDEN[:2]) or any(marker in head for marker in _FORBIDDEN[2:]):
        raise forbidden(name, part)
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as exc:
        raise IntakeError(
            f"Tệp {name}: phần {part} có XML hỏng (dòng {exc.lineno}); "
            "hãy mở bằng Word, lưu lại rồi gửi lại.",
            code="malformed_xml",
        ) from exc
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None or docinfo.externalDTD is not None:
        raise forbidden(name, part)
    return root
