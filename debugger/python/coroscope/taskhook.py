"""Seeing tasks as they are created, on every event loop of the process.

Why patch ``BaseEventLoop.create_task`` instead of installing a task factory: every loop class derived from
asyncio's (the default loops, in any thread, created before or after attach) picks the wrapper up, and the
wrapper runs *around* whatever factory the program installed (``eager_task_factory`` included), so user
factories are chained without being replaced or even touched. Tasks constructed directly with
``asyncio.Task(...)`` bypass it and are found later through asyncio's task sets (without creation site).
"""
import functools
import sys

from . import aio
from .log import log_exception
from .loops import note_running_loop


class TaskHook:
    """Installs and removes the create_task wrappers (asyncio's loops, and uvloop's when it is imported)."""

    def __init__(self, registry):
        self._registry = registry
        self._wrapped = []  # (class, original create_task, our wrapper)
        self._uvloop_finder = None
        self._base_loop = None  # asyncio's BaseEventLoop, once asyncio is loaded

    @property
    def installed(self):
        return self._uvloop_finder is not None

    def install(self):
        """Wrap ``create_task`` of asyncio's loop base class (now, or as soon as the program imports
        asyncio) and of uvloop's loop; idempotent."""
        if self.installed:
            return
        self._uvloop_finder = aio.PostImportFinder("uvloop", self._wrap_uvloop)
        aio.when_loaded(self._wrap_asyncio)
        if "uvloop" in sys.modules:
            self._wrap_uvloop(sys.modules["uvloop"])
        else:
            sys.meta_path.insert(0, self._uvloop_finder)

    def _wrap_asyncio(self, module):
        # Called once asyncio is loaded: maybe after the session that asked for it ended.
        base_loop = module.base_events.BaseEventLoop
        if not self.installed or any(entry[0] is base_loop for entry in self._wrapped):
            return
        self._base_loop = base_loop
        self._wrap(base_loop)

    def _wrap_uvloop(self, module):
        # ``uvloop.Loop`` is a plain Python subclass of the Cython loop, so its attributes can be set.
        # uvloop imports asyncio first, so the base class is known by now.
        loop_class = getattr(module, "Loop", None)
        asyncio = aio.loaded()
        if asyncio is None:
            return
        if isinstance(loop_class, type) and not issubclass(loop_class, asyncio.base_events.BaseEventLoop):
            self._wrap(loop_class, hides_thread=True)

    def _wrap(self, loop_class, hides_thread=False):
        original = loop_class.create_task
        registry = self._registry

        @functools.wraps(original)
        def create_task(loop, coro, *args, **kwargs):
            task = original(loop, coro, *args, **kwargs)
            try:
                if hides_thread:
                    # Only loops that keep their thread out of reach (uvloop) pay for noting it.
                    note_running_loop()
                registry.on_created(task, loop, sys._getframe(1))
            except Exception:
                log_exception("registering a task failed")
            return task

        loop_class.create_task = create_task
        self._wrapped.append((loop_class, original, create_task))

    def uninstall(self):
        """Restore the original methods unless someone wrapped ours since (then leave theirs working)."""
        if not self.installed:
            return
        self._uvloop_finder.remove()
        self._uvloop_finder = None
        for loop_class, original, wrapper in reversed(self._wrapped):
            if loop_class.__dict__.get("create_task") is not wrapper:
                continue
            if loop_class is self._base_loop:
                loop_class.create_task = original
            else:
                # The subclass inherited create_task: remove ours instead of pinning the inherited one.
                del loop_class.create_task
        self._wrapped = []
