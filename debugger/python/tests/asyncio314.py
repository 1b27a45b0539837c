"""Futures that carry Python 3.14's own awaited-by record, for the tests on every Python here.

3.14 gives every asyncio Future a read-only ``_asyncio_awaited_by``: None, or a frozenset of the futures
(tasks) recorded as awaiting it by ``asyncio.future_add_to_awaited_by`` (Task steps, gather, wait,
TaskGroup, staggered_race) and dropped by ``future_discard_from_awaited_by``. These classes keep the record
the same way on older Pythons (CPython 3.14's Lib/asyncio/futures.py is the model).
"""
import asyncio


class RecordingTask(asyncio.Task):
    """A task whose ``_asyncio_awaited_by`` behaves as 3.14's."""

    _record = None

    @property
    def _asyncio_awaited_by(self):
        return None if self._record is None else frozenset(self._record)


class RecordingFuture(asyncio.Future):
    """A future whose ``_asyncio_awaited_by`` behaves as 3.14's."""

    _record = None

    @property
    def _asyncio_awaited_by(self):
        return None if self._record is None else frozenset(self._record)


def add_to_awaited_by(future, waiter):
    """3.14's ``asyncio.future_add_to_awaited_by``: record that ``waiter`` awaits ``future``."""
    if isinstance(future, asyncio.Future) and isinstance(waiter, asyncio.Future):
        if future._record is None:
            future._record = set()
        future._record.add(waiter)


def discard_from_awaited_by(future, waiter):
    """3.14's ``asyncio.future_discard_from_awaited_by``."""
    if isinstance(future, asyncio.Future) and isinstance(waiter, asyncio.Future):
        if future._record is not None:
            future._record.discard(waiter)
