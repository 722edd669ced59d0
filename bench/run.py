"""tubeboard's benchmark suite: every figure a ratio of two sides measured in one run.

    python bench/run.py              the full suite (10,000 tubes, 7 runs a side)
    python bench/run.py --smoke      small sizes, one run: proves the suite runs (CI)
    python bench/run.py --results    also write bench/RESULTS.md

Everything runs in a real terminal: tmux at 80x24, the keys sent as a person types them and
the screen read back. The two sides of each figure alternate (A B A B ...) so that a busy
moment of the machine falls on both, and the median of the runs is reported. The figures are
not pass/fail: goals are shown beside them.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from importlib import metadata
from pathlib import Path

HERE = Path(__file__).resolve().parent
PYTHON = Path(sys.executable)
TUBEBOARD = PYTHON.parent / "tubeboard"
BARE = HERE / "bare_app.py"
SHIPPED = HERE.parent / "catalog.toml"
CACHE = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "tubeboard-bench"


# Catalogues ---------------------------------------------------------------------------------


def catalogue(filled: int, spare: int = 50) -> str:
    """`filled` tubes of realistic records, and `spare` empty tubes to add into."""
    parts = [f'[board]\ntitle = "Bench rack"\ntubes = {filled + spare}\n']
    for tube in range(1, filled + 1):
        parts.append(
            f'\n[[sample]]\ntube = {tube}\nname = "Sample {tube:05d}"\nkind = "rock-core"\n'
            f'status = "sealed"\nsol = {tube}\ndate = 2024-01-01\ncampaign = "Campaign {tube % 7}"'
            f'\nsite = "Site {tube % 13}"\nnotes = "Notes for sample {tube}, one line of text."\n'
            f'designation = "M2020-{tube:05d}-01"\n'
        )
    return "".join(parts)


# The terminal -------------------------------------------------------------------------------


class Pane:
    """A program running in tmux at 80x24."""

    def __init__(self, command: str, env: dict[str, str] | None = None) -> None:
        self.session = f"bench-{uuid.uuid4().hex[:8]}"
        prefix = " ".join(f"{k}={v}" for k, v in (env or {}).items())
        self.started = time.perf_counter()
        subprocess.run(
            [
                "tmux",
                "new-session",
                "-d",
                "-s",
                self.session,
                "-x",
                "80",
                "-y",
                "24",
                f"env TERM=xterm-256color {prefix} {command}",
            ],
            check=True,
        )

    def screen(self) -> str:
        return subprocess.run(
            ["tmux", "capture-pane", "-p", "-t", self.session], capture_output=True, text=True
        ).stdout

    def wait_for(self, text: str, timeout: float = 120.0) -> float:
        """Seconds from `since` (default: the start) until `text` is on screen."""
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            if text in self.screen():
                return time.perf_counter()
            time.sleep(0.003)
        raise TimeoutError(f"{text!r} never appeared in {self.session}:\n{self.screen()}")

    def keys(self, *keys: str) -> None:
        subprocess.run(["tmux", "send-keys", "-t", self.session, *keys], check=True)

    def type(self, text: str) -> None:
        subprocess.run(["tmux", "send-keys", "-t", self.session, "-l", text], check=True)

    def peak_rss_mb(self) -> float:
        """The largest peak RSS among the pane's processes (the program, not its shell)."""
        pid = subprocess.run(
            ["tmux", "display", "-p", "-t", self.session, "#{pane_pid}"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        peaks = [_peak_kb(p) for p in _family(int(pid))]
        return max(peaks) / 1024

    def close(self) -> None:
        subprocess.run(["tmux", "kill-session", "-t", self.session], capture_output=True)


def _family(pid: int) -> Iterator[int]:
    yield pid
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return
    for child in children:
        yield from _family(int(child))


def _peak_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


@contextmanager
def pane(command: str, env: dict[str, str] | None = None) -> Iterator[Pane]:
    p = Pane(command, env)
    try:
        yield p
    finally:
        p.close()


# Measures -----------------------------------------------------------------------------------


def alternate(runs: int, a: Callable[[], float], b: Callable[[], float]) -> tuple[float, float]:
    """Medians of `a` and `b`, measured A B A B ... ."""
    first: list[float] = []
    second: list[float] = []
    for _ in range(runs):
        first.append(a())
        second.append(b())
    return statistics.median(first), statistics.median(second)


def startup(command: str, text: str, env: dict[str, str] | None = None) -> Callable[[], float]:
    def measure() -> float:
        with pane(command, env) as p:
            return p.wait_for(text) - p.started

    return measure


def visidata() -> Path:
    """VisiData from PyPI, in a scratch venv of its own (kept in the cache between runs)."""
    venv = CACHE / "visidata-venv"
    vd = venv / "bin" / "vd"
    if not vd.exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run([str(venv / "bin" / "pip"), "install", "-q", "visidata"], check=True)
    return vd


def key_cost(runs: int, big: Path, small: Path) -> tuple[float, float]:
    """30 cursor moves sent at once, until the details line names the tube they reach."""
    with pane(f"{TUBEBOARD} {big}") as p_big, pane(f"{TUBEBOARD} {small}") as p_small:
        for p in (p_big, p_small):
            p.wait_for("tube 1 ·")
        # A large file opens on its head and is read whole, then indexed, in the background
        # (about 1.5 s at 10,000 tubes); measure the board as it is from then on.
        time.sleep(3.0)
        position = {p_big.session: 1, p_small.session: 1}

        def moves(p: Pane) -> Callable[[], float]:
            def measure() -> float:
                here = position[p.session]
                key, there = ("l", here + 30) if here == 1 else ("h", here - 30)
                started = time.perf_counter()
                p.keys(*[key] * 30)
                seen = p.wait_for(f"tube {there} · ")
                position[p.session] = there
                return seen - started

            return measure

        return alternate(runs, moves(p_big), moves(p_small))


def keys_while_reading(
    runs: int, huge: Path, small: Path, check: bool = True
) -> tuple[float, float]:
    """(m): 30 cursor moves sent the moment a large file's head is on the board, while the
    rest is read in the background, against the same on a small file: a fresh app each run.
    A run counts only if the read was still going when the moves arrived."""

    def moves(path: Path, reading: bool) -> Callable[[], float]:
        def measure() -> float:
            with pane(f"{TUBEBOARD} {path}") as p:
                p.wait_for("tube 1 ·")
                started = time.perf_counter()
                p.keys(*["l"] * 30)
                if check and reading and "reading" not in p.screen():
                    raise RuntimeError("the read was over before the moves: use a larger file")
                return p.wait_for("tube 31 · ") - started

        return measure

    return alternate(runs, moves(huge, True), moves(small, False))


def first_save_cost(runs: int, big: Path, small: Path) -> tuple[float, float]:
    """One sample added as soon as the whole file is read: a fresh app each run, the form
    opened the moment the summary stops saying it is reading, ctrl+s at once."""

    def add(path: Path) -> Callable[[], float]:
        def measure() -> float:
            copy = path.with_name(f"first-{path.name}")
            shutil.copyfile(path, copy)
            with pane(f"{TUBEBOARD} {copy}") as p:
                p.wait_for("tube 1 ·")
                p.wait_for("filled ")  # the summary counts: the whole file is read
                p.keys("a")
                p.wait_for("Add a sample")
                p.type("First save")
                p.wait_for("First save")  # in the name box, before ctrl+s
                return until_written(p, copy, "C-s")

        return measure

    return alternate(runs, add(big), add(small))


def save_cost(runs: int, big: Path, small: Path) -> tuple[float, float]:
    """One sample added through the form: from ctrl+s to the file written."""
    with pane(f"{TUBEBOARD} {big}") as p_big, pane(f"{TUBEBOARD} {small}") as p_small:
        for p in (p_big, p_small):
            p.wait_for("tube 1 ·")
        time.sleep(1.0)  # let each app finish indexing its file in the background
        count = {p_big.session: 0}

        def add(p: Pane, path: Path) -> Callable[[], float]:
            def measure() -> float:
                count[p.session] = count.get(p.session, 0) + 1
                p.keys("a")
                p.wait_for("Add a sample")
                p.type(f"Bench {count[p.session]}")
                time.sleep(0.3)
                # After each save the app re-parses the written file and indexes it again in
                # a worker thread: measured from an idle app, as a person saving again finds it.
                return written(p, path, "C-s", "Added tube")

            return measure

        return alternate(runs, add(p_big, big), add(p_small, small))


def until_written(p: Pane, path: Path, keys: str) -> float:
    """Seconds from `keys` (the key that saves) until the file on disk changes."""
    before = path.stat()
    started = time.perf_counter()
    p.keys(keys)
    while True:
        now = path.stat()
        if (now.st_mtime_ns, now.st_size, now.st_ino) != (
            before.st_mtime_ns,
            before.st_size,
            before.st_ino,
        ):
            return time.perf_counter() - started
        if time.perf_counter() - started > 120:
            raise TimeoutError(f"{path} was never written:\n{p.screen()}")
        time.sleep(0.0005)


def written(p: Pane, path: Path, keys: str, said: str) -> float:
    """`until_written`, then waits for `said` and for the app to settle (it indexes the
    written file in a worker): the next measure starts from an idle app."""
    seconds = until_written(p, path, keys)
    p.wait_for(said)
    time.sleep(2.5)
    return seconds


def bulk_cost(runs: int, big: Path, filled: int) -> tuple[Row, Row]:
    """A change of many (S: a campaign set on the marked tubes) on one marked tube and on all
    of them, each against an ordinary add through the form, in one app on one file: from
    ctrl+s to the file written."""
    with pane(f"{TUBEBOARD} {big}") as p:
        p.wait_for(f"filled {filled} of")  # the whole file read, not only its head
        time.sleep(1.5)  # and indexed for the first change
        count = [0]

        def add() -> float:
            count[0] += 1
            p.keys("a")
            p.wait_for("Add a sample")
            p.type(f"Bench {count[0]}")
            time.sleep(0.3)
            return written(p, big, "C-s", "Added tube")

        def set_marked(marked: int) -> Callable[[], float]:
            def measure() -> float:
                for _ in range(3):  # on a loaded machine a Tab may come before the focus
                    count[0] += 1
                    p.keys("S")
                    p.wait_for(f"Set on the {marked} marked")
                    time.sleep(0.3)  # the form's first field focused
                    p.keys("Tab", "Tab", "Tab", "Tab")  # kind, status, sol, date: to campaign
                    p.type(f"Run {count[0]}")
                    with suppress(TimeoutError):  # not shown in time: tried again below
                        p.wait_for(f"Run {count[0]}", timeout=20)
                    if re.search(rf"campaign +Run {count[0]}\b", p.screen()):
                        return written(p, big, "C-s", "Set campaign on")
                    p.keys("Escape")  # typed into another field: not this figure's cost
                    p.wait_for("marked", timeout=10)
                    time.sleep(0.5)
                raise TimeoutError(f"the campaign field was never reached:\n{p.screen()}")

            return measure

        p.keys("g", "space")  # tube 1 marked
        p.wait_for("1 marked")
        one = alternate(runs, set_marked(1), add)
        p.keys("Escape")  # on its own: Escape then A at once reads as alt+A
        time.sleep(0.5)
        p.keys("A")  # every filled tube marked (no search): the adds' too
        p.wait_for(f"{filled + runs} marked")
        every = alternate(max(1, runs // 2), set_marked(filled + runs), add)
    return (
        (f"(k) S on 1 marked of {filled:,} / an add", "S", "add", *one, "s", "<= 2"),
        (f"(k) S on all {filled:,} marked / an add", "S", "add", *every, "s", "<= 20"),
    )


def peak_memory(runs: int, big: Path, name: str) -> tuple[float, float]:
    def tubeboard() -> float:
        with pane(f"{TUBEBOARD} {big}") as p:
            p.wait_for(name)
            time.sleep(1.0)
            return p.peak_rss_mb()

    return alternate(runs, tubeboard, bare_peak(name))


def bare_peak(name: str) -> Callable[[], float]:
    """The bare Textual app's peak RSS once it shows `name`: the other side of (e) and (g)."""

    def bare() -> float:
        with pane(f"{PYTHON} {BARE} '{name}'") as p:
            p.wait_for(name)
            time.sleep(1.0)
            return p.peak_rss_mb()

    return bare


def table_cost(runs: int, path: Path, filled: int, view: str = "table") -> tuple[Row, Row, Row]:
    """A view beside the board in one app on one file: the first screen after its key (the
    table's `t`, the timeline's `T`; against the board's on the key again), and 30 moves (j in
    the table, l along the timeline and on the board: all reach tube 31), each until the
    screen shows where it went."""
    key, shown, move = ("t", "tube name", "j") if view == "table" else ("T", "Earth year", "l")
    with pane(f"{TUBEBOARD} {path}") as p:
        p.wait_for("tube 1 ·")
        time.sleep(3.0 if filled < 50_000 else 20.0)  # the whole file read and indexed
        switched: dict[str, list[float]] = {view: [], "board": []}
        moved: dict[str, list[float]] = {view: [], "board": []}
        for _ in range(runs):
            for side, seen in ((view, shown), ("board", "tube 1 ·")):
                started = time.perf_counter()
                p.keys(key)
                switched[side].append(p.wait_for(seen) - started)
                if side == "table":
                    p.wait_for("▶")
                started = time.perf_counter()
                p.keys(*[move if side == view else "l"] * 30)
                moved[side].append(p.wait_for("tube 31 · ") - started)
                p.keys("g")
                p.wait_for("tube 1 · ")
        ours, board = (statistics.median(switched[v]) for v in (view, "board"))
        first = (f"(h) first screen, {filled:,} rows", view, "board", ours, board, "s")
        # The view is made on its first key (a sort of every sample for the timeline): the
        # first switch of a session alone, against the board's median.
        once = (f"(h) first switch of the session, {filled:,} rows", view, "board")
        made = (*once, switched[view][0], board, "s")
        ours, board = (statistics.median(moved[v]) for v in (view, "board"))
        moves = (f"(i) 30 moves, {filled:,} rows", view, "board", ours, board, "s")
        return (*first, "report"), (*made, "report"), (*moves, "report")


def history_repo(folder: Path, filled: int, commits: int) -> Path:
    """A git repository whose catalogue of `filled` samples has `commits` commits, each
    changing one sample's status or notes, made at once with git fast-import."""
    repo = folder / f"history-{filled}"
    repo.mkdir()
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=repo, check=True)
    lines = catalogue(filled).splitlines(keepends=True)
    status_lines = [i for i, line in enumerate(lines) if line.startswith("status = ")]
    stream = bytearray()
    for n in range(commits):
        if n:  # each commit after the first changes one sample, every tenth the same one
            at = status_lines[(filled // 2 if n % 10 == 0 else n * 7919) % len(status_lines)]
            lines[at] = 'status = "deposited"\n' if "sealed" in lines[at] else 'status = "sealed"\n'
        data = "".join(lines).encode()
        message = f"Change {n}".encode()
        stream += b"commit refs/heads/main\n"
        stream += f"committer Curator <c@example.org> {1700000000 + n * 3600} +0000\n".encode()
        stream += b"data %d\n%s\n" % (len(message), message)
        stream += b"M 100644 inline catalog.toml\ndata %d\n%s\n" % (len(data), data)
    subprocess.run(["git", "fast-import", "--quiet"], cwd=repo, input=bytes(stream), check=True)
    subprocess.run(["git", "checkout", "-q", "main"], cwd=repo, check=True)
    return repo


def log_cost(runs: int, folder: Path, filled: int, commits: int) -> tuple[Row, Row]:
    """`tubeboard log --tube N` against git's own `log -L` of the same record; the whole
    `tubeboard log` against `git log -p` of the file."""
    repo = history_repo(folder, filled, commits)
    tube = filled // 2 + 1
    text = (repo / "catalog.toml").read_text().splitlines()
    first = text.index(f"tube = {tube}")  # the line after the record's header
    last = next(i for i in range(first, len(text)) if text[i].startswith("designation"))

    def ours() -> float:
        started = time.perf_counter()
        subprocess.run(
            [str(TUBEBOARD), "log", "catalog.toml", "--tube", str(tube)],
            cwd=repo,
            check=True,
            capture_output=True,
        )
        return time.perf_counter() - started

    def git_alone() -> float:
        started = time.perf_counter()
        subprocess.run(
            ["git", "log", f"-L{first},{last + 1}:catalog.toml", "--format=%h"],
            cwd=repo,
            check=True,
            capture_output=True,
        )
        return time.perf_counter() - started

    a, b = alternate(runs, ours, git_alone)
    name = f"(j) log --tube, {filled:,} samples, {commits} commits"
    one = (name, "tubeboard log --tube", "git log -L", a, b, "s", "< 2 s")

    def timed(*command: str) -> Callable[[], float]:
        def measure() -> float:
            started = time.perf_counter()
            subprocess.run(command, cwd=repo, check=True, capture_output=True)
            return time.perf_counter() - started

        return measure

    # The whole history in words, against git's own patches of every version.
    a, b = alternate(
        runs,
        timed(str(TUBEBOARD), "log", "catalog.toml"),
        timed("git", "log", "--first-parent", "-p", "--format=%h", "--", "catalog.toml"),
    )
    name = f"(j) log, every change, {filled:,} samples, {commits} commits"
    return one, (name, "tubeboard log", "git log -p", a, b, "s", "report")


def terminal_bytes(runs: int, shipped: Path, vd_home: Path) -> list[Row]:
    """(f): bytes written to a real pty (80x24, xterm-256color) for the first screen and per
    cursor move (the median of several moves each way), tubeboard's board and table against
    VisiData on the same samples, in the same run."""
    from pty_bytes import measure

    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    # VisiData shows a TOML file as one row of nested tables; its table of the same samples
    # is the CSV export (one row a sample, every field a column), which it opens as a table.
    csv = shipped.with_suffix(".csv")
    exported = subprocess.run(
        [str(TUBEBOARD), "export", str(shipped), "-f", "csv"], capture_output=True, check=True
    )
    csv.write_bytes(exported.stdout)
    moves = ["right"] * 4 + ["left"] * 4 + ["down"] * 3 + ["up"] * 3
    vd_env = {**env, "HOME": str(vd_home)}
    (vd_home / ".local" / "share" / "visidata").mkdir(parents=True, exist_ok=True)
    sides = {
        "board": ([str(TUBEBOARD), str(shipped)], env, b"Witness", []),
        "table": ([str(TUBEBOARD), str(shipped)], env, b"Witness", ["t"]),
        "VisiData": ([str(visidata()), str(csv)], vd_env, b"Roubion", []),
    }
    first: dict[str, list[int]] = {side: [] for side in sides}
    per: dict[str, dict[str, list[int]]] = {side: {} for side in sides}
    for _ in range(max(1, runs // 3)):
        for side, (argv, side_env, ready, before) in sides.items():
            screen, moved = measure(argv, side_env, ready, moves, before)
            first[side].append(screen)
            for key, counts in moved.items():
                per[side].setdefault(key, []).extend(counts)

    def median(values: list[int]) -> float:
        return float(statistics.median(values))

    def each_way(side: str, keys: tuple[str, str]) -> float:
        return median([n for k in keys for n in per[side][k]])

    rows: list[Row] = [
        (
            "(f) first screen, bytes",
            "tubeboard",
            "VisiData",
            median(first["board"]),
            median(first["VisiData"]),
            "B",
            "<= 2",
        ),
    ]
    for side in ("board", "table"):
        for name, keys in (("right/left", ("right", "left")), ("down/up", ("down", "up"))):
            rows.append(
                (
                    f"(f) {side} move {name}, bytes",
                    "tubeboard",
                    "VisiData",
                    each_way(side, keys),
                    each_way("VisiData", keys),
                    "B",
                    "<= 3",
                )
            )
    return rows


def memory_cost(runs: int, path: Path, filled: int, spare: int = 50) -> Row:
    """(g): peak RSS once the whole file is read and the cursor has been to the last tube
    and back, beside the bare Textual app showing the same first name."""
    name = "Sample 00001"
    last = filled + spare

    def tubeboard() -> float:
        with pane(f"{TUBEBOARD} {path}") as p:
            p.wait_for(name)
            time.sleep(3.0 if filled < 50_000 else 25.0)  # read whole, then indexed
            p.keys("G")
            p.wait_for(f"tube {last} ·", timeout=60)
            p.keys("g")
            p.wait_for("tube 1 ·", timeout=60)
            time.sleep(1.0)
            return p.peak_rss_mb()

    a, b = alternate(runs, tubeboard, bare_peak(name))
    return (
        f"(g) peak RSS, {filled:,} tubes, to the end and back",
        "tubeboard",
        "bare Textual app",
        a,
        b,
        "MB",
        "report",
    )


def import_cost(runs: int, big: Path, filled: int) -> Row:
    """(n): `tubeboard import` of a CSV sheet of every sample with one row in a hundred
    changed (a status), written in one save, against `tubeboard export` of the same file to
    CSV: both whole processes, each on a fresh copy."""
    sheet = big.with_name("sheet.csv")
    subprocess.run([str(TUBEBOARD), "export", str(big), "-f", "csv", "-o", str(sheet)], check=True)
    lines = sheet.read_text().splitlines(keepends=True)
    edited = [
        line.replace(",sealed,", ",deposited,", 1) if i % 100 == 1 else line
        for i, line in enumerate(lines)
    ]
    sheet.write_text("".join(edited))
    copy = big.with_name("import-target.toml")

    def run(*argv: str) -> Callable[[], float]:
        def measure() -> float:
            shutil.copyfile(big, copy)
            started = time.perf_counter()
            subprocess.run([str(TUBEBOARD), *argv], check=True, capture_output=True)
            return time.perf_counter() - started

        return measure

    out = big.with_name("export-out.csv")
    a, b = alternate(
        runs,
        run("import", str(copy), "--from", str(sheet)),
        run("export", str(copy), "-f", "csv", "-o", str(out)),
    )
    return (f"(n) import of {filled:,} rows, 1% changed", "import", "export", a, b, "s", "report")


def diff_cost(runs: int, big: Path, filled: int) -> Row:
    """(o): `tubeboard diff HEAD` of a catalogue with one record in a hundred changed since
    its commit, against `git diff HEAD` of the same file: both whole processes."""
    repo = big.with_name("diff-repo")
    repo.mkdir()
    env = {**os.environ, "GIT_AUTHOR_NAME": "b", "GIT_AUTHOR_EMAIL": "b@example.org",
           "GIT_COMMITTER_NAME": "b", "GIT_COMMITTER_EMAIL": "b@example.org"}  # fmt: skip
    target = repo / "catalog.toml"
    shutil.copyfile(big, target)
    for argv in (["init", "-q"], ["add", "catalog.toml"], ["commit", "-qm", "bench"]):
        subprocess.run(["git", *argv], cwd=repo, env=env, check=True)
    text = target.read_text().split("\n[[sample]]\n")
    for i in range(1, len(text), 100):
        text[i] = text[i].replace('status = "sealed"', 'status = "deposited"')
    target.write_text("\n[[sample]]\n".join(text))

    def run(*argv: str) -> Callable[[], float]:
        def measure() -> float:
            started = time.perf_counter()
            subprocess.run(list(argv), cwd=repo, env=env, check=True, capture_output=True)
            return time.perf_counter() - started

        return measure

    a, b = alternate(
        runs,
        run(str(TUBEBOARD), "diff", "HEAD", "catalog.toml"),
        run("git", "--no-pager", "diff", "HEAD", "--", "catalog.toml"),
    )
    return (f"(o) diff of {filled:,} samples, 1% changed", "tubeboard", "git diff", a, b, "s",
            "report")  # fmt: skip


def read_cost(runs: int, path: Path, filled: int) -> Row:
    """(l): from start until the whole file is read and checked (the summary says `filled`,
    no longer `reading the file`), beside tomllib parsing the same file in a process of its
    own."""

    def tubeboard() -> float:
        with pane(f"{TUBEBOARD} {path}") as p:
            return p.wait_for(f"filled {filled} of", timeout=600) - p.started

    def parse() -> float:
        started = time.perf_counter()
        code = "import sys, tomllib; tomllib.load(open(sys.argv[1], 'rb'))"
        subprocess.run([str(PYTHON), "-c", code, str(path)], check=True)
        return time.perf_counter() - started

    a, b = alternate(runs, tubeboard, parse)
    return (f"(l) whole file read, {filled:,} samples", "tubeboard", "tomllib", a, b, "s", "<= 1.5")


# The suite ----------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    options = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    options.add_argument("--smoke", action="store_true", help="small sizes, one run each")
    options.add_argument("--runs", type=int, default=None, help="runs a side (default 7)")
    options.add_argument("--results", action="store_true", help="write bench/RESULTS.md")
    options.add_argument("--only", default="abcdefghijklmno", help="which figures, e.g. --only ad")
    args = options.parse_args(argv)
    runs = args.runs or (1 if args.smoke else 7)
    large, small = (300, 30) if args.smoke else (10_000, 100)
    if shutil.which("tmux") is None:
        print("bench: tmux is needed", file=sys.stderr)
        return 2
    # Run from bytecode, as an installed app does: an editable checkout under
    # PYTHONDONTWRITEBYTECODE would otherwise recompile every changed module on each start.
    subprocess.run([str(PYTHON), "-m", "compileall", "-q", str(HERE.parent / "tui")], check=True)
    keeper = Pane("sleep 100000")  # keep one tmux server up, so no run pays to start it
    folder = Path(tempfile.mkdtemp(prefix="tubeboard-bench-"))
    try:
        rows = suite(folder, runs, large, small, args.only)
    finally:
        keeper.close()
        shutil.rmtree(folder, ignore_errors=True)
    table = render(rows, runs, large, small)
    print(table)
    if args.results:
        (HERE / "RESULTS.md").write_text(results_page(table))
    return 0


Row = tuple[str, str, str, float, float, str, str]  # name, A, B, a, b, unit, goal


def suite(
    folder: Path, runs: int, large: int, small: int, only: str = "abcdefghijklmno"
) -> list[Row]:
    shipped = folder / "shipped.toml"
    shutil.copyfile(SHIPPED, shipped)
    big, little = folder / "big.toml", folder / "small.toml"
    big.write_text(catalogue(large))
    little.write_text(catalogue(small))
    vd_home = folder / "vd-home"
    vd_home.mkdir()
    rows: list[Row] = []

    if "a" in only:
        rows.append(figure_a(runs, shipped))
    if "b" in only:
        rows.append(figure_b(runs, folder, big, large, vd_home))
    if "c" in only:
        a, b = key_cost(runs, big, little)
        rows.append(
            (f"(c) 30 moves, {large:,} / {small}", f"{large:,}", f"{small}", a, b, "s", "<= 1.2")
        )
    if "d" in only:
        a, b = save_cost(runs, big, little)
        rows.append(
            (f"(d) save, {large:,} / {small}", f"{large:,}", f"{small}", a, b, "s", "<= 1.5")
        )
        a, b = first_save_cost(runs, big, little)
        name = f"(d) first save at once, {large:,} / {small}"
        rows.append((name, f"{large:,}", f"{small}", a, b, "s", "<= 1.5"))
    if "e" in only:
        a, b = peak_memory(runs, big, "Sample 00001")
        rows.append(
            (
                f"(e) peak RSS, {large:,} tubes",
                "tubeboard",
                "bare Textual app",
                a,
                b,
                "MB",
                "report",
            )
        )
    if "f" in only:
        rows += terminal_bytes(runs, shipped, vd_home)
    if "k" in only:  # on a file of its own: (d)'s adds have filled tubes of `big`
        bulk = folder / "bulk.toml"
        bulk.write_text(catalogue(large))
        rows += bulk_cost(runs, bulk, large)
    if "j" in only:
        rows += log_cost(runs, folder, large, 500 if large >= 10_000 else 20)
    huge = folder / "huge.toml"
    most = 99_950 if large >= 10_000 else 1_000  # 100,000 tubes with the spare ones
    if any(figure in only for figure in "ghilm"):
        huge.write_text(catalogue(most))
    if "g" in only:
        rows += [memory_cost(runs, big, large), memory_cost(max(1, runs // 3), huge, most)]
    if "l" in only:
        rows.append(read_cost(max(1, runs // 3), huge, most))
    if "n" in only:
        rows.append(import_cost(runs, big, large))
    if "o" in only:
        rows.append(diff_cost(runs, big, large))
    if "m" in only:
        a, b = keys_while_reading(runs, huge, little, check=large >= 10_000)
        name = f"(m) 30 moves during the read, {most:,} / {small}"
        rows.append((name, f"{most:,}", f"{small}", a, b, "s", "<= 1.5"))
    if "h" in only or "i" in only:
        for view in ("table", "timeline"):
            for path, filled in ((big, large), (huge, most)):
                rows += [r for r in table_cost(runs, path, filled, view) if r[0][1] in only]
    return rows


def figure_a(runs: int, shipped: Path) -> Row:
    a, b = alternate(
        runs,
        startup(f"{TUBEBOARD} {shipped}", "Witness tube 1"),
        startup(f"{PYTHON} {BARE} 'Witness tube 1'", "Witness tube 1"),
    )
    return ("(a) start-up, shipped", "tubeboard", "bare Textual app", a, b, "s", "<= 1.10")


def figure_b(runs: int, folder: Path, big: Path, large: int, vd_home: Path) -> Row:
    big_copy = folder / "big-vd.toml"
    shutil.copyfile(big, big_copy)
    vd = visidata()
    a, b = alternate(
        runs,
        startup(f"{TUBEBOARD} {big_copy}", "Sample 00001"),
        startup(f"{vd} {big_copy}", "Sample 00001", env={"HOME": str(vd_home)}),
    )
    return (f"(b) start-up, {large:,} tubes", "tubeboard", "VisiData", a, b, "s", "<= 0.8")


def render(rows: list[Row], runs: int, large: int, small: int) -> str:
    lines = [
        f"median of {runs} run{'s' if runs > 1 else ''} a side, sides alternating",
        "",
        "| figure | A | B | A | B | A / B | goal |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, side_a, side_b, a, b, unit, goal in rows:
        units = {"s": lambda v: f"{v * 1000:.0f} ms", "B": lambda v: f"{v:,.0f} B"}
        fmt = units.get(unit, lambda v: f"{v:.0f} MB")
        lines.append(
            f"| {name} | {side_a} | {side_b} | {fmt(a)} | {fmt(b)} | {a / b:.2f} | {goal} |"
        )
    return "\n".join(lines)


def results_page(table: str) -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    versions = ", ".join(
        f"{name} {metadata.version(name)}" for name in ("tubeboard", "textual", "attrs", "tomli-w")
    )
    return (
        "# Benchmark results\n\n"
        f"Run on {dt.date.today().isoformat()} with `python bench/run.py --results`.\n\n"
        f"Machine: {os.cpu_count()} cores ({cpu}), {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}; {versions}.\n\n"
        f"{table}\n"
    )


if __name__ == "__main__":
    sys.exit(main())
