"""What a task is doing: its state and its await chain (the coroutine frames it is suspended in)."""
import gc
import inspect
import types

from .hooks import AwaitHook

MAX_CHAIN = 256

PENDING, RUNNING, SUSPENDED, DONE, CANCELLED, FAILED = (
    "pending", "running", "suspended", "done", "cancelled", "failed")


def peek_exception(future):
    """The exception of a done, not cancelled future, read without marking it retrieved.

    ``Future.exception()`` tells asyncio someone handled the error, which would silence the program's own
    "Task exception was never retrieved" report: looking must not change what the program does.
    """
    try:
        return future._exception
    except AttributeError:
        return future.exception()


def task_state(task, running_task):
    """One of pending / running / suspended / done / cancelled / failed."""
    if task.done():
        if task.cancelled():
            return CANCELLED
        return FAILED if peek_exception(task) is not None else DONE
    if task is running_task:
        return RUNNING
    coro = task.get_coro()
    if coro is None:
        # 3.12 eager tasks drop nothing, but a task built on a foreign awaitable may have no coroutine.
        return SUSPENDED
    if type(coro) is _COROUTINE and coro.cr_await is not None:
        # A native coroutine only leaves its frame at an await: awaiting something means it started.
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


_COROUTINE = types.CoroutineType
_GENERATOR = types.GeneratorType
_ASYNC_GENERATOR = types.AsyncGeneratorType


def _frame_and_inner(obj):
    """(frame, awaited object) of a coroutine-like object; (None, None) for anything without a frame.

    The three native types are told apart by type first: a miss on ``getattr`` costs an exception inside
    the interpreter, and a snapshot of 10,000 tasks walks every chain.
    """
    kind = type(obj)
    if kind is _COROUTINE:
        return obj.cr_frame, obj.cr_await
    if kind is _GENERATOR:
        return obj.gi_frame, obj.gi_yieldfrom
    if kind is _ASYNC_GENERATOR:
        return obj.ag_frame, obj.ag_await
    frame = _frame_of(obj)
    return frame, (_awaited_by(obj) if frame is not None else None)


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
        frame, inner = _frame_and_inner(obj)
        if frame is None:
            unwrapped = _unwrap(obj)
            if unwrapped is None:
                leaf = obj
                break
            obj = unwrapped
            continue
        frames.append(frame)
        obj = inner
    return frames, leaf


_LEAF_TYPES = set()
_FRAME_NAMES = ("cr_frame", "gi_frame", "ag_frame")


def innermost_known(coro, known):
    """(frame, value) for the innermost frame of ``coro``'s await chain whose code is a key of ``known``
    (``(None, None)`` if none), and the chain's frameless leaf: ``((frame, value), leaf)``.

    The same walk as ``await_chain`` without building the frame list, for snapshots of every task: native
    coroutines and generators are followed inline; anything else falls back to ``await_chain``.
    """
    found = (None, None)
    obj = coro
    depth = 0
    while obj is not None and depth < MAX_CHAIN:
        kind = type(obj)
        if kind is _COROUTINE:
            frame, inner = obj.cr_frame, obj.cr_await
        elif kind is _GENERATOR:
            frame, inner = obj.gi_frame, obj.gi_yieldfrom
        elif kind in _LEAF_TYPES:
            return found, obj
        else:
            if kind.__name__ not in _WRAPPERS and not any(hasattr(obj, name) for name in _FRAME_NAMES):
                # Futures and their iterators: frameless by type, so the next one is recognised at once.
                _LEAF_TYPES.add(kind)
                return found, obj
            frames, leaf = await_chain(obj)
            for frame in reversed(frames):
                value = known.get(frame.f_code)
                if value is not None:
                    return (frame, value), leaf
            return found, leaf
        if frame is None:
            return found, obj
        value = known.get(frame.f_code)
        if value is not None:
            found = (frame, value)
        obj = inner
        depth += 1
    return found, None
