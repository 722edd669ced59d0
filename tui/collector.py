"""The garbage-collector policy, in one place: the only module that imports gc.

Start-up allocates a great deal and frees little, so the cyclic collector would walk the
same young objects again and again: it is held off until the first frame (`hold_off`, by the
command line before Textual loads; `resume`, by the app after its first frame). Ten thousand
records and their index hold no cycles but are many objects for every full pass, which could
land mid-keystroke: after each read or save they are frozen out of the collector's rounds,
once garbage is collected (`settle`, in a worker). Something alive at a freeze that dies later
in a cycle (a closed form, a notice) would never be freed, so once nobody has typed for
QUIET_SECONDS everything is collected again, frozen or not (`sweep`). The app keeps that timer.
The figures behind each step are in bench/RESULTS.md.
"""

from __future__ import annotations

import gc

# A full collection takes tens of ms at 10,000 tubes: only after this long without a key.
QUIET_SECONDS = 30.0


def hold_off() -> None:
    gc.disable()


def resume() -> None:
    """After the first frame: what start-up built lives as long as the app."""
    gc.freeze()
    gc.enable()


def settle() -> None:
    """Off the event loop: collect garbage, then freeze what lives (frozen, garbage would
    never be freed)."""
    gc.collect()
    gc.freeze()


def sweep() -> None:
    """Collect everything once more, frozen or not, and freeze what is left."""
    gc.unfreeze()
    gc.collect()
    gc.freeze()
