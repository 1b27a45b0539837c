"""Wait targets in the user's words, and awaited-by edges between tasks.

A wait target says what a suspended task waits for — ``Queue.get() on queue``, ``sleep(1), 0.4 s left``,
``Task worker-2 (thread 7)``, ``gather of 3 (1 done)`` — from the innermost asyncio primitive in its await
chain, else from the future the task waits on (``task._fut_waiter``).

Awaited-by edges say which task waits for which: directly (``await task``), or through the futures a
task's completion feeds — gather's outer future, shield's outer future, ``wait``/``wait_for`` waiters —
found by following the done-callbacks of the task (bound methods, partials, closures) to a future that
some task waits on; and TaskGroup children point at the group's parent task. Python 3.14 also records
who awaits a future itself (``future._asyncio_awaited_by``, kept by ``asyncio.future_add_to_awaited_by``:
an awaiting task, gather's and ``wait``'s caller, a TaskGroup's or ``staggered_race``'s parent, or any
library calling it): where a future carries that record, its waiters are edges too — via ``await`` when
the waiter's ``_fut_waiter`` is that future, else ``future`` — unless the walk found them already.
Read behind feature detection; not yet run against a real 3.14 (none on the machine this was built on):
tests give tasks the attribute as 3.14 defines it, a frozenset of futures or None.
"""
import asyncio
import functools

_known = None


def _function_code(owner, name):
    function = getattr(owner, name, None)
    function = getattr(function, "__func__", function)
    while hasattr(function, "__wrapped__"):
        function = function.__wrapped__
    return getattr(function, "__code__", None)


def _known_waits():
    """Code objects of asyncio's waiting primitives, mapped to the name a user knows them by."""
    global _known
    if _known is None:
        table = {}
        candidates = [
            (asyncio.Queue, "get", "Queue.get"), (asyncio.Queue, "put", "Queue.put"),
            (asyncio.Queue, "join", "Queue.join"),
            (asyncio.Lock, "acquire", "Lock.acquire"), (asyncio.Event, "wait", "Event.wait"),
            (asyncio.Condition, "wait", "Condition.wait"), (asyncio.Condition, "wait_for", "Condition.wait_for"),
            (asyncio.Semaphore, "acquire", "Semaphore.acquire"),
            (asyncio.StreamReader, "_wait_for_data", "StreamReader.read"),
            (asyncio.StreamWriter, "drain", "StreamWriter.drain"),
            (asyncio.tasks, "sleep", "sleep"), (asyncio.tasks, "__sleep0", "sleep"),
            (asyncio.tasks, "wait", "wait"), (asyncio.tasks, "_wait", "wait"),
        ]
        barrier = getattr(asyncio, "Barrier", None)
        if barrier is not None:
            candidates.append((barrier, "wait", "Barrier.wait"))
        for owner, name, label in candidates:
            code = _function_code(owner, name)
            if code is not None:
                table[code] = label
        _known = table
    return _known


def known_waits():
    """{code object: short name} of asyncio's waiting primitives (``Queue.get``, ``sleep``, ``wait``...)."""
    return _known_waits()


def _name_in(frames, obj):
    """The name a user frame gives ``obj`` (a local, or ``self.attr``), searching outward."""
    for frame in frames:
        try:
            local_items = list(frame.f_locals.items())
        except Exception:
            continue
        for name, value in local_items:
            if value is obj and name != "self":
                return name
        owner = frame.f_locals.get("self")
        attributes = getattr(owner, "__dict__", None)
        if isinstance(attributes, dict):
            for name, value in list(attributes.items()):
                if value is obj:
                    return "self." + name
    return None


def _describe_sleep(frame):
    local_vars = frame.f_locals
    delay = local_vars.get("delay")
    text = "sleep(%r)" % (delay,) if delay is not None else "sleep(0)"
    handle = local_vars.get("h")
    try:
        left = handle.when() - handle._loop.time()
        text += ", %.3g s left" % max(left, 0.0)
    except Exception:
        pass
    return text


def _describe_task(fut, registry):
    ref = registry.record(fut)
    return "Task %s (thread %d)" % (fut.get_name(), ref.tid)


def _describe_future(fut, registry, outer_frames):
    if fut is None:
        return None, None
    if isinstance(fut, asyncio.Task):
        return "Task", _describe_task(fut, registry)
    progress = gather_progress(fut)
    if progress is not None:
        return "gather", "gather of %d (%d done)" % (progress[1], progress[0])
    name = _name_in(outer_frames, fut)
    return "Future", "Future %s" % name if name else "Future"


def gather_progress(fut):
    """(done, total) children of ``fut`` if it is the future ``asyncio.gather`` returns, else None.

    Shared by the stack label and the ``threads`` answer so both always show the same count.
    """
    if fut is None or type(fut).__name__ != "_GatheringFuture":
        return None
    children = list(getattr(fut, "_children", ()) or ())
    return sum(1 for child in children if child.done()), len(children)


def wait_target(task, frames, leaf, registry):
    """(short, label) for a suspended task whose await chain is ``frames`` (outermost first).

    ``short`` is a stable identifier (``Queue.get``, ``sleep``, ``Task``, ``gather``, ``Future``...);
    ``label`` the user-facing description.
    """
    known = _known_waits()
    for index in range(len(frames) - 1, -1, -1):
        frame = frames[index]
        short = known.get(frame.f_code)
        if short is None:
            continue
        outer = list(reversed(frames[:index]))
        if short == "sleep":
            return short, _describe_sleep(frame)
        if short == "wait":
            break
        label = short + "()"
        if short == "StreamReader.read":
            method = frame.f_locals.get("func_name")
            if isinstance(method, str):
                label = "StreamReader.%s()" % method
        owner = frame.f_locals.get("self")
        name = _name_in(outer, owner) if owner is not None else None
        if name:
            label += " on " + name
        return short, label
    return _describe_future(getattr(task, "_fut_waiter", None), registry, list(reversed(frames))) \
        if getattr(task, "_fut_waiter", None) is not None else _describe_leaf(leaf)


def wait_short(task, known_frame, short, leaf):
    """Only the ``short`` of ``wait_target``, without the label's costly name search: for ``threads``.

    ``known_frame`` / ``short``: the innermost frame of the chain running a known primitive and its name
    (``awaits.innermost_known(coro, known_waits())``).
    """
    if known_frame is not None and short != "wait":
        return short
    waiter = getattr(task, "_fut_waiter", None)
    if waiter is not None:
        if isinstance(waiter, asyncio.Task):
            return "Task"
        return "gather" if type(waiter).__name__ == "_GatheringFuture" else "Future"
    return "Future" if leaf is not None else None


def _describe_leaf(leaf):
    if leaf is None:
        return None, None
    return "Future", type(leaf).__name__


# -- awaited-by edges --------------------------------------------------------------------------------

def _callback_targets(callback):
    """Objects a done-callback holds on to: its bound instance, partial arguments, closure cells."""
    targets = []
    owner = getattr(callback, "__self__", None)
    if owner is not None:
        targets.append(owner)
    if isinstance(callback, functools.partial):
        targets.extend(callback.args)
        targets.extend((callback.keywords or {}).values())
        targets.extend(_callback_targets(callback.func))
    for cell in getattr(callback, "__closure__", None) or ():
        try:
            targets.append(cell.cell_contents)
        except ValueError:
            pass
    return targets


def _callback_kind(callback, fed):
    name = getattr(getattr(callback, "func", callback), "__name__", "")
    if type(fed).__name__ == "_GatheringFuture":
        return "gather"
    if name == "_inner_done_callback":
        return "shield"
    if name == "_release_waiter":
        return "wait_for"
    if name == "_on_completion":
        return "wait"
    return "future"


def _callbacks(future):
    try:
        entries = future._callbacks or ()
    except Exception:
        return ()
    return [entry[0] if isinstance(entry, tuple) else entry for entry in entries]


# type -> whether its instances carry asyncio's own awaited-by record (3.14's ``_asyncio_awaited_by``).
recorded_types = {}


def recorded_waiters(future):
    """The futures asyncio itself records as awaiting ``future`` (3.14+), or an empty tuple."""
    kind = type(future)
    recorded = recorded_types.get(kind)
    if recorded is None:
        recorded = hasattr(kind, "_asyncio_awaited_by")
        if len(recorded_types) < 1000:
            recorded_types[kind] = recorded
    if not recorded:
        return ()
    try:
        return future._asyncio_awaited_by or ()
    except Exception:
        return ()


class WaitingOn:
    """The tasks waiting on each future (whose ``task._fut_waiter`` it is), keyed by the future's identity.

    Most futures have a single waiter, so a second waiter is what makes a list: a 10,000-task snapshot
    otherwise allocated a list per waiting task only to read it once.
    """

    __slots__ = ("one", "more")

    def __init__(self):
        self.one = {}  # id(future) -> the first task seen waiting on it
        self.more = {}  # id(future) -> every task waiting on it, when there are several

    def add(self, future, task):
        """Note that ``task`` waits on ``future``."""
        key = id(future)
        first = self.one.setdefault(key, task)
        if first is not task:
            self.more.setdefault(key, [first]).append(task)

    def of(self, future):
        """The tasks waiting on ``future`` (a sequence, empty when none)."""
        key = id(future)
        more = self.more.get(key)
        if more is not None:
            return more
        first = self.one.get(key)
        return () if first is None else (first,)


def awaited_by(tasks, registry, max_depth=8):
    """{id(task): [{"id": waiter thread id, "via": kind}]} for the given live tasks."""
    waiting_on = WaitingOn()
    for task in tasks:
        fut = getattr(task, "_fut_waiter", None)
        if fut is not None:
            waiting_on.add(fut, task)
    edges = {}
    for task in tasks:
        # Most tasks of a large program have no done-callbacks and nobody awaiting them: one attribute
        # read each, instead of the walk below (a 10,000-task snapshot spent a third of its time here).
        try:
            if not task._callbacks and not waiting_on.of(task) and not recorded_waiters(task):
                continue
        except Exception:
            pass
        found = edges_of(task, waiting_on, registry, max_depth)
        if found:
            edges[id(task)] = found
    return edges


def edges_of(task, waiting_on, registry, max_depth=8):
    """The awaited-by edges of one task (``[{"id", "via"}]``, possibly empty).

    ``waiting_on``: a ``WaitingOn`` of the snapshot's tasks (``snapshot.task_entries`` builds it in its
    own single pass over the tasks).
    """
    found = []
    seen = set()
    for waiter in waiting_on.of(task):
        found.append((waiter, "await"))
    frontier = [(task, None)]
    depth = 0
    while frontier and depth < max_depth:
        depth += 1
        following = []
        for future, kind in frontier:
            for callback in _callbacks(future):
                for target in _callback_targets(callback):
                    parent = getattr(target, "_parent_task", None)
                    if parent is not None and hasattr(target, "_tasks"):
                        found.append((parent, "taskgroup"))
                        continue
                    if not isinstance(target, asyncio.Future) or id(target) in seen or target is task:
                        continue
                    seen.add(id(target))
                    via = kind or _callback_kind(callback, target)
                    if isinstance(target, asyncio.Task):
                        continue
                    for waiter in waiting_on.of(target):
                        found.append((waiter, via))
                    following.append((target, via))
        frontier = following
    known = {id(waiter) for waiter, _via in found}
    for waiter in recorded_waiters(task):
        if id(waiter) not in known and isinstance(waiter, asyncio.Future):
            found.append((waiter, "await" if getattr(waiter, "_fut_waiter", None) is task else "future"))
    unique = []
    for waiter, via in found:
        entry = {"id": registry.record(waiter).tid, "via": via}
        if entry not in unique and waiter is not task:
            unique.append(entry)
    return unique
