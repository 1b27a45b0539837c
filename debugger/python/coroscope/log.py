"""The runtime's own diagnostics.

The runtime lives inside the user's process, so it must never write to the program's stdout or stderr:
everything goes to the file named by ``COROSCOPE_LOG`` (nothing at all when it is unset).
"""
import os
import threading
import time

_lock = threading.Lock()
_path = os.environ.get("COROSCOPE_LOG") or None


def log(message, *args):
    """Append one line to the log file; never raises."""
    if _path is None:
        return
    try:
        text = message % args if args else message
        stamp = time.strftime("%H:%M:%S")
        with _lock, open(_path, "a", encoding="utf-8") as out:
            out.write("%s [%d] %s\n" % (stamp, os.getpid(), text))
    except Exception:
        pass


def log_exception(message, *args):
    """Log ``message`` followed by the traceback of the exception being handled."""
    if _path is None:
        return
    import traceback  # only when logging: the program may never import it
    log((message % args if args else message) + "\n" + traceback.format_exc().rstrip())
