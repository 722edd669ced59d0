"""Several writers at once: every change lands, none is overwritten blindly."""

from __future__ import annotations

import os
from pathlib import Path

import attrs
import pytest

from tui.catalog.model import Kind, Sample
from tui.catalog.store import ConflictError, Store

WRITERS = 6
EACH = 15


def test_racing_writers_lose_nothing(tmp_path: Path) -> None:
    path = tmp_path / "catalog.toml"
    path.write_text(f"# shared by {WRITERS} people\n[board]\ntubes = {WRITERS * EACH}\n")
    children = []
    for writer in range(WRITERS):
        pid = os.fork()
        if pid == 0:
            code = 0
            try:
                store = Store(path)
                for i in range(EACH):
                    tube = writer * EACH + i + 1
                    store.add(Sample(tube=tube, name=f"w{writer}-{i}", kind=Kind.WITNESS))
                    if i % 3 == 0:  # and edit one of its own, while others add
                        old = store.read().catalog.sample_at(tube)  # type: ignore[union-attr]
                        assert old is not None
                        store.edit(old, attrs.evolve(old, sol=tube))
            except BaseException:
                code = 1
            os._exit(code)
        children.append(pid)
    codes = [os.waitpid(pid, 0)[1] for pid in children]
    assert codes == [0] * WRITERS
    catalog = Store(path).read().catalog
    assert catalog is not None
    assert sorted(s.tube for s in catalog.samples) == list(range(1, WRITERS * EACH + 1))
    assert sum(s.sol is not None for s in catalog.samples) == WRITERS * 5
    assert path.read_text().startswith("# shared by")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["catalog.toml"]


def test_two_people_edit_the_same_record(tmp_path: Path) -> None:
    path = tmp_path / "catalog.toml"
    path.write_text(
        '[[sample]]\ntube = 1\nname = "A"\nkind = "witness"\n\n'
        '[[sample]]\ntube = 2\nname = "B"\nkind = "witness"\n'
    )
    mine, theirs = Store(path), Store(path)
    seen = mine.read().catalog
    assert seen is not None
    a, b = seen.sample_at(1), seen.sample_at(2)
    assert a is not None and b is not None
    theirs.edit(a, attrs.evolve(a, sol=1))  # they change A first
    mine.edit(b, attrs.evolve(b, sol=2))  # my edit of B still lands
    before = path.read_bytes()
    with pytest.raises(ConflictError, match="changed in the file meanwhile"):
        mine.edit(a, attrs.evolve(a, site="x"))  # but not my stale edit of A
    assert path.read_bytes() == before
    catalog = Store(path).read().catalog
    assert catalog is not None
    assert [s.sol for s in catalog.samples] == [1, 2]
