"""Swap two names in one step: Linux's renameat2(RENAME_EXCHANGE), through ctypes.

A save renames its new file over the catalogue. A plain rename cannot tell what it replaced:
an editor or git may have renamed their own version in a moment before. Exchanging the two
names instead leaves the replaced file under the new file's name, where the save can check
that it is exactly the file it read, and swap back if not. Where the call does not exist (not
Linux, an old C library, a file system without it), `exchange` says so and the caller falls
back to a check just before a plain rename.
"""

from __future__ import annotations

import ctypes
import errno
import os
from collections.abc import Callable
from functools import cache

AT_FDCWD = -100
RENAME_EXCHANGE = 2
# Errors that mean "this system or file system cannot exchange", not "these names are wrong".
UNSUPPORTED = frozenset({errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP})


class Unsupported(Exception):
    """No atomic exchange here; fall back to checking before a plain rename."""


@cache
def _renameat2() -> Callable[..., int] | None:
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        function = libc.renameat2
    except (OSError, AttributeError):
        return None
    at, name = ctypes.c_int, ctypes.c_char_p
    function.argtypes = [at, name, at, name, ctypes.c_uint]
    function.restype = ctypes.c_int
    return function


def prepare() -> None:
    """Load the call now, off the path of the first save."""
    _renameat2()


def exchange(first: str | os.PathLike[str], second: str | os.PathLike[str]) -> None:
    """Swap what the two names point at, atomically. Raises Unsupported where it cannot,
    and OSError for any other failure (nothing was swapped then)."""
    function = _renameat2()
    if function is None:
        raise Unsupported("renameat2 is not available")
    a, b = os.fsencode(first), os.fsencode(second)
    if function(AT_FDCWD, a, AT_FDCWD, b, RENAME_EXCHANGE) == 0:
        return
    code = ctypes.get_errno()
    if code in UNSUPPORTED:
        raise Unsupported(os.strerror(code))
    raise OSError(code, os.strerror(code), os.fsdecode(b))
