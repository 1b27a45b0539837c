"""The "uncaught" exception filter on 3.8–3.11 without a trace function: a done callback on every task.

Stopping where an exception leaves a task's coroutine needs, before 3.12, a trace function on every
coroutine frame, which slows the whole program several times (and VS Code enables this filter by
default). Instead each task gets a done callback; a task that finishes with an exception is reported
on the loop's next turn, before the tasks awaiting it see the exception (the callback is the task's
first), with the failing coroutine's frame taken from the exception's traceback: post mortem, its
locals intact. Tasks are reached as the registry sees them created, and those that already exist when
the filter is turned on through asyncio's task sets. An exception ending the main module is reported
the same way by ``program.py`` just before the traceback is printed.
"""
import weakref

from .log import log_exception
from .registry import all_task_objects


class TaskFailures:
    """Attaches the done callback to tasks while the ``uncaught`` filter is on."""

    def __init__(self, runtime):
        self._runtime = runtime
        self.enabled = False
        self._watched = weakref.WeakSet()

    def enable(self, enabled):
        """Turn the watch on (every existing and future task) or off (callbacks stay attached, inert)."""
        self.enabled = enabled
        registry = self._runtime.registry
        registry.on_task = self.watch if enabled else None
        from . import program
        program.on_uncaught = self._runtime.control.on_program_failed if enabled else None
        if not enabled:
            return
        for task in all_task_objects():
            try:
                if task in self._watched or task.done():
                    continue
                # From another thread the loop must attach it (add_done_callback is not thread-safe).
                task.get_loop().call_soon_threadsafe(self.watch, task)
            except Exception:
                log_exception("watching a task for failures")

    def watch(self, task):
        """Attach the callback once (in the task's loop thread)."""
        if task in self._watched or task.done():
            return
        self._watched.add(task)
        task.add_done_callback(self._done)

    def _done(self, task):
        if not self.enabled:
            return
        try:
            if task.cancelled():
                return
            # The attribute, not task.exception(): that would mark it retrieved and silence asyncio's
            # "Task exception was never retrieved" report.
            exc = getattr(task, "_exception", None)
            if exc is not None:
                self._runtime.control.on_task_failed(task, exc)
        except Exception:
            log_exception("reporting a failed task")
