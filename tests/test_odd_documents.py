"""Documents that once surprised the reader, each beside the fields we expect from it (groundtruth files).

To add a commune's odd document: anonymise it, drop it into tests/data/odd/, run
`pytest tests/test_odd_documents.py --update-expected`, review the new `<name>.expected.json` like code
(is every field what a clerk would read?), fix the reader until it is, and commit both files.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from schemas.report import SECTION_NAMES, CommuneReport
from tonghop.intake import InboxEntry, read_entry
from tonghop.settings import Settings

ODD = Path(__file__).parent / "data" / "odd"
DOCUMENTS = sorted(p for p in ODD.iterdir() if p.is_file() and not p.name.endswith(".expected.json"))


def essentials(report: CommuneReport) -> dict[str, Any]:
    """The fields a person checks: what the document is, who sent it, what it says, and its figures."""
    return {
        "doc_type": report.doc_type.value,
        "number": report.number,
        "issued_on": report.issued_on.isoformat() if report.issued_on else None,
        "unit": report.unit.name if report.unit else None,
        "unit_code": report.unit.code if report.unit else None,
        "province": report.unit.province if report.unit else None,
        "signer": report.signer.name,
        "errors": sorted(e.code for e in report.errors),
        "warnings": sorted(w.code for w in report.warnings),
        "sections": {name: [item.text for item in getattr(report.sections, name)] for name in SECTION_NAMES},
        "indicators": report.indicators.model_dump(),
    }


@pytest.mark.parametrize("path", DOCUMENTS, ids=[p.name for p in DOCUMENTS])
def test_odd_document_reads_as_expected(
    path: Path, make_settings: Callable[..., Settings], request: pytest.FixtureRequest
) -> None:
    import datetime as dt

    entry = InboxEntry.for_file(path, received=dt.datetime(2026, 6, 15, tzinfo=dt.UTC))
    got = essentials(read_entry(entry, make_settings()))
    expected_path = path.with_name(path.name + ".expected.json")
    if request.config.getoption("--update-expected") or not expected_path.exists():
        expected_path.write_text(json.dumps(got, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        pytest.skip(f"đã ghi {expected_path.name}: hãy rà soát rồi commit")
    assert got == json.loads(expected_path.read_text(encoding="utf-8"))
