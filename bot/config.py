"""One frozen Settings object read from the environment (and an optional .env) at start."""

from __future__ import annotations

import re
from importlib.util import find_spec
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, ValidationError, field_validator
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

    telegram_bot_token: SecretStr | None = Field(
        default=None, validation_alias="TELEGRAM_BOT_TOKEN"
    )
    # python-telegram-bot's base_url: the token is appended (a self-hosted Bot API server or a
    # test emulator: http://127.0.0.1:8081/bot).
    telegram_api_base_url: str = Field(
        default="https://api.telegram.org/bot", validation_alias="TELEGRAM_API_BASE_URL"
    )
    telegram_api_file_url: str = Field(
        default="https://api.telegram.org/file/bot", validation_alias="TELEGRAM_API_FILE_URL"
    )
    telegram_webhook_url: str | None = Field(default=None, validation_alias="TELEGRAM_WEBHOOK_URL")
    telegram_webhook_listen: str = Field(
        default="127.0.0.1", validation_alias="TELEGRAM_WEBHOOK_LISTEN"
    )
    telegram_webhook_port: int = Field(
        default=8443, ge=1, le=65535, validation_alias="TELEGRAM_WEBHOOK_PORT"
    )
    telegram_webhook_path: str = Field(
        default="telegram", validation_alias="TELEGRAM_WEBHOOK_PATH"
    )
    telegram_webhook_secret: SecretStr | None = Field(
        default=None, validation_alias="TELEGRAM_WEBHOOK_SECRET"
    )

    # Conversations idle longer than this are erased (hourly while running; `tsunagu purge`).
    retention_days: int = Field(
        default=90, ge=1, le=3650, validation_alias="TSUNAGU_RETENTION_DAYS"
    )

    # Migrate the schema at start; with several processes, set false and run `tsunagu db upgrade`.
    db_upgrade_at_start: bool = Field(default=True, validation_alias="TSUNAGU_DB_UPGRADE_AT_START")

    # Adds the pseudo-locale en-XA (every text ⟦åççēñtēd⟧): text that skips gettext stands out.
    pseudo_locale: bool = Field(default=False, validation_alias="TSUNAGU_PSEUDO_LOCALE")

    # The staff side (bot.staff): a supergroup with topics where staff take conversations over.
    staff_chat_id: int | None = Field(default=None, lt=0, validation_alias="TSUNAGU_STAFF_CHAT_ID")
    staff_locale: str = Field(default="ja", validation_alias="TSUNAGU_STAFF_LOCALE")
    office_hours: str = Field(
        default="09:00-17:00",
        pattern=r"^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-4]):[0-5]\d$",
        validation_alias="TSUNAGU_OFFICE_HOURS",
    )
    office_days: str = Field(
        default="mon-fri",
        pattern=r"^(mon|tue|wed|thu|fri|sat|sun)(-(mon|tue|wed|thu|fri|sat|sun))?$",
        validation_alias="TSUNAGU_OFFICE_DAYS",
    )
    office_timezone: str = Field(default="Asia/Tokyo", validation_alias="TSUNAGU_OFFICE_TIMEZONE")
    # Telegram takes about 20 messages a minute in one group (Bot API FAQ).
    staff_group_per_minute: int = Field(
        default=20, ge=1, le=20, validation_alias="TSUNAGU_STAFF_GROUP_PER_MINUTE"
    )

    # The web channel (`tsunagu web`): the screening as a web page, behind a TLS reverse proxy.
    web_listen: str = Field(default="127.0.0.1", validation_alias="TSUNAGU_WEB_LISTEN")
    web_port: int = Field(default=8080, ge=1, le=65535, validation_alias="TSUNAGU_WEB_PORT")
    # The page's public address (the QR code; https makes the cookie Secure).
    web_url: str = Field(default="http://127.0.0.1:8080/", validation_alias="TSUNAGU_WEB_URL")
    # Behind a proxy every request comes from it: read the address it appends to X-Forwarded-For.
    web_trust_proxy: bool = Field(default=False, validation_alias="TSUNAGU_WEB_TRUST_PROXY")
    web_requests_per_minute: int = Field(
        default=120, ge=1, le=10_000, validation_alias="TSUNAGU_WEB_REQUESTS_PER_MINUTE"
    )

    @field_validator("office_timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError("is not an IANA time zone such as Asia/Tokyo") from exc
        return value

    @field_validator("telegram_bot_token")
    @classmethod
    def _token_shape(cls, value: SecretStr | None) -> SecretStr | None:
        # BotFather tokens look like 123456:ABC-DEF…; catching a pasted URL or quote early.
        if value is not None and not re.fullmatch(r"\d+:[\w-]{20,}", value.get_secret_value()):
            raise ValueError("is not a bot token (expected digits, a colon, then 20+ characters)")
        return value

    @field_validator(
        "telegram_api_base_url", "telegram_api_file_url", "telegram_webhook_url", "web_url"
    )
    @classmethod
    def _http_url(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("http://", "https://")):
            raise ValueError("must start with http:// or https://")
        return value

    @field_validator("telegram_webhook_secret")
    @classmethod
    def _secret_shape(cls, value: SecretStr | None) -> SecretStr | None:
        # Bot API setWebhook: 1-256 characters, only A-Z, a-z, 0-9, _ and -.
        if value is not None and not re.fullmatch(
            r"[A-Za-z0-9_-]{1,256}", value.get_secret_value()
        ):
            raise ValueError("must be 1-256 characters of A-Z, a-z, 0-9, _ and -")
        return value

    def require(self, *names: str) -> None:
        """Fail naming the first of ``names`` (field names) that is not set."""
        for name in names:
            if getattr(self, name) in (None, ""):
                raise SettingsError(f"{_ENV_NAMES[name]}: is required for this command")

    @field_validator("database_url")
    @classmethod
    def _known_driver(cls, value: str) -> str:
        if not value.startswith(("sqlite+aiosqlite://", "postgresql+asyncpg://")):
            raise ValueError("must start with sqlite+aiosqlite:// or postgresql+asyncpg://")
        if value.startswith("postgresql+asyncpg://") and find_spec("asyncpg") is None:
            # The driver is an optional dependency: say how to get it, not a traceback later.
            raise ValueError("needs the PostgreSQL driver: pip install 'tsunagu[postgres]'")
        return value

    @field_validator("content_dir", "locales_dir")
    @classmethod
    def _is_directory(cls, value: Path) -> Path:
        if not value.is_dir():
            raise ValueError(f"{value} is not a directory")
        return value


# Field name → the environment variable people set (for one-line error messages).
_ENV_NAMES = {
    name: str(field.validation_alias or name.upper())
    for name, field in Settings.model_fields.items()
}


def load_settings() -> Settings:
    """Read the settings once; a bad value raises SettingsError naming the variable."""
    try:
        return Settings()
    except ValidationError as exc:
        error = exc.errors()[0]
        name = str(error["loc"][0]) if error["loc"] else "?"
        raise SettingsError(f"{_ENV_NAMES.get(name, name)}: {error['msg']}") from exc
