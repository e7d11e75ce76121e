"""The profile form: name, phone, email, role and company; shown on first run and on `p`."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid, Horizontal, VerticalScroll
from textual.validation import ValidationResult, Validator
from textual.widgets import Button, Footer, Input, Label, Static

from simulator.errors import UserError
from simulator.profile import Profile, parse_phone, save_profile
from simulator.tui.screens.form import FieldInput, FormScreen

FIELDS: tuple[tuple[str, str, str], ...] = (
    ("name", "Full name", "Jordan Rivera"),
    ("phone", "Phone", "(617) 555-0142"),
    ("email", "Email", "jordan.rivera@example.com"),
    ("role", "Target role", "Senior Data Analyst"),
    ("company", "Company", "Northwind Health"),
)
"""Each profile field: its name, its label, and an example placeholder."""

WELCOME = (
    "Welcome to mockcall. The checks compare what you say with these details: did you say your "
    "full name, your number, the role? They stay on this computer."
)


class PhoneNumber(Validator):
    """A phone number phonenumbers can parse for the profile's region (empty is allowed)."""

    def __init__(self, region: str) -> None:
        super().__init__()
        self.region = region

    def validate(self, value: str) -> ValidationResult:
        """Parse with the same rules the profile file uses."""
        if not value.strip():
            return self.success()
        try:
            parse_phone(value.strip(), self.region)
        except UserError as exc:
            # The parser's numbered detail ("(1) The string supplied did not seem…") says no more.
            text = re.sub(r": \(\d+\) .*$", "", str(exc))
            return self.failure(text.removeprefix("profile phone "))
        return self.success()


class EmailAddress(Validator):
    """Something shaped like name@domain.tld (empty is allowed)."""

    def validate(self, value: str) -> ValidationResult:
        """A light check: one @ with a dotted domain after it."""
        text = value.strip()
        if not text:
            return self.success()
        user, _, domain = text.partition("@")
        if user and "." in domain.strip(".") and " " not in text:
            return self.success()
        return self.failure(f"{text!r} does not look like an email address")


class ProfileScreen(FormScreen[Profile | None]):
    """Edit and save the profile; dismisses with the saved profile, or None when left."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save"),
        Binding("escape", "leave", "Back"),
    ]
    HELP = "Fill in your details; Tab or Enter moves on, Ctrl+S saves, Esc leaves without saving."

    def __init__(self, *, first_run: bool = False) -> None:
        super().__init__()
        self.first_run = first_run
        self.problems: dict[str, str] = {}
        """The problem found in each field when it was left, by field id."""

    def compose(self) -> ComposeResult:
        """A label and an input per field, with any problem shown under the form."""
        profile = self.mockcall.profile
        with VerticalScroll(id="profile-form"):
            yield Static(WELCOME if self.first_run else "Your profile", id="profile-intro")
            with Grid(id="profile-grid"):
                for name, label, example in FIELDS:
                    yield Label(label)
                    validators: list[Validator] = []
                    if name == "phone":
                        validators = [PhoneNumber(profile.region)]
                    elif name == "email":
                        validators = [EmailAddress()]
                    yield FieldInput(
                        getattr(profile, name),
                        placeholder=f"e.g. {example}",
                        compact=True,
                        id=f"profile-{name}",
                        validators=validators,
                        valid_empty=True,
                        # A half-typed number is not a mistake yet: judge a field when it is left.
                        validate_on=("blur", "submitted"),
                    )
            yield Static(id="profile-problem")
            with Horizontal(classes="buttons"):
                yield Button("Save", variant="primary", id="profile-save")
                yield Button("Skip for now" if self.first_run else "Cancel", id="profile-leave")
        yield Footer()

    def on_mount(self) -> None:
        """Start in the first field, so typing fills it in straight away."""
        self.query_one(f"#profile-{FIELDS[0][0]}", Input).focus()

    def _values(self) -> dict[str, str]:
        return {
            name: self.query_one(f"#profile-{name}", Input).value.strip() for name, _, _ in FIELDS
        }

    @on(Input.Blurred)
    def _judge_field(self, event: Input.Blurred) -> None:
        self._note_problem(event.input, event.validation_result)

    @on(Input.Changed)
    def _recheck_field(self, event: Input.Changed) -> None:
        # A field marked wrong is re-judged as it is corrected, so the mark goes as soon as it is.
        if event.input.id in self.problems:
            self._note_problem(event.input, event.input.validate(event.value))

    def _note_problem(self, field: Input, result: ValidationResult | None) -> None:
        assert field.id is not None
        if result is None or result.is_valid:
            self.problems.pop(field.id, None)
        else:
            self.problems[field.id] = result.failure_descriptions[0]
        shown = next(
            (
                f"{label}: {self.problems[f'profile-{name}']}"
                for name, label, _ in FIELDS
                if f"profile-{name}" in self.problems
            ),
            "",
        )
        self.query_one("#profile-problem", Static).update(shown)

    @on(Input.Submitted, f"#profile-{FIELDS[-1][0]}")
    def _last_field_submitted(self) -> None:
        # Enter in any other field moves on (FormScreen); in the last one it saves.
        self.action_save()

    @on(Button.Pressed, "#profile-save")
    def action_save(self) -> None:
        """Validate and write the profile file, then go back."""
        for name, label, _ in FIELDS:
            field = self.query_one(f"#profile-{name}", Input)
            result = field.validate(field.value)
            if result is not None and not result.is_valid:
                field.focus()
                self.notify(
                    f"{label}: {result.failure_descriptions[0]}", severity="error", markup=False
                )
                return
        profile = replace(self.mockcall.profile, **self._values())
        try:
            path = save_profile(profile)
        except (UserError, OSError) as exc:
            self.notify(f"Profile not saved: {exc}", severity="error", markup=False)
            return
        self.mockcall.profile = profile
        self.notify(f"Profile saved to {path}", markup=False)
        self.dismiss(profile)

    @on(Button.Pressed, "#profile-leave")
    def action_leave(self) -> None:
        """Go back without saving."""
        self.dismiss(None)


class FirstRunProfileScreen(ProfileScreen):
    """The profile form as the first screen a new user sees: leaving it skips set-up for now."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "leave", "Skip")]

    def __init__(self) -> None:
        super().__init__(first_run=True)
