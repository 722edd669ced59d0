"""Issue 11, item 2: an outside program that reads, changes and renames the file (an editor,
git, a script) while the app saves never loses its change: it is in the file, or, when that
program wrote over the save's own version in the instant before the save was taken back,
in a version kept beside the file that the save names.

The sidecar lock keeps out only tubeboard. What keeps out everyone else is the exchange: the
new file is swapped in with renameat2(RENAME_EXCHANGE), the file that comes out must be
exactly the one read, and otherwise the two are swapped back and the save is made again on
the new text."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from tui.catalog.model import Sample
from tui.catalog.store import ConflictError, Store

# Reads the file, appends a numbered comment, writes a file beside it and renames it over,
# again and again with pauses of 0 to 4 ms, until told to stop; then prints how many renames
# it made.
WRITER = """
import os, random, sys, time
path, stop = sys.argv[1], sys.argv[2]
count = 0
while not os.path.exists(stop):
    with open(path, "rb") as handle:
        data = handle.read()
    count += 1
    temp = path + ".outside"
    with open(temp, "wb") as handle:
        handle.write(data + b"# outside %d\\n" % count)
    os.replace(temp, path)
    time.sleep(random.uniform(0, 0.004))  # a busy editor, not a wall: saves must get through
print(count)
"""

SAVES = 300


def test_an_outside_rename_writer_never_loses_a_change(tmp_path: Path) -> None:
    path = tmp_path / "catalog.toml"
    path.write_text("[board]\ntubes = 1000\n")
    stop = tmp_path / "stop"
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(path), str(stop)], stdout=subprocess.PIPE, text=True
    )
    store = Store(path)
    saved = refused = 0
    said: list[str] = []  # what the saves said of versions kept beside the file
    try:
        time.sleep(0.2)  # the writer is running
        for tube in range(1, SAVES + 1):
            try:
                written = store.add(Sample(tube=tube, name=f"core {tube}", kind="rock-core"))
                said.append(written.said)
                saved += 1
            except ConflictError as error:
                said.append(str(error))
                refused += 1
    finally:
        stop.touch()
        out, _ = writer.communicate(timeout=30)
        store.close()
    renames = int(out)
    text = path.read_text()
    # A version the writer made from a save's own file, in the instant before the save was
    # taken back, cannot go in (it was written over ours): it is kept beside the file, and
    # the save says so. Anything else missing is lost.
    kept = {p.name: p.read_text() for p in tmp_path.glob("*.kept")}
    assert all(any(name in words for words in said) for name in kept), (kept.keys(), said)
    lost = [
        n
        for n in range(1, renames + 1)
        if f"# outside {n}\n" not in text
        and not any(f"# outside {n}\n" in version for version in kept.values())
    ]
    print(f"{saves_line(saved, refused)}; the writer renamed {renames} times; lost: {len(lost)}")
    # Enough renames to race the saves (on a busy machine the writer gets less of a core).
    assert renames >= SAVES // 3, f"the writer renamed only {renames} times"
    assert lost == [], f"{len(lost)} of the writer's {renames} changes were overwritten"
    assert saved + refused == SAVES and saved > 0


def saves_line(saved: int, refused: int) -> str:
    return f"{saved} saves landed, {refused} refused as conflicts"
