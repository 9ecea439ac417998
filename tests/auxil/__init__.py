"""Shared test helpers: the fake Bot API, the HTTP emulator, harnesses, a worker process."""

from pathlib import Path

__all__ = ["ROOT"]

# The project's folder (tests run from anywhere; subprocesses start here).
ROOT = Path(__file__).resolve().parents[2]
