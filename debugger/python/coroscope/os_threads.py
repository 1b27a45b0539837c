"""The program's OS threads for the protocol's threads / stackTrace requests (the runtime's own hidden)."""
import sys
import threading

from . import paths


def thread_entries(registry, own_idents, frozen=()):
    """The protocol's Thread objects for the program's OS threads (the runtime's own are hidden)."""
    registry.prune_threads()
    loop_idents = registry.loop_thread_idents()
    main_ident = threading.main_thread().ident
    entries = []
    names = {thread.ident: thread for thread in threading.enumerate()}
    for ident in sys._current_frames():
        if ident in own_idents:
            continue
        thread = names.get(ident)
        name = thread.name if thread is not None else "Thread-%d" % ident
        entry = {"id": registry.thread_id(ident), "kind": "thread", "name": name,
                 "osThreadId": getattr(thread, "native_id", None) or ident,
                 "runsLoop": ident in loop_idents}
        if ident == main_ident:
            entry["main"] = True
        if ident in frozen:
            entry["frozen"] = True
        entries.append(entry)
    return entries


def thread_stack(ident, stopped=None):
    """The real Python stack of OS thread ``ident``, innermost first, the runtime's frames removed."""
    if stopped is not None and stopped.ident == ident:
        frame = stopped.frame
    else:
        frame = sys._current_frames().get(ident)
    frames = []
    while frame is not None:
        if not paths.is_hidden_frame(frame):
            frames.append(frame)
        frame = frame.f_back
    return frames
