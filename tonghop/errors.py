"""One error family; each error has a stable `code` and a Vietnamese message for the clerk or analyst.

A reader raises these for a bad file; the pipeline turns them into `Issue` records on the file's report,
so one bad file never stops a run. Values a pydantic model refuses become `Issue`s here too
(`issues_from_validation_error`): the structured-submission reader and the report check both word them,
and neither stage should depend on the other for it.
"""

from __future__ import annotations

import errno
from collections.abc import Callable, Mapping

from pydantic import ValidationError

from schemas.report import Issue


class TonghopError(Exception):
    """Base of every error the product reports to a person."""

    code = "error"

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code

    def as_issue(self) -> Issue:
        return Issue(code=self.code, message=self.message)


class ConfigError(TonghopError):
    code = "config_invalid"


class IntakeError(TonghopError):
    """The file cannot be read as a commune document at all (wrong type, corrupt, too big…)."""

    code = "unreadable"


class ParseError(TonghopError):
    code = "parse_failed"


class StateError(TonghopError):
    """The round's stored state (the registry, the outbox) cannot be used as it is; the officer can fix it."""

    code = "state_invalid"


class LockedError(TonghopError):
    code = "outbox_locked"


class PublishError(TonghopError):
    code = "publish_refused"


_MESSAGES: dict[str, str] = {
    "missing": "thiếu trường bắt buộc",
    "extra_forbidden": "trường không có trong mẫu báo cáo",
    "greater_than_equal": "{input} là số âm; số liệu phải từ 0 trở lên",
    "int_type": '"{input}" không phải là số nguyên',
    "int_parsing": '"{input}" không phải là số',
    "int_from_float": '"{input}" không phải là số nguyên',
    "string_type": "phải là chuỗi ký tự",
    "list_type": "phải là một danh sách",
    "dict_type": "phải là một đối tượng",
    "model_type": "phải là một đối tượng",
    "model_attributes_type": "phải là một đối tượng",
    "enum": '"{input}" không phải một trong các giá trị {expected}',
    "literal_error": '"{input}" không phải một trong các giá trị {expected}',
    "date_type": '"{input}" không phải ngày hợp lệ',
    "date_parsing": '"{input}" không phải ngày hợp lệ (năm-tháng-ngày)',
    "date_from_datetime_parsing": '"{input}" không phải ngày hợp lệ',
    "bool_type": '"{input}" không phải giá trị đúng/sai',
    "bool_parsing": '"{input}" không phải giá trị đúng/sai (true/false)',
    "float_type": '"{input}" không phải là số',
    "float_parsing": '"{input}" không phải là số',
    "greater_than": "{input} phải lớn hơn {gt}",
    "less_than": "{input} phải nhỏ hơn {lt}",
    "less_than_equal": "{input} phải không lớn hơn {le}",
    "path_type": '"{input}" không phải đường dẫn',
}
_NEGATIVE = {"value_negative", "greater_than_equal"}
# The kinds of the PydanticCustomErrors raised by `tonghop.interpret.structured`: already Vietnamese.
_CUSTOM = {"not_a_number", "not_whole", "value_negative", "not_a_date", "missing_text", "string_type"}


def shown(value: object) -> str:
    """A value quoted in a message, cut short so one long cell cannot drown the rest of the message."""
    text = value if isinstance(value, str) else repr(value)
    return text if len(text) <= 60 else text[:57] + "…"


def issues_from_validation_error(
    exc: ValidationError,
    *,
    where: Callable[[tuple[int | str, ...]], str],
    code: str,
    file: str,
    templates: Mapping[str, str] | None = None,
) -> list[Issue]:
    """One Vietnamese Issue per pydantic error: `Tệp X: <where>: <reason>`; negatives are `value_negative`."""
    issues: list[Issue] = []
    for error in exc.errors():
        kind = error["type"]
        template = (templates or {}).get(kind) or _MESSAGES.get(kind)
        if template is None:
            # Our own PydanticCustomError messages are already Vietnamese; anything else is named.
            message = (
                error["msg"] if kind in _CUSTOM else f'giá trị "{shown(error.get("input"))}" không hợp lệ'
            )
        else:
            context = {
                "input": shown(error.get("input")),
                **{k: str(v) for k, v in (error.get("ctx") or {}).items()},
            }
            message = template.format(**context)
        issues.append(
            Issue(
                code="value_negative" if kind in _NEGATIVE else code,
                message=f"Tệp {file}: {where(tuple(error['loc']))}: {message}",
            )
        )
    return issues


_OS_REASONS = {
    errno.EACCES: "không có quyền đọc/ghi",
    errno.EPERM: "không có quyền đọc/ghi",
    errno.ENOENT: "không còn tồn tại",
    errno.ENOSPC: "ổ đĩa đã đầy",
    errno.EDQUOT: "đã hết hạn mức dung lượng",
    errno.EROFS: "ổ đĩa chỉ cho đọc, không ghi được",
    errno.EISDIR: "là một thư mục, không phải tệp",
    errno.ENOTDIR: "một phần của đường dẫn không phải thư mục",
    errno.ELOOP: "là liên kết vòng lặp",
    errno.EIO: "lỗi đọc/ghi của ổ đĩa",
    errno.ENAMETOOLONG: "tên quá dài",
}


def os_reason(exc: OSError) -> str:
    """An operating-system error in Vietnamese words (Python's own are English), with its code for support."""
    if exc.errno in _OS_REASONS:
        return _OS_REASONS[exc.errno]
    if exc.strerror and not exc.strerror.isascii():
        return exc.strerror
    return f"lỗi hệ thống tệp (mã {exc.errno})" if exc.errno else "lỗi hệ thống tệp"
