"""The exported JSON Schemas are the models' own: regenerate with `tonghop schema` when a model changes."""

from __future__ import annotations

import json

from schemas.report import INDICATOR_LABELS_VI, INDICATOR_NAMES, INDICATORS, Indicators
from tonghop.schema_export import SCHEMAS_DIR, schema_documents


def test_committed_schemas_match_the_models() -> None:
    stale = []
    for name, schema in schema_documents().items():
        path = SCHEMAS_DIR / name
        if not path.is_file() or json.loads(path.read_text(encoding="utf-8")) != schema:
            stale.append(name)
    assert not stale, f"Chạy `tonghop schema` để xuất lại: {stale}"


def test_report_schema_names_every_contract_field() -> None:
    schema = schema_documents()["report.schema.json"]
    properties = schema["properties"]
    assert isinstance(properties, dict)
    for field in (
        "file",
        "sha256",
        "status",
        "errors",
        "warnings",
        "unit",
        "doc_type",
        "number",
        "issued_on",
        "signer",
        "sections",
        "indicators",
        "duplicate_of",
        "superseded_by",
        "supersedes",
    ):
        assert field in properties


def test_the_indicators_model_has_exactly_the_tables_indicators_in_order() -> None:
    """`Indicators` is written out for type checkers; `INDICATORS` is the declaration it must follow."""
    assert tuple(Indicators.model_fields) == INDICATOR_NAMES
    assert list(INDICATOR_LABELS_VI) == list(INDICATOR_NAMES)
    assert len(set(INDICATOR_NAMES)) == len(INDICATORS)
    # The committed schema is compared as a dict above, which ignores order; the outputs do not.
    committed = json.loads((SCHEMAS_DIR / "report.schema.json").read_text(encoding="utf-8"))
    assert tuple(committed["$defs"]["Indicators"]["properties"]) == INDICATOR_NAMES
