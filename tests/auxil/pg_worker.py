"""One bot process of the two-process test: handles a script of updates against one database."""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path

from bot.config import LOCALES_DIR
from bot.conversation import Conversations
from bot.i18n import Catalogs
from bot.storage import Database, Store
from dialogs.content import load_content
from dialogs.engine import Engine
from dialogs.events import Answer, Event, Start


def _event(question: str, option: str) -> Event:
    return Start("vi") if question == "start" else Answer(question, option)


async def main(url: str, script: Path) -> None:
    """Each person's updates in order, everyone at once, as a bot behind a webhook would."""
    plan: dict[str, list[list[object]]] = json.loads(script.read_text())
    database = Database(url)
    store = Store(database)
    conversations = Conversations(Engine(load_content(), Catalogs(LOCALES_DIR).available), store)

    async def person(user: str, steps: list[list[object]]) -> None:
        for update_id, question, option in steps:
            await conversations.handle(
                user, _event(str(question), str(option)), update_id=int(str(update_id))
            )

    await asyncio.gather(*(person(user, steps) for user, steps in plan.items()))
    await store.close()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], Path(sys.argv[2])))
