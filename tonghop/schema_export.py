"""Export the JSON Schemas of the records that cross a boundary, from the pydantic models themselves.

The files in `schemas/*.schema.json` are generated, never edited by hand; a test fails when they drift.
"""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel

from schemas.report import CommuneReport, ReportList
from schemas.summary import ProvincialSummary
from tonghop.settings import PROJECT_ROOT
from tonghop.store.atomic import write_json

SCHEMAS_DIR = PROJECT_ROOT / "schemas"

EXPORTS: dict[str, type[BaseModel]] = {
    "report.schema.json": CommuneReport,
    "reports.schema.json": ReportList,
    "summary.schema.json": ProvincialSummary,
}


def schema_documents() -> dict[str, dict[str, object]]:
    """File name → JSON Schema, including models registered by other modules (e.g. review decisions)."""
    exports = dict(EXPORTS)
    try:
        from schemas.decisions import Decisions  # written with the review page

        exports["decisions.schema.json"] = Decisions
    except ImportError:
        pass
    documents: dict[str, dict[str, object]] = {}
    for name, model in sorted(exports.items()):
        schema = model.model_json_schema(mode="serialization")
        schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
        schema["$id"] = f"https://tonghop.local/schemas/{name}"
        documents[name] = schema
    return documents


def export_schemas(directory: Path = SCHEMAS_DIR) -> list[Path]:
    paths = []
    for name, schema in schema_documents().items():
        path = directory / name
        write_json(path, schema)
        paths.append(path)
    return paths


def render(schema: dict[str, object]) -> str:
    return json.dumps(schema, ensure_ascii=False, indent=2) + "\n"
