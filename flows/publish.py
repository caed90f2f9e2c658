"""Publication as a Prefect flow, optionally paused for a named approver in the Prefect UI.

`tonghop publish` runs the same steps without Prefect. Under a Prefect server (`prefect server start`,
the flow served or deployed, e.g. with `tonghop serve`), `require_approval=True` posts a preview of the
changes as an artifact and pauses with `pause_flow_run(wait_for_input=Approval)`: the run waits in the UI
until someone resumes it with the form (approve, force, name). In local ephemeral mode there is nobody to
resume a pause, so leave `require_approval` off there.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from prefect import flow, get_run_logger
from prefect.artifacts import create_markdown_artifact
from prefect.flow_runs import pause_flow_run
from prefect.input import RunInput
from pydantic import Field

from flows.artifacts import artifact_key, publish_artifacts
from tonghop.publish import FINAL_DIR, prepare_publication, preview_markdown, publish_round
from tonghop.render.view import Round
from tonghop.settings import settings_from_json
from tonghop.store.round_files import load_round, read_summary


class Approval(RunInput):
    """The form shown in the Prefect UI when a paused publication is resumed."""

    approve: bool = Field(description="Đồng ý ban hành báo cáo")
    force: bool = Field(default=False, description="Ban hành cả khi còn câu chưa kiểm chứng (ghi nhật ký)")
    by: str = Field(default="", description="Họ tên người phê duyệt")


@flow(name="ban-hanh-bao-cao", description="Ban hành báo cáo tổng hợp từ bản đã rà soát.")
def publish_flow(
    settings_json: str,
    decisions_path: str | None = None,
    force: bool = False,
    by: str | None = None,
    require_approval: bool = False,
    approval_timeout_seconds: int = 7 * 24 * 3600,
) -> dict[str, Any]:
    logger = get_run_logger()
    settings = settings_from_json(settings_json)
    decisions = Path(decisions_path) if decisions_path else None
    if require_approval:
        prepared = prepare_publication(settings, decisions)
        create_markdown_artifact(
            preview_markdown(prepared),
            key=artifact_key(prepared.summary, "cho-phe-duyet"),
            description="Những thay đổi sẽ được ban hành",
        )
        answer = pause_flow_run(wait_for_input=Approval, timeout=approval_timeout_seconds)
        if not answer.approve:
            logger.info("Người phê duyệt không đồng ý ban hành kỳ %s", settings.round)
            return {"published": False}
        force = force or answer.force
        by = answer.by or by
    result = publish_round(settings, decisions_path=decisions, force=force, by=by)
    final_summary = read_summary(result.final_dir / "summary.json")
    _, reports = load_round(settings.round_dir)
    publish_artifacts(
        Round.build(settings, reports, final_summary), settings.round_dir / FINAL_DIR, final=True
    )
    logger.info("Đã ban hành kỳ %s vào %s", settings.round, result.final_dir)
    return {
        "published": True,
        "final_dir": str(result.final_dir),
        "forced": result.forced,
        "changes": len(result.changes),
    }
