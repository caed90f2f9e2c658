"""Settings from `tonghop.toml`, environment variables and CLI flags (highest wins: flags, env, file).

Secrets (the API key) come only from the environment; the config file is meant to be committed and shared
between the officers of a Sở, so it never holds one.
"""

from __future__ import annotations

import datetime as dt
import difflib
import os
import re
import tomllib
from pathlib import Path
from typing import Any, Literal

from pydantic import AliasChoices, BaseModel, Field, SecretStr, ValidationError, field_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from schemas.scope import Scope
from tonghop.errors import ConfigError, issues_from_validation_error, os_reason
from tonghop.summarize.settings import LlmSettings

PROJECT_ROOT = Path(__file__).resolve().parent.parent
CONFIG_ENV = "TONGHOP_CONFIG"


def config_path() -> Path:
    """The config file in force: `$TONGHOP_CONFIG`, else `tonghop.toml` in the working directory."""
    return Path(os.environ.get(CONFIG_ENV, "tonghop.toml"))


class ReportSettings(BaseModel):
    """What the Sở prints on the consolidated report; placeholders until the Sở fills them in."""

    issuing_body: str = "SỞ KHOA HỌC VÀ CÔNG NGHỆ"
    number_symbol: str = "BC-SKHCN"
    abbreviation: str = "SKHCN"
    signer_authority: str = "KT. GIÁM ĐỐC"
    signer_title: str = "PHÓ GIÁM ĐỐC"
    signer_name: str = ""
    request_reference: str = Field(
        default="",
        description="The Sở's request this round answers, e.g. 'Công văn số 1185/SKHCN-CĐS ngày 02/6/2026'.",
    )
    extra_recipients: list[str] = Field(default_factory=lambda: ["Giám đốc Sở (b/c)"])
    archive_units: str = "VT, CĐS"
    issuing_body_name: str = Field(
        default="",
        description="The issuing body in running text ('Sở Khoa học và Công nghệ'); derived if blank.",
    )
    parent_body: str = Field(
        default="", description="Header line above the issuing body; blank: 'UBND TỈNH <province>'."
    )
    place: str = Field(default="", description="Place in the date line; blank: the province name.")
    recipient: str = Field(
        default="", description="'Kính gửi' of the report; blank: 'Ủy ban nhân dân tỉnh <province>'."
    )
    letter_symbol: str = Field(
        default="SKHCN-CĐS", description="Symbol of a công văn (no type abbreviation), e.g. the reminder."
    )
    issued_on: dt.date | None = Field(
        default=None, description="Date printed on the report; blank: the day the summary was generated."
    )
    reminder_days: int = Field(default=5, ge=1, description="Days the reminder gives the missing communes.")


class Settings(BaseSettings):
    """All knobs of a consolidation run."""

    model_config = SettingsConfigDict(
        env_prefix="TONGHOP_",
        env_nested_delimiter="__",
        extra="ignore",
        populate_by_name=True,
    )

    province: str | None = None
    round: str = Field(default_factory=lambda: default_round(dt.date.today()))
    inbox: Path = Path("inbox")
    outbox: Path = Path("outbox")
    deadline: dt.date | None = None
    overrides_file: Path = Path("overrides.toml")
    vocabulary_file: Path | None = None
    templates_dir: Path = PROJECT_ROOT / "templates"
    prefect_home: Path = Path(".prefect")

    max_file_mb: float = Field(default=25.0, gt=0)
    max_uncompressed_mb: float = Field(default=200.0, gt=0)
    max_document_xml_mb: float = Field(
        default=12.0,
        gt=0,
        description=(
            "Size of a .docx's main text (its document.xml) read at most: the XML tree takes tens of times "
            "that in memory; real reports are a few MB at most, pictures are not counted."
        ),
    )
    max_blocks_per_document: int = Field(
        default=20_000,
        ge=100,
        description="Paragraphs and cells interpreted per document; the rest are left out with a warning.",
    )
    max_items_per_report: int = Field(
        default=1000,
        ge=1,
        description="Statements kept from one report; the rest are dropped with a warning.",
    )
    max_item_chars: int = Field(
        default=4000, ge=100, description="Longest statement kept whole; longer ones are cut with a marker."
    )
    max_figure: int = Field(
        default=1_000_000,
        ge=1,
        description="Largest plausible figure; above it the figure is refused and the file rejected.",
    )
    commune_figure_warning: int = Field(
        default=5_000,
        ge=1,
        description="A figure above a commune's size: kept, with a warning for the analyst to check.",
    )
    similarity_threshold: float = Field(default=0.2, gt=0, lt=1)
    unit_match_threshold: float = Field(default=85.0, gt=0, le=100)
    round_subject: str = Field(
        default="ai",
        description=(
            "What the round is about: a table of schemas/subjects.toml (terms in data); a document that "
            "does not address it is registered and listed but not counted (status off_topic)."
        ),
    )
    counted_issuers: list[str] = Field(
        default_factory=lambda: ["ubnd", "ubnd/department", "ubnd/committee"],
        description=(
            "Issuer kinds whose documents count as a commune's report: a kind (ubnd, hdnd, mttq, dang_uy, "
            "doan_the, committee, department, other) or a kind under its parent's (ubnd/department)."
        ),
    )
    same_document_similarity: float = Field(
        default=0.8,
        gt=0,
        le=1,
        description=(
            "Title similarity above which two documents of one issuer and type are the same document, "
            "so the later one supersedes the earlier."
        ),
    )

    task_runner: Literal["thread", "process", "dask"] = "thread"
    dask_address: str | None = None
    workers: int = Field(default=2, ge=1)
    parse_buckets: int = Field(default=64, ge=1)
    rehash_inbox: bool = Field(
        default=False,
        description=(
            "Hash every inbox file on every run. By default a file whose size, times and inode are those "
            "of the last scan keeps its hash; set this for an inbox on a file system that does not keep "
            "change times (some network shares)."
        ),
    )

    serve_cron: str = "0 22 * * *"

    llm: LlmSettings = Field(default_factory=LlmSettings)
    report: ReportSettings = Field(default_factory=ReportSettings)

    openai_base_url: str | None = Field(
        default=None, validation_alias=AliasChoices("OPENAI_BASE_URL", "TONGHOP_OPENAI_BASE_URL")
    )
    openai_api_key: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("OPENAI_API_KEY", "TONGHOP_OPENAI_API_KEY")
    )
    openai_model: str | None = Field(
        default=None, validation_alias=AliasChoices("OPENAI_MODEL", "TONGHOP_LLM_MODEL")
    )

    @field_validator("province")
    @classmethod
    def _blank_province_is_national(cls, value: str | None) -> str | None:
        return value.strip() or None if value else None

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return (
            init_settings,
            env_settings,
            TomlConfigSettingsSource(settings_cls, toml_file=config_path()),
        )

    # --- derived values -------------------------------------------------------------------------

    @property
    def scope(self) -> Scope:
        return Scope(self.province)

    @property
    def round_dir(self) -> Path:
        return self.outbox / self.round

    @property
    def llm_base_url(self) -> str | None:
        return self.llm.base_url or self.openai_base_url

    @property
    def llm_model(self) -> str | None:
        return self.llm.model or self.openai_model

    @property
    def llm_enabled(self) -> bool:
        """An endpoint and a model are both needed; a key alone must not send data anywhere."""
        return bool(self.llm_base_url and self.llm_model)

    @property
    def period(self) -> tuple[dt.date, dt.date]:
        return round_period(self.round)

    def public_dict(self) -> dict[str, Any]:
        """Settings as they may be written to outputs and logs: no secrets."""
        data = self.model_dump(mode="json", exclude={"openai_api_key"})
        return data


ROUND_RE = re.compile(r"^(?P<year>\d{4})(?:-(?P<part>H[12]|Q[1-4]|(?:0[1-9]|1[0-2])))?$")


def default_round(today: dt.date) -> str:
    return f"{today.year}-H{1 if today.month <= 6 else 2}"


def round_period(name: str) -> tuple[dt.date, dt.date]:
    """First and last day a round covers: `2026`, `2026-H1`, `2026-Q2`, `2026-06`."""
    match = ROUND_RE.match(name)
    if not match:
        raise ValueError(f"Kỳ báo cáo '{name}' không hợp lệ: dùng dạng 2026, 2026-H1, 2026-Q2 hoặc 2026-06.")
    year = int(match["year"])
    part = match["part"]
    if part is None:
        return dt.date(year, 1, 1), dt.date(year, 12, 31)
    if part.startswith("H"):
        half = int(part[1])
        return (
            (dt.date(year, 1, 1), dt.date(year, 6, 30))
            if half == 1
            else (dt.date(year, 7, 1), dt.date(year, 12, 31))
        )
    if part.startswith("Q"):
        q = int(part[1])
        start = dt.date(year, 3 * q - 2, 1)
        end_month = 3 * q
    else:
        start = dt.date(year, int(part), 1)
        end_month = int(part)
    end = dt.date(year + (end_month == 12), end_month % 12 + 1, 1) - dt.timedelta(days=1)
    return start, end


def load_settings(**overrides: Any) -> Settings:
    """Settings with CLI flags applied; `None` flags mean "not given" and do not override.

    Whatever the officer can fix (the config file's syntax, a value of the wrong type, a round name) is a
    `ConfigError` in Vietnamese naming the file and the key, never a traceback.
    """
    given = {k: v for k, v in overrides.items() if v is not None}
    path = config_path()
    try:
        settings = Settings(**given)
    except tomllib.TOMLDecodeError as exc:
        where = re.search(r"line (\d+), column (\d+)", str(exc))
        at = f" ở dòng {where[1]}, cột {where[2]}" if where else ""
        raise ConfigError(
            f"Tệp cấu hình {path} sai cú pháp TOML{at} (ví dụ thiếu dấu nháy đóng hoặc dấu =). "
            "Hãy sửa tệp rồi chạy lại.",
            code="config_syntax",
        ) from None
    except ValidationError as exc:
        issues = issues_from_validation_error(
            exc,
            where=lambda loc: ".".join(str(p) for p in loc),
            code="config_invalid",
            file=str(path),
            templates={"greater_than_equal": "{input} phải từ {ge} trở lên"},
        )
        raise ConfigError(
            "Cấu hình không hợp lệ (tệp, biến môi trường TONGHOP_… hoặc tùy chọn dòng lệnh):\n  "
            + "\n  ".join(i.message for i in issues),
            code="config_invalid",
        ) from None
    except OSError as exc:
        raise ConfigError(
            f"Không đọc được tệp cấu hình {path} ({os_reason(exc)}).", code="config_unreadable"
        ) from None
    try:
        round_period(settings.round)
    except ValueError as exc:
        raise ConfigError(str(exc), code="round_invalid") from None
    return settings


def config_warnings() -> list[str]:
    """Keys of the config file that no setting reads (a typo is silently ignored otherwise), each with the
    nearest known key; empty when the file is absent or unreadable (`load_settings` says why)."""
    path = config_path()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    found: list[str] = []

    def check(table: dict[str, Any], model: type[BaseModel], prefix: str) -> None:
        known = set(model.model_fields)
        for key, value in table.items():
            if key in known:
                nested = model.model_fields[key].annotation
                if isinstance(value, dict) and isinstance(nested, type) and issubclass(nested, BaseModel):
                    check(value, nested, f"{prefix}{key}.")
                continue
            near = difflib.get_close_matches(key, sorted(known), n=1, cutoff=0.6)
            hint = f'; có phải ý bạn là "{prefix}{near[0]}"?' if near else ""
            found.append(f'Tệp {path}: khóa "{prefix}{key}" không có trong cấu hình nên bị bỏ qua{hint}')

    check(data, Settings, "")
    return found


def settings_from_json(settings_json: str) -> Settings:
    """Settings passed through Prefect as JSON, completed from the environment (the API key never travels)."""
    import json

    return Settings(**json.loads(settings_json))
