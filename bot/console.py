"""The terminal channel: numbered buttons, typed answers and commands, same engine and store."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TextIO

from bot.conversation import Conversations
from bot.i18n import Catalogs
from bot.i18n.burmese import to_unicode
from bot.i18n.render import SELECTED, Rendered, render, to_plain
from dialogs import actions
from dialogs.engine import Step
from dialogs.events import Answer, Command, CommandName, Event, Start, Text, command_word

__all__ = ["Console", "parse_input"]


@dataclass
class Console:
    """One person's conversation in a terminal (or through a pipe)."""

    conversations: Conversations
    catalogs: Catalogs
    user: str
    out: TextIO
    buttons: tuple[tuple[str, str], ...] = ()

    async def start(self, locale: str | None) -> None:
        """Greet (or welcome back); with a language given, answer the language question."""
        step = await self._handle(Start(locale))
        self.show(step)
        if locale and step.session.state.value == "language":
            self.show(await self._handle(Answer("language", locale)))

    async def feed(self, line: str) -> None:
        """Handle one line typed by the person."""
        event = parse_input(line, self.buttons)
        if event is not None:
            self.show(await self._handle(event))

    async def _handle(self, event: Event) -> Step:
        step = await self.conversations.handle(self.user, event)
        assert step is not None
        return step

    def show(self, step: Step) -> None:
        """Print the replies in the session's language (or their own), buttons numbered from 1."""
        buttons: list[tuple[str, str]] = []
        for reply in step.replies:
            # A reply may name its own locale (the counter card is always Japanese).
            rendered = render(reply, self.catalogs.translator(reply.locale or step.session.locale))
            self.out.write(to_plain(rendered.text) + "\n")
            buttons += self._print_buttons(rendered, len(buttons))
            self.out.write("\n")
        self.buttons = tuple(buttons)
        self.out.flush()

    def _print_buttons(self, rendered: Rendered, offset: int) -> list[tuple[str, str]]:
        flat = [b for row in rendered.buttons for b in row]
        for number, (label, _data) in enumerate(flat, start=offset + 1):
            self.out.write(f"  [{number}] {label}\n")
        return flat


def parse_input(line: str, buttons: Sequence[tuple[str, str]]) -> Event | None:
    """A number, a button's text, an option id, a /command, or else free text."""
    typed = to_unicode(line.strip())  # Zawgyi Burmese becomes Unicode before any matching
    if not typed:
        return None
    name = command_word(typed)
    if name is not None:
        if name == "start":
            return Start()
        if name in {c.value for c in CommandName}:
            return Command(CommandName(name))
        return Text(typed)
    data = _button_for(typed, buttons)
    if data is not None:
        return actions.parse(data) or Text(typed)
    return Text(typed)


def _spellings(label: str) -> set[str]:
    """A label as typed: whole, or without the official Japanese name the bot shows beside it."""
    whole = label.casefold()
    translation = re.sub(r"\s*[（(][^（()）]*[）)]$", "", whole)
    return {whole, translation}


def _button_for(typed: str, buttons: Sequence[tuple[str, str]]) -> str | None:
    if typed.isdigit() and 1 <= int(typed) <= len(buttons):
        return buttons[int(typed) - 1][1]
    wanted = typed.casefold()
    for label, data in buttons:
        option = data.rsplit(":", 1)[-1]
        if wanted in _spellings(label.removeprefix(SELECTED)) or option == wanted:
            return data
    return None
