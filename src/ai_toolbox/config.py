"""Settings: `AITB_*` environment variables, an optional TOML file, and defaults.

Everything the toolbox stores lives under `data_dir` unless `database_url` points elsewhere.
Nested sections use a double underscore in environment variables, e.g. `AITB_LLM__BACKEND`.
The TOML file is `$AITB_CONFIG`, else `<data_dir>/config.toml` when it exists.
Nothing else in the code reads `os.environ`.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field, ValidationError
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from ai_toolbox.errors import ConfigInvalid

DEFAULT_DATA_DIR = Path.home() / ".local" / "share" / "ai-toolbox"


class LlmSettings(BaseModel):
    """Which language model the tools use. `none` means the embedded defaults only."""

    backend: str = "none"
    per_tool: dict[str, str] = Field(default_factory=dict, description="tool name -> backend name")
    model_path: Path | None = Field(None, description="GGUF file for the llamacpp backend")
    model_sha256: str | None = Field(None, description="pinned SHA-256 of model_path, checked before loading")
    packaged_model: str = Field("qwen2.5-coder-1.5b-instruct-q4_k_m",
                                description="packaged model used when model_path is not set")
    models_dir: Path | None = Field(None, description="where packaged models are assembled; default <data_dir>/models")
    n_ctx: int = 4096
    n_threads: int | None = None
    base_url: str | None = Field(None, description="OpenAI-compatible endpoint, e.g. http://127.0.0.1:8080/v1")
    api_key: str | None = None
    model: str | None = None
    remote: bool = Field(True, description="Treat the openai backend as remote: pseudonymise PII first")
    timeout_s: float = 120.0
    retries: int = 2
    max_concurrency: int = 2
    temperature: float = 0.2


class DocumentSettings(BaseModel):
    """Limits and options for document ingest and the document tools."""

    max_file_mb: int = Field(200, description="Files larger than this are refused before parsing")
    max_pages: int = Field(2000, description="Pages read from one PDF; later pages are left out with a warning")
    max_ocr_pages: int = Field(50, description="Scanned pages OCR'd per document; more are left out with a warning")
    ocr_dpi: int = 150
    max_unzipped_mb: int = Field(500, description="DOCX/XLSX whose parts add up to more are refused (ZIP bombs)")
    max_zip_ratio: int = Field(200, description="Largest compression ratio accepted for a DOCX/XLSX part")
    max_sheet_rows: int = 100_000
    font_path: Path | None = Field(None, description="CJK font for generated PDFs and images (default: Noto CJK)")


class AnalysisSettings(BaseModel):
    """Data analysis: dataset size limits and the guard rails every query runs under."""

    max_dataset_mb: int = Field(1024, description="Largest file `data load` accepts")
    memory_limit: str = Field("1GB", description="DuckDB memory limit for questions")
    threads: int = 2
    timeout_s: float = Field(15.0, description="A question's query is interrupted after this long")
    row_limit: int = Field(10_000, description="Most rows a result returns")
    repairs: int = Field(2, description="LLM path: attempts to repair SQL that fails to run")
    rules_first: float = Field(
        0.0,
        description="With a model: the embedded parser answers when its answer is not a guess and its SQL "
        "uses at least this share of the question's words (above 1: always the model)",
    )


class TextSettings(BaseModel):
    """Text core: conversion, detection and PII redaction."""

    hash_salt: str = Field("ai-toolbox", description="Salt for the PII `hash` operator; set your own secret")
    mask_keep_last: int = Field(4, description="Characters the PII `mask` operator leaves visible")
    max_file_mb: int = Field(50, description="Largest DOCX/XLSX/text file the text tools accept")
    max_unpacked_mb: int = Field(300, description="Largest total unpacked size of a DOCX/XLSX (ZIP bomb guard)")


class AssistantSettings(BaseModel):
    """Knowledge bases and the enquiry assistant."""

    handoff_threshold: float = Field(0.45, description="Below this confidence the assistant hands off to a person")
    max_question_chars: int = 2000
    max_faq_rows: int = 20_000
    answer_sentences: int = 2
    public_rate_limit_per_minute: int = 20
    index_backend: Literal["local"] = Field(
        "local",
        description="local (numpy + bm25s on disk), the only one so far; a pgvector index would plug in "
        "behind the same Index protocol",
    )


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="AITB_",
        env_nested_delimiter="__",
        extra="ignore",
    )

    data_dir: Path = DEFAULT_DATA_DIR
    database_url: str | None = Field(
        None, description="SQLAlchemy URL; default sqlite:///<data_dir>/toolbox.db"
    )
    host: str = "127.0.0.1"
    port: int = 8000
    base_url: str | None = Field(None, description="Public URL of the server, for links in e-mails and docs")

    max_upload_mb: int = 200
    max_request_mb: int = Field(210, description="Bodies larger than this are refused before reading")
    max_text_chars: int = 5_000_000
    rate_limit_per_minute: int = 240
    public_rate_limit_per_minute: int = Field(20, description="sign-in attempts per client address a minute")
    rate_limit_store: Literal["auto", "memory", "database"] = Field(
        "auto",
        description="where request counts live: memory (this process only), database (shared by every "
        "process on the same database) or auto (database when the database is PostgreSQL or the server "
        "runs several workers)",
    )
    session_hours: int = 12
    password_min_length: int = 10
    argon2_time_cost: int = Field(3, description="Argon2id iterations for password hashes")
    argon2_memory_kib: int = Field(65536, description="Argon2id memory per password hash")
    secure_cookies: bool = False
    worker_threads: int = 1
    minutes_saved: dict[str, float] = Field(
        default_factory=dict, description="overrides of minutes saved per 'tool.action'"
    )
    store_raw_audit_default: bool = False
    llm: LlmSettings = Field(default_factory=LlmSettings)
    documents: DocumentSettings = Field(default_factory=DocumentSettings)
    analysis: AnalysisSettings = Field(default_factory=AnalysisSettings)
    text: TextSettings = Field(default_factory=TextSettings)
    assistant: AssistantSettings = Field(default_factory=AssistantSettings)

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        sources: list[PydanticBaseSettingsSource] = [init_settings, env_settings]
        toml_path = _toml_path()
        if toml_path is not None:
            sources.append(TomlConfigSettingsSource(settings_cls, toml_file=toml_path))
        return tuple(sources)

    @property
    def db_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.data_dir / 'toolbox.db'}"

    @property
    def is_sqlite(self) -> bool:
        return self.db_url.startswith("sqlite")

    def path(self, *parts: str) -> Path:
        """A path under the data directory, its parent created."""
        p = self.data_dir.joinpath(*parts)
        p.parent.mkdir(parents=True, exist_ok=True)
        return p


def _toml_path() -> Path | None:
    explicit = os.environ.get("AITB_CONFIG")
    if explicit:
        return Path(explicit)
    data_dir = Path(os.environ.get("AITB_DATA_DIR", DEFAULT_DATA_DIR))
    candidate = data_dir / "config.toml"
    return candidate if candidate.exists() else None


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, read once. Tests call `reset_settings()` after changing env.
    Values that do not fit raise `ConfigInvalid`, naming each as its environment variable."""
    try:
        settings = Settings()
    except ValidationError as exc:
        problems = "; ".join(_problem(e) for e in exc.errors())
        raise ConfigInvalid(
            f"Some settings are not valid: {problems}.",
            hint="Correct or remove them (environment variables, $AITB_CONFIG or <data dir>/config.toml).",
        ) from None
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    return settings


def _problem(error) -> str:  # type: ignore[no-untyped-def]
    name = "AITB_" + "__".join(str(part) for part in error["loc"]).upper()
    secret = any(w in name for w in ("KEY", "PASSWORD", "SECRET", "TOKEN", "SALT"))
    shown = "a hidden value" if secret else repr(error.get("input"))
    return f"{name}: {error['msg']} (got {shown})"


def reset_settings() -> Settings:
    """Forget cached settings and the database engine, e.g. after a test changed `AITB_*`."""
    get_settings.cache_clear()
    from ai_toolbox.storage import db

    db.dispose_engine()
    return get_settings()
