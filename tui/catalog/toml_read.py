"""TOML text to values: the one place that chooses the parser.

tomllib is the reference: its answer is the answer, and every syntax error and its place come
from it. A large text is parsed by toml-rs (the `fast` extra, compiled) where it is installed,
about seven times quicker (bench (l)); the test suite proves it equal to tomllib on toml-test's
TOML 1.0 suite and on Hypothesis catalogues. What this module relies on, and why:

- toml-rs is asked for TOML 1.0, the version tomllib reads (1.1 accepts more).
- Any refusal from toml-rs is handed to tomllib, which raises with the line and column.
- toml-rs has no nesting limit and crashes the process when values nest a few thousand deep.
  Nesting can never be deeper than the count of `[` and `{` outside record headers, so a text
  with more of those than `SAFE_OPENERS` goes to tomllib. That is a few arrays of the user's
  own per record, not the usual catalogue; such a file reads at tomllib's speed, as before.
- toml-rs skips a byte-order mark at the start, which tomllib refuses (toml-test: a file that
  starts with two); a text that starts with one goes to tomllib.
- toml-rs is imported on the main thread only (`prepare`): imported in a worker that ends,
  it crashes the process at its next use.
- A small text goes to tomllib: importing toml-rs costs more than parsing it.
- toml-rs allocates through its own mimalloc, which by default commits a 4 MB arena the
  moment it loads: 5 MB of a 10,000-tube app's 67 (bench (e)). It is loaded with mimalloc's
  `arena_eager_commit` off (memory committed as it is used; reads measured as quick), an
  option mimalloc reads from the environment once, at its first allocation. The variable is
  set for that moment only, so programs tubeboard starts (git, an editor) never see it, and
  a value the user set is kept.
"""

from __future__ import annotations

import os
import threading
import tomllib
from collections.abc import Callable
from typing import Any

from tui.catalog import pace

TOMLDecodeError = tomllib.TOMLDecodeError

FAST_FROM_CHARS = 128 * 1024  # below this, tomllib is quicker than importing toml-rs
SLICE_CHARS = 16 * 1024  # one slice's read holds the interpreter about a millisecond
SAFE_OPENERS = 256  # far under the depth where toml-rs crashes (thousands; tested)
# A record's header line: its two `[` close on the line itself. str.count is quick where a
# regex over every line took a quarter of the parse; other headers are few and stay counted.
_RECORD_HEADERS = ("\n[[sample]]\n", "\n[[sample]]\r\n")

_engine: Any = None  # the toml_rs module, once imported; False where it is not installed


def engine() -> Any:
    """The compiled parser's module, or None where the extra is not installed, or where it
    is not imported yet and this is not the main thread (see `prepare`)."""
    global _engine
    if _engine is None:
        if threading.current_thread() is not threading.main_thread():
            return None
        _engine = _imported() or False
    return _engine or None


LAZY_COMMIT = ("MIMALLOC_ARENA_EAGER_COMMIT", "0")  # see the module's notes


def _imported() -> Any:
    """toml_rs, its allocator started with LAZY_COMMIT; None where it is not installed."""
    name, value = LAZY_COMMIT
    set_here = name not in os.environ
    if set_here:
        os.environ[name] = value
    try:
        import toml_rs  # type: ignore[import-not-found,unused-ignore]

        toml_rs.loads("a = 1", toml_version="1.0.0")  # its allocator reads its options now
    except ImportError:
        return None
    finally:
        if set_here:
            del os.environ[name]
    return toml_rs


def prepare() -> None:
    """Import the compiled parser now, on the main thread, for a large file to be read in a
    worker. toml-rs imported in a worker thread that then ends crashes the process when it is
    next used from another thread (a segmentation fault; tested), so a worker never imports it:
    without this it reads with tomllib."""
    engine()


def openers_outside_headers(text: str) -> int:
    """An upper bound on how deep the values of `text` nest: every `[` and `{`, less those
    of lines that are exactly a record's header (whose brackets pair up on the line)."""
    count = text.count("[") + text.count("{")
    if count <= SAFE_OPENERS:
        return count
    return count - 2 * sum(text.count(header) for header in _RECORD_HEADERS)


Records = list[Any]  # the `sample` array as read: a list, of tables if the file is right


def loads(text: str, tidy: Callable[[Records], None] | None = None) -> dict[str, Any]:
    """`tomllib.loads(text)`, sooner for a large text where toml-rs is installed.

    `tidy` is given the records as they are read, slice by slice, to change in place (the
    catalogue shares their strings): a slice's freshly made tables are let go while the next
    slice is read into the memory they held, instead of a whole file's twice at the peak."""
    fast = engine() if len(text) >= FAST_FROM_CHARS and text[:1] != "\ufeff" else None
    if fast is not None and openers_outside_headers(text) <= SAFE_OPENERS:
        try:
            data = _by_slices(fast, text, tidy)
        except Exception:  # its refusal has no place we trust: the reference raises with one
            data = None
        if data is not None:
            return data
    return _tidied(tomllib.loads(text), tidy)


def _tidied(data: dict[str, Any], tidy: Callable[[Records], None] | None) -> dict[str, Any]:
    """`data` with its records given to `tidy` in one go (a text read whole)."""
    if tidy is not None and isinstance(data.get("sample"), list):
        tidy(data["sample"])
    return data


def _cuts(text: str) -> list[int]:
    """Where slices of about `SLICE_CHARS` begin: each at a line that is exactly a record's
    header, the first such line included (what comes before it is the preamble)."""
    header = "[[sample]]"
    at_start = text.startswith(header + "\n") or text.startswith(header + "\r\n")
    cuts: list[int] = [0] if at_start else []
    at = SLICE_CHARS if at_start else 0
    while True:
        found = text.find("\n[[sample]]", at)
        if found < 0:
            return cuts
        after = found + len("\n[[sample]]")
        if text.startswith("\n", after) or text.startswith("\r\n", after):
            cuts.append(found + 1)
            at = max(found + SLICE_CHARS, after)
        else:
            at = after


def _by_slices(
    fast: Any, text: str, tidy: Callable[[Records], None] | None = None
) -> dict[str, Any] | None:
    """The text read a slice at a time, or None where the slices cannot say what the whole
    says (the whole is then read by tomllib, which decides).

    toml-rs holds the interpreter while it reads, and its own tree of a whole large file takes
    four times tomllib's memory at its peak: slices keep both small (bench (e), (l)). A slice
    begins at a record's header, so its records are the file's in order; its other tables are
    the file's too unless two slices name the same one, which is the one case where the parts
    could mean other than the whole (a table continued, or defined twice): that goes whole.
    A cut inside a multi-line string leaves that string unclosed in its slice: refused, whole.
    """
    cuts = _cuts(text)
    if not cuts:
        return _tidied(fast.loads(text, toml_version="1.0.0"), tidy)
    data: dict[str, Any] = fast.loads(text[: cuts[0]], toml_version="1.0.0")
    if "sample" in data:
        return None
    records: list[Any] = []
    data["sample"] = records
    step = pace.pacer(every=1)
    for begin, end in zip(cuts, [*cuts[1:], len(text)], strict=True):
        step()
        part = fast.loads(text[begin:end], toml_version="1.0.0")
        read = part.pop("sample")
        if tidy is not None:
            tidy(read)
        records.extend(read)
        for key, value in part.items():
            if key in data:
                return None
            data[key] = value
    return data
