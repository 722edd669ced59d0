"""SIGKILL a writer at random moments in its saves: the file is always the before or the after."""

from __future__ import annotations

import os
import random
import signal
import time
from pathlib import Path

import pytest

from tui.catalog.store import Store
from tui.catalog.validate import parse_bytes

KILLS = 200
BASE = '[board]\ntubes = 9\n\n[[sample]]\ntube = 1\nname = "A"\nkind = "witness"\nsol = 0\n'


def state(sol: int) -> bytes:
    return BASE.replace("sol = 0", f"sol = {sol}").encode()


def writer(path: Path, start: int, spare: bool) -> None:
    """Edit sol one step at a time, forever; each save is one atomic step. With `spare`,
    as in the app, each save writes into a spare copy made after the last one."""
    store = Store(path)
    sol = start
    while True:
        if spare:
            store.read()
            store.warm()
        catalog = store.read().catalog
        assert catalog is not None
        old = catalog.sample_at(1)
        assert old is not None
        store.edit(old, old.__class__(tube=1, name="A", kind=old.kind, sol=sol + 1))
        sol += 1


@pytest.mark.parametrize("spare", [False, True], ids=["whole-file", "spare"])
def test_sigkill_during_saves_never_leaves_a_broken_or_mixed_file(
    tmp_path: Path, spare: bool
) -> None:
    path = tmp_path / "catalog.toml"
    path.write_bytes(state(0))
    # What a save imports is loaded once here, as the app loads it off the first save's path
    # (Store.warm), rather than in each forked writer, whose short life it would eat into
    # (with PYTHONDONTWRITEBYTECODE, compiled from source every time).
    Store(path).warm()
    rng = random.Random(20261124)
    seen = set()
    mid_save = 0
    for _ in range(KILLS):
        before = parse_bytes(path.read_bytes()).catalog
        assert before is not None
        sol = before.sample_at(1).sol  # type: ignore[union-attr]
        pid = os.fork()
        if pid == 0:  # the child writes until it is killed
            try:
                writer(path, sol or 0, spare)
            finally:
                os._exit(1)
        time.sleep(rng.uniform(0, 0.02))
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        raw = path.read_bytes()
        parsed = parse_bytes(raw)
        assert parsed.catalog is not None, parsed.problems
        now = parsed.catalog.sample_at(1).sol  # type: ignore[union-attr]
        assert raw == state(now or 0)  # exactly one of the states, byte for byte
        seen.add(now)
        leftovers = [p.name for p in tmp_path.iterdir() if p.name != "catalog.toml"]
        mid_save += bool(leftovers)
    # The kills landed all through the saves, and the next save cleans what they left.
    assert len(seen) > KILLS // 2
    Store(path).edit(
        parse_bytes(path.read_bytes()).catalog.sample_at(1),  # type: ignore[union-attr,arg-type]
        parse_bytes(state(999)).catalog.sample_at(1),  # type: ignore[union-attr,arg-type]
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["catalog.toml"]
    how = "through a spare" if spare else "whole file"
    print(f"{KILLS} kills ({how}), {len(seen)} distinct states, {mid_save} left a temp or lock")
