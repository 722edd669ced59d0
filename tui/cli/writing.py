"""`tubeboard import`: a spreadsheet's rows into the catalogue, in one atomic save."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from tui.cli.common import add_path, read_checked, shown


def register(commands: Any) -> None:
    imported = commands.add_parser(
        "import",
        help="rows of a CSV or JSON file (as export writes them) into the catalogue, in one "
        "save; --dry-run shows what would change",
        description="Update the catalogue from a CSV file (a header row, then a row per "
        "sample: as `export --format csv` writes it) or a JSON file (as `export --format json` "
        "writes it). Rows are matched to records by tube, or by name where a row has no tube; "
        "a row for an empty tube adds a sample. A blank cell leaves a key as it is; a column of "
        "your own sets that key. Only the lines of the keys that change are written, in one "
        "atomic save; if any row is wrong, each problem is printed with its row and column and "
        "nothing is written (exit 2). Samples without a row are kept unless --delete-missing.",
    )
    add_path(imported)
    imported.add_argument(
        "--from", dest="source", metavar="FILE", required=True, help="the CSV or JSON file"
    )
    imported.add_argument("--dry-run", action="store_true", help="print the changes, write none")
    imported.add_argument(
        "--delete-missing", action="store_true", help="delete the samples no row names"
    )
    imported.set_defaults(run=run_import)


def run_import(options: argparse.Namespace) -> int:
    from tui.catalog import importing
    from tui.catalog.errors import StoreError
    from tui.catalog.store import Store

    source = Path(options.source)
    try:
        text = source.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        reason = error.strerror if isinstance(error, OSError) else "not UTF-8 text"
        print(f"{shown(str(source))}: error: cannot read it: {reason}", file=sys.stderr)
        return 2
    catalog = read_checked(options.path, out=sys.stderr)
    if isinstance(catalog, int):
        return catalog
    as_json = source.suffix.lower() == ".json" or text.lstrip().startswith(("{", "["))
    rows = importing.read_rows(text, as_json)
    if isinstance(rows, importing.RowProblem):
        found: importing.Plan | list[importing.RowProblem] = [rows]
    else:
        found = importing.plan(catalog, rows, options.delete_missing)
    if not isinstance(found, importing.Plan):
        for problem in found:
            print(shown(f"{source}: {problem.format()}"), file=sys.stderr)
        count = len(found)
        print(f"{shown(str(source))}: {count} problem{'s' if count != 1 else ''}; nothing was "
              "written", file=sys.stderr)  # fmt: skip
        return 2
    for line in found.lines:
        print(shown(line))
    if not found.pairs:
        print("no change", file=sys.stderr)
        return 0
    if options.dry_run:
        print(f"(dry run: {len(found.pairs)} samples would change; nothing was written)",
              file=sys.stderr)  # fmt: skip
        return 0
    try:
        Store(options.path).change_many(found.pairs)
    except StoreError as error:
        print(f"{shown(options.path)}: error: {shown(str(error))}; nothing was written",
              file=sys.stderr)  # fmt: skip
        return 2
    return 0
