"""Logging policy: key=value lines with ids only; the token redacted; payload loggers held back."""

from __future__ import annotations

import logging

__all__ = ["RedactingFilter", "configure_logging", "quiet_payload_loggers"]

# Libraries that log message contents or SQL parameters at DEBUG (PTB: every request's
# parameters; aiosqlite: every statement with its values) or the token (httpx: request URLs).
_PAYLOAD_LOGGERS = {"telegram": logging.INFO, "aiosqlite": logging.INFO, "httpx": logging.WARNING}


class RedactingFilter(logging.Filter):
    """Replaces secrets (the bot token) wherever they appear in a log record."""

    def __init__(self, secrets: tuple[str, ...]) -> None:
        super().__init__()
        self.secrets = tuple(s for s in secrets if s)

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if any(secret in message for secret in self.secrets):
            for secret in self.secrets:
                message = message.replace(secret, "***")
            record.msg, record.args = message, None
        return True


def quiet_payload_loggers() -> None:
    """Hold back the loggers that would write names, answers or the token, at any level."""
    for name, level in _PAYLOAD_LOGGERS.items():
        logging.getLogger(name).setLevel(level)


def configure_logging(level: str, secrets: tuple[str, ...] = ()) -> None:
    """Root logging at ``level``, with the token redacted from every record."""
    logging.basicConfig(
        level=level.upper(), format="%(asctime)s %(levelname)s %(name)s %(message)s"
    )
    for handler in logging.getLogger().handlers:
        handler.addFilter(RedactingFilter(secrets))
    quiet_payload_loggers()
