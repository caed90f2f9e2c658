"""The bundled inbox consolidated with an LLM at an OpenAI-compatible endpoint on 127.0.0.1, end to end."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from openai_server import OpenAIServer

from tonghop.settings import Settings
from tonghop.summarize.settings import LlmSettings

pytestmark = pytest.mark.slow

PHONE = re.compile(r"09\d{2} \d{3} \d{3}")


def test_bundled_inbox_through_an_llm_is_grounded_private_and_cached(
    make_settings: Callable[..., Settings], repo_root: Path
) -> None:
    from flows.consolidate import run_flow

    with OpenAIServer() as server:
        settings = make_settings(
            llm=LlmSettings(base_url=server.base_url, model="qwen2.5-7b-instruct", retry_backoff_seconds=0.1)
        )
        shutil.copytree(repo_root / "inbox", settings.inbox, dirs_exist_ok=True)
        phones = {
            match
            for path in settings.inbox.glob("*.docx")
            for match in PHONE.findall(path.read_bytes().decode("latin-1", "ignore"))
        }

        first = run_flow(settings)
        calls_first = server.count
        second = run_flow(settings)
        bodies = server.all_bodies_text()

    assert first.llm.mode == "llm" and first.llm.calls == calls_first > 0
    # At most one map call per accepted report plus one reduce call per section per 10 themes.
    assert first.llm.calls <= 10 + 5 * 4
    assert second.llm.calls == 0 and server.count == calls_first, "an unchanged re-run makes no call"
    summary = json.loads((settings.round_dir / "summary.json").read_text(encoding="utf-8"))
    assert summary["llm"]["mode"] == "llm"
    sentences = [s for themes in summary["sections"].values() for t in themes for s in t["sentences"]]
    assert any(s["origin"] == "llm" for s in sentences)
    assert all(s["citations"] for s in sentences)
    reports = json.loads((settings.round_dir / "reports.json").read_text(encoding="utf-8"))["reports"]
    accepted = {r["file"] for r in reports if r["status"] == "accepted"}
    assert {c["file"] for s in sentences for c in s["citations"]} <= accepted
    # Contact lines sit outside every section: neither they nor any phone number may leave the machine.
    assert "Người liên hệ" not in bodies
    for phone in phones:
        assert phone not in bodies
