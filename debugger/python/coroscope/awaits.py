"""What a task is doing: its state and its await chain (the coroutine frames it is suspended in)."""
import gc
import inspect

from .hooks import AwaitHook

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
    """For C helper objects with no frame (``agen.asend()``, ``coro.__await__()``), the generator inside;
    for the runtime's own ``AwaitHook`` (an await at a suspend/resume breakpoint), what it awaits."""
    if type(obj) is AwaitHook:
        return obj.inner
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
