"""The command line: parse, build, run. Heavy imports happen inside the command that needs them."""

from __future__ import annotations

import argparse
import errno
import json
import os
import sys
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from simulator import __version__
from simulator.errors import UserError
from simulator.safe_io import not_a_regular_file, os_reason, terminal_safe, write_private

if TYPE_CHECKING:
    from simulator.profile import Profile
    from simulator.scenario import Scenario

EXIT_BAD_INPUT = 2


class _Parser(argparse.ArgumentParser):
    """An argument parser whose usage errors are one line and exit status 2."""

    epilog_factory: Callable[[], str] | None = None
    """Builds the epilog when help is shown, so what it needs is imported only then."""

    def format_help(self) -> str:
        """The help text, with the epilog built on demand."""
        if self.epilog_factory is not None and self.epilog is None:
            self.epilog = self.epilog_factory()
        return super().format_help()

    def error(self, message: str) -> NoReturn:
        sys.stderr.write(f"{self.prog}: error: {message} (see {self.prog} --help)\n")
        raise SystemExit(EXIT_BAD_INPUT)


SCHEMA_VERSION = 1
"""Version of every --json output's shape; it goes up when a key changes meaning or goes away."""


def _json_text(value: dict[str, Any] | list[Any], key: str = "items") -> str:
    """VALUE as indented JSON with schema_version first; a list is wrapped as {KEY: [...]}."""
    body = value if isinstance(value, dict) else {key: value}
    versioned = {"schema_version": SCHEMA_VERSION, **body}
    return json.dumps(versioned, indent=2, ensure_ascii=False) + "\n"


def _print_json(value: dict[str, Any] | list[Any], key: str = "items") -> None:
    # json.dumps writes control characters as \u escapes, so nothing raw reaches the terminal.
    sys.stdout.write(_json_text(value, key))


def _warn(message: str) -> None:
    _out(f"mockcall: warning: {message}", err=True)


def _out(text: str = "", *, err: bool = False) -> None:
    """Print TEXT for a person: escape sequences and control characters from files, profiles
    and transcripts never reach the terminal."""
    (sys.stderr if err else sys.stdout).write(terminal_safe(text) + "\n")


def _load_profile(path: str | None) -> Profile:
    from simulator.profile import load_profile

    return load_profile(Path(path) if path else None)


def _require_profile_fields(scenario: Scenario, profile: Profile, profile_arg: str | None) -> None:
    from simulator.grading import needed_profile_fields

    missing = profile.missing(needed_profile_fields(scenario))
    if missing:
        where = profile_arg or "your profile"
        flags = " ".join(f"--{m} …" for m in missing)
        raise UserError(
            f"{where} has no {', '.join(missing)}, which {scenario.id} checks for; "
            f"set it with: mockcall profile {flags}"
        )


# -- commands -------------------------------------------------------------------------------


def cmd_app(args: argparse.Namespace) -> int:
    from simulator.tui.app import make_app

    make_app().run()
    return 0


def cmd_scenarios(args: argparse.Namespace) -> int:
    from simulator import locations
    from simulator.scenario import library

    entries = library()
    folder = locations.user_scenarios_dir()
    yours = sum(not e.builtin for e in entries)
    if args.json:
        _print_json(
            {
                "user_scenarios_dir": str(folder),
                "scenarios": [
                    {
                        "id": e.scenario.id,
                        "title": e.scenario.title,
                        "kind": e.scenario.kind,
                        "description": e.scenario.description,
                        "steps": len(e.scenario.steps),
                        "builtin": e.builtin,
                        "path": str(e.path),
                    }
                    if e.scenario
                    else {"path": str(e.path), "builtin": e.builtin, "error": str(e.error)}
                    for e in entries
                ],
            }
        )
        return 0
    width = max((len(e.scenario.id) for e in entries if e.scenario), default=10)
    for e in entries:
        if e.scenario is None:
            _out(f"{'(invalid)':<{width}}  {e.error}")
            continue
        origin = "" if e.builtin else "  [yours]"
        _out(f"{e.scenario.id:<{width}}  {e.scenario.kind:<14} {e.scenario.title}{origin}")
    found = f"{yours} found there" if yours else "none there yet"
    _out(f"\nYour own scenarios go in {folder} ({found}).")
    _out("Check one with: mockcall validate FILE")
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    from simulator.scenario import ScenarioError, load_scenario_file

    bad = 0
    for name in args.files:
        try:
            scenario = load_scenario_file(Path(name))
        except ScenarioError as exc:
            bad += 1
            for problem in exc.problems:
                _out(str(problem), err=True)
        else:
            steps = len(scenario.steps)
            _out(f"{name}: ok ({scenario.id}, {steps} step{'' if steps == 1 else 's'})")
    return EXIT_BAD_INPUT if bad else 0


MAX_ANSWER_TEXT_BYTES = 1 << 20
"""The longest typed answer read (1 MiB, some 150,000 words: far past any time limit)."""


def _read_text_answer(name: str) -> str:
    if name == "-":
        text = sys.stdin.read(MAX_ANSWER_TEXT_BYTES + 1)
        if len(text) > MAX_ANSWER_TEXT_BYTES:
            raise UserError("-: the answer on standard input is over 1 MiB")
        return text
    path = Path(name)
    # A pipe is read like stdin (bounded); a folder or a device is refused.
    _require_regular(path, "answer file", pipe_ok=True)
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_ANSWER_TEXT_BYTES + 1)
    except OSError as exc:
        raise UserError(f"{name}: cannot read: {os_reason(exc)}") from None
    if len(data) > MAX_ANSWER_TEXT_BYTES:
        raise UserError(f"{name}: over 1 MiB, too long for an answer")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise UserError(f"{name}: not a UTF-8 text file") from None


def _require_regular(path: Path, what: str, *, pipe_ok: bool = False) -> None:
    """Refuse a missing file, a folder, a FIFO or a device by name, before anything reads it."""
    try:
        kind = not_a_regular_file(path, pipe_ok=pipe_ok)
    except FileNotFoundError:
        raise UserError(f"{path}: {what} not found") from None
    except OSError as exc:
        raise UserError(f"{path}: cannot read: {os_reason(exc)}") from None
    if kind is not None:
        raise UserError(f"{path}: is {kind}, not an {what}")


MIN_AUDIO_RATE = 4000
"""The lowest sample rate taken for an answer (telephone audio is 8 kHz)."""
MAX_AUDIO_RATE = 768000
"""The highest sample rate taken for an answer."""


def _require_audio_file(path: Path) -> None:
    """A regular file whose header, when soundfile reads it, gives a sample rate speech can have."""
    _require_regular(path, "audio file")
    import soundfile

    try:
        rate = soundfile.info(str(path)).samplerate
    except Exception:  # noqa: BLE001 - not a format libsndfile knows: the decoder judges it
        return
    if not MIN_AUDIO_RATE <= rate <= MAX_AUDIO_RATE:
        # Resampling 1 Hz "audio" to 16 kHz would build hours of samples from seconds of file.
        raise UserError(
            f"{path}: its header says {rate} Hz, not a sample rate speech is recorded at "
            f"({MIN_AUDIO_RATE}–{MAX_AUDIO_RATE} Hz)"
        )


def _check_answer_count(scenario: Scenario, count: int) -> None:
    if count > len(scenario.steps):
        raise UserError(
            f"{scenario.id} has {len(scenario.steps)} step(s) but {count} answers were given"
        )
    # A scenario with branches takes a path through its steps: fewer answers may be all of it.
    branches = any(step.next is not None for step in scenario.steps)
    if 0 < count < len(scenario.steps) and not branches:
        _out(
            f"mockcall: note: {count} of {len(scenario.steps)} steps answered; "
            "the session counts as incomplete",
            err=True,
        )


def _emit_report(report: Any, as_json: bool) -> None:
    from simulator.report import render_text

    if as_json:
        _print_json(report.to_json())
    else:
        _out(render_text(report))


def cmd_check(args: argparse.Namespace) -> int:
    from simulator.scenario import find_scenario

    scenario = find_scenario(args.scenario, warn=_warn)
    profile = _load_profile(args.profile)
    _require_profile_fields(scenario, profile, args.profile)
    _check_answer_count(scenario, len(args.answer_text))
    answers = [_read_text_answer(name) for name in args.answer_text]
    if _is_own_profile(profile, args.profile):
        return _check_into(None, scenario, profile, answers, args.json)
    import tempfile

    # Someone else's profile (a coach checking a client's script): grade in a throwaway history
    # so it never shows up as this user's practice.
    with tempfile.TemporaryDirectory(prefix="mockcall-check-") as scratch:
        _check_into(Path(scratch) / "history.sqlite3", scenario, profile, answers, args.json)
    print(
        f"mockcall: not saved to your history: {args.profile} is not the profile in use",
        file=sys.stderr,
    )
    return 0


def _is_own_profile(profile: Profile, profile_arg: str | None) -> bool:
    """True when PROFILE is the one in use: no --profile, one with the same details as yours,
    or any --profile while you have none of your own (a command-line-only user)."""
    if profile_arg is None:
        return True
    from simulator.profile import load_profile

    try:
        own = load_profile()
    except UserError:
        return False
    return own.is_empty or own == profile


def _check_into(
    database: Path | None,
    scenario: Scenario,
    profile: Profile,
    answers: list[str],
    as_json: bool,
) -> int:
    from simulator.session import Practice
    from simulator.settings import load_settings
    from simulator.store import Store

    with Store(database) as store:
        if database is None:
            _recover(store)
        practice = Practice(scenario, profile, store, settings=load_settings())
        practice.notify = lambda note: _out(f"mockcall: note: {note}", err=True)
        # Branches choose the next step from each answer; the files are used along the path.
        index: int | None = 0
        for used, text in enumerate(answers):
            if index is None:
                _note_unused(len(answers) - used)
                break
            practice.answer_text(index, text)
            index = practice.advance() if used + 1 < len(answers) else None
        report = practice.finish()
    _emit_report(report, as_json)
    if database is None and report.session_id is not None:
        print(
            f"mockcall: saved as session {report.session_id} in your history "
            f"(mockcall show {report.session_id})",
            file=sys.stderr,
        )
    return 0


def _note_unused(count: int) -> None:
    print(
        f"mockcall: note: the conversation ended; {count} answer(s) left over were not used",
        file=sys.stderr,
    )


def _make_transcriber(engine: str, model: str | None) -> Any:
    from audio.transcribe import make_transcriber
    from simulator import locations

    return make_transcriber(engine, model or None, locations.cache_dir())


def cmd_run(args: argparse.Namespace) -> int:
    from audio.transcribe import load_audio
    from simulator.scenario import find_scenario
    from simulator.session import Practice
    from simulator.settings import load_settings
    from simulator.store import Store
    from simulator.voice_io import MicrophoneRecorder, SystemPromptVoice, check_devices

    scenario = find_scenario(args.scenario, warn=_warn)
    profile = _load_profile(args.profile)
    _require_profile_fields(scenario, profile, args.profile)
    answers = [Path(a) for a in args.answer or []]
    _check_answer_count(scenario, len(answers))
    for path in answers:
        _require_audio_file(path)
    # Decoded up front: a corrupt or empty file is reported before anything is spoken or saved.
    clips = [load_audio(path) for path in answers]
    settings = load_settings()
    # A missing microphone or speaker is reported before the first prompt, not halfway through.
    check_devices(settings, microphone=not answers, speaker=not args.no_voice)
    store = Store()
    _recover(store)
    practice = Practice(
        scenario,
        profile,
        store,
        settings=settings,
        transcriber=_make_transcriber(args.engine or settings.engine, args.model or settings.model),
        voice=None if args.no_voice else SystemPromptVoice(settings),
        recorder=None if answers else MicrophoneRecorder(settings),
    )
    practice.notify = lambda note: _out(f"mockcall: note: {note}", err=True)
    try:
        index: int | None = 0
        used = 0
        # Branches choose the next step from each answer; with answer files, the files are
        # used in order along the path the conversation takes.
        while index is not None:
            if answers and used >= len(answers):
                break
            stop = threading.Event()
            if not args.json:
                _out(
                    f"[{index + 1}/{len(scenario.steps)}] {practice.prompt_text(index)}",
                    err=True,
                )
            practice.speak(index, stop)
            if answers:
                report = practice.answer_audio(index, clips[used])
                used += 1
                if report.interrupted_at is not None and not args.json:
                    cut_in = scenario.steps[index].cut_in
                    line = cut_in.render(profile) if cut_in else ""
                    print(f"    cut off at {report.interrupted_at:.1f} s: {line}", file=sys.stderr)
            else:
                _record_step(practice, index, stop, quiet=args.json)
            if answers and used >= len(answers):
                break
            index = practice.advance()
        if answers and used < len(answers):
            _note_unused(len(answers) - used)
    except KeyboardInterrupt:
        practice.abandon()
        return _interrupted(practice)
    except UserError:
        practice.abandon()
        raise
    _emit_report(practice.finish(), args.json)
    return 0


def _interrupted(practice: Any) -> int:
    """After Ctrl+C: say what was kept, and transcribe the take it stopped (Ctrl+C again leaves
    that for `mockcall recover` or the next start)."""
    from simulator.recovery import transcribe_recovered

    _out("mockcall: stopped; takes recorded so far are saved", err=True)
    if practice.session_id is None:
        return 130
    pending = [t for t, _, _ in practice.store.untranscribed_takes()]
    pending = [t for t in pending if t.session_id == practice.session_id]
    if not pending:
        return 130
    seconds = sum(t.duration or 0.0 for t in pending)
    _out(
        f"mockcall: the interrupted take ({seconds:.1f} s) is kept; transcribing it now "
        "(Ctrl+C again leaves it for `mockcall recover`)…",
        err=True,
    )
    try:
        outcome = transcribe_recovered(
            practice.store, practice.transcriber, session_id=practice.session_id
        )
    except KeyboardInterrupt:
        _out("mockcall: left untranscribed; `mockcall recover` transcribes it", err=True)
        return 130
    for line in outcome.skipped:
        _warn(line)
    if outcome.transcribed:
        _out(f"mockcall: transcribed; see it with `mockcall show {practice.session_id}`", err=True)
    return 130


def _recover(store: Any) -> None:
    """Settle what a crash or a busy database left behind, saying what changed."""
    from simulator.recovery import remove_leftovers

    remove_leftovers()
    for take in store.recover_interrupted():
        if take.status == "recovered":
            _out(
                f"mockcall: note: kept a take interrupted in session {take.session_id} "
                f"({take.duration or 0:.1f} s of audio); `mockcall recover` transcribes it",
                err=True,
            )


def _reading_store() -> Any:
    """The history for a command that only reads it: opened read-only (saying why) when the
    folder is read-only, the disk is full or the file is damaged."""
    from simulator.store import open_history_or_read_only

    store, problem = open_history_or_read_only()
    if problem is not None:
        _warn(f"{problem}; reading it without writing")
        return store
    try:
        _recover(store)
    except UserError as exc:
        _warn(str(exc))
    return store


def cmd_recover(args: argparse.Namespace) -> int:
    from simulator.recovery import transcribe_recovered
    from simulator.settings import load_settings
    from simulator.store import Store

    store = Store()
    _recover(store)
    pending = store.untranscribed_takes()
    if not pending:
        _out("nothing to recover: every take with audio is transcribed")
        return 0
    settings = load_settings()
    transcriber = _make_transcriber(args.engine or settings.engine, args.model or settings.model)
    _out(f"transcribing {len(pending)} recovered take(s)…", err=True)

    def said(take: Any) -> None:
        text = take.transcript.text if take.transcript else ""
        _out(f"session {take.session_id}, step {take.step_index + 1}: {text or '(no speech)'}")

    outcome = transcribe_recovered(store, transcriber, on_take=said)
    for line in outcome.skipped:
        _warn(line)
    return 0


def _record_step(practice: Any, index: int, stop: threading.Event, *, quiet: bool) -> None:
    limit = practice.scenario.steps[index].time_limit
    _out(
        f"    recording (up to {limit:.0f} s; press Enter to stop)…",
        err=True,
    )

    def wait_for_enter() -> None:
        try:
            sys.stdin.readline()
        except (OSError, ValueError):
            return
        stop.set()

    if sys.stdin.isatty():
        threading.Thread(target=wait_for_enter, daemon=True).start()

    def show_cue(cue: Any) -> None:
        # Said while recording: a cut-in, or "I can't hear you" with what to fix.
        print(f"    {practice.scenario.persona.name}: {cue.text}", file=sys.stderr)

    report = practice.record_answer(index, stop, on_cue=show_cue)
    if not report.transcript.text and not quiet:
        _out("    no speech detected", err=True)


def cmd_transcribe(args: argparse.Namespace) -> int:
    from audio.transcribe import load_audio

    path = Path(args.file)
    _require_audio_file(path)
    samples = load_audio(path)
    transcriber = _make_transcriber(args.engine, args.model)
    prompt = None
    if not args.no_prompt:
        from audio.transcribe import build_prompt
        from simulator.profile import load_profile

        profile = load_profile()
        prompt = build_prompt(profile.name, profile.role, profile.company)
    transcript = transcriber.transcribe(samples, prompt=prompt)
    if args.json:
        _print_json(
            {
                "file": str(path),
                "engine": transcriber.engine,
                "model": transcriber.model_name,
                "duration": transcript.duration,
                "text": transcript.text,
                "words": [
                    {
                        "text": w.text,
                        "start": round(w.start, 3),
                        "end": round(w.end, 3),
                        "probability": round(w.probability, 3),
                    }
                    for w in transcript.words
                ],
            }
        )
    elif not transcript.text:
        _out("(no speech detected)")
    else:
        _out(transcript.text)
        if args.words:
            for w in transcript.words:
                _out(f"{w.start:7.2f} {w.end:7.2f}  {w.text.strip()}")
    return 0


def cmd_history(args: argparse.Namespace) -> int:
    from simulator.export import render_history_table

    store = _reading_store()
    sessions = store.list_sessions(args.scenario, include_empty=args.all, mode=args.mode)
    if args.json:
        from simulator.export import history_json

        _print_json(history_json(sessions), key="sessions")
    else:
        _out(render_history_table(sessions))
        hidden = len(store.list_sessions(args.scenario, mode=args.mode)) - len(sessions)
        if hidden and not args.all:
            print(
                f"({hidden} session{'s' if hidden != 1 else ''} without an answer hidden; "
                "--all shows them)",
                file=sys.stderr,
            )
    return 0


def cmd_compare(args: argparse.Namespace) -> int:
    from simulator.export import comparison_json, render_comparison, takes_to_compare
    from simulator.store import Store

    store = Store()
    first = store.get_session(store.resolve_session(args.first))
    second = store.get_session(store.resolve_session(args.second))
    if args.step is not None and args.step < 1:
        raise UserError(f"--step {args.step}: steps are numbered from 1")
    pairs = takes_to_compare(first, second, None if args.step is None else args.step - 1)
    if args.json:
        _print_json(
            {
                "scenario": first.summary.scenario_id,
                "sessions": [first.id, second.id],
                "steps": [comparison_json(a, b) for a, b in pairs],
            }
        )
        return 0
    _out(f"{first.summary.title}: session {first.id} vs session {second.id}")
    for a, b in pairs:
        _out()
        _out(render_comparison(a, b))
    return 0


def cmd_delete(args: argparse.Namespace) -> int:
    from simulator.export import describe_session
    from simulator.store import Store

    store = Store()
    session_id = store.resolve_session(args.session)
    detail = store.get_session(session_id)
    if not args.yes:
        sys.stderr.write(f"Delete {describe_session(detail)}? This cannot be undone. [y/N] ")
        sys.stderr.flush()
        try:
            answer = sys.stdin.readline().strip().lower()
        except (OSError, ValueError):
            answer = ""
        if answer not in ("y", "yes"):
            print("mockcall: nothing deleted (--yes deletes without asking)", file=sys.stderr)
            return 1
    removed = store.delete_session(session_id)
    files = f", {len(removed)} audio file{'s' if len(removed) != 1 else ''} removed"
    print(f"deleted session {session_id}{files if removed else ''}", file=sys.stderr)
    return 0


def cmd_play(args: argparse.Namespace) -> int:
    from audio.playback import play_file_from
    from simulator.settings import load_settings
    from simulator.store import Store, wav_duration

    store = Store()
    detail = store.get_session(store.resolve_session(args.session))
    if args.step < 1:
        raise UserError(f"--step {args.step}: steps are numbered from 1")
    takes = detail.takes_for_step(args.step - 1)
    if not takes:
        raise UserError(f"session {detail.id} has no take of step {args.step}")
    if args.take is not None:
        take = next((t for t in takes if t.attempt == args.take), None)
        if take is None:
            raise UserError(f"step {args.step} of session {detail.id} has no take {args.take}")
    else:
        final = [t for t in detail.final_takes() if t.step_index == args.step - 1]
        take = final[0] if final else takes[-1]
    if take.audio_path is None:
        raise UserError(f"step {args.step}, take {take.attempt} was typed: it has no audio")
    length = wav_duration(take.audio_path) if take.audio_path.exists() else None
    if length is None:
        raise UserError(f"{take.audio_path}: the take's audio is missing or unreadable")
    if not 0 <= args.at < length:
        raise UserError(f"--at {args.at:g}: the take is {length:.1f} s long")
    device = load_settings().output_device
    print(
        f"playing session {detail.id}, step {args.step}, take {take.attempt} "
        f"from {args.at:.1f} s of {length:.1f} s (Ctrl+C stops)",
        file=sys.stderr,
    )
    stop = threading.Event()
    try:
        play_file_from(
            take.audio_path,
            args.at,
            device=int(device) if device.isdigit() else device or None,
            stop=stop,
        )
    except KeyboardInterrupt:
        stop.set()
        return 130
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    from simulator.export import render_session_text

    store = _reading_store()
    _out(render_session_text(store.get_session(store.resolve_session(args.session))))
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from simulator.export import audio_copies, session_json, session_markdown

    store = _reading_store()
    detail = store.get_session(store.resolve_session(args.session))
    if args.include_audio and not args.output:
        raise UserError("--include-audio needs -o FILE: the audio is copied next to the report")
    audio = audio_copies(detail, Path(args.output)) if args.include_audio else {}
    links = {take_id: rel for take_id, (_, rel) in audio.items()}
    if args.format == "md":
        text = session_markdown(detail, links)
    else:
        data = session_json(detail)
        if links:
            data["audio_files"] = {str(take_id): rel for take_id, rel in links.items()}
        text = _json_text(data)
    if args.output:
        write_private(Path(args.output), text, force=args.force)
        _out(f"wrote {args.output}", err=True)
        if audio:
            _copy_audio(audio, Path(args.output).parent)
    elif args.format == "md":
        sys.stdout.write(terminal_safe(text))
    else:
        sys.stdout.write(text)
    return 0


def _copy_audio(audio: dict[int, tuple[Path, str]], base: Path) -> None:
    import shutil

    for source, relative in audio.values():
        target = base / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
    folder = (base / next(iter(audio.values()))[1]).parent
    print(f"copied {len(audio)} take{'s' if len(audio) != 1 else ''} to {folder}", file=sys.stderr)


def cmd_profile(args: argparse.Namespace) -> int:
    from dataclasses import asdict

    from simulator.profile import load_profile, save_profile, update_profile

    target = Path(args.profile) if args.profile else None
    try:
        profile = load_profile(target)
    except UserError:
        if target is None or target.exists():
            raise
        from simulator.profile import Profile

        profile = Profile()
    changes = {k: getattr(args, k) for k in ("name", "phone", "email", "role", "company", "region")}
    if any(v is not None for v in changes.values()):
        profile = update_profile(profile, **changes)
        written = save_profile(profile, target)
        _out(f"saved {written}", err=True)
    if args.json:
        _print_json(asdict(profile))
    else:
        for key, value in asdict(profile).items():
            _out(f"{key:>8}: {value or '—'}")
    return 0


def cmd_devices(args: argparse.Namespace) -> int:
    from audio.devices import list_devices

    devices = list_devices()
    if args.json:
        from dataclasses import asdict

        _print_json([asdict(d) for d in devices], key="devices")
        return 0
    if not devices:
        _out("no audio devices found (you can still answer with --answer FILE or type answers)")
    for d in devices:
        marks = ("<" if d.is_default_input else " ") + (">" if d.is_default_output else " ")
        _out(
            f"{marks} {d.index:>2} {d.name}  "
            f"(in {d.max_input_channels}, out {d.max_output_channels}, {d.default_samplerate:.0f} Hz)"
        )
    return 0


def cmd_say(args: argparse.Namespace) -> int:
    from simulator.scenario import Persona
    from simulator.settings import load_settings, update_settings
    from simulator.voice_io import SystemPromptVoice

    settings = load_settings()
    if args.voice:
        settings = update_settings(settings, voice=args.voice)
    if args.rate:
        settings = update_settings(settings, rate=args.rate)
    speaker = SystemPromptVoice(settings)
    persona = Persona(phone_line=args.phone_line)
    if args.output:
        speaker.render(args.text, persona, voicemail=args.beep, out=Path(args.output))
        _out(f"wrote {args.output}", err=True)
    else:
        speaker.speak(args.text, persona, voicemail=args.beep, stop=threading.Event())
    return 0


def cmd_completion(args: argparse.Namespace) -> int:
    from simulator.completion import completion_script

    sys.stdout.write(completion_script(build_parser(), args.shell))
    return 0


# -- parser -----------------------------------------------------------------------------------


def _check_catalogue() -> str:
    """Every check id a step can list, with its one-line description, from the check registry."""
    import textwrap

    from simulator.checks import REGISTRY

    width = max(len(check_id) for check_id in REGISTRY) + 4
    lines = textwrap.wrap(
        "check ids for a step's `checks:` list (general: run on every step unless the "
        "scenario's `general_checks:` turns it off):",
        width=79,
    )
    for check_id, check in REGISTRY.items():
        doc = (check.func.__doc__ or check.label).strip().splitlines()[0]
        options = ", ".join(check.params.model_fields)
        text = doc + (" (general)" if check.general else "")
        if options:
            text += f" Options: {options}."
        lines += textwrap.wrap(
            text,
            width=79,
            initial_indent=f"  {check_id:<{width - 2}}",
            subsequent_indent=" " * width,
        )
    return "\n".join(lines)


def build_parser() -> argparse.ArgumentParser:
    """The mockcall argument parser."""
    parser = _Parser(
        prog="mockcall",
        description="Rehearse job-interview calls out loud: an interviewer's voice asks, you answer, "
        "Whisper transcribes locally, and a checklist tells you what you missed. "
        "With no command, opens the app.",
    )
    parser.add_argument("--version", action="version", version=f"mockcall {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    p = sub.add_parser("scenarios", help="list built-in and user scenarios")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(func=cmd_scenarios)

    p = sub.add_parser(
        "validate",
        help="validate scenario files",
        description="Check scenario files and report every problem as file:line: field: message.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("files", nargs="+", metavar="FILE")
    p.epilog_factory = _check_catalogue
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser(
        "run", help="one headless session: speak, record or take answer files, check, save"
    )
    p.add_argument("scenario", metavar="SCENARIO", help="scenario id or path to a YAML file")
    p.add_argument(
        "--answer", action="append", metavar="FILE", help="answer audio, one per step in order"
    )
    p.add_argument("--profile", metavar="FILE", help="use this profile TOML instead of yours")
    p.add_argument("--no-voice", action="store_true", help="do not speak the prompts")
    p.add_argument(
        "--engine", choices=["faster-whisper", "openai-whisper"], help="transcription engine"
    )
    p.add_argument(
        "--model", metavar="M", help="Whisper model name or path (default: bundled tiny.en)"
    )
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    p.set_defaults(func=cmd_run)

    p = sub.add_parser("check", help="run a scenario's checks on typed or transcribed text")
    p.add_argument("scenario", metavar="SCENARIO", help="scenario id or path to a YAML file")
    p.add_argument(
        "--answer-text",
        action="append",
        required=True,
        metavar="FILE",
        help="answer text file, one per step in order ('-' reads stdin)",
    )
    p.add_argument("--profile", metavar="FILE", help="use this profile TOML instead of yours")
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("transcribe", help="transcribe an audio file with word timings")
    p.add_argument("file", metavar="FILE")
    p.add_argument(
        "--engine", default="faster-whisper", choices=["faster-whisper", "openai-whisper"]
    )
    p.add_argument(
        "--model", metavar="M", help="Whisper model name or path (default: bundled tiny.en)"
    )
    p.add_argument("--words", action="store_true", help="also print each word with its times")
    p.add_argument("--no-prompt", action="store_true", help="do not prime with your profile")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(func=cmd_transcribe)

    p = sub.add_parser("history", help="list past sessions")
    p.add_argument("--scenario", metavar="ID", help="only this scenario")
    p.add_argument("--mode", choices=["spoken", "typed"], help="only spoken or only typed sessions")
    p.add_argument("--all", action="store_true", help="also list sessions without an answer")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(func=cmd_history)

    p = sub.add_parser("compare", help="compare the final takes of a step in two sessions")
    p.add_argument("first", metavar="SESSION", help="session number, or 'last'")
    p.add_argument(
        "second", metavar="SESSION", help="another session of the same scenario (or the same one)"
    )
    p.add_argument(
        "--step", type=int, metavar="N", help="only step N (default: every step both answered)"
    )
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(func=cmd_compare)

    p = sub.add_parser("delete", help="delete a session and its audio")
    p.add_argument("session", metavar="SESSION", help="session number, or 'last'")
    p.add_argument("--yes", action="store_true", help="do not ask first")
    p.set_defaults(func=cmd_delete)

    p = sub.add_parser("play", help="replay a take, from a moment in it")
    p.add_argument("session", metavar="SESSION", help="session number, or 'last'")
    p.add_argument("--step", type=int, default=1, metavar="N", help="step number (default 1)")
    p.add_argument("--take", type=int, metavar="K", help="take number (default: the one counted)")
    p.add_argument(
        "--at", type=float, default=0.0, metavar="SECONDS", help="start this far into the take"
    )
    p.set_defaults(func=cmd_play)

    p = sub.add_parser(
        "recover",
        help="transcribe and check the takes a crash or Ctrl+C kept with audio only",
    )
    p.add_argument(
        "--engine", choices=["faster-whisper", "openai-whisper"], help="transcription engine"
    )
    p.add_argument(
        "--model", metavar="M", help="Whisper model name or path (default: bundled tiny.en)"
    )
    p.set_defaults(func=cmd_recover)

    p = sub.add_parser("show", help="show one session's transcripts and checks")
    p.add_argument("session", metavar="SESSION", help="session number, or 'last'")
    p.set_defaults(func=cmd_show)

    p = sub.add_parser("export", help="export a session as Markdown or JSON")
    p.add_argument("session", metavar="SESSION", help="session number, or 'last'")
    p.add_argument("--format", choices=["md", "json"], default="md")
    p.add_argument(
        "-o", "--output", metavar="FILE", help="write to FILE (readable by you only) not stdout"
    )
    p.add_argument("--force", action="store_true", help="overwrite FILE if it exists")
    p.add_argument(
        "--include-audio",
        action="store_true",
        help="copy the takes' audio into FILE-audio/ next to the report, linked from it",
    )
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("profile", help="show or set your name, phone, email, role and company")
    for field in ("name", "phone", "email", "role", "company"):
        p.add_argument(f"--{field}", metavar="TEXT")
    p.add_argument(
        "--region", metavar="CC", help="country for numbers without a +code (default US)"
    )
    p.add_argument(
        "--profile", metavar="FILE", help="read/write this profile TOML instead of yours"
    )
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(func=cmd_profile)

    p = sub.add_parser("devices", help="list audio input and output devices")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(func=cmd_devices)

    p = sub.add_parser("say", help="speak TEXT with the interviewer's voice")
    p.add_argument("text", metavar="TEXT")
    p.add_argument("--voice", metavar="V", help="system voice id or name fragment")
    p.add_argument("--rate", type=int, metavar="WPM", help="words per minute")
    p.add_argument("--phone-line", action="store_true", help="band-limit like a phone call")
    p.add_argument("--beep", action="store_true", help="end with a voicemail beep")
    p.add_argument("-o", "--output", metavar="FILE", help="write a WAV instead of playing")
    p.set_defaults(func=cmd_say)

    p = sub.add_parser("completion", help="print a shell completion script")
    p.add_argument(
        "shell", choices=["bash", "zsh", "fish"], metavar="SHELL", help="bash, zsh or fish"
    )
    p.set_defaults(func=cmd_completion)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run mockcall; bad input gives one line on stderr and exit status 2."""
    # Everything mockcall creates (takes, exports, logs, folders) is the user's alone.
    os.umask(0o077)
    from simulator.packaging import shadow_message, shadowed_packages

    shadowed = shadowed_packages()
    if shadowed:
        return _fail(shadow_message(shadowed))
    parser = build_parser()
    args = parser.parse_args(argv)
    func = getattr(args, "func", cmd_app)
    try:
        status = int(func(args))
        # Flushed here, not at exit, so a reader that went away is handled like any other.
        sys.stdout.flush()
        return status
    except UserError as exc:
        return _fail(str(exc))
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return _reader_went_away()
    except Exception as exc:  # noqa: BLE001 - audio errors come from a lower layer without UserError
        from audio.errors import AudioError

        if isinstance(exc, AudioError):
            return _fail(str(exc))
        return _fail(f"unexpected error: {exc!r} ({_log_traceback()})", status=1)


EXIT_BROKEN_PIPE = 141
"""What a shell reports for a program stopped by SIGPIPE (`mockcall history | head -1`)."""


def _reader_went_away() -> int:
    # The reader (head, less) closed the pipe: nothing more to say. Point stdout at /dev/null so
    # the interpreter's final flush does not raise again.
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
    return EXIT_BROKEN_PIPE


def _fail(message: str, status: int = EXIT_BAD_INPUT) -> int:
    # One line, whatever the message holds (a file name with a line break or an escape code).
    line = " ".join(terminal_safe(message).splitlines())
    try:
        sys.stderr.write(f"mockcall: {line}\n")
    except BrokenPipeError:
        pass
    return status


def _log_traceback() -> str:
    """Append the current traceback to the log file, so a bug report has it without a screen
    dump; say where it went, or why it could not be kept."""
    import traceback

    from simulator import locations
    from simulator.safe_io import open_private_append, os_reason

    try:
        log = locations.data_dir() / "mockcall.log"
        with open_private_append(log) as handle:
            handle.write(traceback.format_exc() + "\n")
    except OSError as exc:
        # A planted link, a full disk, a read-only folder: the one-line message still goes out.
        reason = "a symbolic link is in its place" if exc.errno == errno.ELOOP else os_reason(exc)
        return f"no details saved: {reason}"
    return f"details in {log}"
