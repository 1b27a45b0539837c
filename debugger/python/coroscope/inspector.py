"""Tasks for the protocol's threads / stackTrace requests, one task at a time (``snapshot`` does all at once).

Imported once the program has imported asyncio (see aio.py); OS threads are in ``os_threads``.
"""
from . import aio, awaits, loops, paths, suspension, waits
from .os_threads import thread_stack


def running_task(loop):
    """The task whose step is executing on ``loop`` right now, or None."""
    try:
        return aio.current_task(loop)
    except Exception:
        return None


def coroutine_name(task):
    """The qualified name of the task's coroutine (its type's name for other awaitables), or None."""
    coro = task.get_coro()
    if coro is None:
        return None
    return getattr(coro, "__qualname__", None) or type(coro).__name__


def loop_facts(loop, registry, seen_loops):
    """(task running on ``loop``, thread id of the thread running it), computed once per loop and
    snapshot (kept in the dict ``seen_loops``), not once per task."""
    facts = seen_loops.get(loop) if seen_loops is not None else None
    if facts is None:
        ident = loops.thread_ident(loop)
        facts = (running_task(loop), registry.thread_id(ident) if ident is not None else None)
        if seen_loops is not None:
            seen_loops[loop] = facts
    return facts


def task_entry(ref, task, registry, clock=None, now=None, seen_loops=None):
    """The protocol's Thread object for a task (without awaited-by edges).

    The reference for ``snapshot.task_entries``, which computes the same entries for every task at once.

    ``seen_loops``: a dict shared by the entries of one snapshot (facts about each loop computed once).
    """
    running, loop_thread_id = loop_facts(task.get_loop(), registry, seen_loops)
    state = awaits.task_state(task, running)
    entry = {"id": ref.tid, "kind": "task", "name": task.get_name(), "coroutine": coroutine_name(task),
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
        suspended_for = time_suspended(ref, task, frame, short, clock, now)
        if suspended_for is not None:
            entry["suspendedFor"] = suspended_for
    site = site_json(ref.site)
    if site:
        entry["createdAt"] = site
    if ref.creator:
        entry["createdBy"] = ref.creator
    return entry


_site_cache = {}


def site_json(site):
    """A creation site (``ref.site``) as the protocol's ``createdAt``, or None."""
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


def time_suspended(ref, task, frame, short, clock, now):
    """The entry's ``suspendedFor``: the clock's bounds, exact for a task in ``asyncio.sleep`` (``frame``
    is then the sleep's frame and ``short`` is ``sleep``)."""
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
