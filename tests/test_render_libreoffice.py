"""The generated documents open and render in LibreOffice, cleanly, and look as the decree wants on paper.

Needs `soffice` (LibreOffice) and poppler's `pdftotext`; skipped with the reason when they are absent.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from render_fixtures import make_reports, make_summary

from tonghop.render import nd30
from tonghop.render.report_docx.document import write_report_docx
from tonghop.render.view import Round

PT_PER_CM = 72 / 2.54
# Noise from the machine, not the document: LibreOffice without a Java runtime says so on every start.
ENVIRONMENT_NOISE = re.compile(r"javaldx|java may not function|^\s*$", re.IGNORECASE)

pytestmark = pytest.mark.slow


def _tool(name: str) -> str:
    found = shutil.which(name)
    if not found:
        pytest.skip(f"{name} chưa được cài (LibreOffice / poppler-utils); bỏ qua kiểm tra hiển thị")
    return found


def to_pdf(document: Path, workdir: Path) -> tuple[Path, list[str]]:
    """Converts with a private LibreOffice profile (so a running LibreOffice does not interfere)."""
    soffice = _tool("soffice")
    profile = workdir / "lo-profile"
    result = subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            str(workdir),
            str(document),
        ],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    pdf = workdir / (document.stem + ".pdf")
    assert pdf.is_file(), result.stdout + result.stderr
    complaints = [line for line in result.stderr.splitlines() if not ENVIRONMENT_NOISE.search(line)]
    return pdf, complaints


def words(pdf: Path, page: int) -> list[tuple[float, float, float, str]]:
    """(xMin, yMin, xMax, word) on one page, from pdftotext's bounding boxes (points, origin top-left)."""
    pdftotext = _tool("pdftotext")
    out = subprocess.run(
        [pdftotext, "-f", str(page), "-l", str(page), "-bbox", str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    pattern = re.compile(
        r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>'
    )
    return [(float(a), float(b), float(c), d) for a, b, c, d in pattern.findall(out)]


def page_count(pdf: Path) -> int:
    info = subprocess.run([_tool("pdfinfo"), str(pdf)], capture_output=True, text=True, check=True).stdout
    match = re.search(r"Pages:\s+(\d+)", info)
    assert match
    return int(match.group(1))


def _line_width(page: list[tuple[float, float, float, str]], first: str, last: str) -> tuple[float, float]:
    """Width (cm) of the run of words from `first` to `last` on one line, and its top y."""
    start = next(w for w in page if w[3] == first)
    same_line = [w for w in page if abs(w[1] - start[1]) < 2 and w[0] >= start[0]]
    end = next(w for w in same_line if w[3] == last)
    return (end[2] - start[0]) / PT_PER_CM, start[1]


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    from tonghop.settings import Settings

    workdir = tmp_path_factory.mktemp("lo")
    reports = make_reports()
    settings = Settings(province="Nghệ An", round="2026-H1")
    round = Round.build(settings, reports, make_summary(reports))
    document = write_report_docx(round, workdir / "bao-cao-tong-hop.docx")
    return to_pdf(document, workdir)


def test_report_converts_to_pdf_without_complaints(rendered: tuple[Path, list[str]]) -> None:
    pdf, complaints = rendered
    assert complaints == []
    assert 3 <= page_count(pdf) <= 8


def test_first_page_has_no_number_and_later_pages_are_numbered_at_the_top(
    rendered: tuple[Path, list[str]],
) -> None:
    pdf, _ = rendered
    top_margin_pt = nd30.MARGIN_TOP_MM / 10 * PT_PER_CM - 6  # above the first line of text
    first = words(pdf, 1)
    assert not [w for w in first if w[1] < top_margin_pt and w[3].isdigit()]
    for page in range(2, page_count(pdf) + 1):
        numbers = [w[3] for w in words(pdf, page) if w[1] < top_margin_pt and w[3].isdigit()]
        assert numbers == [str(page)], page


def test_letterhead_lines_fit_and_rules_match_the_text(rendered: tuple[Path, list[str]]) -> None:
    """The issuing body stays on one line; its rule is 1/3–1/2 of it; the motto's rule is as long as it."""
    pdf, _ = rendered
    first = words(pdf, 1)
    body_width, body_y = _line_width(first, "SỞ", "NGHỆ")
    assert body_width < nd30.HEADER_LEFT_CM
    assert 1 / 3 <= nd30.SHORT_RULE_CM / body_width <= 1 / 2, body_width
    motto_width, _ = _line_width(first, "Độc", "phúc")
    assert abs(nd30.MOTTO_RULE_CM - motto_width) / motto_width < 0.08, motto_width
    title_width, title_y = _line_width(first, "CỘNG", "NAM")
    assert abs(title_y - _line_width(first, "UBND", "AN")[1]) < 2  # both columns start on the same line
    assert title_width < nd30.HEADER_RIGHT_CM
    date_words = [w[3] for w in first if w[1] > body_y + 20 and w[1] < body_y + 80]
    assert "05" in date_words and "6" in date_words


def test_reminder_letter_renders(tmp_path: Path, make_settings: Callable[..., Any]) -> None:
    from tonghop.render.reminder import write_reminder

    reports = make_reports()
    document = write_reminder(
        Round.build(make_settings(), reports, make_summary(reports)), tmp_path / "cong-van.docx"
    )
    pdf, complaints = to_pdf(document, tmp_path)
    assert complaints == []
    text = " ".join(w[3] for w in words(pdf, 1))
    assert "V/v đôn đốc" in text
