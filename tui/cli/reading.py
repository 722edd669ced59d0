"""The commands that read a catalogue and write nothing to it: check, list, export, schema."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tui.cli.common import (
    DEFAULT_PATH,
    add_at,
    add_output,
    add_path,
    add_where,
    only_matching,
    read_checked,
    read_where,
    shown,
    write_output,
)

if TYPE_CHECKING:
    import argparse


def register(commands: Any) -> None:
    check = commands.add_parser(
        "check",
        help="validate each PATH (default ./catalog.toml): exit 0 valid, 1 invalid, 2 unreadable",
        description="Validate a catalogue. Prints path:line:col: severity: message per problem.",
    )
    # Several paths at once, as pre-commit passes them; the exit code is the worst of them.
    check.add_argument(
        "paths", nargs="*", default=[DEFAULT_PATH], metavar="PATH", help="catalogue files"
    )
    add_at(check, "check the catalogue")
    check.set_defaults(run=run_check)

    listing = commands.add_parser(
        "list",
        help="one line per sample (tube, name, kind, status, sol, date; tab-separated)",
        description="One line per sample: tube, name, kind, status, sol, date. With --where, "
        "only the samples the query matches.",
    )
    add_path(listing)
    add_where(listing)
    add_at(listing, "list the samples")
    listing.set_defaults(run=run_list)

    from tui.catalog.export import FORMATS, PICTURES

    export = commands.add_parser(
        "export",
        help="the catalogue (or the samples a query matches) for a spreadsheet, a script, a "
        "git forge, a wall or a printer",
        description="Write the catalogue as CSV (every field, a header row), JSON (ISO dates), "
        "a Markdown table, the board as an SVG picture, an HTML page to print (the board, "
        "then every sample), or a sheet of labels to print and scan (SVG: a label a sample, "
        "each with a QR code of its designation, else its name and tube; --page a4 or "
        "letter). A broken catalogue fails with the messages of `check`. With "
        "--where, the data formats hold the matching samples only; the pictures draw the board "
        "with them marked.",
    )
    add_path(export)
    export.add_argument(
        "--format",
        "-f",
        choices=(*FORMATS, "md", *PICTURES, "labels"),
        help="md is markdown; without it, the format -o's suffix names (.csv, .json, .md, "
        ".svg, .html)",
    )
    export.add_argument(
        "--page",
        choices=("a4", "letter"),
        default="a4",
        help="labels: the paper (40 labels a page, 4 by 10)",
    )
    add_where(export)
    add_at(export, "export the catalogue")
    add_output(export)
    export.set_defaults(run=run_export)

    from tui.catalog.schema import SCHEMA_FILE, SCHEMA_LINE

    schema = commands.add_parser(
        "schema",
        help="the JSON Schema editors use to check catalog.toml",
        description=f"Print the JSON Schema of catalog.toml. Save it as {SCHEMA_FILE} beside "
        f"your catalogue, whose first line `{SCHEMA_LINE}` lets taplo and Even Better TOML "
        "complete keys and flag mistakes as you type.",
    )
    add_output(schema)
    schema.set_defaults(run=run_schema)


def run_check(options: argparse.Namespace) -> int:
    return max(check(path, options.at) for path in options.paths)


def check(path: str, at: str | None = None) -> int:
    result = read_checked(path, out=sys.stdout, at=at)
    if isinstance(result, int):
        return result
    # The problems go to stdout (none here), the verdict to stderr, as `N errors` does.
    print(f"{shown(path)}: ok, {len(result.samples)} samples in {result.board.tubes} tubes",
          file=sys.stderr)  # fmt: skip
    if at is None:
        _say_driver_problem(path)
    return 0


def _say_driver_problem(path: str) -> None:
    """A warning when git-setup's merge driver no longer runs (a deleted venv): git then
    merges the file by lines, and the user should hear it before the next merge."""
    from tui.git_commands import merge_driver_problem
    from tui.gitrepo import Repo

    repo = Repo.of(Path(path))
    problem = merge_driver_problem(repo) if repo is not None else None
    if problem is not None:
        print(f"{shown(path)}: warning: {shown(problem)}")


def run_list(options: argparse.Namespace) -> int:
    chosen = read_where(options.path, options.where, options.at)
    if isinstance(chosen, int):
        return chosen
    lines = []
    for sample in chosen.samples:
        sol = "" if sample.sol is None else str(sample.sol)
        date = "" if sample.date is None else sample.date.isoformat()
        fields = [str(sample.tube), shown(sample.name), sample.kind.value]
        lines.append("\t".join([*fields, sample.status.value, sol, date]) + "\n")
    # As export writes: UTF-8 into a pipe or a file whatever the locale, the locale's own
    # (with escapes for what it lacks) on a terminal.
    return write_output("".join(lines), None)


def run_export(options: argparse.Namespace) -> int:
    from tui.catalog.export import FORMAT_OF_SUFFIX, PICTURES, export

    if options.format == "md":
        options.format = "markdown"
    if options.format is None:
        suffix = Path(options.output).suffix.lower() if options.output else ""
        options.format = FORMAT_OF_SUFFIX.get(suffix)
        if options.format is None:
            said = f"-o {shown(options.output)}: no format its suffix names" if suffix else "no -o"
            print(f"tubeboard export: say --format ({said}): csv, json, md, svg, html or labels",
                  file=sys.stderr)  # fmt: skip
            return 2

    if options.format == "labels":  # a label for each sample the query selects
        chosen = read_where(options.path, options.where, options.at)
        if isinstance(chosen, int):
            return chosen
        from tui.catalog.labels import to_labels

        return write_output(to_labels(chosen, options.page), options.output)
    if options.format not in PICTURES:
        chosen = read_where(options.path, options.where, options.at)
        if isinstance(chosen, int):
            return chosen
        return write_output(export(chosen, options.format), options.output)
    whole = read_checked(options.path, out=sys.stderr, at=options.at)
    if isinstance(whole, int):
        return whole
    highlight = None
    if options.where:  # read once: the whole board is drawn, the matches marked
        matched = only_matching(whole, options.where)
        if isinstance(matched, int):
            return matched
        highlight = frozenset(s.tube for s in matched.samples)
    from tui.catalog.export import render
    from tui.gitrepo import described

    revision = described(Path(options.path), options.at)
    picture = render(
        whole, options.format, highlight, options.path, options.where or None, revision
    )
    return write_output(picture, options.output)


def run_schema(options: argparse.Namespace) -> int:
    from tui.catalog.schema import schema_text

    return write_output(schema_text(), options.output)
