"""Keeping Python's cycle collector off the objects an import holds for its whole length.

An import allocates many short-lived containers per row (the row, its outcome, the pending
write), and each batch's survivors push the collector into full collections, which walk every
tracked object in the process: Django's modules, classes and querysets, and the importer's
dedup indexes. At 100,000 rows that walking was about a seventh of the import's time.
`gc.freeze()` moves everything alive when the batches start into a generation the collector
never scans, and `gc.unfreeze()` hands the frozen objects back to the collector when the
import is over. A process that froze objects itself (a server that freezes its start-up
objects before forking, to keep them shared between workers) keeps them frozen: the import
then adds its own and leaves them so.

Freezing alone was not enough: building the indexes (a few hundred thousand dicts' entries)
ran a dozen full collections before anything was frozen, and the indexes grow by every row,
so that what they gained since the freeze made the oldest generation big again: forty-odd
full collections in a 100,000-row import, a third of its time on a loaded machine. So the
automatic collector is paused for the whole run (`collector_paused`), and each batch ends
with one collection of the young generations (`after_batch`): the batch's garbage cycles,
if any, go there, and what survives it (the index entries the batch added) is not walked
again. The collector is put back as it was when the import ends, whatever happened.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    enabled_before = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled_before:
            gc.enable()


@contextmanager
def long_lived_objects_frozen() -> Iterator[None]:
    frozen_before = gc.get_freeze_count()
    gc.freeze()
    try:
        yield
    finally:
        if not frozen_before:
            gc.unfreeze()


def after_batch() -> None:
    """The young generations collected (the batch's own objects): cheap, since the older
    ones (the indexes) are not walked."""
    gc.collect(1)
