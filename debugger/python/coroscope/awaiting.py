"""``await`` in an expression evaluated while the program is stopped.

While stopped, the event loop is frozen: its thread waits in the runtime, so nothing the loop does —
timers, I/O, other tasks' steps, callbacks — can happen until the program continues. An awaited
expression is therefore driven right here, on the runtime's thread, as far as it goes without the loop:

- if it completes without ever suspending (a coroutine that returns without waiting, a future or task
  already done, a queue that has an item, a lock that is free), its value is the result;
- if it suspends — it waits for something only the loop can bring (a future not done yet, a timer,
  I/O, ``sleep(0)``'s turn of the loop) — it cannot complete while stopped, and waiting would hang the
  debugger. It is closed at that point (``GeneratorExit`` at the await, so its cleanup runs: a queue
  getter is withdrawn, a timer cancelled) and the evaluation fails with a message saying what it waited
  for. What it did before that point stays done, as with any evaluated expression.

The awaited code runs with the stopped thread's loop as its running loop (``get_running_loop()``,
``current_task()`` answer as in the stopped task), so asyncio code that looks its loop up works.
"""
from . import aio
from .values import safe_repr


def await_now(coro, loop=None):
    """Drive ``coro`` (the coroutine of an evaluated ``await``) to its end without the event loop.

    Returns its value; raises what it raises, or RuntimeError when it would need the loop to go on.
    """
    asyncio = aio.loaded()
    events = asyncio.events if asyncio is not None else None
    previous = events._get_running_loop() if events is not None else None
    if events is not None and loop is not None and previous is None:
        events._set_running_loop(loop)
    try:
        try:
            waits_for = coro.send(None)
        except StopIteration as stop:
            return stop.value
        # Described before closing: the cleanup may change it (a queue getter is cancelled).
        what = "a turn of the event loop" if waits_for is None else safe_repr(waits_for)
        try:
            coro.close()
        except Exception:
            pass
    finally:
        if events is not None and loop is not None and previous is None:
            events._set_running_loop(None)
    raise RuntimeError("await cannot finish while the program is stopped: it waits for %s, which only the "
                       "paused event loop can bring (the awaited code was closed at that point)" % what)
