"""The benchmark suite runs (at small sizes): timings are reported, never judged here."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from tests.conftest import REPO


@pytest.mark.skipif(shutil.which("tmux") is None, reason="the suite runs in tmux")
def test_the_suite_runs_at_small_sizes() -> None:
    result = subprocess.run(
        [sys.executable, str(REPO / "bench" / "run.py"), "--smoke"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    rows = [line for line in result.stdout.splitlines() if line.startswith("| (")]
    figures = [row.split()[1] for row in rows]
    assert figures == [
        *["(a)", "(b)", "(c)", "(d)", "(d)", "(e)"],
        *["(f)"] * 5,
        *["(j)", "(j)", "(g)", "(g)"],
        *["(h)", "(h)", "(i)"] * 4,  # table and timeline, at two sizes
    ]
