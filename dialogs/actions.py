"""The button codec: ``a:<question>:<option>``, ``c:<command>``, ``f:<screen>`` (≤ 64 bytes)."""

from __future__ import annotations

from dialogs.events import Answer, Command, CommandName, Unclear
from dialogs.feedback import parse_feedback

__all__ = ["MAX_BYTES", "answer_data", "command_data", "parse"]

# Telegram rejects callback_data longer than 64 bytes (Bot API, InlineKeyboardButton).
MAX_BYTES = 64


def answer_data(question: str, option: str) -> str:
    """Encode an answer button."""
    data = f"a:{question}:{option}"
    if len(data.encode()) > MAX_BYTES:
        raise ValueError(f"button data over {MAX_BYTES} bytes: {data!r}")
    return data


def command_data(name: CommandName) -> str:
    """Encode a command button."""
    return f"c:{name.value}"


def parse(data: str) -> Answer | Command | Unclear | None:
    """Decode button data; anything malformed or forged gives ``None``."""
    if len(data.encode()) > MAX_BYTES:
        return None
    kind, _, rest = data.partition(":")
    if kind == "a":
        return _answer(rest)
    if kind == "f":
        screen = parse_feedback(data)
        return Unclear(screen) if screen else None
    if kind == "c" and rest in _COMMANDS:
        return Command(CommandName(rest))
    return None


_COMMANDS = frozenset(c.value for c in CommandName)


def _answer(rest: str) -> Answer | None:
    question, sep, option = rest.partition(":")
    if sep and _is_token(question) and option and all(_is_token(p) for p in option.split(":")):
        return Answer(question, option)
    return None


def _is_token(part: str) -> bool:
    return bool(part) and all(ch.isascii() and (ch.isalnum() or ch in "_-") for ch in part)
