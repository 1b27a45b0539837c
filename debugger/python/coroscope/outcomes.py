"""What a task has produced and what it waits for: the protocol's ``taskDetails`` answer.

``threads`` lists live tasks only, so a task's finished children and the finished tasks of a ``gather`` it
waits on would be invisible; this answer names them with their outcome (result, exception, cancelled) as
expandable variables. It also gives the task's own outcome when it is done, or when the program is
stopped at the exception that is ending it (the ``uncaught`` filter: the task fails once it resumes).
"""
import asyncio

from . import awaits, exceptions, waits

MAX_LISTED = 100


def _coroutine_name(task):
    coro = task.get_coro() if hasattr(task, "get_coro") else None
    if coro is None:
        return None
    return getattr(coro, "__qualname__", None) or type(coro).__name__


def _outcome(future, refs, into):
    """Adds ``result`` / ``exception`` variables of a finished future to ``into``."""
    if not future.done() or future.cancelled():
        return
    error = awaits.peek_exception(future)
    if error is not None:
        variable = refs.variable("exception", error)
        variable["value"] = exceptions.describe(error)
        into["exception"] = variable
    else:
        into["result"] = refs.variable("result", future.result())


def summary(future, registry, refs, running=None):
    """``{id?, name, coroutine?, state, result?, exception?}`` for a task (or a plain future)."""
    if isinstance(future, asyncio.Task):
        entry = {"id": registry.record(future).tid, "name": future.get_name(),
                 "state": awaits.task_state(future, running)}
        coroutine = _coroutine_name(future)
        if coroutine:
            entry["coroutine"] = coroutine
    else:
        state = "pending"
        if future.done():
            state = "cancelled" if future.cancelled() else ("failed" if awaits.peek_exception(future) is not None else "done")
        entry = {"name": type(future).__name__, "state": state}
    _outcome(future, refs, entry)
    return entry


def _awaited_futures(task):
    """The futures ``task`` waits for right now: the task it awaits, gather's children, wait()'s set."""
    waiter = getattr(task, "_fut_waiter", None)
    found = []
    if isinstance(waiter, asyncio.Future):
        children = getattr(waiter, "_children", None)
        if type(waiter).__name__ == "_GatheringFuture" and children is not None:
            found.extend(children)
        elif isinstance(waiter, asyncio.Task):
            found.append(waiter)
    coro = task.get_coro()
    if coro is not None and not found:
        frames, _leaf = awaits.await_chain(coro)
        wait_codes = {code for code, short in waits.known_waits().items() if short == "wait"}
        for frame in frames:
            if frame.f_code in wait_codes:
                pending = frame.f_locals.get("fs")
                if isinstance(pending, (set, frozenset, list, tuple)):
                    found.extend(item for item in pending if isinstance(item, asyncio.Future))
                break
    return found


def task_details(task, tid, registry, refs, stopped=None):
    """The ``taskDetails`` body for a registered task (see docs/runtime-protocol.md)."""
    loop = task.get_loop()
    try:
        running = asyncio.current_task(loop)
    except Exception:
        running = None
    body = {"state": awaits.task_state(task, running)}
    _outcome(task, refs, body)
    if stopped is not None and stopped.thread_id == tid and stopped.exception is not None \
            and stopped.break_mode == "unhandled" \
            and (not task.done() or getattr(stopped, "failed_task", None) is task):
        # (3.8–3.11 stop post mortem, once the task is done: control.on_task_failed.)
        variable = refs.variable("exception", stopped.exception)
        variable["value"] = exceptions.describe(stopped.exception)
        body["exception"] = variable
        body["uncaught"] = True
    children = []
    for ref in registry.refs():
        if ref.creator == tid:
            child = ref()
            if child is not None:
                children.append((ref.tid, child))
    children.sort(key=lambda pair: pair[0])
    body["children"] = [summary(child, registry, refs, running) for _id, child in children[:MAX_LISTED]]
    if len(children) > MAX_LISTED:
        body["childrenTotal"] = len(children)
    awaited = _awaited_futures(task)
    body["awaiting"] = [summary(future, registry, refs, running) for future in awaited[:MAX_LISTED]]
    if len(awaited) > MAX_LISTED:
        body["awaitingTotal"] = len(awaited)
    return body
