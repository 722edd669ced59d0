"""Issue 26, part 6: `c` copies the focused record, or the marked ones, as the file has them."""

from __future__ import annotations

from pathlib import Path

from tests.app.conftest import messages
from tui.app import TubeboardApp

RACK = """\
[board]
tubes = 4

# the first core
[[sample]]
tube = 1
name = "Alpha"   # drilled at dawn
kind = "rock-core"

[[sample]]
tube = 3
name = "Gamma"
kind = "witness"
notes = '''
Two lines,
[[sample]] only text.
'''
"""


async def test_c_copies_the_records_as_written(tmp_path: Path) -> None:
    path = tmp_path / "catalog.toml"
    path.write_text(RACK)
    app = TubeboardApp(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("c")
        await pilot.pause()
        assert app.clipboard == '[[sample]]\ntube = 1\nname = "Alpha"   # drilled at dawn\n' + (
            'kind = "rock-core"\n'
        )
        assert messages(app)[-1] == "Copied tube 1's record to the clipboard (4 lines of TOML)."
        await pilot.press("space", "right", "right", "space", "c")
        await pilot.pause()
        assert app.clipboard == RACK[RACK.index("[[sample]]") :]
        await pilot.press("escape", "right", "c")  # tube 4: empty
        await pilot.pause()
        assert messages(app)[-1] == "This tube is empty: nothing to copy."
    assert path.read_text() == RACK
