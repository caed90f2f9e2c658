"""Indicator values from data tables: `Chỉ tiêu | Số lượng` rows in any column order, or indicators as
column headers with their values in the row below.
"""

from __future__ import annotations

from dataclasses import dataclass

from schemas.document import ParsedDocument
from schemas.report import Source
from tonghop.interpret.indicator_words import label_kind, mentions_ai
from tonghop.interpret.numbers import parse_count_cell
from tonghop.interpret.vocabulary import Vocabulary, key, starts_with_phrase
from tonghop.text import squash

MAX_LABEL_CHARS = 120  # an indicator's label is short; a long cell is a task or a remark


@dataclass(frozen=True)
class Cell:
    text: str
    source: Source


@dataclass(frozen=True)
class TableFigure:
    indicator: str
    value: int
    text: str
    source: Source


def table_cells(doc: ParsedDocument, file: str) -> dict[int, list[list[Cell]]]:
    """table → rows → cells, from the blocks (with their paragraph index) or, failing that, `doc.tables`."""
    grid: dict[int, dict[int, dict[int, list[str]]]] = {}
    first_block: dict[tuple[int, int, int], int] = {}
    for block in doc.blocks:
        if block.table is None or block.row is None or block.cell is None:
            continue
        grid.setdefault(block.table, {}).setdefault(block.row, {}).setdefault(block.cell, []).append(
            block.text
        )
        first_block.setdefault((block.table, block.row, block.cell), block.index)
    tables: dict[int, list[list[Cell]]] = {}
    for t, rows in grid.items():
        width = max(max(cells) for cells in rows.values()) + 1
        tables[t] = [
            [
                Cell(
                    squash(" ".join(rows[r].get(c, []))),
                    Source(file=file, paragraph=first_block.get((t, r, c)), table=t, row=r, cell=c),
                )
                for c in range(width)
            ]
            for r in sorted(rows)
        ]
    if not tables:
        for t, matrix in enumerate(doc.tables):
            tables[t] = [
                [
                    Cell(squash(text), Source(file=file, table=t, row=r, cell=c))
                    for c, text in enumerate(cells)
                ]
                for r, cells in enumerate(matrix)
            ]
    return tables


def _value_column(row: list[Cell], vocab: Vocabulary) -> int | None:
    """The value column of a header row (`Chỉ tiêu | Số lượng`), None when `row` is not a header."""
    value_col = label_col = None
    for c, cell in enumerate(row):
        k = key(cell.text)
        if label_col is None and any(starts_with_phrase(k, h) for h in vocab.indicators.label_headers):
            label_col = c
        elif value_col is None and any(
            k == h or starts_with_phrase(k, h) for h in vocab.indicators.value_headers
        ):
            value_col = c
    return value_col if label_col is not None else None


def _value_near(row: list[Cell], label_col: int) -> Cell | None:
    """The count next to a label: to its right first, then to its left (skipping a row-number column)."""
    for c in range(label_col + 1, len(row)):
        if parse_count_cell(row[c].text) is not None:
            return row[c]
    if len(row) == 2 and label_col == 1 and parse_count_cell(row[0].text) is not None:
        return row[0]  # `Số lượng | Chỉ tiêu`; in wider tables a count on the left is the row number
    return None


def _figures(rows: list[list[Cell]], vocab: Vocabulary) -> list[TableFigure]:
    figures: list[TableFigure] = []
    value_col: int | None = None
    skip_next = False
    for r, row in enumerate(rows):
        if skip_next:
            skip_next = False
            continue
        header_value = _value_column(row, vocab)
        if header_value is not None:
            value_col = header_value
            continue
        kinds = {
            c: k
            for c, cell in enumerate(row)
            if len(cell.text) <= MAX_LABEL_CHARS and (k := label_kind(cell.text, vocab))
        }
        if len(kinds) >= 2 and r + 1 < len(rows):  # indicators as column headers, values below
            below = rows[r + 1]
            for c, kind in kinds.items():
                if c < len(below) and (n := parse_count_cell(below[c].text)) is not None:
                    figures.append(TableFigure(kind, n, f"{row[c].text}: {below[c].text}", below[c].source))
            skip_next = True
            continue
        for c, kind in kinds.items():
            cell: Cell | None = None
            if value_col is not None and value_col < len(row) and value_col != c:
                cell = row[value_col] if parse_count_cell(row[value_col].text) is not None else None
            else:
                cell = _value_near(row, c)
            if cell is not None and (n := parse_count_cell(cell.text)) is not None:
                figures.append(TableFigure(kind, n, f"{row[c].text}: {cell.text}", cell.source))
            break
    return figures


def scan_tables(
    tables: dict[int, list[list[Cell]]], skip: set[int], vocab: Vocabulary, ai_document: bool
) -> list[TableFigure]:
    """Figures from every data table that is about AI (or any, when the document is)."""
    figures: list[TableFigure] = []
    for t in sorted(tables):
        if t in skip:
            continue
        rows = tables[t]
        if not ai_document and not any(mentions_ai(cell.text, vocab) for row in rows for cell in row):
            continue
        figures.extend(_figures(rows, vocab))
    return figures
