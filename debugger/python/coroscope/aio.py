"""asyncio as the program has it: the runtime never imports asyncio itself.

Importing asyncio costs 70–115 ms of CPU here, more than the whole rest of the runtime, and a program that
never imports it has no task to show. So the runtime's core (the command line, the session, the tracers,
the registry of threads) reaches asyncio only through ``loaded()``, which is None until the program has
imported it, and what must happen to asyncio itself (wrapping ``create_task``, the "never retrieved"
hook) is registered with ``when_loaded``: done at once if asyncio is there, else right after the program
imports it, by a ``sys.meta_path`` entry that runs the callbacks once asyncio's package has executed. The
modules that describe tasks (awaits, waits, inspector's task parts, snapshot, outcomes) import asyncio
themselves and are imported only once it is loaded.
"""
import sys
import threading

from .log import log_exception

_lock = threading.Lock()
_pending = []
_finder = None


def loaded():
    """The asyncio module once the program has imported it completely, else None.

    A module still executing (another thread in the middle of ``import asyncio``) counts as not loaded:
    its attributes may not exist yet.
    """
    module = sys.modules.get("asyncio")
    if module is None:
        return None
    spec = getattr(module, "__spec__", None)
    if spec is not None and getattr(spec, "_initializing", False):
        return None
    if _pending:
        # The import finished without the finder seeing it (it began before the finder was installed).
        _fire(module)
    return module


def running_loop():
    """The event loop running in the calling thread, or None (also when asyncio is not loaded)."""
    module = loaded()
    return module.events._get_running_loop() if module is not None else None


def current_task(loop=None):
    """The task running on ``loop`` (default: the calling thread's running loop), or None."""
    module = loaded()
    if module is None:
        return None
    if loop is None:
        loop = module.events._get_running_loop()
        if loop is None:
            return None
    return module.current_task(loop)


def is_cancelled_error(exc):
    """True for asyncio's CancelledError (which only exists once asyncio is loaded)."""
    module = loaded()
    return module is not None and isinstance(exc, module.CancelledError)


def when_loaded(callback):
    """Call ``callback(asyncio)`` now if asyncio is loaded, else in the thread that imports it, just after
    its package has executed (before the importer's next line)."""
    global _finder
    module = loaded()
    if module is None:
        with _lock:
            module = sys.modules.get("asyncio")
            if module is None or getattr(getattr(module, "__spec__", None), "_initializing", False):
                _pending.append(callback)
                if _finder is None:
                    _finder = PostImportFinder("asyncio", _fire)
                    sys.meta_path.insert(0, _finder)
                return
    _call(callback, module)


def _fire(module):
    global _finder
    with _lock:
        callbacks = list(_pending)
        del _pending[:]
        finder, _finder = _finder, None
    if finder is not None:
        finder.remove()
    for callback in callbacks:
        _call(callback, module)


def _call(callback, module):
    try:
        callback(module)
    except Exception:
        log_exception("hooking asyncio failed")


class PostImportFinder:
    """A ``sys.meta_path`` entry that calls ``on_import(module)`` once the named module has executed.

    It finds nothing itself: it asks the finders after it for the spec and wraps the loader's
    ``exec_module``, so the import behaves exactly as without it.
    """

    def __init__(self, name, on_import):
        self._name = name
        self._on_import = on_import

    def remove(self):
        """Leave ``sys.meta_path`` (if still there)."""
        try:
            sys.meta_path.remove(self)
        except ValueError:
            pass

    def find_spec(self, name, path=None, target=None):
        """The spec the other finders give, its loader made to call back after executing the module."""
        if name != self._name:
            return None
        import importlib.util
        self.remove()  # one import is all we wait for
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
