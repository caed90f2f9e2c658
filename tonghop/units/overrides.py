"""The analyst's decisions about single files, kept in a TOML file that the next run applies.

When a unit name is ambiguous (`xã Tân An` exists in ten provinces) or unreadable, the file is rejected
with the candidates listed; the analyst pins the right unit here and runs again. The file is meant to be
committed beside `tonghop.toml`, so its format is small and readable:

```toml
# overrides.toml (path: `overrides_file` in tonghop.toml, default ./overrides.toml)
[units]
# key: the file name as shown in intake.csv (path inside the inbox) or its bare name, or the file's sha256
# value: the 2025 unit code, or a pre-2025 unit as "legacy-district:<code>" / "legacy-ward:<code>"
"bao-cao-xa-tan-an.docx" = 17305
"tan-an/bao-cao.docx" = { unit = 17305, note = "Đã gọi điện xác nhận ngày 12/6" }
"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08" = "legacy-district:708"
```

A sha256 key follows the content (it survives a rename), a name key follows the file (it survives a
resend with corrections). Both may be present; the sha256 wins. The file is re-read whenever it changes.
"""

from __future__ import annotations

import logging
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from tonghop.errors import ConfigError, os_reason
from tonghop.text import nfc

_log = logging.getLogger(__name__)
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_PIN = re.compile(r"^(\d{1,6}|legacy-(?:district|ward):\d{1,6})$")


@dataclass(frozen=True)
class Pin:
    """One analyst decision: the file `key` was issued by the unit `unit` (a code or a legacy pin)."""

    key: str
    unit: str
    note: str | None = None


@dataclass(frozen=True)
class Overrides:
    path: Path
    pins: dict[str, Pin]

    def lookup(self, file: str, sha256: str) -> Pin | None:
        """The decision for a file, by content first, then by its name in the inbox, then its bare name."""
        name = nfc(file)
        for key in (sha256.lower(), name, PurePosixPath(name).name):
            if key and key in self.pins:
                return self.pins[key]
        return None


def _pin(path: Path, key: str, value: object) -> Pin:
    note = None
    if isinstance(value, dict):
        note = value.get("note")
        value = value.get("unit", value.get("code"))
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise ConfigError(
            f'Tệp {path}: giá trị của "{key}" phải là mã đơn vị (số) hoặc "legacy-district:<mã>".',
            code="overrides_invalid",
        )
    text = str(value).strip()
    if not _PIN.match(text):
        raise ConfigError(
            f'Tệp {path}: "{text}" (cho "{key}") không phải mã đơn vị hợp lệ; ghi mã xã/phường, ví dụ 17464, '
            'hoặc "legacy-district:<mã>" cho huyện cũ.',
            code="overrides_invalid",
        )
    key = key.strip()
    key = key.lower() if _SHA256.match(key.lower()) else nfc(key)
    return Pin(key=key, unit=text, note=str(note) if note else None)


_CACHE: dict[Path, tuple[tuple[int, int], Overrides]] = {}


def load_overrides(path: Path) -> Overrides:
    """The overrides in force; an absent file means none. Cached until the file changes.

    A broken file (bad syntax, a folder, unreadable) means none either: it is the analysts' file, not the
    communes', so it must never reject their reports. The run says so once (`overrides_problem`), and
    nothing broken is cached, so the file is read again as soon as it is fixed.
    """
    try:
        return _read(path)
    except ConfigError as exc:
        if exc.message not in _WARNED:
            _WARNED.add(exc.message)
            _log.warning("%s", exc.message)
        return Overrides(path=path, pins={})


def overrides_problem(path: Path) -> str | None:
    """Why the overrides file cannot be applied, in Vietnamese, or None when it can (or is absent)."""
    try:
        _read(path)
    except ConfigError as exc:
        return f"{exc.message} Các chỉ định đơn vị trong tệp này chưa được áp dụng ở lượt này."
    return None


_WARNED: set[str] = set()


def _read(path: Path) -> Overrides:
    try:
        stat = path.stat()
    except FileNotFoundError:
        return Overrides(path=path, pins={})
    except OSError as exc:
        raise ConfigError(f"Không đọc được tệp {path} ({os_reason(exc)}).", code="overrides_invalid") from exc
    stamp = (stat.st_mtime_ns, stat.st_size)
    cached = _CACHE.get(path)
    if cached and cached[0] == stamp:
        return cached[1]
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"Không đọc được tệp {path} ({os_reason(exc)}).", code="overrides_invalid") from exc
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        where = re.search(r"line (\d+), column (\d+)", str(exc))
        at = f" ở dòng {where[1]}, cột {where[2]}" if where else ""
        raise ConfigError(f"Tệp {path} không đúng cú pháp TOML{at}.", code="overrides_invalid") from exc
    table = data.get("units", {})
    if not isinstance(table, dict):
        raise ConfigError(f"Tệp {path}: mục [units] phải là một bảng.", code="overrides_invalid")
    pins = [_pin(path, str(key), value) for key, value in table.items()]
    overrides = Overrides(path=path, pins={p.key: p for p in pins})
    _CACHE[path] = (stamp, overrides)
    return overrides
