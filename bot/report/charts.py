"""A staff report on disk: summary.md with the figures, and one PNG chart for each."""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Callable
from pathlib import Path

import matplotlib as mpl

mpl.use("Agg")  # files only: no display on a server
import matplotlib.pyplot as plt
from matplotlib.axes import Axes

from bot.report.figures import FUNNEL, Figures

__all__ = ["write_report"]

Draw = Callable[[Axes, Figures], None]


def _days(figures: Figures) -> list[dt.date]:
    span = (figures.until - figures.since).days + 1
    return [figures.since + dt.timedelta(days=i) for i in range(span)]


def _daily(ax: Axes, f: Figures) -> None:
    days = _days(f)
    labels = [d.isoformat() for d in days]  # category axis: one tick a day
    ax.plot(labels, [f.started[d] for d in days], marker="o", label="started (agreed)")
    ax.plot(labels, [f.finished[d] for d in days], marker="s", label="finished (result shown)")
    ax.xaxis.set_major_locator(mpl.ticker.MaxNLocator(12))
    ax.set_title("Screenings per day (UTC)")
    ax.legend()
    ax.figure.autofmt_xdate()


def _outcomes(ax: Axes, f: Figures) -> None:
    names = sorted(f.outcomes, key=lambda o: -f.outcomes[o])
    ax.barh(names, [f.outcomes[o] for o in names])
    ax.set_title("Outcomes of the screenings started in the period")
    ax.invert_yaxis()


def _funnel(ax: Axes, f: Figures) -> None:
    ax.bar(FUNNEL, [f.reached[q] for q in FUNNEL], label="asked")
    ax.bar(FUNNEL, [f.answered[q] for q in FUNNEL], width=0.5, label="answered")
    ax.set_title("Where people stop: asked and answered, per question")
    ax.tick_params(axis="x", rotation=45)
    ax.legend()


def _funnel_by_language(ax: Axes, f: Figures) -> None:
    for language in sorted(f.reached_by_language):
        rates = [f.answer_rate(q, language) for q in FUNNEL]
        ax.plot(FUNNEL, [r if r is not None else float("nan") for r in rates], marker="o",
                label=language)  # fmt: skip
    ax.set_ylim(0, 1.05)
    ax.set_title("Share answering each question, per language (a drop: look at the text)")
    ax.tick_params(axis="x", rotation=45)
    ax.legend(fontsize="small", ncol=2)


def _waits(ax: Axes, f: Figures) -> None:
    ax.hist(f.waits_min or [0], bins=20)
    ax.set_title(f"Minutes until a staff member took the case ({f.still_waiting} still waiting)")
    ax.set_xlabel("minutes")


def _languages(ax: Axes, f: Figures) -> None:
    names = sorted(f.languages, key=lambda lang: -f.languages[lang])
    ax.bar(names, [f.languages[lang] for lang in names])
    ax.set_title("Languages of the screenings started")


CHARTS: tuple[tuple[str, Draw], ...] = (
    ("daily.png", _daily),
    ("outcomes.png", _outcomes),
    ("funnel.png", _funnel),
    ("funnel_by_language.png", _funnel_by_language),
    ("handoff_wait.png", _waits),
    ("languages.png", _languages),
)


def _chart(path: Path, draw: Draw, figures: Figures) -> None:
    figure, ax = plt.subplots(figsize=(9, 5), dpi=100)
    try:
        draw(ax, figures)
        figure.tight_layout()
        figure.savefig(path)
    finally:
        plt.close(figure)


def _table(header: tuple[str, ...], rows: list[tuple[object, ...]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    return lines + ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]


def _rate(value: float | None) -> str:
    return "—" if value is None else f"{value:.0%}"


def _summary(f: Figures) -> str:
    waits = f.waits_min
    lines = [
        f"# Tsunagu report, {f.since} to {f.until}",
        "",
        "Counted from the conversations still stored (erased ones — `/delete`, the retention",
        "purge — are not counted). No ids, names or answers are in this report.",
        "",
        f"- screenings started (privacy notice accepted): {sum(f.started.values())}",
        f"- screenings finished (result shown): {sum(f.finished.values())}",
        f"- requests for a person taken by staff: {len(waits)}, still waiting: {f.still_waiting}",
    ]
    if waits:
        lines.append(
            f"- minutes until taken: median {statistics.median(waits):.0f}, "
            f"longest {max(waits):.0f}"
        )
    lines += ["", "## Outcomes", ""]
    lines += _table(("outcome", "screenings"), list(f.outcomes.most_common()))
    lines += ["", "## Languages", ""]
    lines += _table(("language", "screenings"), list(f.languages.most_common()))
    lines += ["", "## Where people stop", ""]
    languages = sorted(f.reached_by_language)
    rows = [
        (q, f.reached[q], f.answered[q], *(_rate(f.answer_rate(q, lang)) for lang in languages))
        for q in FUNNEL
    ]
    lines += _table(("question", "asked", "answered", *languages), rows)
    lines += ["", "## Charts", ""] + [f"![{name}]({name})" for name, _ in CHARTS]
    return "\n".join(lines) + "\n"


def write_report(figures: Figures, out: Path) -> list[Path]:
    """Write summary.md and the charts into ``out``; returns the files written."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, draw in CHARTS:
        _chart(out / name, draw, figures)
        written.append(out / name)
    summary = out / "summary.md"
    summary.write_text(_summary(figures), encoding="utf-8")
    return [summary, *written]
