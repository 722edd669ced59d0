from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

from tui.catalog.model import Sample
from tui.catalog.store import Store

REPO = Path(__file__).resolve().parent.parent
CORPUS = Path(__file__).resolve().parent / "corpus"
SHIPPED = REPO / "catalog.toml"


def stored_sample(store: Store, tube: int) -> Sample:
    """The sample in `tube` of the file as it is on disk now."""
    catalog = store.read().catalog
    assert catalog is not None
    found = catalog.sample_at(tube)
    assert found is not None
    return found


def workspace_on(path: Path):  # type: ignore[no-untyped-def]
    """A Workspace on the file at `path`, as the board screen makes one."""
    from tui.catalog.workspace import Workspace

    store = Store(path)
    raw = path.read_bytes()
    catalog = store.parse(raw).catalog
    assert catalog is not None
    return Workspace(store, catalog, raw)


@pytest.fixture
def shipped_copy(tmp_path: Path) -> Path:
    target = tmp_path / "catalog.toml"
    target.write_bytes(SHIPPED.read_bytes())
    return target


# `HYPOTHESIS_PROFILE=thorough pytest` runs the property tests twenty times longer.
settings.register_profile("thorough", max_examples=3000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


@pytest.fixture(autouse=True)
def own_settings(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets an empty config folder: the person's own settings never leak in."""
    folder = tmp_path_factory.mktemp("xdg-config")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(folder))
    # Nor their cache (the demo's copy lives there).
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("xdg-cache")))
    return folder / "tubeboard" / "config.toml"
