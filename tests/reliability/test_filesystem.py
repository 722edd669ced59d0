"""File-system edge cases: links, modes, groups, leftovers, read-only, encodings."""

from __future__ import annotations

import os
import unicodedata
from pathlib import Path

import attrs
import pytest

from tui.catalog import store as store_module
from tui.catalog.model import Sample
from tui.catalog.store import ConflictError, Store

BASE = '[board]\ntubes = 9\n\n[[sample]]\ntube = 1\nname = "A"\nkind = "witness"\n'
NEW = Sample(tube=2, name="B", kind="regolith")
ADDED = '\n[[sample]]\ntube = 2\nname = "B"\nkind = "regolith"\n'


def test_a_hard_linked_catalogue_stays_one_file(tmp_path: Path) -> None:
    path = tmp_path / "catalog.toml"
    path.write_text(BASE)
    other = tmp_path / "also.toml"
    os.link(path, other)
    Store(path).add(NEW)
    assert other.read_text() == BASE + ADDED
    assert os.stat(path).st_ino == os.stat(other).st_ino
    assert sorted(p.name for p in tmp_path.iterdir()) == ["also.toml", "catalog.toml"]


def test_group_and_mode_are_kept(tmp_path: Path) -> None:
    path = tmp_path / "catalog.toml"
    path.write_text(BASE)
    os.chmod(path, 0o664)
    if os.geteuid() == 0:
        os.chown(path, -1, 12345)  # root can hand the file to any group
    group = os.stat(path).st_gid
    Store(path).add(NEW)
    info = os.stat(path)
    assert (info.st_mode & 0o777, info.st_gid) == (0o664, group)


def test_leftovers_of_a_crash_are_ignored_and_cleaned(tmp_path: Path) -> None:
    path = tmp_path / "catalog.toml"
    path.write_text(BASE)
    (tmp_path / ".catalog.toml.abc123.tubeboard-tmp").write_text("half a fi")
    (tmp_path / ".catalog.toml.lock").write_text("")  # a dead writer's lock
    (tmp_path / "notes.txt").write_text("mine")
    store = Store(path)
    assert store.read().catalog is not None  # reading ignores them
    store.add(NEW)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["catalog.toml", "notes.txt"]


def test_read_only_file_and_folder_are_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "catalog.toml"
    path.write_text(BASE)
    store = Store(path)
    assert store.read_only_reason() is None
    # Simulated: root may write anywhere.
    monkeypatch.setattr(store_module.os, "access", lambda p, mode: Path(p) != path)
    assert store.read_only_reason() == f"{path} is read-only"
    monkeypatch.setattr(store_module.os, "access", lambda p, mode: Path(p) != tmp_path)
    assert store.read_only_reason() == f"the folder of {path} is read-only"


@pytest.mark.parametrize(
    "raw",
    [
        b"\xef\xbb\xbf" + BASE.encode(),
        BASE.replace("\n", "\r\n").encode(),
        BASE.encode().rstrip(b"\n"),
        b"",
    ],
    ids=["bom", "crlf", "no-final-newline", "empty"],
)
def test_encodings_and_endings_survive_an_add(tmp_path: Path, raw: bytes) -> None:
    path = tmp_path / "catalog.toml"
    path.write_bytes(raw)
    Store(path).add(attrs.evolve(NEW, tube=1) if not raw else NEW)
    after = path.read_bytes()
    assert after.startswith(raw)
    if raw:
        assert (b"\r\n" in after) == (b"\r\n" in raw)
        assert after.endswith(b"\n") == raw.endswith(b"\n")


def test_names_in_nfc_and_nfd_are_the_same_name(tmp_path: Path) -> None:
    path = tmp_path / "catalog.toml"
    nfc = unicodedata.normalize("NFC", "Atsá")
    nfd = unicodedata.normalize("NFD", "Atsá")
    assert nfc != nfd
    path.write_text(BASE.replace('"A"', f'"{nfc}"'))
    with pytest.raises(ConflictError, match="already used"):
        Store(path).add(attrs.evolve(NEW, name=nfd))
    path.write_text(path.read_text() + ADDED.replace('"B"', f'"{nfd}"'))
    parsed = Store(path).read()
    assert parsed.catalog is None
    assert "already used on line 6" in parsed.errors[0].message


def test_very_long_notes_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "catalog.toml"
    path.write_text(BASE)
    notes = "core " * 200_000 + "\nend"
    store = Store(path)
    store.add(attrs.evolve(NEW, notes=notes))
    assert store.read().catalog.sample_at(2).notes == notes  # type: ignore[union-attr]
