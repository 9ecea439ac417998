"""`tsunagu diagram`: the state diagram, Mermaid and PNG, drawn from the transition table."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from dialogs.flow import graphviz_source, mermaid_diagram

__all__ = ["DiagramError", "write_diagram"]


class DiagramError(RuntimeError):
    """The PNG cannot be drawn here (Graphviz's ``dot`` is missing or failed)."""


def write_diagram(out: Path) -> list[Path]:
    """Write ``flow.mmd`` and ``flow.png`` into ``out``; returns the files written."""
    out.mkdir(parents=True, exist_ok=True)
    mermaid = out / "flow.mmd"
    mermaid.write_text(mermaid_diagram(), encoding="utf-8")
    dot = shutil.which("dot")
    if dot is None:
        raise DiagramError(
            f"wrote {mermaid}; for the PNG install Graphviz (apt-get install graphviz)"
        )
    png = out / "flow.png"
    done = subprocess.run(  # noqa: S603 (Graphviz from PATH, fixed arguments)
        [dot, "-Tpng", "-Gdpi=80", "-o", str(png)],
        input=graphviz_source(),
        text=True,
        capture_output=True,
        check=False,
        timeout=60,
    )
    if done.returncode != 0:
        raise DiagramError(f"dot failed: {done.stderr.strip()[:200]}")
    return [mermaid, png]
