"""Shell completion scripts for bash, zsh and fish, generated from the argument parser.

Generated rather than hand-written so a new command or flag completes without anyone editing
three shell scripts. Commands, their flags, and flags with a fixed set of values (--engine,
--format) complete; file arguments fall back to the shell's own file completion.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass

SHELLS = ("bash", "zsh", "fish")
"""The shells `mockcall completion` writes a script for."""


@dataclass(frozen=True)
class _Command:
    """One subcommand as completion sees it."""

    name: str
    """The subcommand, e.g. "run"."""
    help: str
    """Its one-line help."""
    flags: tuple[str, ...]
    """Every option string it accepts, e.g. ("--json", "-o", "--output")."""
    choices: tuple[tuple[str, tuple[str, ...]], ...]
    """Options whose value is one of a fixed set, with that set."""


def _commands(parser: argparse.ArgumentParser) -> list[_Command]:
    subparsers = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    helps = {a.dest: a.help or "" for a in subparsers._choices_actions}
    commands = []
    for name, sub in subparsers.choices.items():
        flags: list[str] = []
        choices: list[tuple[str, tuple[str, ...]]] = []
        for action in sub._actions:
            flags += action.option_strings
            if action.option_strings and action.choices:
                for option in action.option_strings:
                    choices.append((option, tuple(str(c) for c in action.choices)))
        commands.append(_Command(name, helps.get(name, ""), tuple(flags), tuple(choices)))
    return commands


def _top_flags(parser: argparse.ArgumentParser) -> list[str]:
    return [o for a in parser._actions for o in a.option_strings]


def completion_script(parser: argparse.ArgumentParser, shell: str) -> str:
    """The completion script for SHELL ("bash", "zsh" or "fish") of the program PARSER parses."""
    prog = parser.prog
    commands = _commands(parser)
    if shell == "bash":
        return _bash(prog, commands, _top_flags(parser))
    if shell == "zsh":
        return _zsh(prog, commands, _top_flags(parser))
    if shell == "fish":
        return _fish(prog, commands, _top_flags(parser))
    raise ValueError(f"unknown shell {shell!r}: use one of {', '.join(SHELLS)}")


def _func(prog: str) -> str:
    return "_" + "".join(ch if ch.isalnum() else "_" for ch in prog)


def _bash(prog: str, commands: list[_Command], top: list[str]) -> str:
    func = _func(prog)
    names = " ".join(c.name for c in commands)
    lines = [
        f'# bash completion for {prog}: eval "$({prog} completion bash)"',
        f"{func}() {{",
        "    local cur prev cmd i",
        '    cur="${COMP_WORDS[COMP_CWORD]}"',
        '    prev="${COMP_WORDS[COMP_CWORD-1]}"',
        '    cmd=""',
        "    for ((i = 1; i < COMP_CWORD; i++)); do",
        '        case "${COMP_WORDS[i]}" in -*) ;; *) cmd="${COMP_WORDS[i]}"; break ;; esac',
        "    done",
        '    if [[ -z "$cmd" ]]; then',
        f'        COMPREPLY=($(compgen -W "{names} {" ".join(top)}" -- "$cur"))',
        "        return",
        "    fi",
        '    case "$cmd" in',
    ]
    for command in commands:
        lines.append(f"    {command.name})")
        if command.choices:
            lines.append('        case "$prev" in')
            for option, values in command.choices:
                lines.append(
                    f'            {option}) COMPREPLY=($(compgen -W "{" ".join(values)}" -- "$cur"));'
                    " return ;;"
                )
            lines.append("        esac")
        lines.append(
            f'        if [[ "$cur" == -* ]]; then COMPREPLY=($(compgen -W "{" ".join(command.flags)}"'
            ' -- "$cur")); else COMPREPLY=($(compgen -f -- "$cur")); fi'
        )
        lines.append("        ;;")
    lines += ["    esac", "}", f"complete -o filenames -F {func} {prog}", ""]
    return "\n".join(lines)


def _zsh_quote(text: str) -> str:
    return text.replace("'", "'\\''").replace(":", "\\:").replace("[", "(").replace("]", ")")


def _zsh(prog: str, commands: list[_Command], top: list[str]) -> str:
    func = _func(prog)
    lines = [
        f"#compdef {prog}",
        f'# zsh completion for {prog}: eval "$({prog} completion zsh)", or save as _{prog} in $fpath',
        f"{func}() {{",
        "    local -a commands",
        "    commands=(",
    ]
    lines += [f"        '{c.name}:{_zsh_quote(c.help)}'" for c in commands]
    lines += [
        "    )",
        "    if (( CURRENT == 2 )); then",
        "        _describe -t commands 'mockcall command' commands",
        f"        compadd -- {' '.join(top)}",
        "        return",
        "    fi",
        "    case $words[2] in",
    ]
    for command in commands:
        choice_of = dict(command.choices)
        specs = []
        for flag in command.flags:
            if flag in choice_of:
                specs.append(f"'{flag}[ ]:value:({' '.join(choice_of[flag])})'")
            else:
                specs.append(f"'{flag}'")
        specs.append("'*:file:_files'")
        lines.append(f"    {command.name}) _arguments {' '.join(specs)} ;;")
    lines += [
        "    esac",
        "}",
        f"if (( $+functions[compdef] )); then compdef {func} {prog}; fi",
        "",
    ]
    return "\n".join(lines)


def _fish_quote(text: str) -> str:
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def _fish(prog: str, commands: list[_Command], top: list[str]) -> str:
    names = " ".join(c.name for c in commands)
    lines = [
        f"# fish completion for {prog}: {prog} completion fish | source",
        f"complete -c {prog} -f",
        f"complete -c {prog} -n 'not __fish_seen_subcommand_from {names}' -l version",
        f"complete -c {prog} -n 'not __fish_seen_subcommand_from {names}' -s h -l help",
    ]
    for command in commands:
        lines.append(
            f"complete -c {prog} -n 'not __fish_seen_subcommand_from {names}' "
            f"-a {command.name} -d {_fish_quote(command.help)}"
        )
        choice_of = dict(command.choices)
        seen: set[str] = set()
        for flag in command.flags:
            if not flag.startswith("--") or flag in seen:
                continue
            seen.add(flag)
            line = (
                f"complete -c {prog} -n '__fish_seen_subcommand_from {command.name}' -l {flag[2:]}"
            )
            if flag in choice_of:
                line += f" -x -a {_fish_quote(' '.join(choice_of[flag]))}"
            lines.append(line)
        lines.append(f"complete -c {prog} -n '__fish_seen_subcommand_from {command.name}' -F")
    lines.append("")
    return "\n".join(lines)
