"""Black-box benchmark: the real bot process over HTTP, a crowd at once, Telegram's limits.

Runs `tsunagu run` (long polling, SQLite file pre-filled with stored conversations) and the
conventional bot in bench/baseline_bot.py, one after the other, each as its own process against
the test emulator with Telegram's limits on (bench/limits.py). N people send /start at the same
moment; each then presses the next button (or types the prefecture) 1–2 s (seeded) after the
last question arrived, through a whole screening. Measured from outside the bot only.

    python bench/bench_blackbox.py                      # quick: 20 people, 0 stored
    python bench/bench_blackbox.py --people 200 --stored 0 10000 100000
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # tests.auxil: the emulator and its fake Bot API

from baseline_bot import seed_pickle  # noqa: E402 (bench/ is on the path as the script's folder)
from fill import FIRST_FILLED_USER, fill  # noqa: E402
from limits import BenchEmulator, limited_emulator  # noqa: E402

from tests.auxil.fakes import TOKEN, button_update, text_update  # noqa: E402
from tests.auxil.screening import SCREENING  # noqa: E402

READING_S = (1.0, 2.0)  # a person reads this long (uniform) before the next press
START_TIMEOUT_S = 60.0
STOP_TIMEOUT_S = 120.0  # the baseline writes its whole pickle file while stopping


@dataclass
class Person:
    """One simulated person: where each button they may press is, and what they wait for."""

    user_id: int
    expect: str = ""
    arrived: asyncio.Event = field(default_factory=asyncio.Event)
    holders: dict[str, int] = field(default_factory=dict)  # callback data -> message id


@dataclass
class Figures:
    """What one run measured."""

    bot: str
    stored: int
    people: int
    steps: int = 0
    answered: int = 0
    latencies: list[float] = field(default_factory=list)
    elapsed_s: float = 0.0
    reading_s: float = 0.0  # the slowest reader's reading time: the run can't be shorter
    too_many: int = 0
    unanswered_callbacks: int = 0
    peak_rss_mib: float = 0.0
    cpu_s: float = 0.0  # the bot process's CPU time (user + system), start-up included
    start_s: float = 0.0
    stop_s: float = 0.0
    load: str = ""

    def lines(self) -> list[str]:
        q = (
            statistics.quantiles(self.latencies, n=100, method="inclusive")
            if len(self.latencies) > 1
            else [0] * 99
        )
        return [
            f"{self.bot}, {self.stored:,} stored, {self.people} people (load {self.load})",
            f"  start → first getUpdates {self.start_s:.2f} s; "
            f"peak RSS {self.peak_rss_mib:.1f} MiB"
            f"; SIGTERM → exit {'killed' if self.stop_s < 0 else f'{self.stop_s:.1f} s'}",
            f"  answered {self.answered}/{self.steps} steps in {self.elapsed_s:.1f} s: "
            f"{self.answered / self.elapsed_s if self.elapsed_s else 0:.1f} updates/s "
            f"(the people offer {self.steps / self.reading_s if self.reading_s else 0:.1f})",
            f"  press → answer p50 {q[49] * 1e3:.0f} ms, p95 {q[94] * 1e3:.0f} ms, "
            f"p99 {q[98] * 1e3:.0f} ms, max {max(self.latencies, default=0) * 1e3:.0f} ms",
            f"  HTTP 429 returned {self.too_many}; callback queries never answered "
            f"{self.unanswered_callbacks}",
            f"  bot CPU {self.cpu_s:.1f} s: "
            f"{self.cpu_s / self.answered * 1e3 if self.answered else 0:.1f} ms per answered step",
        ]


class Crowd:
    """The people, told by the emulator whenever one of their chats shows new buttons."""

    def __init__(self, people: int) -> None:
        self.people = {user_id: Person(user_id) for user_id in range(1, people + 1)}

    def shown(self, chat_id: int, message_id: int, buttons: list[str]) -> None:
        person = self.people.get(chat_id)
        if person is None:
            return
        for data in buttons:
            person.holders[data] = message_id
        if person.expect and any(data.startswith(person.expect) for data in buttons):
            person.arrived.set()

    def act(self, emulator: BenchEmulator, person: Person, action: str) -> None:
        if action.startswith(("a:", "c:")):
            update = button_update(person.user_id, action, person.holders[action])
        else:
            update = text_update(person.user_id, action)
        emulator.push(update)

    async def walk(
        self, emulator: BenchEmulator, person: Person, seed: int, figures: Figures, timeout: float
    ) -> None:
        rng = random.Random(seed * 1_000_003 + person.user_id)
        readings = [rng.uniform(*READING_S) for _ in SCREENING[1:]]
        figures.reading_s = max(figures.reading_s, sum(readings))
        for number, (action, expect) in enumerate(SCREENING):
            if number:
                await asyncio.sleep(readings[number - 1])
            person.expect = expect
            person.arrived.clear()
            started = time.monotonic()
            self.act(emulator, person, action)
            figures.steps += 1
            try:
                await asyncio.wait_for(person.arrived.wait(), timeout)
            except TimeoutError:
                return  # they give up: the rest of their steps are never offered
            figures.latencies.append(time.monotonic() - started)
            figures.answered += 1


def _peak_rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _cpu_s(pid: int) -> float:
    # /proc/PID/stat: utime and stime, in clock ticks, are fields 14 and 15 (after the name).
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def _command(bot: str, tmp: Path) -> list[str]:
    if bot == "tsunagu":
        return [sys.executable, "-m", "bot.cli", "run"]
    return [sys.executable, str(ROOT / "bench" / "baseline_bot.py"), str(tmp / "baseline.pickle")]


def _prepare(bot: str, stored: int, tmp: Path) -> None:
    if bot == "tsunagu":
        fill(f"sqlite:///{tmp / 'tsunagu.db'}", stored)
    else:
        seed_pickle(tmp / "baseline.pickle", stored, FIRST_FILLED_USER)


async def run_one(bot: str, stored: int, people: int, seed: int, timeout: float) -> Figures:
    """Start ``bot`` against a fresh emulator, let the crowd through, stop it."""
    figures = Figures(bot, stored, people, load=_load())
    crowd = Crowd(people)
    emulator = limited_emulator(crowd.shown)
    await emulator.start()
    with tempfile.TemporaryDirectory(prefix="tsunagu-blackbox-") as folder:
        tmp = Path(folder)
        _prepare(bot, stored, tmp)
        env = {
            **os.environ,
            "TELEGRAM_BOT_TOKEN": TOKEN,
            "TELEGRAM_API_BASE_URL": emulator.base_url,
            "TELEGRAM_API_FILE_URL": f"http://127.0.0.1:{emulator.port}/file/bot",
            "DATABASE_URL": f"sqlite+aiosqlite:///{tmp / 'tsunagu.db'}",
            "TSUNAGU_LOG_LEVEL": "WARNING",
        }
        log = (tmp / "bot.log").open("w")
        spawned = time.monotonic()
        process = subprocess.Popen(  # spawning is instant: timed from here
            _command(bot, tmp), env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT
        )
        try:
            await _until_polling(emulator, process, spawned)
            figures.start_s = (emulator.first_poll or spawned) - spawned
            started = time.monotonic()
            await asyncio.gather(
                *(crowd.walk(emulator, p, seed, figures, timeout) for p in crowd.people.values())
            )
            figures.elapsed_s = time.monotonic() - started
            await asyncio.sleep(1.0)  # answers to the last presses still on their way
            figures.peak_rss_mib = _peak_rss_mib(process.pid)
            figures.cpu_s = _cpu_s(process.pid)
        finally:
            figures.stop_s = await _stop(process)
            log.close()
            if process.returncode not in (0, -15, -9):
                print((tmp / "bot.log").read_text()[-3000:], file=sys.stderr)
    await emulator.stop()
    figures.too_many = emulator.too_many_requests
    figures.unanswered_callbacks = emulator.unanswered_callbacks
    return figures


async def _stop(process: subprocess.Popen[bytes]) -> float:
    """SIGTERM, then the seconds until it exited (-1: killed after STOP_TIMEOUT_S)."""
    stopping = time.monotonic()
    process.terminate()
    try:
        await asyncio.to_thread(process.wait, STOP_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        process.kill()
        await asyncio.to_thread(process.wait)
        return -1.0
    return time.monotonic() - stopping


async def _until_polling(emulator: BenchEmulator, process: subprocess.Popen[bytes], t0: float):  # type: ignore[no-untyped-def]
    while emulator.first_poll is None:
        if process.poll() is not None:
            raise RuntimeError(f"the bot exited with {process.returncode} before polling")
        if time.monotonic() - t0 > START_TIMEOUT_S:
            raise RuntimeError("the bot did not poll within a minute")
        await asyncio.sleep(0.005)


def _machine() -> str:
    model = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.machine(),
    )
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    return (
        f"{dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC, commit {commit}, {os.cpu_count()} cores "
        f"({model}), Python {platform.python_version()}"
    )


async def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, nargs="+", default=[20], help="default: 20")
    parser.add_argument("--stored", type=int, nargs="+", default=[0], help="default: 0")
    parser.add_argument("--bots", nargs="+", choices=["tsunagu", "baseline"], default=None)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--timeout", type=float, default=60.0, help="a person gives up (s)")
    args = parser.parse_args(argv)
    print(f"black-box: {_machine()}")
    for people in args.people:
        for stored in args.stored:
            for bot in args.bots or ["tsunagu", "baseline"]:
                figures = await run_one(bot, stored, people, args.seed, args.timeout)
                print("\n".join(figures.lines()), flush=True)


if __name__ == "__main__":
    asyncio.run(main())
