"""What can go wrong with a catalogue file, worded for the person using the app.

The lowest floor of the core: the file layer (atomic.py) and the transaction (store.py) both
raise these, so they live apart from either.
"""

from __future__ import annotations


class StoreError(Exception):
    """A problem with the file, worded for the person using the app."""


class ReadError(StoreError):
    """The file could not be read at all."""


class ConflictError(StoreError):
    """The change no longer fits the file as it is on disk now."""


class SaveError(StoreError):
    """The file could not be written; it was left as it was."""


class Busy(StoreError):
    """Another tubeboard holds the lock, and the caller asked not to wait for it."""


class ChangedMeanwhile(ConflictError):
    """Another program replaced or rewrote the file between our read and our write; our
    write was taken back (or never made). `kept`: the name of a version another program
    wrote over ours in the instant before it was taken back, kept beside the file."""

    def __init__(self, message: str, kept: str | None = None) -> None:
        super().__init__(message)
        self.kept = kept
