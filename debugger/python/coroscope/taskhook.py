"""Seeing tasks as they are created, on every event loop of the process.

Why patch ``BaseEventLoop.create_task`` instead of installing a task factory: every loop class derived from
asyncio's (the default loops, in any thread, created before or after attach) picks the wrapper up, and the
wrapper runs *around* whatever factory the program installed (``eager_task_factory`` included), so user
factories are chained without being replaced or even touched. Tasks constructed directly with
``asyncio.Task(...)`` bypass it and are found later through asyncio's task sets (without creation site).
"""
import functools
import importlib.util
import sys

from asyncio import base_events

from .log import log_exception
from .loops import note_running_loop


class TaskHook:
    """Installs and removes the create_task wrappers (asyncio's loops, and uvloop's when it is imported)."""

    def __init__(self, registry):
        self._registry = registry
        self._wrapped = []  # (class, original create_task, our wrapper)
        self._uvloop_finder = None

    @property
    def installed(self):
        return self._uvloop_finder is not None

    def install(self):
        """Wrap ``create_task`` of asyncio's loop base class and of uvloop's loop; idempotent."""
        if self.installed:
            return
        self._wrap(base_events.BaseEventLoop)
        self._uvloop_finder = _PostImportFinder("uvloop", self._wrap_uvloop)
        if "uvloop" in sys.modules:
            self._wrap_uvloop(sys.modules["uvloop"])
        else:
            sys.meta_path.insert(0, self._uvloop_finder)

    def _wrap_uvloop(self, module):
        # ``uvloop.Loop`` is a plain Python subclass of the Cython loop, so its attributes can be set.
        loop_class = getattr(module, "Loop", None)
        if isinstance(loop_class, type) and not issubclass(loop_class, base_events.BaseEventLoop):
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
        try:
            sys.meta_path.remove(self._uvloop_finder)
        except ValueError:
            pass
        self._uvloop_finder = None
        for loop_class, original, wrapper in reversed(self._wrapped):
            if loop_class.__dict__.get("create_task") is not wrapper:
                continue
            if loop_class is base_events.BaseEventLoop:
                loop_class.create_task = original
            else:
                # The subclass inherited create_task: remove ours instead of pinning the inherited one.
                del loop_class.create_task
        self._wrapped = []


class _PostImportFinder:
    """A ``sys.meta_path`` entry that calls ``on_import(module)`` once the named module has executed.

    It finds nothing itself: it asks the finders after it for the spec and wraps the loader's
    ``exec_module``, so the import behaves exactly as without it.
    """

    def __init__(self, name, on_import):
        self._name = name
        self._on_import = on_import

    def find_spec(self, name, path=None, target=None):
        if name != self._name:
            return None
        try:
            sys.meta_path.remove(self)  # one import is all we wait for
        except ValueError:
            pass
        spec = importlib.util.find_spec(name)
        loader = getattr(spec, "loader", None) if spec is not None else None
        exec_module = getattr(loader, "exec_module", None)
        if exec_module is None:
            return spec
        on_import = self._on_import

        def exec_then_hook(module):
            exec_module(module)
            try:
                on_import(module)
            except Exception:
                log_exception("hooking %s failed" % name)

        try:
            loader.exec_module = exec_then_hook
        except (AttributeError, TypeError):
            return spec
        return spec
