"""Interpretation of a ParsedDocument: header fields, sections, indicators, footnotes.

`fill_report` is a pure function of the document and the vocabulary: the header and the closing are found
first, and only the body between them is cut into sections and searched for figures, so nothing in the
header, the preamble, the signature or the footnotes ever becomes a section item.
"""

from __future__ import annotations

import importlib
import re
from typing import TYPE_CHECKING

from schemas.document import ParsedDocument
from schemas.report import CommuneReport, DocType, Issue, Issuer, IssuerKind, Item, Signer, Source
from tonghop.interpret.closing import Closing, is_authority, is_cc, parse_closing
from tonghop.interpret.dates import FoundDate, find_long_date, find_short_date, month_of
from tonghop.interpret.header import Header, header_tables, parse_header
from tonghop.interpret.indicator_words import mentions_ai
from tonghop.interpret.indicators import combine, scan_text
from tonghop.interpret.injection import remove_injections
from tonghop.interpret.issuer import read_issuer
from tonghop.interpret.lines import Line, block_lines, physical_lines
from tonghop.interpret.sections import extract_sections
from tonghop.interpret.subject import subjects_addressed
from tonghop.interpret.tables import scan_tables, table_cells
from tonghop.interpret.units import find_mentions, unit_fields
from tonghop.interpret.vocabulary import Vocabulary, load_vocabulary

if TYPE_CHECKING:
    from tonghop.settings import Settings

__all__ = ["fill_report", "interpret"]

NEWS_DATELINE_CHARS = 40
AI_MENTIONS_UNTITLED = 2  # an untitled text (a news article) naming AI this often is about AI


def fill_report(
    doc: ParsedDocument, report: CommuneReport, settings: Settings | None = None
) -> CommuneReport:
    """A new report with what `doc` says; structured submissions go to the form reader's interpreter.

    Whatever the format, paragraphs that speak to the consolidation system leave the sections here, kept
    as warnings (`injection`), so no later stage ever sees them as a commune's statement.
    """
    if doc.format in ("xlsx", "json"):
        return remove_injections(_fill_structured(doc, report))
    vocab = load_vocabulary(settings.vocabulary_file if settings is not None else None)
    return remove_injections(interpret(doc, report, vocab))


def _fill_structured(doc: ParsedDocument, report: CommuneReport) -> CommuneReport:
    try:
        module = importlib.import_module("tonghop.interpret.structured")
    except ModuleNotFoundError as exc:
        if exc.name != "tonghop.interpret.structured":
            raise
        return report
    result: CommuneReport = module.fill_from_fields(doc, report)
    return result


def _type_abbreviation(symbol: str) -> str:
    """`BC-UBND` → `BC`; `2026/NQ-HĐND` → `NQ`."""
    return symbol.split("/")[-1].split("-")[0].strip()


def doc_type_of(header: Header, closing: Closing, vocab: Vocabulary) -> DocType:
    if header.type_title:
        return DocType(header.type_title)
    if header.symbol:
        found = vocab.number_symbols.get(_type_abbreviation(header.symbol).casefold())
        if found:
            return DocType(found)
        return DocType.CONG_VAN if header.about else DocType.KHAC
    if header.about:
        return DocType.CONG_VAN
    if header.administrative or closing.signer_name or closing.signer_title or closing.cc:
        return DocType.KHAC
    return DocType.TIN_BAI


def _news_date(body: list[Line]) -> FoundDate | None:
    for line in body[:3]:
        head = line.text[:NEWS_DATELINE_CHARS]
        found = find_short_date(head) or find_long_date(head)
        if found is not None and found.value is not None:
            return found
    return None


def _replaces(texts: list[str], vocab: Vocabulary) -> str | None:
    for text in texts:
        for pattern in vocab.replaces:
            match = pattern.search(text)
            if match:
                return match.group(1).rstrip(".,;")
    return None


def _own_block(issuer: Issuer | None) -> bool:
    """A block of a body that is neither a People's Committee nor one of its offices or committees."""
    return (
        issuer is not None
        and issuer.kind not in (IssuerKind.UBND, IssuerKind.DEPARTMENT)
        and issuer.parent_kind != IssuerKind.UBND
    )


def _unit_source(issuer: Issuer | None, header: Header, vocab: Vocabulary) -> str | None:
    """What names the issuing unit: the block's commune line; for another body's block, its first line
    naming a unit ("TỈNH QUẢNG NINH"), since its lines joined run into one false name ("xã Lương Minh Ban
    Thường"); else the issuing body as assembled from the header."""
    if issuer is not None and issuer.commune:
        return issuer.commune
    if issuer is not None and _own_block(issuer):
        found = next((m.text for line in issuer.lines for m in find_mentions(line, vocab)), None)
        if found:
            return found
    return header.issuing_body


def interpret(doc: ParsedDocument, report: CommuneReport, vocab: Vocabulary) -> CommuneReport:
    file = report.file
    physical = physical_lines(doc)
    header_ids = header_tables(doc)
    header = parse_header(physical, header_ids, vocab)
    closing = parse_closing(physical, header.body_start, vocab)
    body = [
        line
        for line in block_lines(doc)
        if header.body_start <= line.pos < closing.body_end and line.block.table not in header_ids
    ]
    doc_type = doc_type_of(header, closing, vocab)
    warnings = [*report.warnings, *(Issue(code="reader_warning", message=w) for w in doc.warnings)]

    issued_on = header.issued_on
    if header.date_blank:
        warnings.append(
            Issue(
                code="date_incomplete",
                message=(
                    f"Tệp {file}: ngày ban hành chưa ghi đủ (“{header.date_text}”); để trống ngày ban hành."
                ),
            )
        )
    if doc_type == DocType.TIN_BAI and issued_on is None:
        found = _news_date(body)
        issued_on = found.value if found is not None else None

    # A document about AI lends every sentence to the figures; otherwise only sentences naming AI count.
    ai_document = mentions_ai(header.title or "", vocab) or (
        header.title is None and sum(mentions_ai(line.text, vocab) for line in body) >= AI_MENTIONS_UNTITLED
    )
    signature_ids = {
        line.block.table
        for line in physical
        if line.block.table is not None
        and (
            getattr(line.block, "in_signature_table", False)
            or is_cc(line, vocab)
            or is_authority(line, vocab)
        )
    }
    said, percents = scan_text(body, file, vocab, ai_document)
    figures = scan_tables(table_cells(doc, file), header_ids | signature_ids, vocab, ai_document)
    figures_result = combine(said, percents, figures, file)
    warnings.extend(figures_result.warnings)

    tail = [line for line in physical if line.pos >= closing.body_end]
    issuer = read_issuer(header.issuing_lines, vocab)
    units = unit_fields(
        issuer=_unit_source(issuer, header, vocab),
        header_lines=header.issuing_lines,
        title=header.title,
        opening=[line.text for line in body[:2]] + ([closing.closing_text] if closing.closing_text else []),
        signature=[line.text for line in tail if is_authority(line, vocab)],
        body=[line.text for line in body],
        place=header.place,
        elsewhere=[*closing.cc, *(note.text for note in doc.notes)],
        vocab=vocab,
    )
    if issuer is None:
        issuer = read_issuer([], vocab, fallback=units.issuing_body)
    issuing_body = header.issuing_body or units.issuing_body
    if _own_block(issuer) and issuer is not None and header.issuing_lines:
        issuing_body = " ".join(issuer.lines)  # the whole block: its last line alone hides who wrote it
    return report.model_copy(
        update={
            "issuing_body": issuing_body,
            "issuer": issuer,
            "issued_month": month_of(header.date_text) if header.date_blank else None,
            "subjects": subjects_addressed(header.title, [line.text for line in body]),
            "unit_text": units.unit_text,
            "unit_hints": units.unit_hints,
            "province_text": units.province_text,
            "doc_type": doc_type,
            "number": header.number,
            "issued_on": issued_on,
            "place": header.place,
            "title": header.title,
            "recipients": header.recipients,
            "signer": Signer(name=closing.signer_name, title=closing.signer_title),
            "cc": closing.cc,
            "replaces": _replaces([header.title or "", *(line.text for line in body)], vocab),
            "sections": extract_sections(body, file, vocab, doc_type.value),
            "indicators": figures_result.indicators,
            "indicator_evidence": figures_result.evidence,
            "footnotes": [
                Item(text=re.sub(r"\s+", " ", note.text).strip(), source=Source(file=file, footnote=note.id))
                for note in doc.notes
                if note.text.strip()
            ],
            "warnings": warnings,
        }
    )
