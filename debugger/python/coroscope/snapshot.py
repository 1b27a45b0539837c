"""The ``threads`` answer's entries for every live task, computed in one pass sized for 10,000 tasks.

``inspector.task_entry`` (one task) and ``waits.awaited_by`` (edges) are the reference: this module gives
the same entries (tests/test_snapshot.py compares them on every kind of task) but reads each task once.
What makes it cheaper than calling them per task (issue 4's goal: a snapshot of 10,000 tasks ≤ 100 ms):

- one pass reads a task's ``_fut_waiter`` once for its wait target, its time suspended and the
  awaited-by index, and notes which tasks can have waiters at all (those with done-callbacks), so the
  edge walk visits those alone;
- the common case (a native coroutine suspended at an await) is recognised inline, without the general
  state and naming functions; facts about the loop and the creation site are reused from the previous task
  when they are the same object (tasks of one loop and one creation site come in runs);
- the time suspended is computed once per distinct (since, after) pair of the suspension clock — all the
  suspensions one look witnessed share it — and the resulting dict is shared between entries, which are
  only serialised: fewer ``round`` calls and fewer allocations (each allocation brings the next garbage
  collection closer, and collections were a third of the snapshot on 3.8).
"""
import asyncio
import types

from . import awaits, inspector, waits
from .log import log_exception

_COROUTINE = types.CoroutineType
_SUSPENDED = awaits.SUSPENDED
_TASK_TYPES = {asyncio.Task, getattr(asyncio.tasks, "_PyTask", asyncio.Task)}
# type of a future a task waits on -> the waitTarget it gives when no known primitive is in the chain.
_waiter_shorts = {}


def _waiter_short(waiter):
    kind = type(waiter)
    short = _waiter_shorts.get(kind)
    if short is None:
        if isinstance(waiter, asyncio.Task):
            short = "Task"
        else:
            short = "gather" if kind.__name__ == "_GatheringFuture" else "Future"
        if len(_waiter_shorts) < 1000:
            _waiter_shorts[kind] = short
    return short


def task_entries(registry, clock=None, failed=None):
    """The protocol's Thread objects for every live task, with awaited-by edges (and, given the
    suspension clock, how long each suspended task has been suspended; and ``failed``, a finished task
    the program is stopped in post mortem). Sorted by id, except ``failed`` last."""
    live = registry.live_tasks()
    if failed is not None and all(task is not failed for _ref, task in live):
        live.append((registry.record(failed), failed))
    now = clock.now() if clock is not None else None
    known = waits.known_waits()
    innermost_known = awaits.innermost_known
    waiting = waits.WaitingOn()
    first_waiter = waiting.one.setdefault
    recorded = waits.recorded_types.get
    # Tasks that may be awaited (they have done-callbacks), and futures other tasks wait on that are tasks.
    candidates = []
    awaited_tasks = []
    measures = {}
    loop_facts = {}
    last_loop = last_facts = last_site = last_site_json = None
    entries = []
    for ref, task in live:
        waiter = getattr(task, "_fut_waiter", None)
        if waiter is not None:
            if first_waiter(id(waiter), task) is not task:
                waiting.add(waiter, task)
            waiter_short = _waiter_shorts.get(type(waiter)) or _waiter_short(waiter)
            if waiter_short == "Task":
                awaited_tasks.append(waiter)
        try:
            loop = task.get_loop()
            if loop is not last_loop:
                last_facts = inspector.loop_facts(loop, registry, loop_facts)
                last_loop = loop
            running, loop_thread_id = last_facts
            coro = task.get_coro()
            if type(coro) is _COROUTINE and coro.cr_await is not None and task is not running \
                    and not task.done():
                state = _SUSPENDED
                name = coro.__qualname__ or "coroutine"
            else:
                state = awaits.task_state(task, running)
                name = inspector.coroutine_name(task)
            entry = {"id": ref.tid, "kind": "task", "name": task.get_name(), "coroutine": name, "state": state}
            if loop_thread_id is not None:
                entry["loopThreadId"] = loop_thread_id
            if state == _SUSPENDED:
                (frame, short), leaf = innermost_known(coro, known)
                if frame is None or short == "wait":
                    if waiter is not None:
                        short = waiter_short
                    else:
                        short = "Future" if leaf is not None else None
                if short:
                    entry["waitTarget"] = short
                    if short == "gather":
                        # The thread name shows gather progress without a stackTrace per task.
                        progress = waits.gather_progress(waiter)
                        if progress is not None:
                            entry["gather"] = {"done": progress[0], "total": progress[1]}
                measured = None
                if clock is not None and waiter is not None:
                    seen = ref.waiter
                    since = ref.since
                    if seen is not None and since and seen() is waiter:
                        key = (since, ref.after)
                        measured = measures.get(key)
                        if measured is None:
                            measured = measures[key] = clock.measure(now, since, ref.after)
                if short == "sleep" and frame is not None \
                        and (measured is None or measured.get("atMost") != measured["atLeast"]):
                    # Exact from the sleep's timer, then pinned in the clock: later snapshots skip this.
                    measured = inspector.time_suspended(ref, task, frame, short, clock, now)
                if measured is not None:
                    entry["suspendedFor"] = measured
            site = ref.site
            if site:
                if site is not last_site:
                    last_site_json = inspector.site_json(site)
                    last_site = site
                if last_site_json:
                    entry["createdAt"] = last_site_json
            if ref.creator:
                entry["createdBy"] = ref.creator
        except Exception:
            log_exception("describing task %d", ref.tid)
            continue
        entries.append(entry)
        try:
            # A task awaited, gathered, waited for or in a TaskGroup has a done-callback (the other side
            # adds one); 3.14 may record a waiter without one; and an object that is no asyncio Task (a
            # foreign factory's) is left to the edge walk.
            if task._callbacks or recorded(type(task)) is not False and waits.recorded_waiters(task) \
                    or (type(task) not in _TASK_TYPES and not isinstance(task, asyncio.Task)):
                candidates.append((entry, task))
        except Exception:
            candidates.append((entry, task))
    try:
        _add_edges(entries, candidates, awaited_tasks, waiting, registry)
    except Exception:
        log_exception("awaited-by edges")
    return entries


def _add_edges(entries, candidates, awaited_tasks, waiting, registry):
    """Awaited-by edges for the tasks that can have waiters: with done-callbacks, or awaited directly."""
    walked = {id(task) for _entry, task in candidates}
    # A task awaited directly has the awaiting task's wake-up among its done-callbacks: unless the program
    # removed it, it is a candidate already; the others are found by id (rare, so the map is built lazily).
    by_tid = None
    for awaited in awaited_tasks:
        if id(awaited) in walked:
            continue
        ref = registry.find(awaited)
        if ref is None:
            continue
        if by_tid is None:
            by_tid = {entry["id"]: entry for entry in entries}
        entry = by_tid.get(ref.tid)
        if entry is not None:
            walked.add(id(awaited))
            candidates.append((entry, awaited))
    for entry, task in candidates:
        found = waits.edges_of(task, waiting, registry)
        if found:
            entry["awaitedBy"] = found
