"""A catalogue that does not exist yet: its first text, the file written (never over one
that appeared meanwhile), and the schema file beside it for editors."""

from __future__ import annotations

import os
from pathlib import Path

from tui.catalog import schema
from tui.catalog.atomic import locked, write_atomic
from tui.catalog.edit import render_value
from tui.catalog.errors import ConflictError, SaveError
from tui.catalog.model import Catalog
from tui.catalog.validate import parse_text


def text(title: str, tubes: int) -> str:
    """The first text of a new catalogue: the schema line, a word on how to edit it, [board]."""
    return (
        "#:schema ./catalog.schema.json\n"
        "# A tubeboard catalogue: one [[sample]] block per filled tube. Edit it by hand or\n"
        "# with `tubeboard`; run `tubeboard check` after editing by hand.\n"
        "\n"
        "[board]\n"
        f"title = {render_value(title)}\n"
        f"tubes = {tubes}\n"
    )


def create(path: Path, content: str) -> Catalog:
    """Write a new catalogue file; refuse if one appeared in the meantime."""
    parsed = parse_text(content)
    if parsed.catalog is None:
        raise SaveError("the new catalogue would not be valid; nothing was written")
    if not path.absolute().parent.is_dir():
        raise SaveError(f"the folder {path.absolute().parent} does not exist")
    with locked(Path(os.path.realpath(path))):
        if path.exists():
            raise ConflictError(f"{path} exists now; it was not overwritten")
        write_atomic(path, content.encode("utf-8"))
    return parsed.catalog


def write_schema_beside(path: Path) -> Path | None:
    """Put catalog.schema.json beside a new catalogue, for its `#:schema` line.

    Only where there is none: an existing one may be the person's own. Returns the path
    written, or None."""
    target = path.parent / schema.SCHEMA_FILE
    if target.exists() or target.is_symlink():
        return None
    write_atomic(target, schema.schema_text().encode("utf-8"))
    return target
