"""A pseudo-locale: every catalog text accented and bracketed, so text that skips gettext shows."""

from __future__ import annotations

import io
import re
from typing import TYPE_CHECKING

from babel.support import Translations

if TYPE_CHECKING:
    from babel.messages.catalog import Catalog

__all__ = ["CLOSE", "OPEN", "PSEUDO_LOCALE", "pseudo_text", "pseudo_translations"]

# Private-use tag: Babel and Telegram know no such language, so it can never reach a person.
PSEUDO_LOCALE = "en_XA"
OPEN, CLOSE = "⟦", "⟧"
_ACCENTED = str.maketrans(
    "AEIOUYaeiouycnsz",
    "ÅĒÎØÜÝåēîøüýçñšž",
)
# Placeholders and tags must survive untouched: the bot fills and Telegram parses them.
_KEEP = re.compile(r"(\{\w*\}|<[^<>]*>|&\w+;)")


def pseudo_text(text: str) -> str:
    """``Choose your region`` → ``⟦Çhøøšē ýøür rēgîøñ⟧``, placeholders and tags kept."""
    parts = _KEEP.split(text)
    accented = "".join(p if _KEEP.fullmatch(p) else p.translate(_ACCENTED) for p in parts)
    return f"{OPEN}{accented}{CLOSE}"


def pseudo_translations(template: Catalog) -> Translations:
    """Compiled translations of every template entry into the pseudo-locale."""
    # Babel's catalog tools only when the pseudo-locale is asked for (bench/README.md).
    from babel.messages.catalog import Catalog  # noqa: PLC0415
    from babel.messages.mofile import write_mo  # noqa: PLC0415

    catalog = Catalog(locale="en", domain="messages")
    for message in template:
        if message.id:
            catalog.add(message.id, pseudo_text(str(message.id)), context=message.context)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return Translations(buffer, domain="messages")
