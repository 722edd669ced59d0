"""Saves through a spare copy made ahead of time: the same bytes as a whole-file save,
invisible until the rename, and a plain save whenever the spare cannot be used."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import attrs
import pytest

from tests.conftest import stored_sample
from tui.catalog import atomic
from tui.catalog import store as store_module
from tui.catalog.atomic import Spare
from tui.catalog.model import Sample
from tui.catalog.store import Store

NEW = Sample(tube=40, name="Bell Island 2", kind="rock-core")


@pytest.fixture
def used(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Whether each save went through the spare (what Spare.replace answered first)."""
    outcomes: list[bool] = []
    replace = Spare.replace

    def spy(self: Spare, *args: object) -> tuple[bool, int | None]:
        answer = replace(self, *args)  # type: ignore[arg-type]
        outcomes.append(answer[0])
        return answer

    monkeypatch.setattr(Spare, "replace", spy)
    return outcomes


def warmed(path: Path, full_check_later: bool = False) -> Store:
    store = Store(path, full_check_later)
    store.read()
    store.warm()
    return store


def test_saves_through_the_spare_write_what_whole_file_saves_write(
    shipped_copy: Path, tmp_path_factory: pytest.TempPathFactory, used: list[bool]
) -> None:
    plain_path = tmp_path_factory.mktemp("plain") / "catalog.toml"
    plain_path.write_bytes(shipped_copy.read_bytes())
    fast, plain = warmed(shipped_copy), Store(plain_path)
    steps = [
        lambda s: s.add(NEW),  # an append: only the new block is written
        lambda s: s.edit(stored_sample(s, 2), attrs.evolve(stored_sample(s, 2), site="Séítah")),
        lambda s: s.delete(stored_sample(s, 1)),  # the first record: almost all of it rewritten
        lambda s: s.edit(stored_sample(s, 40), attrs.evolve(stored_sample(s, 40), notes="a\nb")),
    ]
    for step in steps:
        step(fast)
        step(plain)
        assert shipped_copy.read_bytes() == plain_path.read_bytes()
        assert sorted(os.listdir(shipped_copy.parent)) == ["catalog.toml"]
        fast.warm()  # as the app does after each write
    assert used == [True] * len(steps)
    fast.close()


def test_the_spare_is_invisible_and_keeps_mode_and_link(
    shipped_copy: Path, tmp_path: Path, used: list[bool]
) -> None:
    link = tmp_path / "link.toml"
    link.symlink_to(shipped_copy)
    store = warmed(link)
    os.chmod(shipped_copy, 0o640)  # after the spare was made: the save still copies it
    assert sorted(os.listdir(tmp_path)) == ["catalog.toml", "link.toml"]  # nothing to see
    before = shipped_copy.read_bytes()
    store.add(NEW)
    assert used == [True]
    assert link.is_symlink()
    assert stat.S_IMODE(os.stat(shipped_copy).st_mode) == 0o640
    assert shipped_copy.read_bytes().startswith(before)
    assert b'name = "Bell Island 2"' in shipped_copy.read_bytes()
    store.close()


def test_a_spare_older_than_the_file_still_writes_the_right_bytes(
    shipped_copy: Path, used: list[bool]
) -> None:
    store = warmed(shipped_copy)
    # Someone adds a comment at the top after the spare was made.
    text = shipped_copy.read_text()
    shipped_copy.write_text("# pulled from git\n" + text)
    store.add(NEW)
    assert used == [True]
    now = shipped_copy.read_text()
    assert now.startswith("# pulled from git\n" + text)
    assert store.read().catalog is not None
    store.close()


# Naming the spare (os.link), then swapping it in (an exchange, or os.replace where there is none).
@pytest.mark.parametrize("victim", ["link", "_swap_in"])
def test_a_spare_that_cannot_be_used_gives_way_to_a_whole_file_save(
    shipped_copy: Path, monkeypatch: pytest.MonkeyPatch, used: list[bool], victim: str
) -> None:
    store = warmed(shipped_copy)
    owner = os if victim == "link" else atomic
    real = getattr(owner, victim)
    calls = []

    def once(*args: object, **kwargs: object) -> None:
        calls.append(args)
        if len(calls) == 1:
            raise OSError(18, "Invalid cross-device link")
        real(*args, **kwargs)

    monkeypatch.setattr(owner, victim, once)
    store.add(NEW)
    assert used == [False]
    assert b'name = "Bell Island 2"' in shipped_copy.read_bytes()
    assert sorted(os.listdir(shipped_copy.parent)) == ["catalog.toml"]
    store.close()


def test_no_spare_where_the_system_has_no_unnamed_files(
    shipped_copy: Path, monkeypatch: pytest.MonkeyPatch, used: list[bool]
) -> None:
    monkeypatch.delattr(store_module.os, "O_TMPFILE")
    store = warmed(shipped_copy)
    assert store.reserve.spare is None
    store.add(NEW)
    assert used == []
    assert b'name = "Bell Island 2"' in shipped_copy.read_bytes()


def test_a_store_lets_go_of_its_descriptors(shipped_copy: Path) -> None:
    def descriptors() -> int:
        return len(os.listdir("/proc/self/fd"))

    before = descriptors()
    store = warmed(shipped_copy, full_check_later=True)  # as in the app
    written = store.add(NEW)
    assert written.check is not None
    store.full_check(written.check)
    store.warm()
    assert descriptors() == before + 1  # only the new spare
    store.close()
    assert descriptors() == before


def test_saves_and_warming_on_two_threads_close_each_descriptor_once(
    shipped_copy: Path,
) -> None:
    """The app warms the store (a new spare) in a worker thread while the event loop saves.
    Each descriptor has one owner and is closed once: a descriptor closed twice can be one
    that was reused meanwhile, which closes somebody else's file."""
    import threading

    def descriptors() -> int:
        return len(os.listdir("/proc/self/fd"))

    before = descriptors()
    store = warmed(shipped_copy, full_check_later=True)
    failures: list[BaseException] = []
    done = threading.Event()

    def warm_again() -> None:
        while not done.is_set():
            try:
                store.warm()
            except BaseException as error:  # anything at all is a failure here
                failures.append(error)

    worker = threading.Thread(target=warm_again)
    worker.start()
    try:
        for sol in range(1, 61):
            old = stored_sample(store, 1)
            written = store.edit(old, attrs.evolve(old, sol=sol))
            if written.check is not None:
                store.full_check(written.check)
    finally:
        done.set()
        worker.join()
    store.close()
    assert failures == []
    assert stored_sample(Store(shipped_copy), 1).sol == 60
    assert descriptors() == before


def test_a_save_sees_a_change_that_kept_the_size(shipped_copy: Path) -> None:
    """A save re-reads the file into a kept buffer; a same-sized edit must not pass for
    the bytes it knows."""
    store = warmed(shipped_copy)
    text = shipped_copy.read_text()
    assert 'site = "Roubion"' in text
    shipped_copy.write_text(text.replace('site = "Roubion"', 'site = "Roubiox"', 1))
    store.add(NEW)
    now = shipped_copy.read_text()
    assert 'site = "Roubiox"' in now
    assert b'name = "Bell Island 2"' in shipped_copy.read_bytes()
    store.close()


def test_a_hard_linked_catalogue_is_written_in_place_not_through_the_spare(
    shipped_copy: Path, tmp_path: Path, used: list[bool]
) -> None:
    other = tmp_path / "other-name.toml"
    os.link(shipped_copy, other)
    store = warmed(shipped_copy)
    store.add(NEW)
    assert used == []  # a rename would split the two names into two files
    assert os.stat(shipped_copy).st_nlink == 2
    assert other.read_bytes() == shipped_copy.read_bytes()
    assert b'name = "Bell Island 2"' in other.read_bytes()
    store.close()
