"""Snapshots of tasks, threads and stacks for the protocol's threads / stackTrace requests."""
import asyncio
import sys
import threading

from . import awaits, loops, paths, waits
from .log import log_exception


def running_task(loop):
    """The task whose step is executing on ``loop`` right now, or None."""
    try:
        return asyncio.current_task(loop)
    except Exception:
        return None


def _coroutine_name(task):
    coro = task.get_coro()
    if coro is None:
        return None
    return getattr(coro, "__qualname__", None) or type(coro).__name__


def task_entries(registry):
    """The protocol's Thread objects for every live task, with awaited-by edges."""
    live = registry.live_tasks()
    try:
        edges = waits.awaited_by([task for _ref, task in live], registry)
    except Exception:
        log_exception("awaited-by edges")
        edges = {}
    entries = []
    for ref, task in live:
        try:
            entry = task_entry(ref, task, registry)
        except Exception:
            log_exception("describing task %d", ref.tid)
            continue
        waiters = edges.get(id(task))
        if waiters:
            entry["awaitedBy"] = waiters
        entries.append(entry)
    return entries


def task_entry(ref, task, registry):
    """The protocol's Thread object for a task (without awaited-by edges)."""
    loop = task.get_loop()
    state = awaits.task_state(task, running_task(loop))
    entry = {"id": ref.tid, "kind": "task", "name": task.get_name(), "coroutine": _coroutine_name(task),
             "state": state}
    ident = loops.thread_ident(loop)
    if ident is not None:
        entry["loopThreadId"] = registry.thread_id(ident)
    if state == awaits.SUSPENDED:
        frames, leaf = awaits.await_chain(task.get_coro())
        short, _label = waits.wait_target(task, frames, leaf, registry)
        if short:
            entry["waitTarget"] = short
        # The thread name shows gather progress ("gather 1/2 done") without a stackTrace per task.
        progress = waits.gather_progress(getattr(task, "_fut_waiter", None)) if short == "gather" else None
        if progress is not None:
            entry["gather"] = {"done": progress[0], "total": progress[1]}
    site = paths.site_to_json(ref.site)
    if site:
        entry["createdAt"] = site
    if ref.creator:
        entry["createdBy"] = ref.creator
    return entry


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


def task_stack(task, registry, stopped=None):
    """(frames innermost first, label or None) for a task.

    A suspended (or not yet started) task shows its await chain, each frame at its pending await, and a
    label naming what it waits for; the running task shows the real stack of its thread down to its
    coroutine's frame.
    """
    loop = task.get_loop()
    coro = task.get_coro()
    state = awaits.task_state(task, running_task(loop))
    if state == awaits.RUNNING:
        ident = loops.thread_ident(loop)
        bottom = getattr(coro, "cr_frame", None) or getattr(coro, "gi_frame", None)
        frames = []
        for frame in thread_stack(ident, stopped) if ident is not None else ():
            frames.append(frame)
            if frame is bottom:
                break
        label = stopped.label if stopped is not None and stopped.ident == ident else None
        return frames, label
    if coro is None:
        return [], None
    chain, leaf = awaits.await_chain(coro)
    frames = list(reversed(chain))
    if state == awaits.PENDING:
        return frames, "not started yet"
    _short, label = waits.wait_target(task, chain, leaf, registry)
    return frames, ("awaiting " + label) if label else None
