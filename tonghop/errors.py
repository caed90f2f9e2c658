"""One error family; each error has a stable `code` and a Vietnamese message for the clerk or analyst.

A reader raises these for a bad file; the pipeline turns them into `Issue` records on the file's report,
so one bad file never stops a run.
"""

from __future__ import annotations

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


class LockedError(TonghopError):
    code = "outbox_locked"


class PublishError(TonghopError):
    code = "publish_refused"
