"""The Textual app and the one factory that builds it, for the CLI and for the tests alike."""

from __future__ import annotations

import threading
from asyncio import AbstractEventLoop
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from textual import on, work
from textual.app import App, AutopilotCallbackType
from textual.binding import Binding, BindingType
from textual.reactive import reactive
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from simulator import locations
from simulator.errors import UserError
from simulator.profile import Profile, load_profile
from simulator.session import AnswerRecorder, AnswerTranscriber, PromptVoice
from simulator.settings import Settings, load_settings, save_settings
from simulator.tui.messages import TranscriberReady
from simulator.tui.problems import problem_text

if TYPE_CHECKING:
    from simulator.store import Store

TranscriberFactory = Callable[[], AnswerTranscriber]
"""Builds (loads) the speech-to-text model; called once, in a background worker."""
IOFactory = Callable[[Settings], tuple[PromptVoice, AnswerRecorder]]
"""Builds the voice and recorder for a set of settings (devices, voice, rate)."""
Player = Callable[[Path, threading.Event], None]
"""Plays a WAV file through the output device until it ends or the event is set."""
PlayerFrom = Callable[[Path, float, threading.Event], None]
"""Plays a WAV file from a moment (seconds in) until it ends or the event is set."""


class MockcallApp(App[None]):
    """mockcall: rehearse job-hunting calls out loud and review how they went."""

    CSS_PATH = "app.tcss"
    TITLE = "mockcall"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f1,question_mark", "help", "Help", key_display="?"),
    ]

    model_status: reactive[str] = reactive("loading")
    """The speech model: loading, ready or failed."""

    def __init__(
        self,
        settings: Settings,
        profile: Profile,
        store: Store,
        voice: PromptVoice | None,
        recorder: AnswerRecorder | None,
        transcriber_factory: TranscriberFactory | None = None,
        *,
        io_factory: IOFactory | None = None,
        player: Player | None = None,
        player_from: PlayerFrom | None = None,
        notices: tuple[str, ...] = (),
    ) -> None:
        super().__init__()
        self.settings = settings
        """The saved settings in force."""
        self.profile = profile
        """The user's profile."""
        self.store = store
        """The history store."""
        self.voice = voice
        """Speaks the interviewer's lines; None runs silent (text only)."""
        self.recorder = recorder
        """Records answers; None allows typed answers only."""
        self.transcriber: AnswerTranscriber | None = None
        """The loaded speech-to-text model, once the background load is done."""
        self.transcriber_factory = transcriber_factory or self._transcriber_from_settings
        """Builds the speech-to-text model (called in a background worker)."""
        self.player: Player = player or self._play_through_speakers
        """Replays takes."""
        self.player_from: PlayerFrom = player_from or self._play_through_speakers_from
        """Replays takes from an evidence quote's moment."""
        self._io_factory = io_factory
        self._notices = notices

    # -- collaborators -------------------------------------------------------------------------

    def _transcriber_from_settings(self) -> AnswerTranscriber:
        from audio.transcribe import make_transcriber

        engine: Any = make_transcriber(
            self.settings.engine, self.settings.model or None, locations.cache_dir()
        )
        return engine  # type: ignore[no-any-return]

    def _play_through_speakers(self, path: Path, stop: threading.Event) -> None:
        from audio.playback import play_file

        device = self.settings.output_device
        play_file(path, device=int(device) if device.isdigit() else device or None, stop=stop)

    def _play_through_speakers_from(self, path: Path, at: float, stop: threading.Event) -> None:
        from audio.playback import play_file_from

        device = self.settings.output_device
        play_file_from(
            path, at, device=int(device) if device.isdigit() else device or None, stop=stop
        )

    def voice_for(self, settings: Settings) -> PromptVoice | None:
        """A voice built for SETTINGS (for previews before they are saved)."""
        return self._io_factory(settings)[0] if self._io_factory else self.voice

    def recorder_for(self, settings: Settings) -> AnswerRecorder | None:
        """A recorder built for SETTINGS (for the microphone test before they are saved)."""
        return self._io_factory(settings)[1] if self._io_factory else self.recorder

    def apply_settings(self, settings: Settings) -> None:
        """Put newly saved settings in force, reloading the model when the engine changed."""
        previous, self.settings = self.settings, settings
        if self._io_factory is not None:
            self.voice, self.recorder = self._io_factory(settings)
        if (previous.engine, previous.model) != (settings.engine, settings.model):
            self.transcriber = None
            self.model_status = "loading"
            self.load_transcriber()

    # -- lifecycle -----------------------------------------------------------------------------

    def get_default_screen(self) -> Screen[Any]:
        """The library is home: every other screen is pushed over it."""
        from simulator.tui.screens.library import LibraryScreen

        return LibraryScreen()

    def on_mount(self) -> None:
        """Start loading the model at once, so it is ready by the first answer."""
        for notice in self._notices:
            self.notify(notice, severity="error", timeout=12, markup=False)
        self.load_transcriber()
        if self.profile.is_empty:
            from simulator.tui.screens.profile_form import FirstRunProfileScreen

            self.push_screen(FirstRunProfileScreen(), lambda _: self.show_tour())
        else:
            self.show_tour()

    def show_tour(self) -> None:
        """The first-run tour, unless it was finished or skipped before."""
        from simulator.tui.screens.tour import TourScreen

        if not self.settings.tour_seen:
            self.push_screen(TourScreen(), lambda _: self._tour_seen())

    def _tour_seen(self) -> None:
        """Remember the tour was seen, in the settings file as it is on disk now."""
        self.settings = replace(self.settings, tour_seen=True)
        try:
            # Re-read rather than write ours: a broken file stays for the user to fix.
            on_disk = load_settings()
            save_settings(replace(on_disk, tour_seen=True))
        except (UserError, OSError) as exc:
            self.notify(
                f"Couldn't note that the tour was seen: {exc}", severity="warning", markup=False
            )

    @work(
        thread=True,
        exclusive=True,
        exit_on_error=False,
        group="model",
        description="load the speech model",
    )
    def load_transcriber(self) -> None:
        """Build the speech-to-text model and load its weights in the background."""
        self.post_message(TranscriberReady(warm(self.transcriber_factory())))

    @on(TranscriberReady)
    def _transcriber_ready(self, message: TranscriberReady) -> None:
        self.transcriber = message.transcriber
        self.model_status = "ready"
        if not getattr(self.store, "read_only", False) and self.store.untranscribed_takes():
            self.transcribe_recovered(message.transcriber)

    @work(
        thread=True,
        exclusive=True,
        exit_on_error=False,
        group="recover",
        description="transcribe the takes kept after an interruption",
    )
    def transcribe_recovered(self, transcriber: AnswerTranscriber) -> None:
        """Transcribe and check, in the background, the takes a crash or Ctrl+C kept."""
        from simulator.recovery import transcribe_recovered

        stop = threading.Event()
        outcome = transcribe_recovered(self.store, transcriber, stop=stop)
        if outcome.transcribed:
            count = len(outcome.transcribed)
            self.call_from_thread(
                self.notify,
                f"Transcribed {count} take{'s' if count != 1 else ''} kept after an "
                "interruption; Review shows them.",
                markup=False,
            )

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """The app's own jobs: a failed model load is a notice, not a crash."""
        if event.state is WorkerState.ERROR:
            if event.worker.group == "model":
                self.model_status = "failed"
            self.notify(problem_text(event.worker), severity="error", timeout=12, markup=False)

    async def action_quit(self) -> None:
        """Ctrl+Q: while an answer is being recorded, ask first (a take you leave is kept)."""
        from simulator.tui.screens.practice import PracticeScreen

        screen = self.screen
        if isinstance(screen, PracticeScreen) and screen.is_recording:
            screen.ask_to_leave(then_quit=True)
            return
        await super().action_quit()

    def action_help(self) -> None:
        """Show the keys for the screen in view."""
        from simulator.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    def run(
        self,
        *,
        headless: bool = False,
        inline: bool = False,
        inline_no_clear: bool = False,
        mouse: bool = True,
        size: tuple[int, int] | None = None,
        auto_pilot: AutopilotCallbackType | None = None,
        loop: AbstractEventLoop | None = None,
    ) -> None:
        """Run the app, keeping native libraries' console output out of the way."""
        from simulator.tui.quiet import native_output_to

        def run_app() -> None:
            return super(MockcallApp, self).run(
                headless=headless,
                inline=inline,
                inline_no_clear=inline_no_clear,
                mouse=mouse,
                size=size,
                auto_pilot=auto_pilot,
                loop=loop,
            )

        if headless:
            # Test and screenshot runs: the exit value (e.g. a snapshot) must come back.
            return run_app()
        with native_output_to(locations.cache_dir() / "native-output.log"):
            return run_app()


def _open_history(notices: list[str]) -> Store:
    """The history, settled after a crash; a damaged or unwritable one is opened read-only
    (review what is readable) with a notice saying why."""
    from simulator.recovery import remove_leftovers
    from simulator.store import open_history_or_read_only

    store, problem = open_history_or_read_only()
    if problem is not None:
        notices.append(f"{problem}. Review shows what can be read; nothing new is saved.")
        return store
    remove_leftovers()
    store.recover_interrupted()
    return store


def warm(transcriber: AnswerTranscriber) -> AnswerTranscriber:
    """Load a lazily loading transcriber's weights now, so the first answer does not wait."""
    load = getattr(transcriber, "load", None)
    if callable(load):
        load()
    return transcriber


def _system_io(settings: Settings) -> tuple[PromptVoice, AnswerRecorder]:
    from simulator.voice_io import MicrophoneRecorder, SystemPromptVoice

    return SystemPromptVoice(settings), MicrophoneRecorder(settings)


def make_app(
    settings: Settings | None = None,
    profile: Profile | None = None,
    store: Store | None = None,
    voice: PromptVoice | None = None,
    recorder: AnswerRecorder | None = None,
    transcriber_factory: TranscriberFactory | None = None,
    *,
    player: Player | None = None,
    player_from: PlayerFrom | None = None,
) -> MockcallApp:
    """Build the app; anything not given is loaded from the user's files or the real devices.

    A broken settings or profile file does not stop the app: it starts with the defaults and says
    why in a notice.
    """
    notices: list[str] = []
    if settings is None:
        try:
            settings = load_settings()
        except UserError as exc:
            notices.append(f"{exc} (using the default settings)")
            settings = Settings()
    if profile is None:
        try:
            profile = load_profile()
        except UserError as exc:
            notices.append(f"{exc} (fix it in the profile form)")
            profile = Profile()
    if store is None:
        store = _open_history(notices)
    io_factory: IOFactory | None = None
    if voice is None and recorder is None:
        io_factory = _system_io
        voice, recorder = _system_io(settings)
    return MockcallApp(
        settings,
        profile,
        store,
        voice,
        recorder,
        transcriber_factory,
        io_factory=io_factory,
        player=player,
        player_from=player_from,
        notices=tuple(notices),
    )
