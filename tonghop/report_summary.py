"""The short Vietnamese account of a round, read from the registry (never from the output files)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from schemas.run import RunResult
from schemas.summary import UnitRef
from tonghop.settings import Settings
from tonghop.store.registry import REGISTRY_NAME, Registry
from tonghop.units.roster import load_roster

STATUS_LINES = (
    ("accepted", "Được tiếp nhận"),
    ("rejected", "Bị từ chối"),
    ("duplicate", "Trùng lặp"),
    ("superseded", "Đã được thay thế"),
    ("out_of_scope", "Ngoài phạm vi"),
    ("other_issuer", "Không phải cơ quan báo cáo"),
    ("off_topic", "Khác chủ đề"),
)


@dataclass
class RoundStatus:
    round: str
    province: str | None
    received: int
    by_status: Counter[str]
    rejected: list[tuple[str, str]] = field(default_factory=list)
    old_versions: int = 0
    expected: int = 0
    missing: list[UnitRef] = field(default_factory=list)
    last_run: dict[str, object] | None = None


def round_status(settings: Settings) -> RoundStatus | None:
    path = settings.round_dir / REGISTRY_NAME
    if not path.is_file():
        return None
    with Registry(path, read_only=True) as registry:
        rows = registry.rows()
        last_run = registry.last_run()
    present = [r for r in rows if r.present]
    accepted_codes = {r.unit_code for r in present if r.status == "accepted" and r.unit_code is not None}
    expected = load_roster().communes(settings.province)
    return RoundStatus(
        round=settings.round,
        province=settings.province,
        received=len(present),
        by_status=Counter(r.status or "?" for r in present),
        rejected=[(r.path, r.reason or "") for r in present if r.status == "rejected"],
        old_versions=len(rows) - len(present),
        expected=len(expected),
        missing=[u for u in expected if u.code not in accepted_codes],
        last_run=last_run,
    )


def format_status(status: RoundStatus, *, max_missing: int = 30) -> str:
    scope = f"tỉnh {status.province}" if status.province else "toàn quốc"
    lines = [f"Kỳ báo cáo {status.round} — {scope}", f"  Tệp đã nhận: {status.received}"]
    for key, label in STATUS_LINES:
        lines.append(f"  {label}: {status.by_status.get(key, 0)}")
    if status.old_versions:
        lines.append(f"  Phiên bản cũ được lưu lại: {status.old_versions}")
    for file, reason in status.rejected:
        lines.append(f"    - {file}: {reason}")
    lines.append(f"  Xã/phường chưa có báo cáo được tiếp nhận: {len(status.missing)}/{status.expected}")
    names = [u.name for u in status.missing[:max_missing]]
    if names:
        more = len(status.missing) - len(names)
        lines.append("    " + ", ".join(names) + (f" … và {more} đơn vị khác" if more > 0 else ""))
    if status.last_run:
        lines.append(f"  Lượt chạy gần nhất: {status.last_run['started_at']} ({status.last_run['state']})")
    return "\n".join(lines)


def print_run_summary(settings: Settings, result: RunResult) -> None:
    status = round_status(settings)
    if status is not None:
        print(format_status(status))
    if result.llm.mode == "llm" or result.llm.endpoint:
        llm = result.llm
        print(
            f"  Mô hình ngôn ngữ {llm.model or '(chưa chọn)'}: {llm.calls} lượt gọi, {llm.failures} lỗi, "
            f"{llm.cache_hits} lượt dùng lại, {llm.tokens_in}+{llm.tokens_out} token, "
            f"{llm.fallbacks} ý chưa được tổng hợp (giữ nguyên văn)"
        )
    for note in result.llm.notes:
        print(f"  Lưu ý: {note}")
    print(f"Kết quả nằm trong: {Path(result.round_dir).resolve()}")
    for output in result.outputs:
        print(f"  - {Path(output).name}")
