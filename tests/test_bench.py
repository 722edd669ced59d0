"""The benchmark suite runs (at small sizes): timings are reported, never judged here."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from tests.conftest import REPO

# Every figure the suite reports at small sizes, in the order it reports them.
FIGURES = [
    *["(a)", "(b)", "(c)", "(d)", "(d)", "(e)"],
    *["(f)"] * 5,
    *["(k)", "(k)"],
    *["(j)", "(j)", "(g)", "(g)", "(l)", "(n)", "(o)", "(m)"],
    *["(h)", "(h)", "(i)"] * 4,  # table and timeline, at two sizes
]


# In groups, so that a run with several workers (pytest -n) shares them out.
@pytest.mark.skipif(shutil.which("tmux") is None, reason="the suite runs in tmux")
@pytest.mark.parametrize("only", ["abk", "cde", "f", "gjl", "hi", "mno"])
def test_the_suite_runs_at_small_sizes(only: str) -> None:
    result = subprocess.run(
        [sys.executable, str(REPO / "bench" / "run.py"), "--smoke", "--only", only],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    rows = [line for line in result.stdout.splitlines() if line.startswith("| (")]
    figures = [row.split()[1] for row in rows]
    assert figures == [figure for figure in FIGURES if figure[1] in only]
