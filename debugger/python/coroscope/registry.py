"""Stable thread ids for asyncio Tasks and OS threads, from one counter, holding tasks only weakly.

A task is registered either when it is created (through the ``create_task`` hook, which also records
where and by which task it was created) or the first time the runtime sees it in asyncio's own task
sets (tasks created before the debugger attached).
"""
import sys
import threading
import time
import weakref

from . import aio, loops, paths


class TaskRef(weakref.ref):
    """The registry's record of a task: a weak reference carrying the task's id and creation facts.

    Keeping the record inside the weak reference itself keeps the per-task cost to one small object, and
    lets a task's record be found from the task through ``weakref.getweakrefs`` without a second table.
    ``waiter``, ``since`` and ``after`` belong to the suspension clock (suspension.py).
    """

    __slots__ = ("tid", "site", "creator", "waiter", "since", "after")


def _snapshot(collection):
    """Copy a set/WeakSet that other threads may be changing (asyncio itself retries the same way)."""
    for _ in range(100):
        try:
            return list(collection)
        except RuntimeError:
            continue
    return []


def all_task_objects():
    """Every task asyncio knows of, on every loop (uses asyncio's module-level task sets); none before the
    program imports asyncio."""
    asyncio = aio.loaded()
    if asyncio is None:
        return []
    tasks_module = asyncio.tasks
    found = []
    for name in ("_scheduled_tasks", "_all_tasks", "_eager_tasks"):
        collection = getattr(tasks_module, name, None)
        if collection is not None:
            found.extend(_snapshot(collection))
    return found


class Registry:
    """Ids for tasks and threads (one counter, never reused in the process) and creation records."""

    def __init__(self):
        self._lock = threading.Lock()
        self._next_id = 1
        self._by_tid = {}
        # Creation sites shared between the tasks created at the same place (most programs have few).
        self._sites = {}
        self._threads = {}
        self.loops = weakref.WeakSet()
        self._discovered = float("-inf")
        self._on_dead = self._forget
        # Called (in the loop's thread, from create_task) the first time a loop is seen.
        self.on_new_loop = None
        # Called with each task created (in its loop's thread), when a tracer needs to watch tasks.
        self.on_task = None

    def _new_id(self):
        with self._lock:
            tid = self._next_id
            self._next_id += 1
        return tid

    def _forget(self, ref):
        # Weak-reference callback: the task is gone, drop its record.
        self._by_tid.pop(ref.tid, None)

    def find(self, task):
        """The TaskRef of ``task`` if it is registered, else None."""
        try:
            references = weakref.getweakrefs(task)
        except TypeError:
            return None
        # Tests run several registries in one process: each knows its records by their callback.
        for ref in references:
            if type(ref) is TaskRef and ref.__callback__ is self._on_dead:
                return ref
        return None

    def record(self, task):
        """The TaskRef of ``task``, registering it if this is the first time it is seen."""
        ref = self.find(task)
        if ref is not None:
            return ref
        ref = TaskRef(task, self._on_dead)
        ref.tid = self._new_id()
        ref.site = ()
        ref.creator = 0
        ref.waiter = ref.since = ref.after = None
        self._by_tid[ref.tid] = ref
        try:
            self.loops.add(task.get_loop())
        except Exception:
            pass
        return ref

    def on_created(self, task, loop, frame):
        """Called by the create_task hook: register ``task`` with its creation site and creator."""
        if loop not in self.loops and self.on_new_loop is not None:
            self.loops.add(loop)
            self.on_new_loop(loop)
        ref = self.record(task)
        site = paths.creation_site(frame)
        # Keyed by the code objects' identities: hashing a code object hashes its whole bytecode.
        key = site[1::2] + tuple(map(id, site[0::2]))
        if len(self._sites) > 10000:
            self._sites.clear()  # a program with very many creation sites: stop sharing, stay bounded
        ref.site = self._sites.setdefault(key, site)
        # Seen created: whatever it waits on later, it began waiting after the clock's previous look.
        if ref.since is None:
            ref.since = 0.0
        try:
            creator = aio.current_task(loop)
        except Exception:
            creator = None
        if creator is not None and creator is not task:
            ref.creator = self.record(creator).tid
        if self.on_task is not None:
            self.on_task(task)
        return ref

    def task(self, tid):
        """The live task with id ``tid``, or None."""
        ref = self._by_tid.get(tid)
        return ref() if ref is not None else None

    def refs(self):
        """Every TaskRef registered (some may be dead or finished), in no particular order."""
        return list(self._by_tid.values())

    def live_tasks(self):
        """(ref, task) for every task not yet finished, sorted by id; discovers unregistered tasks."""
        for task in all_task_objects():
            self.record(task)
        result = []
        for ref in list(self._by_tid.values()):
            task = ref()
            if task is None:
                continue
            try:
                if task.done():
                    continue
            except Exception:
                continue
            result.append((ref, task))
        result.sort(key=lambda pair: pair[0].tid)
        return result

    def thread_id(self, ident):
        """The id of the OS thread ``ident``; a thread object that replaced a dead one gets a new id."""
        current = threading._active.get(ident)
        entry = self._threads.get(ident)
        if entry is not None and entry[1] is current:
            return entry[0]
        tid = self._new_id()
        self._threads[ident] = (tid, current)
        return tid

    def thread_ident(self, tid):
        """The OS thread ident for a thread id, or None."""
        for ident, (known, _thread) in list(self._threads.items()):
            if known == tid:
                return ident
        return None

    def discover_loops(self, max_age=0.0):
        """Learn the loops of tasks created before the runtime attached (from asyncio's task sets).

        ``max_age``: skip the walk if one ran that many seconds ago or less. Pauses and stops pass 1 s: with
        10,000 tasks the walk was most of a pause's latency, and loops of tasks created through
        ``create_task`` are learned by the hook at once anyway.
        """
        now = time.monotonic()
        if max_age and now - self._discovered < max_age:
            return
        self._discovered = now
        found = set()
        for task in all_task_objects():
            try:
                found.add(task.get_loop())
            except Exception:
                pass
        # WeakSet.add makes a weak reference each time: once per loop, not once per task.
        for loop in found:
            if loop not in self.loops:
                self.loops.add(loop)

    def loop_thread_idents(self):
        """Idents of the threads currently running an event loop that has tasks."""
        idents = set()
        for loop in _snapshot(self.loops):
            ident = loops.thread_ident(loop)
            if ident is not None:
                idents.add(ident)
        return idents

    def prune_threads(self):
        """Forget threads that ended, so a reused ident gets a fresh id."""
        alive = sys._current_frames()
        for ident in list(self._threads):
            if ident not in alive:
                self._threads.pop(ident, None)
