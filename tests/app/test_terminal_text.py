"""What the terminal receives is rewritten to fewer bytes (tui/terminal_text.py): the screen
it leaves must be the same, cell for cell, replayed by a terminal model."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from rich.cells import cell_len

from tests.e2e.terminal_bytes import screen
from tui.terminal_text import tighten

WIDTH, HEIGHT = 20, 6

colours = st.sampled_from(["30", "31", "37", "90", "97", "38;5;12", "38;2;1;2;3", "39"])
backs = st.sampled_from(["40", "47", "100", "48;5;200", "48;2;9;8;7", "49"])
flags = st.sets(st.sampled_from(["1", "2", "4", "7"]))


@st.composite
def styles(draw: st.DrawFn) -> str | None:
    if draw(st.booleans()):
        return None  # an unstyled run: drawn in whatever the terminal holds (a reset)
    codes = sorted(draw(flags))
    if draw(st.booleans()):
        codes.append(draw(colours))
    if draw(st.booleans()):
        codes.append(draw(backs))
    return ";".join(codes)


@st.composite
def updates(draw: st.DrawFn) -> str:
    """As Textual writes: a move, then runs each with its whole style and a reset."""
    out = []
    for _ in range(draw(st.integers(1, 8))):
        row = draw(st.integers(1, HEIGHT))
        col = draw(st.integers(1, WIDTH))
        out.append(f"\x1b[{row};{col}H")
        room = WIDTH - col + 1
        for _ in range(draw(st.integers(1, 4))):
            text = draw(st.text(alphabet=" ab·▀…日", max_size=room))
            while cell_len(text) > room:
                text = text[:-1]
            room -= cell_len(text)
            style = draw(styles())
            out.append(text if style is None else f"\x1b[{style}m{text}\x1b[0m")
            if draw(st.booleans()) and room:  # spaces to the right edge, as a line's end
                pad = " " * room
                style = draw(st.sampled_from([None, "49", "47", "7", "4"]))
                out.append(pad if style is None else f"\x1b[{style}m{pad}\x1b[0m")
                room = 0
        if draw(st.booleans()):
            out.append("\n")
    return "".join(out)


@settings(max_examples=400, deadline=None)
@given(updates())
def test_the_screen_is_the_same_and_the_bytes_no_more(text: str) -> None:
    tight = tighten(text, WIDTH, legible=False)
    assert screen(tight.encode(), WIDTH, HEIGHT) == screen(text.encode(), WIDTH, HEIGHT)
    assert len(tight.encode()) <= len(text.encode()) + 2  # at most a reset more, at the end


def test_a_cursor_move_as_textual_sent_it() -> None:
    # Bytes one `l` on the shipped board sent before (383 with the details line).
    sent = (
        "\x1b[2;1H\x1b[30;47m 1 ♦= \x1b[0m\n\x1b[2;8H\x1b[1;7;39;49m 2 ○▼ \x1b[0m\n"
        "\x1b[3;1H\x1b[30;47mWitne…\x1b[0m\n\x1b[3;8H\x1b[1;7;39;49mRoubi…\x1b[0m\n"
        "\x1b[5;1H\x1b[39;49m      \x1b[0m\n\x1b[5;8H\x1b[1;35;49m▀▀▀▀▀▀\x1b[0m"
        "\x1b[23;1H\x1b[49m \x1b[0m\x1b[1;39;49mtube 2 · Roubion\x1b[0m"
        + "\x1b[49m"
        + " " * 62
        + "\x1b[0m\x1b[49m \x1b[0m"
    )
    tight = tighten(sent, 80)
    assert screen(tight.encode()) == screen(sent.encode())
    # The default style is never sent, a style only when it changes, and the line's end
    # is one erase.
    assert "39;49" not in tight and tight.endswith("Roubion\x1b[0m\x1b[K")
    assert tight.count("\x1b[0;1;7m") == 2 and len(tight) < len(sent) * 0.7


def test_what_it_does_not_model_is_sent_as_it_was() -> None:
    sent = "\x1b[1;1H\x1b[21mdouble\x1b[0m\x1b[1;7H\x1b[4:3mcurly\x1b[0m"
    assert tighten(sent, 80) == sent


@settings(max_examples=300, deadline=None)
@given(updates())
def test_text_too_close_to_its_background_is_sent_in_a_colour_that_reads(text: str) -> None:
    """Issue 27, part 3: every character in colours the terminal was told reads at 4.5:1
    (3:1 when dimmed); one that read already is drawn exactly as before."""
    from tests.e2e.test_themes import shown

    before = screen(text.encode(), WIDTH, HEIGHT)
    after = screen(tighten(text, WIDTH).encode(), WIDTH, HEIGHT)
    for old_row, new_row in zip(before, after, strict=True):
        for old, new in zip(old_row, new_row, strict=True):
            if old is None or new is None or old.char.isspace():
                assert old == new or (old and new and old.char == new.char == " ")
                continue
            least = 3.0 if old.dim else 4.5
            was = shown(old)
            if was is None or was >= least:
                assert new == old
            else:
                assert new.char == old.char and (shown(new) or 0) >= least, (old, new)
