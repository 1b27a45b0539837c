"""Which OS thread runs an event loop, for every loop class.

asyncio's own loops keep the ident of the thread running them in ``_thread_id``; uvloop's ``Loop`` (a
Cython class) keeps it out of Python's reach. For those loops the runtime notes the thread whenever its
own code runs inside the loop (``create_task`` hook, a stop, a callback it scheduled with
``call_soon_threadsafe``), so a running uvloop has a thread as soon as the runtime has seen it run.
"""
import threading
import weakref

from . import aio

# loop -> ident of the thread last seen running it (only for loops without ``_thread_id``).
_seen_running_in = weakref.WeakKeyDictionary()


def note_running_loop():
    """Record the current thread for the loop running in it, if that loop hides its thread."""
    loop = aio.running_loop()
    if loop is None or hasattr(loop, "_thread_id"):
        return
    try:
        _seen_running_in[loop] = threading.get_ident()
    except TypeError:
        pass  # a loop class without weak references: nothing to remember it by


def thread_ident(loop):
    """The ident of the thread running ``loop`` now, or None when it is not running (or not seen yet)."""
    ident = getattr(loop, "_thread_id", None)
    if ident is not None or hasattr(loop, "_thread_id"):
        return ident
    try:
        if not loop.is_running():
            return None
        return _seen_running_in.get(loop)
    except Exception:
        return None
