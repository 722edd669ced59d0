"""The command line: `tubeboard [PATH]` opens the board; `tubeboard COMMAND` runs a command.

One definition, argparse's: each command group is a module (reading: check, list, export,
schema; history: log, git-setup, merge; running: serve, keys, completion) that registers its
subcommands, and the top-level help, each command's help, the README's command table (kept
equal by a test) and shell completion all come from it.

The usual start, `tubeboard [PATH]`, builds no parser at all: argparse and its message
catalogue lookups cost a few ms of start-up. Textual is imported only when the app starts.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tui.cli.common import DEFAULT_PATH, shown
from tui.cli.running import demo_copy, demo_source, run_app

if TYPE_CHECKING:
    import argparse

__all__ = ["DEFAULT_PATH", "demo_copy", "demo_source", "main", "shown", "version"]

DESCRIPTION = """\
A board of sample tubes in the terminal, kept in a plain TOML catalogue.

  tubeboard [PATH]     open the board on PATH (default ./catalog.toml)
  tubeboard COMMAND    one of the commands below; tubeboard COMMAND --help says more

settings: $XDG_CONFIG_HOME/tubeboard/config.toml (theme = "NAME", and [keys] id = "key")
"""


def version() -> str:
    # importlib.metadata is slow to import: only pay for it when the version is asked for.
    from importlib import metadata

    try:
        return metadata.version("tubeboard")
    except metadata.PackageNotFoundError:
        return "unknown"


class Commands:
    """argparse's subparsers, remembering each command's one-line help (for the README's
    table) and options (for completion) as the command groups add them."""

    def __init__(self, subparsers: Any) -> None:
        self._subparsers = subparsers
        self.parsers: dict[str, argparse.ArgumentParser] = {}
        self.helps: dict[str, str] = {}

    def add_parser(self, name: str, *, help: str, description: str) -> argparse.ArgumentParser:
        parser: argparse.ArgumentParser = self._subparsers.add_parser(
            name, prog=f"tubeboard {name}", help=help, description=description
        )
        self.parsers[name], self.helps[name] = parser, help
        return parser


def parser() -> tuple[argparse.ArgumentParser, Commands]:
    """The whole command line: the board's options, then every command."""
    import argparse

    from tui.cli import history, reading, running, writing

    top = argparse.ArgumentParser(
        prog="tubeboard",
        usage="tubeboard [PATH] [--demo] [--theme NAME] [--at REV]\n"
        "       tubeboard COMMAND [ARGS...]",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    running.add_open_options(top)
    commands = Commands(top.add_subparsers(title="commands", metavar="COMMAND"))
    for group in (reading, writing, history, running):
        group.register(commands)
    return top, commands


def _open_parser() -> argparse.ArgumentParser:
    """The board's own options and its PATH (no command word)."""
    import argparse

    from tui.cli import running

    board = argparse.ArgumentParser(prog="tubeboard", add_help=False)
    board.add_argument("path", nargs="?", default=DEFAULT_PATH)
    running.add_open_options(board)
    return board


COMMAND_NAMES = (
    "check",
    "list",
    "export",
    "schema",
    "import",
    "log",
    "diff",
    "git-setup",
    "merge",
    "serve",
    "keys",
    "completion",
)


def command_options() -> dict[str, list[str]]:
    """Each command's options ("" for the board's own), for completion."""
    import re

    top, commands = parser()
    found = {"": [*re.findall(r"--[\w-]+", top.format_usage()), "--help"]}
    for name, sub in commands.parsers.items():
        found[name] = sorted(set(re.findall(r"(?<![\w-])--?[\w-]+", sub.format_usage())))
    return found


def command_table() -> str:
    """The README's table of commands, from the definitions."""
    import re

    from tui.cli.running import OPEN_ROWS

    commands = parser()[1]
    rows = [(f"`{usage}`", said) for usage, said in OPEN_ROWS]
    for name, sub in commands.parsers.items():
        usage = " ".join(sub.format_usage().split()).removeprefix("usage: ")
        usage = re.sub(r"\[-h\] ?", "", usage).strip().replace("|", "\\|")
        rows.append((f"`{usage}`", commands.helps[name]))
    lines = ["| command | what it does |", "|---|---|"]
    return "\n".join([*lines, *(f"| {usage} | {said} |" for usage, said in rows)]) + "\n"


def _plain_path(args: list[str]) -> str | None:
    """The catalogue to open when the arguments are just that: none, or one path. The usual
    start then skips building the argument parser."""
    if not args:
        return DEFAULT_PATH
    if len(args) == 1 and not args[0].startswith("-"):
        return args[0]
    return None


def _tolerant_streams() -> None:
    """Messages go out whatever the locale's encoding: a character it lacks shows as an
    escape (\\u2026) rather than ending the command with UnicodeEncodeError."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="backslashreplace")


def posix() -> bool:
    return os.name == "posix"


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    _tolerant_streams()
    if not posix():
        print(
            "tubeboard needs a POSIX system (Linux, macOS, a BSD, or WSL on Windows): it locks "
            "and replaces files the POSIX way",
            file=sys.stderr,
        )
        return 2
    if args and args[0] not in COMMAND_NAMES and ("-h" in args or "--help" in args):
        parser()[0].print_help()  # `tubeboard catalog.toml --help` too
        return 0
    if args and args[0] in COMMAND_NAMES:
        try:
            options = parser()[0].parse_args(args)
            return int(options.run(options))
        except BrokenPipeError:
            return _reader_gone()
    # Opening the app: the collector is held off before Textual loads (tui/collector.py);
    # the app switches it back on once its first screen is up.
    from tui import collector

    collector.hold_off()
    plain = _plain_path(args)
    if plain is not None and not os.path.lexists(plain):
        said = _not_a_command(plain)
        if said is not None:
            return said
    if plain is not None:
        return run_app(Path(plain))
    from tui.cli.running import run_open

    return run_open(_open_parser().parse_args(args))


def _not_a_command(word: str) -> int | None:
    """A word that is no file and reads like a command (`help`, a typo of `list`): help, or
    the command meant, rather than an offer to create a catalogue of that name. None when it
    reads like a file name."""
    if "/" in word or "." in word:
        return None
    if word == "help":
        parser()[0].print_help()
        return 0
    import difflib

    near = difflib.get_close_matches(word, COMMAND_NAMES, n=1, cutoff=0.6)
    if not near:
        return None
    print(
        f"tubeboard: {shown(word)!r} is neither a file nor a command. Did you mean "
        f"`tubeboard {near[0]}`? (To create a catalogue of that name, give it as ./{shown(word)})",
        file=sys.stderr,
    )
    return 2


def _reader_gone() -> int:
    """The reader of our output closed it (`| head -1`): what it wanted, it has. Stop
    quietly, as `export` does, and let no later flush of stdout say otherwise."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)
    return 0
