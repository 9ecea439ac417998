"""The deployment files stay true to the code: every setting documented, units that can work."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from bot.config import Settings
from tests.auxil import ROOT

DEPLOY = ROOT / "deploy"


def test_env_example_documents_every_setting() -> None:
    text = (DEPLOY / "env.example").read_text(encoding="utf-8")
    listed = set(re.findall(r"^#?([A-Z][A-Z0-9_]+)=", text, re.MULTILINE))
    settings = {str(f.validation_alias) for f in Settings.model_fields.values()}
    assert settings <= listed, f"not in deploy/env.example: {sorted(settings - listed)}"


def test_compose_runs_the_bot_on_postgresql_published_locally() -> None:
    compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text(encoding="utf-8"))
    bot = compose["services"]["bot"]
    assert bot["environment"]["DATABASE_URL"].startswith("postgresql+asyncpg://")
    assert all(port.startswith("127.0.0.1:") for port in bot["ports"])
    assert bot["depends_on"]["db"]["condition"] == "service_healthy"


def test_container_runs_as_a_user_with_compiled_catalogs() -> None:
    dockerfile = (DEPLOY / "Dockerfile").read_text(encoding="utf-8")
    assert re.search(r"^USER (?!root)\w+", dockerfile, re.MULTILINE)
    assert "tsunagu i18n compile" in dockerfile
    for copied in re.findall(r"^COPY (\S+)", dockerfile, re.MULTILINE):
        assert (DEPLOY.parent / copied).exists(), copied


def test_systemd_unit_runs_the_webhook_as_its_own_user() -> None:
    unit = (DEPLOY / "tsunagu.service").read_text(encoding="utf-8")
    assert "User=tsunagu" in unit and "tsunagu run --webhook" in unit
    assert "EnvironmentFile=" in unit and "Restart=on-failure" in unit


@pytest.mark.skipif(shutil.which("docker-compose") is None, reason="needs docker-compose")
def test_compose_file_is_valid_for_docker_compose(tmp_path: Path) -> None:
    # The file is read as Docker Compose reads it, with the .env made from env.example. (It is not
    # brought up here: postgres:16 comes from a registry these machines cannot reach; the image
    # tests in tests/deploy run the bot's image against a PostgreSQL server instead.)
    shutil.copytree(DEPLOY, tmp_path / "deploy")
    shutil.copy(DEPLOY / "env.example", tmp_path / "deploy" / ".env")
    done = subprocess.run(
        ["docker-compose", "-f", "compose.yaml", "config", "-q"],
        cwd=tmp_path / "deploy",
        env={**os.environ, "POSTGRES_PASSWORD": "test"},
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr


def _exported_metrics() -> set[str]:
    from bot.metrics import REGISTRY  # noqa: PLC0415 (only this test needs the registry)

    # A labelled counter has no sample before its first count: name it as Prometheus will.
    families = list(REGISTRY.collect())
    return {f.name for f in families} | {
        f.name + "_total" for f in families if f.type == "counter"
    }


def _named_metrics(exprs: list[str]) -> set[str]:
    return {m for expr in exprs for m in re.findall(r"\btsunagu_[a-z0-9_]+", expr)}


def test_alerts_and_dashboard_name_only_metrics_the_bot_exports() -> None:
    rules = yaml.safe_load((DEPLOY / "prometheus-alerts.yml").read_text(encoding="utf-8"))
    alerts = [rule["expr"] for group in rules["groups"] for rule in group["rules"]]
    dashboard = json.loads((DEPLOY / "grafana-dashboard.json").read_text(encoding="utf-8"))
    panels = [t["expr"] for panel in dashboard["panels"] for t in panel["targets"]]
    exported = _exported_metrics()
    for exprs in (alerts, panels):
        named = _named_metrics(exprs)
        assert named, "the file names Tsunagu's metrics"
        assert named <= exported, f"not exported: {sorted(named - exported)}"
    for needed in ("errors", "too_many_requests", "handoff_oldest_wait", "staff_post_oldest_age"):
        assert any(needed in expr for expr in alerts), f"no alert on {needed}"
