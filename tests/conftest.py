from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

REPO = Path(__file__).resolve().parent.parent
CORPUS = Path(__file__).resolve().parent / "corpus"
SHIPPED = REPO / "catalog.toml"


@pytest.fixture
def shipped_copy(tmp_path: Path) -> Path:
    target = tmp_path / "catalog.toml"
    target.write_bytes(SHIPPED.read_bytes())
    return target


# `HYPOTHESIS_PROFILE=thorough pytest` runs the property tests twenty times longer.
settings.register_profile("thorough", max_examples=3000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))
