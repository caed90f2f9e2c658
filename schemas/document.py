"""What a reader makes of a file before any interpretation: text blocks in document order.

Readers (.docx, .xlsx form, .json) produce a `ParsedDocument`; extractors read only this model, so a new
format is a new reader, not a new branch in the pipeline.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from schemas.report import Source


class Block(BaseModel):
    """One paragraph of the body, or one paragraph inside a table cell, in document order.

    `index` counts body paragraphs and tables together (a table is one index; its cell paragraphs share
    it and carry `table`/`row`/`cell`). `label` is the visible numbering (`I.`, `1.`, `a)`, `-`) whether it
    was typed or produced by Word's automatic numbering; `text` never includes it.
    """

    model_config = ConfigDict(extra="forbid")

    index: int
    text: str
    label: str | None = None
    level: int | None = None
    auto_numbered: bool = False
    bold: bool = False
    italic: bool = False
    upper: bool = False
    align: str | None = None
    style: str | None = None
    table: int | None = None
    row: int | None = None
    cell: int | None = None
    in_header_table: bool = False
    in_signature_table: bool = Field(
        default=False, description="Inside the table holding `Nơi nhận` and the signer (TM./KT./Q./TL.)."
    )

    def source(self, file: str) -> Source:
        return Source(file=file, paragraph=self.index, table=self.table, row=self.row, cell=self.cell)


class Note(BaseModel):
    """A footnote or endnote: kept as a source, never mixed into body items."""

    model_config = ConfigDict(extra="forbid")

    kind: Literal["footnote", "endnote"] = "footnote"
    id: int
    text: str
    anchor_index: int | None = None


class ParsedDocument(BaseModel):
    model_config = ConfigDict(extra="forbid")

    file: str
    format: Literal["docx", "xlsx", "json"]
    blocks: list[Block] = Field(default_factory=list)
    tables: list[list[list[str]]] = Field(default_factory=list, description="table → rows → cell texts")
    notes: list[Note] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)
    fields: dict[str, object] = Field(
        default_factory=dict, description="Structured values read from a form or JSON submission."
    )
