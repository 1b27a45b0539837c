"""Snapshots of tasks, threads and stacks for the protocol's threads / stackTrace requests."""
import asyncio
import sys
import threading

from . import awaits, loops, paths, suspension, waits
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


def task_entries(registry, clock=None, failed=None):
    """The protocol's Thread objects for every live task, with awaited-by edges (and, given the
    suspension clock, how long each suspended task has been suspended; and ``failed``, a finished task
    the program is stopped in post mortem)."""
    live = registry.live_tasks()
    if failed is not None and all(task is not failed for _ref, task in live):
        live.append((registry.record(failed), failed))
    now = clock.now() if clock is not None else None
    try:
        edges = waits.awaited_by([task for _ref, task in live], registry)
    except Exception:
        log_exception("awaited-by edges")
        edges = {}
    entries = []
    seen_loops = {}
    for ref, task in live:
        try:
            entry = task_entry(ref, task, registry, clock, now, seen_loops)
        except Exception:
            log_exception("describing task %d", ref.tid)
            continue
        waiters = edges.get(id(task))
        if waiters:
            entry["awaitedBy"] = waiters
        entries.append(entry)
    return entries


def _loop_facts(loop, registry, seen_loops):
    # (running task, loopThreadId) once per loop and snapshot, not once per task.
    facts = seen_loops.get(loop) if seen_loops is not None else None
    if facts is None:
        ident = loops.thread_ident(loop)
        facts = (running_task(loop), registry.thread_id(ident) if ident is not None else None)
        if seen_loops is not None:
            seen_loops[loop] = facts
    return facts


def task_entry(ref, task, registry, clock=None, now=None, seen_loops=None):
    """The protocol's Thread object for a task (without awaited-by edges).

    ``seen_loops``: a dict shared by the entries of one snapshot (facts about each loop computed once).
    """
    running, loop_thread_id = _loop_facts(task.get_loop(), registry, seen_loops)
    state = awaits.task_state(task, running)
    entry = {"id": ref.tid, "kind": "task", "name": task.get_name(), "coroutine": _coroutine_name(task),
             "state": state}
    if loop_thread_id is not None:
        entry["loopThreadId"] = loop_thread_id
    if state == awaits.SUSPENDED:
        (frame, short), leaf = awaits.innermost_known(task.get_coro(), waits.known_waits())
        short = waits.wait_short(task, frame, short, leaf)
        if short:
            entry["waitTarget"] = short
        # The thread name shows gather progress ("gather 1/2 done") without a stackTrace per task.
        progress = waits.gather_progress(getattr(task, "_fut_waiter", None)) if short == "gather" else None
        if progress is not None:
            entry["gather"] = {"done": progress[0], "total": progress[1]}
        suspended_for = _suspended_for(ref, task, frame, short, clock, now)
        if suspended_for is not None:
            entry["suspendedFor"] = suspended_for
    site = _site_json(ref.site)
    if site:
        entry["createdAt"] = site
    if ref.creator:
        entry["createdBy"] = ref.creator
    return entry


_site_cache = {}


def _site_json(site):
    # Tasks are created at few places, and the registry shares one site tuple between the tasks created at
    # the same place: converting each tuple once (found by identity, as hashing code objects is slow)
    # keeps 10,000-task snapshots fast. Cleared if a program has very many sites.
    if not site:
        return None
    cached = _site_cache.get(id(site))
    if cached is None or cached[0] is not site:
        if len(_site_cache) > 10000:
            _site_cache.clear()
        cached = _site_cache[id(site)] = (site, paths.site_to_json(site))
    return cached[1]  # shared between entries: they are only serialised


def _suspended_for(ref, task, frame, short, clock, now):
    measured = clock.suspended_for(ref, task, now) if clock is not None else None
    if short != "sleep" or frame is None or (measured is not None and measured.get("atMost") == measured["atLeast"]):
        return measured
    # A sleep knows exactly when it began. Reading it costs a frame's locals, so the clock keeps it as
    # the bounds of this wait (both at the start), and later snapshots find it there.
    exact = suspension.sleep_suspended_for(frame)
    if exact is None:
        return measured
    if clock is not None:
        clock.pin(ref, task, now - exact)
    return {"atLeast": exact, "atMost": exact}


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
    if stopped is not None and getattr(stopped, "failed_task", None) is task:
        # Stopped post mortem in a failed task (3.8–3.11 "uncaught"): its frame from the traceback.
        return thread_stack(stopped.ident, stopped), stopped.label
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
