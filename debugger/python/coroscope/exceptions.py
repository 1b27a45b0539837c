"""Exception breakpoints: which exceptions stop the program, and the hook for unretrieved task exceptions.

Filters (``setExceptionBreakpoints``):
- ``raised``: any exception (except CancelledError and iteration control) when it is raised in, or first
  propagates into, the user's code.
- ``uncaught``: an exception that ends a task (it leaves the task's coroutine) or the program's main module.
- ``unretrieved``: asyncio reports "Task exception was never retrieved" (or the same for a Future).
- ``cancelled``: a CancelledError reaches the user's code (a task is cancelled while awaiting).
"""
import functools
import os
import sys

from . import aio, hooks, paths
from .log import log_exception

_HOOKS_FILE = hooks.__file__

FILTERS = ("raised", "uncaught", "unretrieved", "cancelled")
_IGNORED = (StopIteration, StopAsyncIteration, GeneratorExit)
_CO_COROUTINE = 0x80
_CO_ITERABLE_COROUTINE = 0x100
_CO_ASYNC_GENERATOR = 0x200


def _library_prefixes():
    import sysconfig  # on first use: loading the configuration data was a noticeable part of start-up
    prefixes = set()
    for key in ("stdlib", "platstdlib", "purelib", "platlib"):
        try:
            path = sysconfig.get_paths().get(key)
        except Exception:
            path = None
        if path:
            prefixes.add(os.path.realpath(path) + os.sep)
            prefixes.add(path + os.sep)
    return tuple(prefixes)


_libraries = None
_user_cache = {}


def is_user_code(code):
    """True for the program's own code: not the runtime, the standard library or installed packages."""
    global _libraries
    filename = code.co_filename
    result = _user_cache.get(filename)
    if result is None:
        if _libraries is None:
            _libraries = _library_prefixes()
        result = not (filename.startswith("<") or paths.is_runtime_code(code)
                      or filename.startswith(_libraries) or os.sep + "site-packages" + os.sep in filename)
        _user_cache[filename] = result
    return result


def is_task_top_frame(frame):
    """True for the outermost coroutine frame of a task (its caller is the event loop) or the main module."""
    code = frame.f_code
    caller = frame.f_back
    while caller is not None and caller.f_code.co_filename == _HOOKS_FILE:
        # A coroutine awaited at a suspend/resume breakpoint hook: its real caller is the awaiting frame.
        caller = caller.f_back
    top = caller is None or paths.is_asyncio_code(caller.f_code) or paths.is_hidden_frame(caller)
    if not top:
        return False
    if code.co_flags & (_CO_COROUTINE | _CO_ITERABLE_COROUTINE | _CO_ASYNC_GENERATOR):
        return True
    return code.co_name == "<module>" and frame.f_globals.get("__name__") == "__main__"


def describe(exc):
    """``Type: message`` as shown in a stopped event's text."""
    try:
        import traceback
        return "".join(traceback.format_exception_only(type(exc), exc)).strip()
    except Exception:
        return type(exc).__name__


def exception_info(exc, break_mode):
    """The body of the protocol's ``exceptionInfo`` response."""
    kind = type(exc)
    try:
        import traceback
        formatted = "".join(traceback.format_exception(kind, exc, exc.__traceback__))
    except Exception:
        formatted = describe(exc)
    return {
        "exceptionId": "%s.%s" % (kind.__module__, kind.__qualname__) if kind.__module__ != "builtins"
        else kind.__qualname__,
        "description": describe(exc),
        "breakMode": break_mode,
        "details": {"typeName": kind.__qualname__, "message": _safe_str(exc), "stackTrace": formatted},
    }


def _safe_str(exc):
    try:
        return str(exc)
    except Exception:
        return "<str failed>"


def classify(exc, filters):
    """The filter that makes an exception seen in user code stop, or None."""
    if isinstance(exc, _IGNORED):
        return None
    if aio.is_cancelled_error(exc):
        return "cancelled" if "cancelled" in filters else None
    return "raised" if "raised" in filters else None


class UnretrievedHook:
    """Wraps ``BaseEventLoop.call_exception_handler`` to stop where asyncio reports a lost exception."""

    def __init__(self, on_report):
        self._on_report = on_report
        self._original = None
        self._wrapper = None
        self._base_loop = None
        self._wanted = False

    def install(self):
        """Wrap the method (now, or once the program imports asyncio); idempotent."""
        if self._wanted:
            return
        self._wanted = True
        aio.when_loaded(self._wrap)

    def _wrap(self, asyncio):
        if not self._wanted or self._wrapper is not None:
            return
        base_loop = asyncio.base_events.BaseEventLoop
        original = base_loop.call_exception_handler
        on_report = self._on_report

        @functools.wraps(original)
        def call_exception_handler(loop, context):
            try:
                message = str(context.get("message", ""))
                exception = context.get("exception")
                if "never retrieved" in message and exception is not None:
                    # asyncio reports a lost exception from Task.__del__, often in the middle of a
                    # garbage collection. Stopping the thread there, while the I/O thread inspects the
                    # program, crashed the interpreter (3.9: segfaults). Stop on the loop's next turn.
                    def report_later():
                        on_report(sys._getframe(1), exception, message)
                    try:
                        loop.call_soon_threadsafe(report_later)
                    except RuntimeError:  # the loop is closed: nobody runs the program's code any more
                        pass
            except Exception:
                log_exception("unretrieved exception hook")
            return original(loop, context)

        self._original = original
        self._wrapper = call_exception_handler
        self._base_loop = base_loop
        base_loop.call_exception_handler = call_exception_handler

    def uninstall(self):
        """Restore the original unless somebody wrapped ours since."""
        self._wanted = False
        if self._wrapper is None:
            return
        if self._base_loop.__dict__.get("call_exception_handler") is self._wrapper:
            self._base_loop.call_exception_handler = self._original
        self._wrapper = None
        self._original = None
