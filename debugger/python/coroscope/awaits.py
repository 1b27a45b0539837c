"""What a task is doing: its state, its await chain and its wait target, in the user's words."""
import asyncio
import gc
import inspect

from . import paths

MAX_CHAIN = 256

PENDING, RUNNING, SUSPENDED, DONE, CANCELLED, FAILED = (
    "pending", "running", "suspended", "done", "cancelled", "failed")


def task_state(task, running_task):
    """One of pending / running / suspended / done / cancelled / failed."""
    if task.done():
        if task.cancelled():
            return CANCELLED
        return FAILED if task.exception() is not None else DONE
    if task is running_task:
        return RUNNING
    coro = task.get_coro()
    if coro is None:
        # 3.12 eager tasks drop nothing, but a task built on a foreign awaitable may have no coroutine.
        return SUSPENDED
    frame = _frame_of(coro)
    if frame is not None and _not_started(coro):
        return PENDING
    return SUSPENDED


def _not_started(coro):
    try:
        if inspect.iscoroutine(coro):
            return inspect.getcoroutinestate(coro) == inspect.CORO_CREATED
        if inspect.isgenerator(coro):
            return inspect.getgeneratorstate(coro) == inspect.GEN_CREATED
    except Exception:
        pass
    return False


def _frame_of(obj):
    for name in ("cr_frame", "gi_frame", "ag_frame"):
        frame = getattr(obj, name, None)
        if frame is not None:
            return frame
    return None


def _awaited_by(obj):
    for name in ("cr_await", "gi_yieldfrom", "ag_await"):
        inner = getattr(obj, name, None)
        if inner is not None:
            return inner
    return None


_WRAPPERS = ("async_generator_asend", "async_generator_athrow", "coroutine_wrapper",
             "async_generator_wrapped_value")


def _unwrap(obj):
    """For C helper objects with no frame (``agen.asend()``, ``coro.__await__()``), the generator inside."""
    if type(obj).__name__ not in _WRAPPERS:
        return None
    for referent in gc.get_referents(obj):
        if _frame_of(referent) is not None or inspect.isasyncgen(referent) or inspect.iscoroutine(referent):
            return referent
    return None


def await_chain(coro):
    """(frames, leaf): the coroutine frames from outermost to innermost, and the frameless leaf awaited.

    Walks ``cr_await`` / ``gi_yieldfrom`` / ``ag_await``, guarding against cycles and runaway depth.
    """
    frames = []
    seen = set()
    obj = coro
    leaf = None
    while obj is not None and len(frames) < MAX_CHAIN and id(obj) not in seen:
        seen.add(id(obj))
        frame = _frame_of(obj)
        if frame is None:
            inner = _unwrap(obj)
            if inner is None:
                leaf = obj
                break
            obj = inner
            continue
        frames.append(frame)
        obj = _awaited_by(obj)
    return frames, leaf


def _function_code(owner, name):
    function = getattr(owner, name, None)
    function = getattr(function, "__func__", function)
    while hasattr(function, "__wrapped__"):
        function = function.__wrapped__
    return getattr(function, "__code__", None)


_known = None


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
            (asyncio.tasks, "sleep", "sleep"), (asyncio.tasks, "wait_for", "wait_for"),
            (asyncio.tasks, "wait", "wait"), (asyncio.tasks, "_wait", "wait"),
            (asyncio.tasks, "__sleep0", "sleep"),
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


def _describe_sleep(frame):
    handle = frame.f_locals.get("h")
    delay = frame.f_locals.get("delay")
    text = "sleep(%r)" % (delay,) if delay is not None else "sleep(0)"
    try:
        left = handle.when() - handle._loop.time()
        text += ", %.3g s left" % max(left, 0.0)
    except Exception:
        pass
    return text


def _describe_future(fut, registry):
    if fut is None:
        return None, None
    if isinstance(fut, asyncio.Task):
        ref = registry.record(fut)
        name = fut.get_name()
        return "Task", "Task %s (thread %d)" % (name, ref.tid)
    if type(fut).__name__ == "_GatheringFuture":
        children = list(getattr(fut, "_children", ()) or ())
        done = sum(1 for child in children if child.done())
        return "gather", "gather of %d (%d done)" % (len(children), done)
    return "Future", "Future"


def wait_target(task, frames, leaf, registry):
    """(short, label): what a suspended task waits for, e.g. ("Queue.get", "Queue.get()").

    The innermost known asyncio primitive in the chain names it; failing that, the future the task waits
    on (``task._fut_waiter``), or the frameless leaf object.
    """
    known = _known_waits()
    for frame in reversed(frames):
        label = known.get(frame.f_code)
        if label is None:
            continue
        if label == "sleep":
            return "sleep", _describe_sleep(frame)
        if label == "wait_for":
            continue
        return label, label + "()"
    fut = getattr(task, "_fut_waiter", None)
    short, label = _describe_future(fut, registry)
    if short is not None:
        return short, label
    if leaf is not None and not inspect.isawaitable(leaf) and leaf is not None:
        return type(leaf).__name__, type(leaf).__name__
    if leaf is not None:
        return "Future", type(leaf).__name__
    return None, None


def describe_frames(frames):
    """(code, line) pairs innermost first for frames given outermost first (filtering hidden ones)."""
    return [frame for frame in reversed(frames) if not paths.is_runtime_code(frame.f_code)]
