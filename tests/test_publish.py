"""Publication: decisions or hand edits become the final report, every change is logged, unverified blocks."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import docx
import pytest
from render_fixtures import make_reports, make_summary

from schemas.decisions import Decision, Decisions
from tonghop.cli import main
from tonghop.errors import PublishError
from tonghop.publish import FLAG_EDITED, publish_round
from tonghop.render import write_outputs
from tonghop.render.view import Round
from tonghop.settings import Settings

EDITED = "Phần lớn văn bản của phường Cửa Lò được soạn với sự hỗ trợ của AI"


@pytest.fixture
def settings(make_settings: Callable[..., Any]) -> Settings:
    """A round as `tonghop run` leaves it: reports.json, summary.json, the drafts and the baseline."""
    settings: Settings = make_settings()
    reports = make_reports()
    summary = make_summary(reports)
    write_outputs(Round.build(settings, reports, summary), settings.round_dir)
    return settings


def _decisions(settings: Settings, *items: Decision) -> Path:
    summary = make_summary()
    path = settings.outbox / "quyet-dinh-2026-H1.json"
    payload = Decisions(
        round="2026-H1",
        province="Nghệ An",
        summary_generated_at=summary.generated_at,
        reviewer="Trần Văn C",
        decisions=list(items),
    )
    path.write_text(payload.model_dump_json(indent=2), encoding="utf-8")
    return path


def _audit(settings: Settings) -> list[dict[str, Any]]:
    path = settings.round_dir / "final" / "audit.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def _final_text(settings: Settings) -> str:
    document = docx.Document(str(settings.round_dir / "final" / "bao-cao-tong-hop.docx"))
    return "\n".join(p.text for p in document.paragraphs)


def _edit_and_reject(settings: Settings) -> Path:
    return _decisions(
        settings,
        Decision(
            sentence_id="results-1-3",
            action="edit",
            text=EDITED,
            original_text="Khoảng 80% văn bản được soạn với sự hỗ trợ của AI",
        ),
        Decision(
            sentence_id="results-3-3",
            action="reject",
            original_text="Tổ chức 7 lớp tập huấn cho 120 cán bộ, công chức",
        ),
        Decision(sentence_id="results-1-1", action="accept"),
    )


def test_publication_refuses_while_unverified_statements_remain(settings: Settings) -> None:
    with pytest.raises(
        PublishError,
        match=(
            r"còn 2 câu cần rà soát chưa có quyết định:\n"
            r"  - results-1-3: Khoảng 80%.*\[số liệu chưa kiểm chứng: 80%\]"
        ),
    ):
        publish_round(settings, by="Trần Văn C")
    assert not (settings.round_dir / "final" / "bao-cao-tong-hop.docx").exists()
    refused = _audit(settings)[-1]
    assert refused["event"] == "refused"
    assert refused["unverified"] == ["results-1-3", "results-3-3"]
    assert refused["by"] == "Trần Văn C"


def test_decisions_edit_and_reject_statements_in_the_final_report(
    settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    decisions = _edit_and_reject(settings)
    code = main(
        [
            "publish",
            "--round",
            "2026-H1",
            "--outbox",
            str(settings.outbox),
            "--province",
            "Nghệ An",
            "--decisions",
            str(decisions),
            "--by",
            "Nguyễn Thị B",
        ]
    )
    assert code == 0, capsys.readouterr().err
    out = capsys.readouterr().out
    assert "sửa 1, loại bỏ 1" in out
    text = _final_text(settings)
    assert f"- {EDITED}." in text
    assert "Khoảng 80%" not in text
    assert "7 lớp tập huấn cho 120" not in text
    assert "chưa kiểm chứng" not in text
    assert "Dự thảo" not in text
    # the theme lost the only statement citing Cửa Lò: its communes are counted again
    assert "c) Tập huấn kỹ năng sử dụng AI (1 xã: xã Đô Lương)." in text
    final = json.loads((settings.round_dir / "final" / "summary.json").read_text(encoding="utf-8"))
    sentences = {s["id"]: s for ts in final["sections"].values() for t in ts for s in t["sentences"]}
    assert sentences["results-1-3"]["text"] == EDITED
    assert FLAG_EDITED in sentences["results-1-3"]["flags"]
    assert not sentences["results-1-3"]["unverified"]
    assert "results-3-3" not in sentences
    for name in ("du-lieu.xlsx", "review.html"):
        assert (settings.round_dir / "final" / name).is_file()
    # the draft is untouched
    draft = json.loads((settings.round_dir / "summary.json").read_text(encoding="utf-8"))
    assert any(s["unverified"] for ts in draft["sections"].values() for t in ts for s in t["sentences"])

    audit = _audit(settings)
    edit = next(e for e in audit if e["event"] == "edit")
    assert edit["sentence_id"] == "results-1-3"
    assert edit["before"] == "Khoảng 80% văn bản được soạn với sự hỗ trợ của AI"
    assert edit["after"] == EDITED
    assert edit["by"] == "Nguyễn Thị B" and edit["at"].startswith("20")
    assert edit["source"] == "quyết định:quyet-dinh-2026-H1.json"
    reject = next(e for e in audit if e["event"] == "reject")
    assert reject["sentence_id"] == "results-3-3" and reject["after"] is None
    published = audit[-1]
    assert published["event"] == "publish" and published["forced"] is False
    assert published["decisions_sha256"] and len(published["outputs"]) == 4
    assert published["unverified_left"] == []


def test_a_hand_edited_summary_is_published_and_its_changes_logged(settings: Settings) -> None:
    path = settings.round_dir / "summary.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    results = data["sections"]["results"]
    results[0]["sentences"][2]["text"] = EDITED
    results[0]["sentences"][2]["unverified"] = False
    results[2]["sentences"].pop(2)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")

    result = publish_round(settings, by="Lê D")

    assert not result.forced
    events = {(e["event"], e.get("sentence_id")) for e in _audit(settings)}
    assert ("hand_edit", "results-1-3") in events
    assert ("hand_remove", "results-3-3") in events
    hand = next(e for e in _audit(settings) if e["event"] == "hand_edit")
    assert hand["before"].startswith("Khoảng 80%") and hand["after"] == EDITED and hand["by"] == "Lê D"
    assert f"- {EDITED}." in _final_text(settings)


def test_force_publishes_with_the_statements_marked_and_is_logged(
    settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(
        ["publish", "--round", "2026-H1", "--outbox", str(settings.outbox), "--force", "--by", "Lê D"]
    )
    assert code == 0
    assert "--force" in capsys.readouterr().out
    text = _final_text(settings)
    assert "Khoảng 80% văn bản được soạn với sự hỗ trợ của AI. [chưa kiểm chứng: 80%]" in text
    audit = _audit(settings)
    force = next(e for e in audit if e["event"] == "force")
    assert any(item.startswith("results-1-3") for item in force["overridden"])
    assert audit[-1]["event"] == "publish" and audit[-1]["forced"] is True


def test_a_decision_on_a_statement_that_changed_since_review_is_refused(settings: Settings) -> None:
    stale = _decisions(
        settings,
        Decision(sentence_id="results-1-3", action="accept", original_text="Một câu khác đã được rà soát"),
        Decision(sentence_id="results-9-9", action="reject"),
        Decision(sentence_id="results-3-3", action="reject"),
    )
    with pytest.raises(PublishError, match=r"2 quyết định không khớp") as caught:
        publish_round(settings, decisions_path=stale)
    assert "results-9-9 không còn trong summary.json" in caught.value.message
    assert "results-1-3 đã đổi nội dung" in caught.value.message


def test_decisions_for_another_round_are_refused(settings: Settings) -> None:
    path = _decisions(settings)
    data = json.loads(path.read_text(encoding="utf-8"))
    data["round"] = "2025-H2"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(PublishError, match="kỳ 2025-H2"):
        publish_round(settings, decisions_path=path)


def test_an_edit_without_text_is_refused_with_the_reason(settings: Settings) -> None:
    path = settings.outbox / "bad.json"
    path.write_text(
        json.dumps({"round": "2026-H1", "decisions": [{"sentence_id": "results-1-3", "action": "edit"}]}),
        encoding="utf-8",
    )
    with pytest.raises(PublishError, match="không đúng định dạng"):
        publish_round(settings, decisions_path=path)


def test_publication_never_reads_the_inbox(settings: Settings) -> None:
    settings.inbox.rmdir()
    publish_round(settings, decisions_path=_edit_and_reject(settings))
    assert not settings.inbox.exists()
    assert (settings.round_dir / "final" / "bao-cao-tong-hop.docx").is_file()


def test_without_a_run_publication_says_what_to_do(make_settings: Callable[..., Any]) -> None:
    with pytest.raises(Exception, match="tonghop run"):
        publish_round(make_settings(outbox=Path("/nonexistent-outbox")))
