"""Spoken voicemail benchmark: are a name and number accepted when said, and never when not?

Run: nice -n 10 .venv/bin/python benchmarks/bench_spoken.py --split dev [--limit N]

Each file of the matrix that spoken_matrix.py built goes through exactly what
`mockcall run voicemail-screening --answer FILE --no-voice --json --profile P` runs (the CLI's own
argument parser and cmd_run, with its Practice, answer_audio and prompt), in one process: the
transcriber is made once and reused, so the model loads once. The product code imported is the
first `simulator` package on PYTHONPATH, so another worktree's code can be measured with these
files (PYTHONPATH=/work/wt/other).

Printed: correctly spoken number accepted per condition (and per number style), full name
accepted per condition, the role, the false passes (must be 0), and the time each answer adds
(wall time of the whole run command, model already loaded, against the audio's length).
--verify-cli N runs N of the files through the real `python -m simulator run` subprocess too
and reports any verdict that differs.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from contextlib import redirect_stdout
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# PYTHONPATH first: this file measures whichever product code the caller points it at.
sys.path.append(str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("MOCKCALL_HOME", tempfile.mkdtemp(prefix="mockcall-bench-spoken-"))

DEFAULT_FOLDER = Path("/work/cache/spoken")
CONDITIONS = ("clean", "telephone", "white20", "white10", "babble20", "babble10", "quiet")
PASS_NUMBER_STYLES = ("digits", "oh", "double", "area", "twice", "pairs")
FAIL_NUMBER_STYLES = ("cut", "wrong", "none")
PASS_NAME_STYLES = ("full", "spelled")
FAIL_NAME_STYLES = ("first", "none", "other")
CHECKS = ("says_name", "says_phone", "mentions_role")
SCENARIO = "voicemail-screening"


@dataclass(frozen=True)
class Outcome:
    """One file's run: what was heard and what the checks said."""

    row: dict[str, Any]
    """The file's manifest row (truth included)."""
    transcript: str
    """The transcript the report shows."""
    checks: dict[str, dict[str, str]]
    """Check id -> {status, evidence, tip}, for every check in the report."""
    seconds: float
    """Wall time of the run command, model already loaded."""
    transcribe_seconds: float
    """Of which, in the transcriber."""
    audio_seconds: float
    """The answer's length."""

    def status(self, check: str) -> str:
        """The check's status ("missing" when the report lacks it)."""
        return self.checks.get(check, {}).get("status", "missing")

    def to_json(self) -> dict[str, Any]:
        """The per-file record of --json-out."""
        return {
            **self.row,
            "transcript": self.transcript,
            "checks": self.checks,
            "statuses": {c: self.status(c) for c in CHECKS},
            "right": {c: self.status(c) == self.row["truth"][c] for c in CHECKS},
            "seconds": round(self.seconds, 3),
            "transcribe_seconds": round(self.transcribe_seconds, 3),
            "audio_seconds": round(self.audio_seconds, 3),
        }


# -- running files through the CLI's own code ---------------------------------------------------


class Runner:
    """Runs answer files through simulator.cli's `run` command with one transcriber per engine."""

    def __init__(self, engine: str | None, model: str | None, profiles_dir: Path) -> None:
        from simulator import cli

        self._cli = cli
        self._engine = engine
        self._model = model
        self._profiles_dir = profiles_dir
        self._transcribe_seconds = 0.0
        made: dict[tuple[str, str | None], Any] = {}
        if not hasattr(cli, "_make_transcriber"):
            raise SystemExit(
                "simulator.cli has no _make_transcriber: teach bench_spoken.py how the CLI "
                "now makes its transcriber, so the model is still loaded once"
            )
        original: Callable[[str, str | None], Any] = cli._make_transcriber

        def make_once(engine_name: str, model_name: str | None) -> Any:
            key = (engine_name, model_name)
            if key not in made:
                made[key] = _Timed(original(engine_name, model_name), self)
            return made[key]

        # The CLI makes a transcriber per run; here the same one (model loaded once) is reused.
        setattr(cli, "_make_transcriber", make_once)  # noqa: B010 - replacing a module function

    def add_transcribe_time(self, seconds: float) -> None:
        """Called by the timed transcriber after each transcription."""
        self._transcribe_seconds += seconds

    def profile_file(self, profile: dict[str, str]) -> Path:
        """A profile TOML for the manifest's profile (written once)."""
        from simulator.profile import Profile, save_profile

        path = self._profiles_dir / f"{profile['name'].replace(' ', '-').casefold()}.toml"
        if not path.is_file():
            save_profile(
                Profile(
                    name=profile["name"],
                    phone=profile["phone"],
                    role=profile["role"],
                    company=profile["company"],
                    region=profile.get("region", "US"),
                ),
                path,
            )
        return path

    def argv(self, wav: Path, profile: Path) -> list[str]:
        """The `mockcall` arguments this file is run with."""
        argv = ["run", SCENARIO, "--answer", str(wav), "--no-voice", "--json"]
        argv += ["--profile", str(profile)]
        if self._engine:
            argv += ["--engine", self._engine]
        if self._model:
            argv += ["--model", self._model]
        return argv

    def run(self, row: dict[str, Any], folder: Path) -> Outcome:
        """One file through cmd_run, as `mockcall run …` would run it."""
        import soundfile as sf

        wav = folder / row["file"]
        args = self._cli.build_parser().parse_args(
            self.argv(wav, self.profile_file(row["profile"]))
        )
        out = io.StringIO()
        self._transcribe_seconds = 0.0
        started = time.perf_counter()
        with redirect_stdout(out):
            code = args.func(args)
        seconds = time.perf_counter() - started
        if code != 0:
            raise RuntimeError(f"{wav}: mockcall run exited with {code}")
        _forget_recordings()
        return outcome_from_report(
            row,
            json.loads(out.getvalue()),
            seconds,
            self._transcribe_seconds,
            sf.info(wav).duration,
        )


class _Timed:
    """A transcriber that adds its time to the runner's count."""

    def __init__(self, inner: Any, runner: Runner) -> None:
        self._inner = inner
        self._runner = runner
        self.engine: str = inner.engine
        self.model_name: str = inner.model_name

    def transcribe(self, audio: Any, *, prompt: str | None = None) -> Any:
        started = time.perf_counter()
        try:
            return self._inner.transcribe(audio, prompt=prompt)
        finally:
            self._runner.add_transcribe_time(time.perf_counter() - started)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)


def _forget_recordings() -> None:
    """Delete the copies of the answers the runs saved (hundreds of files otherwise)."""
    from simulator import locations

    for path in locations.recordings_dir().glob("session-*"):
        shutil.rmtree(path, ignore_errors=True)


def outcome_from_report(
    row: dict[str, Any],
    report: dict[str, Any],
    seconds: float,
    transcribe_seconds: float,
    audio_seconds: float,
) -> Outcome:
    """An Outcome from the CLI's JSON report of a one-step run."""
    step = report["steps"][0]
    checks = {
        c["id"]: {"status": c["status"], "evidence": c.get("evidence", ""), "tip": c.get("tip", "")}
        for c in step["checks"]
    }
    return Outcome(row, step["transcript"], checks, seconds, transcribe_seconds, audio_seconds)


# -- the tables ---------------------------------------------------------------------------------


def _ratio(hits: int, total: int) -> str:
    return f"{hits}/{total} ({100 * hits / total:.0f}%)" if total else "—"


def _table(header: Sequence[str], rows: Iterable[Sequence[str]]) -> list[str]:
    rows = [list(r) for r in rows]
    widths = [max(len(str(x)) for x in col) for col in zip(header, *rows, strict=True)]
    line = [
        "| " + " | ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)) + " |",
        "|" + "|".join("-" * (w + 2) for w in widths) + "|",
    ]
    line += [
        "| " + " | ".join(str(x).ljust(w) for x, w in zip(r, widths, strict=True)) + " |"
        for r in rows
    ]
    return line


def _present(outcomes: Sequence[Outcome]) -> list[str]:
    conditions = [c for c in CONDITIONS if any(o.row["condition"] == c for o in outcomes)]
    conditions += sorted({o.row["condition"] for o in outcomes} - set(conditions))
    return conditions


def _accepted(outcomes: Iterable[Outcome], check: str) -> tuple[int, int]:
    chosen = list(outcomes)
    return sum(o.status(check) == "pass" for o in chosen), len(chosen)


def summary(outcomes: Sequence[Outcome]) -> list[str]:
    """The printed report: acceptance, false passes, other statuses, time per answer."""
    lines: list[str] = []
    conditions = _present(outcomes)

    def where(**match: Any) -> Callable[[Outcome], bool]:
        def ok(o: Outcome) -> bool:
            for key, wanted in match.items():
                value = o.row["truth"][key[6:]] if key.startswith("truth_") else o.row[key]
                if value not in (wanted if isinstance(wanted, tuple) else (wanted,)):
                    return False
            return True

        return ok

    def cell(check: str, **match: Any) -> str:
        return _ratio(*_accepted(filter(where(**match), outcomes), check))

    lines.append("Said right and accepted (truth pass -> status pass):")
    lines += _table(
        ["condition", "number accepted", "full name accepted", "role accepted"],
        [
            [
                c,
                cell("says_phone", condition=c, truth_says_phone="pass"),
                cell("says_name", condition=c, truth_says_name="pass"),
                cell("mentions_role", condition=c, truth_mentions_role="pass"),
            ]
            for c in conditions
        ]
        + [
            [
                "all",
                cell("says_phone", truth_says_phone="pass"),
                cell("says_name", truth_says_name="pass"),
                cell("mentions_role", truth_mentions_role="pass"),
            ]
        ],
    )

    lines += ["", "Correctly spoken number accepted, per number style:"]
    lines += _table(
        ["number style", *conditions, "all"],
        [
            [s]
            + [cell("says_phone", condition=c, number_style=s) for c in conditions]
            + [cell("says_phone", number_style=s)]
            for s in PASS_NUMBER_STYLES
            if any(o.row["number_style"] == s for o in outcomes)
        ],
    )
    lines += ["", "Name accepted, per name style (full and spelled should pass):"]
    lines += _table(
        ["name style", *conditions, "all"],
        [
            [s]
            + [cell("says_name", condition=c, name_style=s) for c in conditions]
            + [cell("says_name", name_style=s)]
            for s in PASS_NAME_STYLES
            if any(o.row["name_style"] == s for o in outcomes)
        ],
    )

    lines += ["", "False passes (truth fail -> status pass; must be 0):"]
    false_rows = []
    for check, field, styles in (
        ("says_phone", "number_style", FAIL_NUMBER_STYLES),
        ("says_name", "name_style", FAIL_NAME_STYLES),
    ):
        for s in styles:
            false_rows.append(
                [f"{check}: {s}"]
                + [cell(check, condition=c, **{field: s}) for c in conditions]
                + [cell(check, **{field: s})]
            )
    false_rows.append(
        ["mentions_role: not said"]
        + [cell("mentions_role", condition=c, truth_mentions_role="fail") for c in conditions]
        + [cell("mentions_role", truth_mentions_role="fail")]
    )
    lines += _table(["case", *conditions, "all"], false_rows)

    voices = sorted({o.row["voice"] for o in outcomes})
    lines += ["", "Per voice (said right and accepted):"]
    lines += _table(
        ["voice", "number accepted", "full name accepted"],
        [
            [
                v,
                cell("says_phone", voice=v, truth_says_phone="pass"),
                cell("says_name", voice=v, truth_says_name="pass"),
            ]
            for v in voices
        ],
    )

    wrong = [
        (o, c)
        for o in outcomes
        for c in ("says_name", "says_phone")
        if o.status(c) == "pass" and o.row["truth"][c] == "fail"
    ]
    if wrong:
        lines += ["", "The false passes:"]
        for o, c in wrong:
            lines.append(f"  {c} {o.row['file']}: {o.checks[c]['evidence']}")
            lines.append(f"    said:  {o.row['text']}")
            lines.append(f"    heard: {o.transcript}")

    others = Counter(
        (check, o.status(check))
        for o in outcomes
        for check in CHECKS
        if o.status(check) not in ("pass", "fail")
    )
    if others:
        lines += [
            "",
            "Other statuses: " + ", ".join(f"{c} {s}: {n}" for (c, s), n in sorted(others.items())),
        ]

    lines += ["", "Time added per answer (model loaded; wall time of the run command):"]
    lines += _table(
        ["measure", "median", "95th percentile"],
        [
            ["seconds per answer", *_quantiles([o.seconds for o in outcomes], "{:.2f} s")],
            [
                "of which transcription",
                *_quantiles([o.transcribe_seconds for o in outcomes], "{:.2f} s"),
            ],
            [
                "per second of audio",
                *_quantiles([o.seconds / o.audio_seconds for o in outcomes], "{:.3f}"),
            ],
            ["answer length", *_quantiles([o.audio_seconds for o in outcomes], "{:.1f} s")],
        ],
    )
    return lines


def _quantiles(values: Sequence[float], fmt: str) -> list[str]:
    if not values:
        return ["—", "—"]
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return [fmt.format(statistics.median(ordered)), fmt.format(p95)]


def false_pass_count(outcomes: Iterable[Outcome]) -> int:
    """How many says_name / says_phone passes the truth says are wrong."""
    return sum(
        o.status(c) == "pass" and o.row["truth"][c] == "fail"
        for o in outcomes
        for c in ("says_name", "says_phone")
    )


# -- checking against the real CLI ---------------------------------------------------------------


def verify_cli(runner: Runner, outcomes: Sequence[Outcome], folder: Path, count: int) -> list[str]:
    """Run COUNT of the files through the real `python -m simulator run` and compare verdicts."""
    import simulator

    if count <= 0 or not outcomes:
        return []
    step = max(1, len(outcomes) // count)
    chosen = list(outcomes)[::step][:count]
    code_root = str(Path(simulator.__file__).resolve().parents[1])
    env = dict(os.environ, PYTHONPATH=code_root)
    env["MOCKCALL_HOME"] = tempfile.mkdtemp(prefix="mockcall-bench-cli-")
    lines = ["", f"Through the real CLI subprocess ({len(chosen)} files, code from {code_root}):"]
    same = 0
    for o in chosen:
        wav = folder / o.row["file"]
        argv = runner.argv(wav, runner.profile_file(o.row["profile"]))
        done = subprocess.run(
            [sys.executable, "-m", "simulator", *argv],
            capture_output=True,
            text=True,
            env=env,
            check=False,
        )
        if done.returncode != 0:
            lines.append(f"  {o.row['file']}: exit {done.returncode}: {done.stderr.strip()[-200:]}")
            continue
        cli = outcome_from_report(o.row, json.loads(done.stdout), 0.0, 0.0, o.audio_seconds)
        differs = [c for c in CHECKS if cli.status(c) != o.status(c)]
        if cli.transcript != o.transcript:
            differs.append("transcript")
        if differs:
            lines.append(f"  {o.row['file']}: differs in {', '.join(differs)}")
            lines.append(f"    in process: {o.transcript!r}")
            lines.append(f"    CLI:        {cli.transcript!r}")
        else:
            same += 1
    lines.append(f"  {same} of {len(chosen)} gave the same transcript and verdicts")
    return lines


# -- main ---------------------------------------------------------------------------------------


def _matches(row: dict[str, Any], only: Sequence[str]) -> bool:
    for condition in only:
        key, _, wanted = condition.partition("=")
        value = row["truth"].get(key[6:]) if key.startswith("truth.") else row.get(key)
        if str(value) not in wanted.split(","):
            return False
    return True


def load_rows(
    folder: Path, split: str, only: Sequence[str] = ()
) -> tuple[list[dict[str, Any]], int]:
    """The split's manifest rows (matching every KEY=VALUE[,VALUE] of ONLY) whose file exists,
    and how many such rows are planned but not built."""
    manifest = folder / "manifest.jsonl"
    if not manifest.is_file():
        raise SystemExit(f"{manifest} not found: build it with benchmarks/spoken_matrix.py")
    rows = [json.loads(line) for line in manifest.read_text(encoding="utf-8").splitlines() if line]
    rows = [r for r in rows if r["split"] == split and _matches(r, only)]
    present = [r for r in rows if (folder / r["file"]).is_file()]
    return present, len(rows) - len(present)


def _worker_init(engine: str | None, model: str | None) -> None:
    os.environ["MOCKCALL_HOME"] = tempfile.mkdtemp(prefix="mockcall-bench-spoken-")
    global _WORKER
    _WORKER = Runner(engine, model, Path(tempfile.mkdtemp(prefix="mockcall-bench-profiles-")))


_WORKER: Runner | None = None


def _worker_run(row: dict[str, Any], folder: Path) -> Outcome:
    assert _WORKER is not None
    return _WORKER.run(row, folder)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the split, print the tables, optionally write per-file results and verify via the CLI."""
    doc = __doc__ or ""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--split", choices=["dev", "blind"], required=True)
    parser.add_argument("--folder", type=Path, default=DEFAULT_FOLDER, help="the built matrix")
    parser.add_argument("--limit", type=int, help="only the first N files (all conditions)")
    parser.add_argument("--engine", choices=["faster-whisper", "openai-whisper"])
    parser.add_argument("--model", help="Whisper model name or path (default: the CLI's)")
    parser.add_argument("--jobs", type=int, default=1, help="processes (timings need 1)")
    parser.add_argument("--json-out", type=Path, help="write per-file results here")
    parser.add_argument(
        "--only",
        action="append",
        default=[],
        metavar="KEY=V[,V]",
        help="only files whose manifest KEY (condition, voice, number_style, name_style, "
        "rate_wpm, truth.says_phone, …) is one of the values; repeatable",
    )
    parser.add_argument("--verify-cli", type=int, default=0, metavar="N", help="check N via CLI")
    args = parser.parse_args(argv)

    import simulator

    rows, missing = load_rows(args.folder, args.split, args.only)
    if args.limit is not None:
        rows = rows[: args.limit]
    if not rows:
        raise SystemExit(f"no {args.split} files in {args.folder}")
    print(
        f"split {args.split}: {len(rows)} files ({missing} planned but not built), "
        f"code from {Path(simulator.__file__).resolve().parents[1]}, "
        f"engine {args.engine or 'default'}, {os.cpu_count()} cores, "
        f"load {os.getloadavg()[0]:.2f}",
        flush=True,
    )
    outcomes: list[Outcome] = []
    runner = Runner(args.engine, args.model, Path(tempfile.mkdtemp(prefix="mockcall-profiles-")))
    started = time.monotonic()
    if args.jobs <= 1:
        runner.run(rows[0], args.folder)  # warm-up: the model load is not an answer's time
        for n, row in enumerate(rows, 1):
            outcomes.append(runner.run(row, args.folder))
            if n % 25 == 0:
                print(f"  {n}/{len(rows)} ({time.monotonic() - started:.0f} s)", file=sys.stderr)
    else:
        from concurrent.futures import ProcessPoolExecutor
        from multiprocessing import get_context

        with ProcessPoolExecutor(
            args.jobs, get_context("spawn"), _worker_init, (args.engine, args.model)
        ) as pool:
            outcomes = list(pool.map(_worker_run, rows, [args.folder] * len(rows)))
    lines = summary(outcomes)
    if args.jobs > 1:
        lines.append("(--jobs > 1: the times include each process's model load and shared cores)")
    lines.append("")
    lines.append(
        f"false passes (says_name + says_phone): {false_pass_count(outcomes)}; "
        f"{len(outcomes)} files in {time.monotonic() - started:.0f} s"
    )
    print("\n".join(lines))
    if args.verify_cli:
        print("\n".join(verify_cli(runner, outcomes, args.folder, args.verify_cli)))
    if args.json_out:
        args.json_out.write_text(
            json.dumps([o.to_json() for o in outcomes], indent=1, ensure_ascii=False) + "\n",
            encoding="utf-8",
        )
        print(f"wrote {args.json_out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
