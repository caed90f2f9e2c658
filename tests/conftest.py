"""Shared fixtures: where the project and the shared samples are, and settings for a temporary round.

Prefect runs in local ephemeral mode with its state in a per-session temporary directory, so tests never
touch the developer's `.prefect/` and never need a server.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
SAMPLES = SHARED / "samples"

_PREFECT_HOME = Path(tempfile.mkdtemp(prefix="tonghop-prefect-"))
# Registered before Prefect starts its local API, so (last in, first out) it runs after the API has stopped.
atexit.register(shutil.rmtree, _PREFECT_HOME, ignore_errors=True)
os.environ["TONGHOP_CONFIG"] = str(REPO / "tests" / "data" / "no-config.toml")
for _name in ("OPENAI_BASE_URL", "OPENAI_API_KEY", "OPENAI_MODEL"):
    os.environ.pop(_name, None)

from flows.runtime.prefect_env import configure_prefect  # noqa: E402

os.environ["PREFECT_HOME"] = str(_PREFECT_HOME)
configure_prefect(_PREFECT_HOME)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-expected",
        action="store_true",
        help="ghi lại các tệp *.expected.json của tests/data/odd từ kết quả đọc hiện tại",
    )


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO


@pytest.fixture(scope="session")
def sample_docx_dir() -> Path:
    """The LibreOffice-made .docx versions of the five seed texts."""
    path = SAMPLES / "docx"
    if not path.is_dir():
        pytest.skip(f"thiếu thư mục mẫu {path} (shared/ phải nằm cạnh repo)")
    return path


@pytest.fixture(scope="session")
def real_docx_dir() -> Path:
    """Real Word documents written by provincial offices; read in place, never copied into the repo."""
    path = SAMPLES / "real"
    if not path.is_dir():
        pytest.skip(f"thiếu thư mục văn bản thật {path}")
    return path


@pytest.fixture
def make_settings(tmp_path: Path) -> Callable[..., Any]:
    """Settings for a round in a temporary inbox/outbox; keyword arguments override."""
    from tonghop.settings import Settings

    def factory(**overrides: Any) -> Settings:
        values: dict[str, Any] = {
            "province": "Nghệ An",
            "round": "2026-H1",
            "inbox": tmp_path / "inbox",
            "outbox": tmp_path / "outbox",
            "overrides_file": tmp_path / "overrides.toml",
            "prefect_home": _PREFECT_HOME,
        }
        values.update(overrides)
        Path(values["inbox"]).mkdir(parents=True, exist_ok=True)
        return Settings(**values)

    return factory
