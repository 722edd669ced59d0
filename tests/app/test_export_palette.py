"""Issue 26, part 6: Export… and Labels… in the palette write through the core."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from tests.app.conftest import messages
from tui.app import TubeboardApp
from tui.screens.export_form import ExportForm


async def run_command(pilot, name: str) -> None:  # type: ignore[no-untyped-def]
    await pilot.press("ctrl+p")
    await pilot.pause()
    await pilot.press(*name)
    await pilot.pause()
    await pilot.press("enter")
    await pilot.pause()


async def test_export_writes_the_search_matches_as_csv(catalogue: Path) -> None:
    app = TubeboardApp(catalogue)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("slash", *"status:deposited", "enter")
        await pilot.pause()
        await run_command(pilot, "Export…")
        assert isinstance(app.screen, ExportForm)
        target = catalogue.with_name("catalog.csv")
        assert app.screen.query_one("#export-file").value == str(target)  # type: ignore[attr-defined]
        await pilot.press("enter")
        await pilot.pause()
        assert messages(app)[-1] == f"Wrote {target} (csv)."
    rows = list(csv.DictReader(io.StringIO(target.read_text())))
    assert rows and {row["status"] for row in rows} == {"deposited"}


async def test_labels_for_the_marks_and_a_folder_that_is_not_there(catalogue: Path) -> None:
    app = TubeboardApp(catalogue)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("space", "right", "space")
        await run_command(pilot, "Labels…")
        assert isinstance(app.screen, ExportForm)
        box = app.screen.query_one("#export-file")
        target = catalogue.with_name("catalog-labels.svg")
        assert box.value == str(target)  # type: ignore[attr-defined]
        await pilot.press("enter")
        await pilot.pause()
        sheet = target.read_text()
        assert sheet.count("<path") == 2 and "Roubion" in sheet and "Salette" not in sheet
        await run_command(pilot, "Labels…")
        box = app.screen.query_one("#export-file")
        box.value = str(catalogue.parent / "nowhere" / "x.svg")  # type: ignore[attr-defined]
        await pilot.press("enter")
        await pilot.pause()
        assert "does not exist" in messages(app)[-1]
