"""Issue 14: marks, a field set on many tubes, many deleted, a sample moved or swapped; each
one atomic save and one undo step, checked in the file on disk."""

from __future__ import annotations

from pathlib import Path

import attr
from textual.widgets import Input, Select

from tests.app.conftest import messages
from tests.conftest import SHIPPED
from tui.app import TubeboardApp
from tui.catalog.validate import parse_bytes
from tui.catalog.workspace import Refused
from tui.screens.board_screen import BoardScreen
from tui.screens.confirm import ConfirmScreen
from tui.widgets.board import MARKED, TubeBoard

ORIGINAL = SHIPPED.read_bytes()


def on_disk(path: Path):  # type: ignore[no-untyped-def]
    catalog = parse_bytes(path.read_bytes()).catalog
    assert catalog is not None
    return catalog


def board(app: TubeboardApp) -> TubeBoard:
    return app.screen.query_one(TubeBoard)


def line_of(app: TubeboardApp, y: int) -> str:
    return "".join(segment.text for segment in board(app).render_line(y))


async def test_space_marks_a_tube_visibly_and_escape_clears(catalogue: Path) -> None:
    app = TubeboardApp(catalogue)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("right", "space", "right", "space")
        assert board(app).marked == {2, 3}
        assert line_of(app, 2)[7:14].rstrip().endswith(MARKED)  # tube 2's sol line: "s164  √"
        assert "2 marked" in str(app.screen.query_one("#summary").render())
        await pilot.press("space")
        assert board(app).marked == {2}
        await pilot.press("escape")
        assert board(app).marked == frozenset()
        assert MARKED not in line_of(app, 2)


async def test_a_marks_every_match_and_s_sets_a_status_in_one_save(catalogue: Path) -> None:
    app = TubeboardApp(catalogue)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("slash", *"sol:160..200", "enter", "A")
        assert board(app).marked == {1, 2, 3, 4}
        await pilot.press("S")
        form = app.screen
        form.query_one("#status", Select).value = "deposited"
        form.query_one("#campaign", Input).value = "Depot run"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, BoardScreen)
        catalog = on_disk(catalogue)
        assert {catalog.sample_at(t).status.value for t in (1, 2, 3, 4)} == {"deposited"}  # type: ignore[union-attr]
        assert {catalog.sample_at(t).campaign for t in (1, 2, 3, 4)} == {"Depot run"}  # type: ignore[union-attr]
        assert "Set status, campaign on 4 tubes" in messages(app)[-1]
        assert len(app.screen.workspace.log.undo) == 1  # type: ignore[attr-defined]
        await pilot.press("u")
        await pilot.pause()
    assert catalogue.read_bytes() == ORIGINAL


async def test_d_with_marks_deletes_them_all_after_asking(catalogue: Path) -> None:
    app = TubeboardApp(catalogue)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("space", "right", "space", "d")
        question = app.screen
        assert isinstance(question, ConfirmScreen)
        assert "Delete the 2 marked tubes (1 'Witness tube 1', 2 'Roubion')" in question.question
        await pilot.press("y")
        await pilot.pause()
        catalog = on_disk(catalogue)
        assert catalog.sample_at(1) is None and catalog.sample_at(2) is None
        assert len(catalog.samples) == 30
        assert board(app).marked == frozenset()


async def test_m_moves_into_an_empty_tube_and_swaps_when_asked(catalogue: Path) -> None:
    app = TubeboardApp(catalogue)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("right", "m", *"40", "enter")
        await pilot.pause()
        catalog = on_disk(catalogue)
        assert catalog.sample_at(40).name == "Roubion" and catalog.sample_at(2) is None  # type: ignore[union-attr]
        assert board(app).cursor == 40
        await pilot.press("m", *"1", "enter")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        assert "Tube 1 holds 'Witness tube 1': swap them?" in app.screen.question
        await pilot.press("y")
        await pilot.pause()
        catalog = on_disk(catalogue)
        assert catalog.sample_at(1).name == "Roubion"  # type: ignore[union-attr]
        assert catalog.sample_at(40).name == "Witness tube 1"  # type: ignore[union-attr]
        await pilot.press("m", *"99", "enter")
        await pilot.pause()
        assert "out of range" in messages(app)[-1]
        await pilot.press("u", "u")
        await pilot.pause()
    assert catalogue.read_bytes() == ORIGINAL


# Issue 23, parts 2 and 3 ----------------------------------------------------------------------


async def test_a_after_a_search_that_matches_nothing_marks_nothing_and_says_so(
    catalogue: Path,
) -> None:
    app = TubeboardApp(catalogue)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("slash", *"nothing-like-this", "enter", "A")
        await pilot.pause()
        assert board(app).marked == frozenset()
        assert "No tube matches the search 'nothing-like-this'. Nothing marked." in messages(app)
        await pilot.press("n")  # (said "No search: press / to search")
        await pilot.pause()
        assert messages(app)[-1] == "No tube matches the search 'nothing-like-this'."
        await pilot.press("d")  # the focused tube alone is offered, never every tube
        question = app.screen
        assert isinstance(question, ConfirmScreen) and "marked" not in question.question
        await pilot.press("n")
        await pilot.press("slash", *"sol>x", "enter", "A")  # a query that cannot be read
        await pilot.pause()
        assert board(app).marked == frozenset()
        assert any(m.startswith("The search cannot be read") for m in messages(app)), messages(app)
        await pilot.press("escape", "A")  # no search: every filled tube
        await pilot.pause()
        assert len(board(app).marked) == 32


async def test_keys_that_arrive_together_each_act_on_what_the_last_left(
    catalogue: Path,
) -> None:
    """Over SSH several keys come in one read: space l space l space l space marks four."""
    from textual import events

    app = TubeboardApp(catalogue)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        for key in ("space", "l", "space", "l", "space", "l", "space"):
            char = " " if key == "space" else key
            app.post_message(events.Key(key, char))  # all queued before any is handled
        await pilot.pause()
        await pilot.pause()
        assert board(app).marked == {1, 2, 3, 4}


async def test_s_offers_every_field_tubes_may_share_each_read_as_its_kind(
    catalogue: Path,
) -> None:
    """Issue 24: the bulk form's fields come from the fields' definitions (kind, status, sol,
    date, campaign, site; never tube, name or notes), each read as its kind says."""
    app = TubeboardApp(catalogue)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("space", "right", "space", "S")
        form = app.screen
        ids = [box.id for box in form.query("#bulk-fields > Input, #bulk-fields > Select")]
        assert ids == ["kind", "status", "sol", "date", "campaign", "site"]
        form.query_one("#date", Input).value = "2024-02-30"
        form.query_one("#sol", Input).value = "many"
        await pilot.press("ctrl+s")
        await pilot.pause()
        said = str(form.query_one("#bulk-message").render())
        assert "sol: a whole number, like 164" in said
        assert "date: no such day in the calendar" in said
        assert catalogue.read_bytes() == ORIGINAL  # nothing was set
        form.query_one("#date", Input).value = "2024-02-29"
        form.query_one("#sol", Input).value = "1000"
        form.query_one("#kind", Select).value = "regolith"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, BoardScreen)
        catalog = on_disk(catalogue)
        for tube in (1, 2):
            sample = catalog.sample_at(tube)
            assert (sample.sol, str(sample.date), sample.kind.value) == (
                1000,
                "2024-02-29",
                "regolith",
            )  # type: ignore[union-attr]
        await pilot.press("u")
        await pilot.pause()
    assert catalogue.read_bytes() == ORIGINAL


# Issue 26, part 5: a block moved ------------------------------------------------------------


def test_a_block_keeps_its_order_and_gaps(catalogue: Path) -> None:
    from tui.catalog.workspace import block_move

    catalog = on_disk(catalogue)
    found = block_move(catalog, {3, 4, 7}, 36)
    assert not isinstance(found, Refused)
    pairs, message = found
    tubes = [(old.tube, new.tube) for old, new in pairs]  # type: ignore[union-attr]
    assert tubes == [(3, 36), (4, 37), (7, 40)]
    assert all(attr.evolve(old, tube=new.tube) == new for old, new in pairs)  # type: ignore[union-attr,misc]
    assert message == "Moved tubes 3, 4, 7 to 36, 37, 40"
    # Into itself, overlapping: 31, 32 one along is 32, 33, and 32 leaves as 31 arrives.
    shifted = block_move(catalog, {31, 32}, 32)
    assert not isinstance(shifted, Refused)
    one = block_move(catalog, {3, 4}, 4)  # 5 holds a sample
    assert isinstance(one, Refused)
    assert one.reason == "Cannot move the block: tube 5 already holds a sample."
    refused = block_move(catalog, {3, 4, 7}, 30)  # 30, 31 hold samples; 34 is empty
    assert isinstance(refused, Refused)
    assert refused.reason == "Cannot move the block: tubes 30, 31 already hold samples."
    past = block_move(catalog, {3, 4, 7}, 40)  # 40, 41, 44
    assert isinstance(past, Refused)
    assert "tube 44 would be off the board (the board has tubes 1..43)" in past.reason


async def test_m_with_marks_moves_the_block_in_one_save_and_one_undo(catalogue: Path) -> None:
    app = TubeboardApp(catalogue)
    async with app.run_test(size=(80, 24)) as pilot:
        # Mark tubes 3, 4 and 7, then move the block to start in tube 36.
        await pilot.press("right", "right", "space", "right", "space", "right", "right")
        await pilot.press("right", "space", "m")
        await pilot.pause()
        assert "Move the 3 marked samples, the first in tube 3, to:" in str(
            app.screen.query_one("Static").render()
        )
        await pilot.press(*"36", "enter")
        await pilot.pause()
        catalog = on_disk(catalogue)
        before = parse_bytes(ORIGINAL).catalog
        assert before is not None
        assert [catalog.sample_at(t).name for t in (36, 37, 40)] == [  # type: ignore[union-attr]
            before.sample_at(t).name
            for t in (3, 4, 7)  # type: ignore[union-attr]
        ]
        assert all(catalog.sample_at(t) is None for t in (3, 4, 7))
        # Only `tube =` lines changed, each in place.
        old_lines = ORIGINAL.decode().splitlines()
        new_lines = catalogue.read_text().splitlines()
        assert len(old_lines) == len(new_lines)
        changed = [(a, b) for a, b in zip(old_lines, new_lines, strict=True) if a != b]
        assert changed == [
            ("tube = 3", "tube = 36"),
            ("tube = 4", "tube = 37"),
            ("tube = 7", "tube = 40"),
        ]
        assert "Moved tubes 3, 4, 7 to 36, 37, 40" in messages(app)[-1]
        assert app.screen.marked == {36, 37, 40}  # type: ignore[attr-defined]
        # A target that holds a sample: refused as a whole, the tubes named, nothing written.
        written = catalogue.read_bytes()
        await pilot.press("m", *"1", "enter")
        await pilot.pause()
        assert "already hold samples" in messages(app)[-1]
        assert catalogue.read_bytes() == written
        await pilot.press("u")
        await pilot.pause()
    assert catalogue.read_bytes() == ORIGINAL


async def test_text_typed_right_after_tabs_lands_in_the_field_they_reach(
    catalogue: Path,
) -> None:
    """Over SSH `Tab Tab Tab Tab Run` comes in one read: the text belongs to the fourth
    field after the first (campaign), not to the field that had the focus when the keys
    arrived (it went to the kind list and was lost)."""
    from textual import events

    app = TubeboardApp(catalogue)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("space", "S")
        await pilot.pause()
        form = app.screen
        for key in ("tab", "tab", "tab", "tab", "R", "u", "n"):
            app.post_message(events.Key(key, "\t" if key == "tab" else key))
        await pilot.pause()
        await pilot.pause()
        assert form.query_one("#campaign", Input).value == "Run"
        for key in ("shift+tab", "shift+tab", "1", "2"):  # back to sol
            app.post_message(events.Key(key, key if len(key) == 1 else None))
        await pilot.pause()
        await pilot.pause()
        assert form.query_one("#sol", Input).value == "12"
