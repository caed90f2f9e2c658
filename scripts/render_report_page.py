"""Render one page of a generated report to PNG (LibreOffice → PDF → pdftoppm), e.g. for the README.

    .venv/bin/python scripts/render_report_page.py                       # page 1 of the last run's report
    .venv/bin/python scripts/render_report_page.py REPORT.docx OUT.png --page 2

Needs `soffice` (LibreOffice) and `pdftoppm` (poppler-utils).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def render_page(document: Path, output: Path, *, page: int = 1, dpi: int = 100) -> Path:
    soffice, pdftoppm = shutil.which("soffice"), shutil.which("pdftoppm")
    if not soffice or not pdftoppm:
        raise SystemExit("Cần LibreOffice (soffice) và poppler-utils (pdftoppm).")
    with tempfile.TemporaryDirectory() as work:
        workdir = Path(work)
        subprocess.run(
            [
                soffice,
                f"-env:UserInstallation=file://{workdir / 'profile'}",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                str(workdir),
                str(document),
            ],
            check=True,
            capture_output=True,
            timeout=300,
        )
        pdf = workdir / (document.stem + ".pdf")
        prefix = workdir / "page"
        subprocess.run(
            [
                pdftoppm,
                "-f",
                str(page),
                "-l",
                str(page),
                "-r",
                str(dpi),
                "-png",
                "-singlefile",
                str(pdf),
                str(prefix),
            ],
            check=True,
            timeout=120,
        )
        output.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(prefix.with_suffix(".png"), output)
    return output


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "document", nargs="?", type=Path, default=REPO / "outbox/2026-H1/bao-cao-tong-hop.docx"
    )
    parser.add_argument("output", nargs="?", type=Path, default=REPO / "docs/bao-cao-trang-1.png")
    parser.add_argument("--page", type=int, default=1)
    parser.add_argument("--dpi", type=int, default=100)
    args = parser.parse_args(argv)
    print(render_page(args.document, args.output, page=args.page, dpi=args.dpi))
    return 0


if __name__ == "__main__":
    sys.exit(main())
