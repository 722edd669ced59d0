"""Issue 11, items 1 and 13: a field nobody edited is never written, and a record changed on
disk meanwhile is named as such, not blamed on the tube field."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input, Static, TextArea

from tests.app.conftest import no_blinking  # noqa: F401  (autouse in tests/app only)
from tests.conftest import CORPUS
from tui.app import TubeboardApp
from tui.screens.board_screen import BoardScreen
from tui.screens.confirm import ConfirmScreen
from tui.screens.sample_form import SampleForm

# Notes holding each line break a text box would normalise, and hidden characters.
ODD_NOTES = {
    "u2028": "one\u2028two",
    "u2029": "one\u2029two",
    "form-feed": "page\x0cbreak",
    "vertical-tab": "a\x0bb",
    "separators": "a\x1cb\x1dc\x1ed",
    "nel": "a\x85b",
    "mixed-crlf": "a\r\nb\nc",
    "lone-cr": "a\rb\nc",
    "escape": "\x1b]0;pwned\x07\x1b[2J",
    "zwj": "a\u200db",
}


def catalogue_with(tmp_path: Path, notes: str, name: str = "Odd") -> Path:
    path = tmp_path / "catalog.toml"

    # A basic string of escapes keeps every character exactly as the test means it.
    def escaped(text: str) -> str:
        return "".join(
            c if " " <= c <= "~" and c not in '"\\' else f"\\U{ord(c):08x}" for c in text
        )

    path.write_text(
        "[board]\ntubes = 4\n\n# kept\n[[sample]]\ntube = 1\n"
        f'name = "{escaped(name)}"\nkind = "witness"\nnotes = "{escaped(notes)}"  # a comment\n'
    )
    return path


@pytest.mark.parametrize("case", sorted(ODD_NOTES))
async def test_an_untouched_form_writes_nothing(tmp_path: Path, case: str) -> None:
    path = catalogue_with(tmp_path, ODD_NOTES[case])
    before = path.read_bytes()
    app = TubeboardApp(path)
    async with app.run_test(size=(100, 30)) as pilot:
        assert app.store.read().catalog.sample_at(1).notes == ODD_NOTES[case]  # type: ignore[union-attr]
        await pilot.press("e")
        form = app.screen
        assert isinstance(form, SampleForm)
        assert not form.is_dirty()
        # Nothing reaches the terminal raw: the boxes hold only printable text and newlines.
        shown = form.query_one("#notes", TextArea).text
        assert all(c.isprintable() or c in "\r\n\t" for c in shown), repr(shown)
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, ConfirmScreen), "asked to discard nothing"
        await pilot.press("e", "ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, BoardScreen)
    assert path.read_bytes() == before


@pytest.mark.parametrize("case", sorted(ODD_NOTES))
async def test_changing_the_name_keeps_the_notes_exactly(tmp_path: Path, case: str) -> None:
    path = catalogue_with(tmp_path, ODD_NOTES[case])
    before = path.read_text()
    app = TubeboardApp(path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("e")
        await pilot.press("end", *"er", "ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, BoardScreen)
    after = path.read_text()
    assert after == before.replace('name = "Odd"', 'name = "Odder"')


async def test_editing_notes_keeps_the_characters_it_showed_as_symbols(tmp_path: Path) -> None:
    path = catalogue_with(tmp_path, "one\u2028two\x0cthree")
    app = TubeboardApp(path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("e")
        notes = app.screen.query_one("#notes", TextArea)
        assert notes.text == "one<U+2028>two␌three"
        notes.focus()
        notes.move_cursor(notes.document.end)
        await pilot.press(*"!", "ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, BoardScreen)
    sample = app.store.read().catalog.sample_at(1)  # type: ignore[union-attr]
    assert sample is not None and sample.notes == "one\u2028two\x0cthree!"


async def test_escapes_in_a_name_show_as_symbols_in_the_form(tmp_path: Path) -> None:
    path = catalogue_with(tmp_path, "n", name="\x1b]0;pwned\x07x")
    before = path.read_bytes()
    app = TubeboardApp(path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("e")
        assert app.screen.query_one("#name", Input).value == "␛]0;pwned␇x"
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert path.read_bytes() == before


async def test_a_record_changed_meanwhile_is_named_not_the_tube(tmp_path: Path) -> None:
    path = tmp_path / "catalog.toml"
    path.write_bytes((CORPUS / "valid" / "hand-written.toml").read_bytes())
    app = TubeboardApp(path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("e")
        form = app.screen
        assert isinstance(form, SampleForm)
        name = form.texts()["name"]
        # Someone else changes this record on disk; the board reloads under the open form.
        path.write_text(path.read_text().replace(f"'{name}'", f"'{name} (moved)'", 1))
        await pilot.pause(1.0)
        await pilot.press("end", *"X", "ctrl+s")
        await pilot.pause()
        assert app.screen is form, "the form stays open with what was typed"
        message = str(form.query_one("#form-message", Static).render())
        assert "changed in the file meanwhile" in message
        assert f"{name} (moved)" in message, message
        assert str(form.query_one("#tube-error").render()) == ""
