"""The web channel's app on a fresh SQLite file, and aiohttp's test client around it."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot.app import App, build_app
from bot.config import Settings
from bot.web.server import RUNNER_OPTIONS, build_web_app

MakeClient = Callable[..., Awaitable[tuple[TestClient[Any, Any], App]]]


def web_settings(tmp_path: Path, **extra: Any) -> Settings:
    return Settings(  # type: ignore[call-arg]
        DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / 'web.db'}", **extra
    )


@pytest.fixture
async def make_client(tmp_path: Path) -> AsyncIterator[MakeClient]:
    made: list[tuple[TestClient[Any, Any], App]] = []

    async def make(**extra: Any) -> tuple[TestClient[Any, Any], App]:
        app = await build_app(web_settings(tmp_path, **extra))
        server = TestServer(build_web_app(app))
        await server.start_server(**RUNNER_OPTIONS)  # as `tsunagu web` runs it
        client = TestClient(server)
        await client.start_server()
        made.append((client, app))
        return client, app

    yield make
    for client, app in made:
        await client.close()
        await app.close()
