"""The command line: parse, build, run. Heavy imports happen inside the command that needs them."""

from __future__ import annotations

import argparse
import json
import sys
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from simulator import __version__
from simulator.errors import UserError

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
    sys.stdout.write(_json_text(value, key))


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
            print(f"{'(invalid)':<{width}}  {e.error}")
            continue
        origin = "" if e.builtin else "  [yours]"
        print(f"{e.scenario.id:<{width}}  {e.scenario.kind:<14} {e.scenario.title}{origin}")
    found = f"{yours} found there" if yours else "none there yet"
    print(f"\nYour own scenarios go in {folder} ({found}).")
    print("Check one with: mockcall validate FILE")
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
                print(problem, file=sys.stderr)
        else:
            steps = len(scenario.steps)
            print(f"{name}: ok ({scenario.id}, {steps} step{'' if steps == 1 else 's'})")
    return EXIT_BAD_INPUT if bad else 0


def _read_text_answer(name: str) -> str:
    if name == "-":
        return sys.stdin.read()
    path = Path(name)
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise UserError(f"{name}: answer file not found") from None
    except UnicodeDecodeError:
        raise UserError(f"{name}: not a UTF-8 text file") from None
    except OSError as exc:
        raise UserError(f"{name}: cannot read: {exc.strerror}") from None


def _check_answer_count(scenario: Scenario, count: int) -> None:
    if count > len(scenario.steps):
        raise UserError(
            f"{scenario.id} has {len(scenario.steps)} step(s) but {count} answers were given"
        )
    # A scenario with branches takes a path through its steps: fewer answers may be all of it.
    branches = any(step.next is not None for step in scenario.steps)
    if 0 < count < len(scenario.steps) and not branches:
        print(
            f"mockcall: note: {count} of {len(scenario.steps)} steps answered; "
            "the session counts as incomplete",
            file=sys.stderr,
        )


def _emit_report(report: Any, as_json: bool) -> None:
    from simulator.report import render_text

    if as_json:
        _print_json(report.to_json())
    else:
        print(render_text(report))


def cmd_check(args: argparse.Namespace) -> int:
    from simulator.scenario import find_scenario
    from simulator.session import Practice
    from simulator.settings import load_settings
    from simulator.store import Store

    scenario = find_scenario(args.scenario)
    profile = _load_profile(args.profile)
    _require_profile_fields(scenario, profile, args.profile)
    _check_answer_count(scenario, len(args.answer_text))
    answers = [_read_text_answer(name) for name in args.answer_text]
    practice = Practice(scenario, profile, Store(), settings=load_settings())
    index: int | None = 0
    for used, text in enumerate(answers):
        if index is None:
            _note_unused(len(answers) - used)
            break
        practice.answer_text(index, text)
        index = practice.advance() if used + 1 < len(answers) else None
    _emit_report(practice.finish(), args.json)
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

    scenario = find_scenario(args.scenario)
    profile = _load_profile(args.profile)
    _require_profile_fields(scenario, profile, args.profile)
    answers = [Path(a) for a in args.answer or []]
    _check_answer_count(scenario, len(answers))
    for path in answers:
        if not path.is_file():
            raise UserError(f"{path}: answer audio file not found")
    # Decoded up front: a corrupt or empty file is reported before anything is spoken or saved.
    clips = [load_audio(path) for path in answers]
    settings = load_settings()
    # A missing microphone or speaker is reported before the first prompt, not halfway through.
    check_devices(settings, microphone=not answers, speaker=not args.no_voice)
    store = Store()
    store.recover_interrupted()
    practice = Practice(
        scenario,
        profile,
        store,
        settings=settings,
        transcriber=_make_transcriber(args.engine or settings.engine, args.model or settings.model),
        voice=None if args.no_voice else SystemPromptVoice(settings),
        recorder=None if answers else MicrophoneRecorder(settings),
    )
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
                print(
                    f"[{index + 1}/{len(scenario.steps)}] {practice.prompt_text(index)}",
                    file=sys.stderr,
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
        print("mockcall: stopped; takes recorded so far are saved", file=sys.stderr)
        return 130
    _emit_report(practice.finish(), args.json)
    return 0


def _record_step(practice: Any, index: int, stop: threading.Event, *, quiet: bool) -> None:
    limit = practice.scenario.steps[index].time_limit
    print(
        f"    recording (up to {limit:.0f} s; press Enter to stop)…",
        file=sys.stderr,
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
        print("    no speech detected", file=sys.stderr)


def cmd_transcribe(args: argparse.Namespace) -> int:
    from audio.transcribe import load_audio

    path = Path(args.file)
    if not path.is_file():
        raise UserError(f"{path}: audio file not found")
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
        print("(no speech detected)")
    else:
        print(transcript.text)
        if args.words:
            for w in transcript.words:
                print(f"{w.start:7.2f} {w.end:7.2f}  {w.text.strip()}")
    return 0


def cmd_history(args: argparse.Namespace) -> int:
    from simulator.export import render_history_table
    from simulator.store import Store

    store = Store()
    store.recover_interrupted()
    sessions = store.list_sessions(args.scenario)
    if args.json:
        from simulator.export import history_json

        _print_json(history_json(sessions), key="sessions")
    else:
        print(render_history_table(sessions))
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    from simulator.export import render_session_text
    from simulator.store import Store

    store = Store()
    print(render_session_text(store.get_session(store.resolve_session(args.session))))
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from simulator.export import session_json, session_markdown
    from simulator.store import Store

    store = Store()
    detail = store.get_session(store.resolve_session(args.session))
    text = session_markdown(detail) if args.format == "md" else _json_text(session_json(detail))
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
        print(f"wrote {args.output}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0


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
        print(f"saved {written}", file=sys.stderr)
    if args.json:
        _print_json(asdict(profile))
    else:
        for key, value in asdict(profile).items():
            print(f"{key:>8}: {value or '—'}")
    return 0


def cmd_devices(args: argparse.Namespace) -> int:
    from audio.devices import list_devices

    devices = list_devices()
    if args.json:
        from dataclasses import asdict

        _print_json([asdict(d) for d in devices], key="devices")
        return 0
    if not devices:
        print("no audio devices found (you can still answer with --answer FILE or type answers)")
    for d in devices:
        marks = ("<" if d.is_default_input else " ") + (">" if d.is_default_output else " ")
        print(
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
        print(f"wrote {args.output}", file=sys.stderr)
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
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(func=cmd_history)

    p = sub.add_parser("show", help="show one session's transcripts and checks")
    p.add_argument("session", metavar="SESSION", help="session number, or 'last'")
    p.set_defaults(func=cmd_show)

    p = sub.add_parser("export", help="export a session as Markdown or JSON")
    p.add_argument("session", metavar="SESSION", help="session number, or 'last'")
    p.add_argument("--format", choices=["md", "json"], default="md")
    p.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of stdout")
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
    from simulator.packaging import shadow_message, shadowed_packages

    shadowed = shadowed_packages()
    if shadowed:
        return _fail(shadow_message(shadowed))
    parser = build_parser()
    args = parser.parse_args(argv)
    func = getattr(args, "func", cmd_app)
    try:
        return int(func(args))
    except UserError as exc:
        return _fail(str(exc))
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # noqa: BLE001 - audio errors come from a lower layer without UserError
        from audio.errors import AudioError

        if isinstance(exc, AudioError):
            return _fail(str(exc))
        return _fail(f"unexpected error: {exc!r} (details in {_log_traceback()})", status=1)


def _fail(message: str, status: int = EXIT_BAD_INPUT) -> int:
    sys.stderr.write(f"mockcall: {message}\n")
    return status


def _log_traceback() -> Path:
    """Append the current traceback to the log file, so a bug report has it without a screen dump."""
    import traceback

    from simulator import locations

    log = locations.data_dir() / "mockcall.log"
    with log.open("a", encoding="utf-8") as handle:
        handle.write(traceback.format_exc() + "\n")
    return log
