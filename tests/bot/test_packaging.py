"""What a user installing the package gets: everything it reads ships inside, and clear errors."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import bot.config
from bot.cli import main
from tests.auxil import ROOT


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project built as a wheel and installed (without its dependencies) into a folder."""
    work = tmp_path_factory.mktemp("wheel")
    # From a copy: setuptools builds in the source folder, and a stale build/ there would put
    # files that no longer exist into the wheel.
    source = work / "source"
    junk = shutil.ignore_patterns(".venv", ".git", "build", "*.egg-info", "__pycache__", "*.db*")
    shutil.copytree(ROOT, source, ignore=junk)
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q"]
    subprocess.run([*pip, "wheel", "--no-deps", "-w", str(work), str(source)], check=True)
    (wheel,) = work.glob("tsunagu-*.whl")
    target = work / "site"
    subprocess.run([*pip, "install", "--no-deps", "--target", str(target), str(wheel)], check=True)
    return target


def _run_installed(site: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    # The installed copy comes first on the path; the checkout is not the working folder.
    env = {
        **os.environ,
        "PYTHONPATH": str(site),
        "DATABASE_URL": f"sqlite+aiosqlite:///{cwd / 'x.db'}",
    }
    return subprocess.run(
        [sys.executable, *args], cwd=cwd, env=env, capture_output=True, text=True, check=False
    )


def test_the_installed_package_screens_from_another_folder(
    installed: Path, tmp_path: Path
) -> None:
    where = _run_installed(installed, tmp_path, "-c", "import bot, locales; print(bot.__file__)")
    assert where.stdout.startswith(str(installed)), where.stderr
    done = _run_installed(
        installed,
        tmp_path,
        "-m",
        "bot.cli",
        "simulate",
        "--lang",
        "vi",
        "--answer",
        "status=titp",
        "--answer",
        "situation=lost_job",
        "--answer",
        "cause=bankruptcy",
        "--answer",
        "wish_ssw=yes",
        "--answer",
        "contract=yes",
        "--answer",
        "field=care",
        "--answer",
        "prefecture=tokyo",
        "--json",
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["outcome"] == "apply_change_of_status"
    shown = "".join(result["messages"]).lower()
    assert "thẻ lưu trú" in shown, "Vietnamese from the installed catalogs"
    assert list(installed.glob("locales/vi/LC_MESSAGES/messages.po"))
    assert list(installed.glob("dialogs/content/offices.yaml"))


def test_a_postgresql_url_without_the_driver_says_what_to_install(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql+asyncpg://u:p@127.0.0.1/db")
    monkeypatch.setattr(bot.config, "find_spec", lambda name: None)
    assert main(["db", "current"]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1, err
    assert "DATABASE_URL" in err and "pip install 'tsunagu[postgres]'" in err
