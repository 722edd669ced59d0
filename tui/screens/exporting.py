"""Export… and Labels… (the palette): the form, then the file written through the core."""

from __future__ import annotations

import asyncio
import os
from typing import TYPE_CHECKING

from tui.catalog.export import PICTURES, render, save
from tui.gitrepo import described
from tui.screens.flow import ask, start

if TYPE_CHECKING:
    from tui.screens.board_screen import BoardScreen


def export(screen: BoardScreen, labels: bool = False) -> None:
    """The catalogue (the search's matches, when there is a search) to a file; with
    `labels`, a sheet of labels for the marked samples (every filled tube without marks)."""
    from tui.screens.export_form import ExportForm

    catalog = screen.workspace.catalog
    if labels:
        chosen = sorted(screen.marked) or None
        count = len(chosen) if chosen else len(catalog.samples)
        what = f"Labels for {'the ' if chosen else 'all '}{count} {'marked ' if chosen else ''}"
        what += "samples, to:"
    else:
        finder = screen.finder
        chosen = list(finder.matches) if finder.query.strip() and not finder.error else None
        count = len(chosen) if chosen is not None else len(catalog.samples)
        what = f"Export {count} samples{' (the search matches)' if chosen is not None else ''}:"
    form = ExportForm(what, screen.workspace.store.path, "labels" if labels else None)
    answer = ask(screen.app, form)
    start(screen.app, _write(screen, answer, chosen))


async def _write(
    screen: BoardScreen, answer: asyncio.Future[tuple[str, str] | None], chosen: list[int] | None
) -> None:
    if (got := await answer) is None:
        return
    fmt, target = got
    target = os.path.expanduser(target)  # typed in a box: no shell expanded it
    finder = screen.finder
    query = finder.query.strip() if chosen is not None and finder.query.strip() else None
    store = screen.workspace.store
    revision = store.commit  # a past board's; the working file's is asked of git, off the loop
    if fmt in PICTURES and store.revision is None:  # pictures name it, as `export` does
        revision = await asyncio.to_thread(described, store.path)
    text = render(screen.workspace.catalog, fmt, chosen, store.path.name, query, revision)
    problem = save(text, target)
    if problem is not None:
        screen.notify(f"{target}: {problem}.", severity="error", markup=False)
    else:
        screen.notify(f"Wrote {target} ({fmt}).", markup=False)
