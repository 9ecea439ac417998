"""One frozen Settings object read from the environment (and an optional .env) at start."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from dialogs.content import DEFAULT_DIR as CONTENT_DIR

__all__ = ["LOCALES_DIR", "Settings", "SettingsError", "load_settings"]

LOCALES_DIR = Path(__file__).resolve().parents[1] / "locales"


class SettingsError(ValueError):
    """A setting is missing or invalid; the message names the environment variable."""


class Settings(BaseSettings):
    """Everything configurable, with the embedded defaults `make chat` runs on."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore", frozen=True)

    database_url: str = Field(
        default="sqlite+aiosqlite:///tsunagu.db", validation_alias="DATABASE_URL"
    )
    content_dir: Path = Field(default=CONTENT_DIR, validation_alias="TSUNAGU_CONTENT_DIR")
    locales_dir: Path = Field(default=LOCALES_DIR, validation_alias="TSUNAGU_LOCALES_DIR")
    log_level: str = Field(default="WARNING", validation_alias="TSUNAGU_LOG_LEVEL")

    @field_validator("database_url")
    @classmethod
    def _known_driver(cls, value: str) -> str:
        if not value.startswith(("sqlite+aiosqlite://", "postgresql+asyncpg://")):
            raise ValueError("must start with sqlite+aiosqlite:// or postgresql+asyncpg://")
        return value

    @field_validator("content_dir", "locales_dir")
    @classmethod
    def _is_directory(cls, value: Path) -> Path:
        if not value.is_dir():
            raise ValueError(f"{value} is not a directory")
        return value


_ENV_NAMES = {
    "database_url": "DATABASE_URL",
    "content_dir": "TSUNAGU_CONTENT_DIR",
    "locales_dir": "TSUNAGU_LOCALES_DIR",
    "log_level": "TSUNAGU_LOG_LEVEL",
}


def load_settings() -> Settings:
    """Read the settings once; a bad value raises SettingsError naming the variable."""
    try:
        return Settings()
    except ValidationError as exc:
        error = exc.errors()[0]
        name = str(error["loc"][0]) if error["loc"] else "?"
        raise SettingsError(f"{_ENV_NAMES.get(name, name)}: {error['msg']}") from exc
