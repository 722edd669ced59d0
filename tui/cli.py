"""Command line: `tubeboard [PATH]`, `tubeboard check [PATH]`, `--demo`, `--version`.

Textual is imported only when the app actually starts, so `check` stays fast and light.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

DEFAULT_PATH = "catalog.toml"
COMMANDS = ("check",)

_DESCRIPTION = """\
A board of sample tubes in the terminal, kept in a plain TOML catalogue.

commands:
  tubeboard [PATH]          open the board on PATH (default ./catalog.toml)
  tubeboard check [PATH]    validate PATH: exit 0 valid, 1 invalid, 2 unreadable
  tubeboard --demo          open a scratch copy of the Perseverance catalogue
"""


def version() -> str:
    # importlib.metadata costs ~45 ms to import: only pay it when the version is asked for.
    from importlib import metadata

    try:
        return metadata.version("tubeboard")
    except metadata.PackageNotFoundError:
        return "unknown"


def _open_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="tubeboard",
        description=_DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("path", nargs="?", default=DEFAULT_PATH, help="the catalogue file")
    parser.add_argument(
        "--demo", action="store_true", help="open a scratch copy of the shipped catalogue"
    )
    parser.add_argument("--version", action=_Version, help="show the version and exit")
    return parser


class _Version(argparse.Action):
    """Like argparse's "version" action, but looks the version up only when asked."""

    def __init__(self, option_strings: Sequence[str], dest: str, **kwargs: object) -> None:
        super().__init__(option_strings, dest, nargs=0, help=str(kwargs.get("help")))

    def __call__(self, parser: argparse.ArgumentParser, *args: object) -> None:
        print(f"tubeboard {version()}")
        parser.exit()


def _check_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="tubeboard check",
        description="Validate a catalogue. Prints path:line:col: severity: message per problem.",
    )
    parser.add_argument("path", nargs="?", default=DEFAULT_PATH, help="the catalogue file")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] == "check":
        return check(_check_parser().parse_args(args[1:]).path)
    options = _open_parser().parse_args(args)
    path = demo_copy() if options.demo else Path(options.path)
    return run_app(path)


def check(path: str) -> int:
    from tui.catalog.store import ReadError, Store

    try:
        parsed = Store(path).read()
    except ReadError as error:
        print(f"{path}: error: {error}", file=sys.stderr)
        return 2
    except Exception as error:  # a bug of ours must still not end in a traceback
        print(f"{path}: error: tubeboard could not read this file ({error!r})", file=sys.stderr)
        return 2
    for problem in parsed.problems:
        print(problem.format(path))
    if parsed.catalog is None:
        count = len(parsed.errors)
        print(f"{path}: {count} error{'s' if count != 1 else ''}", file=sys.stderr)
        return 1
    catalog = parsed.catalog
    print(f"{path}: ok, {len(catalog.samples)} samples in {catalog.board.tubes} tubes")
    return 0


def demo_source() -> Path:
    """The shipped catalogue: package data in a wheel, the repo's catalog.toml in a checkout."""
    from importlib import resources

    packaged = resources.files("tui") / "data" / "catalog.toml"
    if packaged.is_file():
        return Path(str(packaged))
    return Path(__file__).resolve().parent.parent / "catalog.toml"


def demo_copy() -> Path:
    import shutil
    import tempfile

    folder = Path(tempfile.mkdtemp(prefix="tubeboard-demo-"))
    target = folder / "catalog.toml"
    shutil.copyfile(demo_source(), target)
    return target


def run_app(path: Path) -> int:
    from tui.app import run

    return run(path)
