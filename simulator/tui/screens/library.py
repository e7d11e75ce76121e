"""Home: the scenario library grouped by kind, the last result on each, and the profile."""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from simulator.grading import needed_profile_fields
from simulator.profile import Profile
from simulator.scenario import KINDS, LibraryEntry, Scenario, library
from simulator.tui.screens.base import MockcallScreen
from simulator.tui.widgets.elapsed import clock

KIND_LABELS: dict[str, str] = {
    "voicemail": "Voicemail",
    "phone-screen": "Phone screen",
    "interview": "Interview",
    "recruiter-call": "Recruiter call",
    "reflection": "Reflection",
}
"""How each scenario kind is titled in the library."""
LABEL_WIDTH = 30
"""Titles longer than this are cut so each scenario stays on one line of the list."""


def last_result_text(last: tuple[datetime, bool] | None) -> Text:
    """`✔ passed 2025-03-02`, `✘ needs work …` or `not practised yet`."""
    if last is None:
        return Text("not practised yet", style="dim")
    when, passed = last
    day = when.astimezone().strftime("%Y-%m-%d")
    if passed:
        return Text(f"✔ passed {day}", style="green")
    return Text(f"✘ needs work {day}", style="red")


def profile_line(profile: Profile) -> Text:
    """One line saying who is practising, or how to set that up."""
    if profile.is_empty:
        return Text("No profile yet: press p to add your name, number and role.", style="yellow")
    out = Text("You: ", style="dim")
    out.append(profile.name or "(no name)", style="bold")
    if profile.role:
        out.append(f" · {profile.role}")
        if profile.company:
            out.append(f" at {profile.company}")
    out.append(f" · {profile.phone or 'no phone'}")
    if profile.email:
        out.append(f" · {profile.email}")
    return out


def scenario_details(
    scenario: Scenario,
    last: tuple[datetime, bool] | None,
    typed: tuple[datetime, bool] | None = None,
) -> Text:
    """The detail pane for the highlighted scenario."""
    persona = scenario.persona
    out = Text(scenario.title, style="bold")
    out.append(f"\n{KIND_LABELS.get(scenario.kind, scenario.kind)}", style="dim")
    out.append(f" · {persona.name}, {persona.demeanour}", style="dim")
    out.append(f"\n\n{scenario.description}\n\n")
    steps = len(scenario.steps)
    longest = max(step.time_limit for step in scenario.steps)
    out.append(f"{steps} step{'s' if steps != 1 else ''}, answers up to {clock(longest)}\n")
    # Spoken and typed practice are told apart: typing the voicemail is not leaving one.
    out.append("Last time spoken: ")
    out.append_text(last_result_text(last))
    if typed is not None:
        out.append("\nLast time typed: ")
        out.append_text(last_result_text(typed))
    return out


class LibraryScreen(MockcallScreen[None]):
    """The scenario library: pick one to practise by voice (enter) or by typing (t)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        # Priority so the key bar shows it: the focused list would otherwise claim Enter silently.
        Binding("enter", "practise", "Practise", priority=True),
        # Short in the key bar so "? Help" fits at 80 columns; the help shows the tooltip.
        Binding("t", "practise_typed", "Type", tooltip="Type answers instead of speaking"),
        Binding("v", "review", "Review"),
        Binding("s", "settings", "Settings"),
        Binding("p", "profile", "Profile"),
        Binding("q", "app.quit", "Quit"),
    ]
    HELP = (
        "Pick a scenario with the arrow keys. Enter practises it out loud (the interviewer "
        "speaks, you answer into the microphone); t practises it by typing your answers."
    )

    def __init__(self) -> None:
        super().__init__()
        self.entries: list[LibraryEntry] = []
        self.last_results: dict[str, tuple[datetime, bool]] = {}
        self.typed_results: dict[str, tuple[datetime, bool]] = {}
        self._reported: set[str] = set()

    def compose(self) -> ComposeResult:
        """The list on the left, the highlighted scenario on the right, the profile below."""
        with Horizontal(id="library-body"):
            yield OptionList(id="scenario-list")
            with VerticalScroll(id="scenario-detail"):
                yield Static(id="scenario-text")
        yield Static(id="profile-line")
        yield Footer()

    def on_mount(self) -> None:
        """Title the list."""
        self.query_one("#scenario-list", OptionList).border_title = "mockcall · scenarios"

    def on_screen_resume(self) -> None:
        """Fill the library when shown, and again on coming back from a session or the profile
        form, whose results and details may have changed; a broken file is a notice, not a crash."""
        self.refresh_library()

    def refresh_library(self) -> None:
        """Re-read the scenario files, the last results and the profile."""
        self.entries = library()
        # The mark on each scenario counts only spoken practice; typed runs are shown beside it.
        self.last_results = self.mockcall.store.last_result_by_scenario(mode="spoken")
        self.typed_results = self.mockcall.store.last_result_by_scenario(mode="typed")
        for entry in self.entries:
            if entry.error is not None and str(entry.path) not in self._reported:
                self._reported.add(str(entry.path))
                self.notify(
                    str(entry.error),
                    title="Scenario file skipped",
                    severity="error",
                    timeout=12,
                    markup=False,
                )
        options = self.query_one("#scenario-list", OptionList)
        highlighted = options.highlighted_option.id if options.highlighted_option else None
        options.clear_options()
        valid = [e.scenario for e in self.entries if e.scenario is not None]
        for kind in KINDS:
            group = sorted((s for s in valid if s.kind == kind), key=lambda s: s.title.lower())
            if not group:
                continue
            options.add_option(Option(Text(KIND_LABELS[kind].upper(), style="bold"), disabled=True))
            for scenario in group:
                options.add_option(Option(self._label(scenario), id=scenario.id))
        broken = [e for e in self.entries if e.scenario is None]
        if broken:
            options.add_option(Option(Text("CANNOT LOAD", style="bold red"), disabled=True))
            for entry in broken:
                options.add_option(Option(Text(f"✘ {entry.path.name}", style="red"), disabled=True))
        if highlighted is not None:
            options.highlighted = options.get_option_index(highlighted)
        elif valid:
            options.highlighted = next(
                i for i, opt in enumerate(options.options) if not opt.disabled
            )
        self._show_highlighted()
        self.query_one("#profile-line", Static).update(profile_line(self.mockcall.profile))

    def _label(self, scenario: Scenario) -> Text:
        last = self.last_results.get(scenario.id)
        if last is None:
            label = Text("   ")
        else:
            label = Text(" ✔ " if last[1] else " ✘ ", style="green" if last[1] else "red")
        title = scenario.title
        label.append(title if len(title) <= LABEL_WIDTH else title[: LABEL_WIDTH - 1] + "…")
        return label

    def _scenario(self, scenario_id: str | None) -> Scenario | None:
        for entry in self.entries:
            if entry.scenario is not None and entry.scenario.id == scenario_id:
                return entry.scenario
        return None

    @property
    def selected(self) -> Scenario | None:
        """The highlighted scenario."""
        option = self.query_one("#scenario-list", OptionList).highlighted_option
        return self._scenario(option.id if option else None)

    @on(OptionList.OptionHighlighted, "#scenario-list")
    def _show_highlighted(self) -> None:
        scenario = self.selected
        text = self.query_one("#scenario-text", Static)
        if scenario is None:
            text.update(Text("No scenarios found.", style="dim"))
        else:
            text.update(
                scenario_details(
                    scenario,
                    self.last_results.get(scenario.id),
                    self.typed_results.get(scenario.id),
                )
            )

    @on(OptionList.OptionSelected, "#scenario-list")
    def _selected(self) -> None:
        self.action_practise()

    def action_practise(self, typed: bool = False) -> None:
        """Start the highlighted scenario."""
        from simulator.tui.screens.practice import PracticeScreen

        scenario = self.selected
        if scenario is None:
            return
        missing = self.mockcall.profile.missing(needed_profile_fields(scenario))
        if missing:
            self.notify(
                f"{scenario.title} checks your {', '.join(missing)}: "
                "add them to your profile first.",
                severity="warning",
                markup=False,
            )
            self.action_profile()
            return
        self.app.push_screen(
            PracticeScreen(scenario, typed=typed or self.mockcall.recorder is None)
        )

    def action_practise_typed(self) -> None:
        """Start the highlighted scenario with typed answers."""
        self.action_practise(typed=True)

    def action_review(self) -> None:
        """Open the history."""
        from simulator.tui.screens.review import ReviewScreen

        self.app.push_screen(ReviewScreen())

    def action_settings(self) -> None:
        """Open the settings."""
        from simulator.tui.screens.settings import SettingsScreen

        self.app.push_screen(SettingsScreen())

    def action_profile(self) -> None:
        """Edit the profile."""
        from simulator.tui.screens.profile_form import ProfileScreen

        self.app.push_screen(ProfileScreen())
