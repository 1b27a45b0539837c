"""How long each task has been suspended, measured without touching the program's hot paths.

asyncio keeps no timestamps, and hooking every task step would cost the program time on every await. The
runtime instead *witnesses* suspensions: a task suspended on a future holds it in ``task._fut_waiter`` until
it resumes, and a task never waits on the same future object twice (a future it resumes from is done). So
if two looks at a task see the very same future object, the task has been suspended on it continuously
since the first look. The looks are taken by the runtime's own thread every 0.5 s while a client is connected
(``SuspensionSampler``) and before every ``threads`` answer; nothing runs while no client is connected.

What a look can say about a suspension first seen at time ``since``:

- it began after the previous look at that task (``after``) and at or before ``since``, so the time
  suspended at ``now`` lies in ``[now - since, now - after]``: ``atLeast`` / ``atMost`` in the protocol;
- when nothing looked at the task before (it already waited when the debugger attached, or it was found in
  asyncio's task sets rather than seen created) only the lower bound is known;
- ``asyncio.sleep`` is exact: its timer's deadline minus its delay is when the task suspended.

Per task the registry keeps three slots (``waiter``: a weak reference to the future last seen,
``since``, ``after``) in its ``TaskRef``; a weak reference is allocated only when a task starts waiting on
a new future while a client is connected.
"""
import threading
import time
import weakref

from .log import log_exception

# A look every 0.5 s bounds ``atMost`` - ``atLeast`` for tasks seen created (``threads`` answers look too).
# Not more often: each look makes the program's thread hand over the GIL, and on a loaded machine getting it
# back can wait for a time slice, so the cost is counted in wake-ups, not in the look's few milliseconds.
BASE_INTERVAL = 0.5
# Looks that cost more than 1/COST_SHARE of the interval (a huge program) are spaced out further, so the
# runtime's thread never takes more than ~2 % of the program's time.
COST_SHARE = 50


class _Strong:
    """Stands in for a weak reference to a waiter that does not support them (a foreign future type)."""

    __slots__ = ("target",)

    def __init__(self, target):
        self.target = target

    def __call__(self):
        return self.target


def _reference(waiter):
    try:
        return weakref.ref(waiter)
    except TypeError:
        return _Strong(waiter)


class SuspensionClock:
    """Witnesses each registered task's ``_fut_waiter`` and answers since when it has been suspended."""

    def __init__(self, registry, timer=time.monotonic):
        self._registry = registry
        self._timer = timer
        self._lock = threading.Lock()
        self._last = None

    def now(self):
        """The clock's current time (``time.monotonic`` unless a test gave another timer)."""
        return self._timer()

    def start(self):
        """A client connected: forget what earlier sessions saw (nothing watched in between)."""
        with self._lock:
            for ref in self._registry.refs():
                ref.waiter = None
                ref.since = None
                ref.after = None
            self._last = self._timer()

    def stop(self):
        """The client left: drop the witnesses, so no future is referenced and no stale bound survives."""
        with self._lock:
            self._last = None
            for ref in self._registry.refs():
                ref.waiter = None
                ref.since = None
                ref.after = None

    def sample(self):
        """One look at every registered task. Cheap: one attribute read and one identity test per task.

        The program may run while a long look is under way (the GIL switches), so a suspension first seen
        during this look is dated at its *end* (it began no later) and the next look's ``after`` is this
        look's *start* (whatever it saw of a task, it saw after that).
        """
        with self._lock:
            previous = self._last
            if previous is None:
                return
            started = self._timer()
            fresh = []
            for ref in self._registry.refs():
                task = ref()
                if task is None:
                    continue
                waiter = getattr(task, "_fut_waiter", None)
                seen = ref.waiter
                if waiter is None:
                    if seen is not None:
                        ref.waiter = None
                    # Looked at and not waiting on a future: a later suspension began after this look.
                    ref.since = 0.0
                    continue
                if seen is not None and seen() is waiter:
                    continue
                # A suspension on a future not seen before. Tasks seen created (``since`` = 0.0, set by
                # the registry's create_task hook) or looked at before began it after the previous look.
                ref.after = previous if ref.since is not None else None
                ref.waiter = _reference(waiter)
                fresh.append(ref)
            ended = self._timer()
            for ref in fresh:
                ref.since = ended
            self._last = started

    def pin(self, ref, task, began):
        """Record that ``task`` began its current wait exactly at ``began`` (clock time), if witnessed."""
        with self._lock:
            waiter = getattr(task, "_fut_waiter", None)
            seen = ref.waiter
            if waiter is not None and seen is not None and seen() is waiter:
                ref.since = ref.after = began

    def suspended_for(self, ref, task, now=None):
        """``{"atLeast": s, "atMost": s}`` (``atMost`` only when known) for a task suspended on a future.

        None when the task waits on no future or was not looked at since it began waiting on it.
        """
        waiter = getattr(task, "_fut_waiter", None)
        seen = ref.waiter
        if waiter is None or seen is None or seen() is not waiter or not ref.since:
            return None
        return self.measure(self._timer() if now is None else now, ref.since, ref.after)

    @staticmethod
    def measure(now, since, after):
        """``suspendedFor`` at ``now`` of a suspension first seen at ``since`` and begun after ``after``.

        A function of the three times alone, so a snapshot computes it once for all the suspensions one
        look witnessed (they share ``since`` and ``after``).
        """
        # The sampler thread may date a look just after ``now`` was read: never report a negative time.
        result = {"atLeast": round(max(0.0, now - since), 3)}
        if after is not None:
            result["atMost"] = round(max(0.0, now - after), 3)
        return result


def sleep_suspended_for(sleep_frame):
    """Exact seconds a task has been suspended in ``asyncio.sleep`` (its frame), or None.

    ``sleep`` arms its timer for ``loop.time() + delay`` right before suspending, so the timer's deadline
    minus the delay is the moment it suspended, on the loop's own clock.
    """
    try:
        local_vars = sleep_frame.f_locals
        delay = local_vars.get("delay")
        handle = local_vars.get("h")
        if handle is None or not isinstance(delay, (int, float)) or delay <= 0:
            return None
        elapsed = handle._loop.time() - (handle.when() - delay)
        return round(max(0.0, elapsed), 3)
    except Exception:
        return None


class SuspensionSampler:
    """The runtime's thread that looks at every task while a client is connected."""

    def __init__(self, clock):
        self._clock = clock
        self._stop = threading.Event()

    def run(self):
        """Look, then wait BASE_INTERVAL (longer for huge programs), until ``stop``."""
        while not self._stop.is_set():
            started = time.perf_counter()
            try:
                self._clock.sample()
            except Exception:
                log_exception("sampling suspensions")
            cost = time.perf_counter() - started
            self._stop.wait(max(BASE_INTERVAL, cost * COST_SHARE))

    def stop(self):
        """Ends ``run`` at its next wake-up (it holds no lock while waiting)."""
        self._stop.set()
