"""Engine speed: steps per second and microseconds per step over a full screening."""

from __future__ import annotations

import platform
import time

from bot.config import LOCALES_DIR
from bot.i18n import Catalogs
from dialogs.content import load_content
from dialogs.engine import Engine
from dialogs.events import Answer, Event, Start, Text

SCREENING: list[Event] = [
    Start("vi"),
    Answer("language", "vi"),
    Answer("privacy", "agree"),
    Answer("role", "applicant"),
    Answer("status", "titp"),
    Answer("situation", "lost_job"),
    Answer("cause", "bankruptcy"),
    Answer("wish_ssw", "yes"),
    Answer("contract", "yes"),
    Answer("field", "electronics"),
    Answer("manufacturing_basis", "titp2_related"),
    Text("Tô-ky-ô"),
    Answer("review", "confirm"),
]
ROUNDS = 2_000


def main() -> None:
    engine = Engine(load_content(), Catalogs(LOCALES_DIR).available)
    for _ in range(50):  # warm-up
        _screening(engine)
    start = time.perf_counter()
    for _ in range(ROUNDS):
        _screening(engine)
    elapsed = time.perf_counter() - start
    steps = ROUNDS * len(SCREENING)
    machine = platform.processor() or platform.machine()
    print(f"machine: {machine}, Python {platform.python_version()}")
    print(f"engine: {steps} steps in {elapsed:.2f} s")
    print(
        f"engine: {steps / elapsed:,.0f} steps/s, {elapsed / steps * 1e6:.1f} µs/step, "
        f"{elapsed / ROUNDS * 1e3:.2f} ms per full screening ({len(SCREENING)} steps)"
    )


def _screening(engine: Engine) -> None:
    session = engine.new_session("bench")
    for event in SCREENING:
        session = engine.step(session, event).session


if __name__ == "__main__":
    main()
