"""Settings: devices with a microphone test, voice with a preview, engine and model, thresholds."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import fields
from typing import Any, ClassVar, Literal

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid, Horizontal, VerticalScroll
from textual.suggester import SuggestFromList
from textual.widgets import Button, Checkbox, Footer, Input, Label, Select, Static
from textual.worker import Worker

from audio.devices import DeviceInfo
from simulator import locations
from simulator.errors import UserError
from simulator.scenario import Persona
from simulator.session import AnswerRecorder, PromptVoice
from simulator.settings import ENGINES, VOICE_KINDS, Settings, save_settings, update_settings
from simulator.tui.messages import (
    DevicesListed,
    LevelChanged,
    MicTestFinished,
    PreviewFinished,
    VoicesListed,
)
from simulator.tui.screens.form import FieldInput, FormScreen
from simulator.tui.widgets.level_meter import LevelMeter

MIC_TEST_SECONDS = 3.0
"""How long the microphone test records."""
PREVIEW_LINE = "Thanks for calling. Could you start by telling me a little about yourself?"
"""What the voice preview says."""
DEFAULT_DEVICE = ""
"""The Select value for the system's default device."""

NUMBER_FIELDS: tuple[tuple[str, str, Literal["integer", "number"]], ...] = (
    ("silence_stop", "Stop after silence (s)", "number"),
    ("filler_max_per_minute", "Fillers per minute, max", "number"),
    ("pace_min_wpm", "Pace, min (wpm)", "integer"),
    ("pace_max_wpm", "Pace, max (wpm)", "integer"),
    ("long_pause_seconds", "Longest pause (s)", "number"),
    ("first_word_seconds", "Start within (s)", "number"),
)
"""The threshold settings: field, label and input type."""
TOGGLE_FIELDS: tuple[tuple[str, str], ...] = (
    ("show_script", "Show the interviewer's line on screen (off: listen only)"),
    ("live_checklist", "Tick the must-haves live while answering"),
)
"""The on/off practice settings: field and label."""


def device_options(
    devices: Sequence[DeviceInfo], *, inputs: bool, current: str
) -> list[tuple[str, str]]:
    """Select options for the devices that can record (INPUTS) or play, plus the default."""
    options = [("System default", DEFAULT_DEVICE)]
    for device in devices:
        if device.max_input_channels if inputs else device.max_output_channels:
            default = device.is_default_input if inputs else device.is_default_output
            label = f"{device.index}: {device.name}" + (" (default)" if default else "")
            options.append((label, str(device.index)))
    if current and current not in {value for _, value in options}:
        options.append((f"{current} (not found now)", current))
    return options


def level_verdict(peak: float) -> Text:
    """What a microphone test's loudest level means."""
    percent = f"loudest {round(peak * 100)}%"
    if peak < 0.02:
        return Text(
            f"Nothing heard ({percent}): check the device and that it is not muted.", style="red"
        )
    if peak < 0.1:
        return Text(
            f"Very quiet ({percent}): move closer or raise the input volume.", style="yellow"
        )
    if peak >= 0.98:
        return Text(f"Clipping ({percent}): lower the input volume.", style="yellow")
    return Text(f"Good level ({percent}).", style="green")


class SettingsScreen(FormScreen[Settings | None]):
    """Edit the settings; Ctrl+S saves them to the config file and puts them in force."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save", priority=True),
        Binding("ctrl+t", "mic_test", "Test mic"),
        Binding("ctrl+r", "preview", "Preview voice"),
        Binding("escape", "leave", "Back"),
    ]
    HELP = (
        "Pick the microphone and speakers, test the microphone (it records 3 seconds and shows "
        "the level), choose the interviewer's voice and rate and hear a preview, the speech "
        "engine and model, and the thresholds the delivery checks use. **Ctrl+S** saves."
    )

    def __init__(self) -> None:
        super().__init__()
        self._stop: threading.Event | None = None

    def compose(self) -> ComposeResult:
        """One scrolling form in sections."""
        s = self.mockcall.settings
        with VerticalScroll(id="settings-form"):
            yield Static("Audio", classes="settings-section")
            with Grid(classes="settings-grid"):
                yield Label("Microphone")
                yield Select(
                    device_options([], inputs=True, current=s.input_device),
                    value=s.input_device,
                    allow_blank=False,
                    id="input_device",
                    compact=True,
                )
                yield Label("Speakers")
                yield Select(
                    device_options([], inputs=False, current=s.output_device),
                    value=s.output_device,
                    allow_blank=False,
                    id="output_device",
                    compact=True,
                )
            with Horizontal(id="mic-row"):
                yield Button("Test microphone", id="mic-test", compact=True)
                yield LevelMeter(id="mic-meter")
            yield Static(id="mic-level")
            yield Static("Voice", classes="settings-section")
            with Grid(classes="settings-grid"):
                yield Label("Voice engine")
                yield Select(
                    [(k, k) for k in VOICE_KINDS],
                    value=s.voice_kind,
                    allow_blank=False,
                    id="voice_kind",
                    compact=True,
                )
                yield Label("Voice")
                yield FieldInput(
                    s.voice, placeholder="the scenario's voice", id="voice", compact=True
                )
                yield Label("Rate, wpm (0: scenario's)")
                yield FieldInput(str(s.rate), type="integer", id="rate", compact=True)
            with Horizontal(id="voice-row"):
                yield Button("Preview voice", id="preview", compact=True)
            yield Static("Transcription", classes="settings-section")
            with Grid(classes="settings-grid"):
                yield Label("Engine")
                yield Select(
                    [(e, e) for e in ENGINES],
                    value=s.engine,
                    allow_blank=False,
                    id="engine",
                    compact=True,
                )
                yield Label("Model")
                yield FieldInput(s.model, placeholder="bundled tiny.en", id="model", compact=True)
            yield Static("Practice", classes="settings-section")
            for name, label in TOGGLE_FIELDS:
                yield Checkbox(label, getattr(s, name), id=name, compact=True)
            yield Static("Thresholds", classes="settings-section")
            with Grid(classes="settings-grid"):
                for name, label, kind in NUMBER_FIELDS:
                    yield Label(label)
                    yield FieldInput(str(getattr(s, name)), type=kind, id=name, compact=True)
            with Horizontal(classes="buttons"):
                yield Button("Save", variant="primary", id="save")
                yield Button("Cancel", id="cancel")
        yield Footer()

    def on_mount(self) -> None:
        """Look for audio devices and voices in the background (both can take a moment)."""
        self.list_devices()
        self.list_voices(self.mockcall.settings.voice_kind)

    def on_unmount(self) -> None:
        """Stop a microphone test or preview still running."""
        if self._stop is not None:
            self._stop.set()

    # -- reading the form ----------------------------------------------------------------------

    def form_settings(self) -> Settings:
        """The settings as filled in (UserError when a value is out of range)."""
        values: dict[str, Any] = {}
        for field in fields(Settings):
            current = getattr(self.mockcall.settings, field.name)
            if isinstance(current, bool):
                toggles = self.query(f"#{field.name}").results(Checkbox)
                for toggle in toggles:
                    values[field.name] = toggle.value
                continue  # the app's own flags (tour_seen) have no field in the form
            widget = self.query_one(f"#{field.name}")
            raw = widget.value if isinstance(widget, Input | Select) else None
            if raw is None or raw is Select.NULL:
                continue
            text = str(raw).strip()
            try:
                if isinstance(current, int):
                    values[field.name] = int(text or 0)
                elif isinstance(current, float):
                    values[field.name] = float(text or 0)
                else:
                    values[field.name] = text
            except ValueError:
                raise UserError(f"{field.name}: {text!r} is not a number") from None
        return update_settings(self.mockcall.settings, **values)

    # -- jobs ----------------------------------------------------------------------------------

    @work(
        thread=True,
        exclusive=True,
        exit_on_error=False,
        group="devices",
        description="list the audio devices",
    )
    def list_devices(self) -> None:
        """Ask PortAudio for the devices."""
        from audio.devices import list_devices

        self.post_message(DevicesListed(list(list_devices())))

    @work(
        thread=True,
        exclusive=True,
        exit_on_error=False,
        group="voices",
        description="list the voices",
    )
    def list_voices(self, kind: str) -> None:
        """Ask the speech engine which voices it has, for completing the voice field."""
        from audio.tts import make_voice

        self.post_message(VoicesListed(make_voice(kind).voices()))  # type: ignore[arg-type]

    @work(
        thread=True,
        exclusive=True,
        exit_on_error=False,
        group="mic-test",
        description="test the microphone",
    )
    def run_mic_test(self, recorder: AnswerRecorder, stop: threading.Event) -> None:
        """Record a few seconds, relaying the level and keeping the loudest one for the verdict."""
        loudest = 0.0

        def relay_level(peak: float) -> None:
            nonlocal loudest
            loudest = max(loudest, peak)
            self.post_message(LevelChanged(peak))

        recording = recorder.record(
            locations.cache_dir() / "mic-test.wav",
            time_limit=MIC_TEST_SECONDS,
            stop=stop,
            on_level=relay_level,
        )
        self.post_message(MicTestFinished(recording.duration, loudest))

    @work(
        thread=True,
        exclusive=True,
        exit_on_error=False,
        group="preview",
        description="preview the voice",
    )
    def run_preview(self, voice: PromptVoice, persona: Persona, stop: threading.Event) -> None:
        """Say a sample line in the chosen voice."""
        voice.speak(PREVIEW_LINE, persona, voicemail=False, stop=stop)
        self.post_message(PreviewFinished())

    # -- handlers ------------------------------------------------------------------------------

    @on(DevicesListed)
    def _devices(self, message: DevicesListed) -> None:
        settings = self.mockcall.settings
        for name, inputs in (("input_device", True), ("output_device", False)):
            select = self.query_one(f"#{name}", Select)
            value = select.value
            current = str(value) if isinstance(value, str) else getattr(settings, name)
            select.set_options(device_options(message.devices, inputs=inputs, current=current))
            select.value = current

    @on(VoicesListed)
    def _voices(self, message: VoicesListed) -> None:
        names = [voice.id for voice in message.voices] + [voice.name for voice in message.voices]
        self.query_one("#voice", Input).suggester = SuggestFromList(names, case_sensitive=False)

    @on(Select.Changed, "#voice_kind")
    def _voice_kind_changed(self, event: Select.Changed) -> None:
        if isinstance(event.value, str):
            self.list_voices(event.value)

    @on(LevelChanged)
    def _level(self, message: LevelChanged) -> None:
        self.query_one("#mic-meter", LevelMeter).level = message.peak

    @on(MicTestFinished)
    def _mic_done(self, message: MicTestFinished) -> None:
        self.query_one("#mic-meter", LevelMeter).level = 0.0
        self.query_one("#mic-level", Static).update(level_verdict(message.peak))
        self.query_one("#mic-test", Button).disabled = False

    @on(PreviewFinished)
    def _preview_done(self) -> None:
        self.query_one("#preview", Button).disabled = False

    def job_failed(self, worker: Worker[Any]) -> None:
        """A failed test or preview leaves its button usable again."""
        if worker.group == "mic-test":
            self.query_one("#mic-test", Button).disabled = False
            self.query_one("#mic-meter", LevelMeter).level = 0.0
        elif worker.group == "preview":
            self.query_one("#preview", Button).disabled = False

    # -- actions -------------------------------------------------------------------------------

    @on(Button.Pressed, "#mic-test")
    def action_mic_test(self) -> None:
        """Record three seconds from the chosen microphone and show how loud it was."""
        try:
            recorder = self.mockcall.recorder_for(self.form_settings())
        except UserError as exc:
            self.notify(str(exc), severity="error", markup=False)
            return
        if recorder is None:
            self.notify("No microphone is set up.", severity="warning")
            return
        self._stop = threading.Event()
        self.query_one("#mic-test", Button).disabled = True
        self.query_one("#mic-level", Static).update("Say something…")
        self.run_mic_test(recorder, self._stop)

    @on(Button.Pressed, "#preview")
    def action_preview(self) -> None:
        """Say a sample line with the chosen voice and rate."""
        try:
            settings = self.form_settings()
        except UserError as exc:
            self.notify(str(exc), severity="error", markup=False)
            return
        voice = self.mockcall.voice_for(settings)
        if voice is None:
            self.notify("No voice is set up.", severity="warning")
            return
        self._stop = threading.Event()
        self.query_one("#preview", Button).disabled = True
        persona = Persona(voice=settings.voice or None, rate=settings.rate or 170)
        self.run_preview(voice, persona, self._stop)

    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        """Validate, write the config file and put the settings in force."""
        try:
            settings = self.form_settings()
            path = save_settings(settings)
        except UserError as exc:
            self.notify(f"Settings not saved: {exc}", severity="error", markup=False)
            return
        except OSError as exc:
            self.notify(f"Settings not saved: {exc}", severity="error", markup=False)
            return
        self.mockcall.apply_settings(settings)
        self.notify(f"Settings saved to {path}", markup=False)
        self.dismiss(settings)

    @on(Button.Pressed, "#cancel")
    def action_leave(self) -> None:
        """Back without saving."""
        self.dismiss(None)
