"""Placeholder until the board app lands (issue 3)."""

from __future__ import annotations

import sys
from pathlib import Path


def run(path: Path) -> int:
    print(
        f"tubeboard: the board app is not built yet; try `tubeboard check {path}`", file=sys.stderr
    )
    return 2
