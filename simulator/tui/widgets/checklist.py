"""The checklist: one entry per check with its mark, evidence and tip."""

from __future__ import annotations

from collections.abc import Iterable

from rich.table import Table
from rich.text import Text
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from simulator.checks.base import CheckResult
from simulator.tui.problems import in_app

MARKS: dict[str, tuple[str, str]] = {
    "pass": ("✔", "bold green"),
    "fail": ("✘", "bold red"),
    "skipped": ("–", "dim"),
}
"""The mark and its style for each status."""


def result_text(result: CheckResult) -> Text:
    """The label, what was heard, and (unless it passed) the tip, one per line."""
    out = Text(result.label or result.id, style="bold" if result.status == "fail" else "")
    if result.optional:
        out.append(" (optional)", style="dim")
    elif result.severity == "advice":
        out.append(" (advice)", style="dim")
    if result.status == "skipped":
        out.append(" skipped", style="dim")
    if result.evidence:
        out.append("\nheard: ", style="dim")
        out.append(result.evidence)
    if result.tip and result.status != "pass":
        out.append("\ntip: ", style="bold yellow")
        out.append(in_app(result.tip))
    return out


def result_prompt(result: CheckResult) -> Table:
    """One check with its mark in a column of its own, so wrapped lines stay indented."""
    mark, style = MARKS[result.status]
    grid = Table.grid(padding=(0, 1, 0, 0), expand=True)
    grid.add_column(width=1, no_wrap=True)
    grid.add_column(ratio=1)
    grid.add_row(Text(mark, style=style), result_text(result))
    return grid


def summary(results: Iterable[CheckResult]) -> str:
    """`6 of 9 checks passed`, counting skipped checks out."""
    ran = [r for r in results if r.status != "skipped"]
    passed = sum(r.status == "pass" for r in ran)
    return f"{passed} of {len(ran)} checks passed"


class Checklist(OptionList):
    """A navigable checklist; highlighting an entry lets the screen show that check's evidence."""

    DEFAULT_CSS = """
    Checklist {
        height: 1fr;
    }
    """

    results: tuple[CheckResult, ...] = ()
    """The results shown, in list order."""

    def show(self, results: Iterable[CheckResult]) -> None:
        """Replace the entries with RESULTS, failed musts first so they are seen without scrolling."""
        order = {"fail": 0, "pass": 1, "skipped": 2}
        self.results = tuple(
            sorted(results, key=lambda r: (order[r.status], r.optional or r.severity == "advice"))
        )
        self.clear_options()
        self.add_options([Option(result_prompt(r)) for r in self.results])
        if self.results:
            self.highlighted = 0

    def result_at(self, index: int | None) -> CheckResult | None:
        """The result behind an option index."""
        if index is None or not 0 <= index < len(self.results):
            return None
        return self.results[index]
