"""Seeing tasks as they are created, on every event loop of the process.

Why patch ``BaseEventLoop.create_task`` instead of installing a task factory: every loop class derived from
asyncio's (the default loops, in any thread, created before or after attach) picks the wrapper up, and the
wrapper runs *around* whatever factory the program installed (``eager_task_factory`` included), so user
factories are chained without being replaced or even touched. Tasks constructed directly with
``asyncio.Task(...)`` bypass it and are found later through asyncio's task sets (without creation site).
"""
import functools
import sys

from asyncio import base_events

from .log import log_exception


class TaskHook:
    """Installs and removes the create_task wrapper."""

    def __init__(self, registry):
        self._registry = registry
        self._original = None
        self._wrapper = None

    def install(self):
        """Wrap ``BaseEventLoop.create_task``; idempotent."""
        if self._wrapper is not None:
            return
        original = base_events.BaseEventLoop.create_task
        registry = self._registry

        @functools.wraps(original)
        def create_task(loop, coro, *args, **kwargs):
            task = original(loop, coro, *args, **kwargs)
            try:
                registry.on_created(task, loop, sys._getframe(1))
            except Exception:
                log_exception("registering a task failed")
            return task

        self._original = original
        self._wrapper = create_task
        base_events.BaseEventLoop.create_task = create_task

    def uninstall(self):
        """Restore the original method unless someone wrapped ours since (then leave theirs working)."""
        if self._wrapper is None:
            return
        if base_events.BaseEventLoop.__dict__.get("create_task") is self._wrapper:
            base_events.BaseEventLoop.create_task = self._original
        self._wrapper = None
        self._original = None
