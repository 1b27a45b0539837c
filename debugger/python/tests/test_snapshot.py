"""The one-pass snapshot of every task (``snapshot.task_entries``, what ``threads`` answers) against its
reference, ``inspector.task_entry`` per task plus ``waits.awaited_by``: the same entries, field for field,
for every kind of task the shortcuts of the one pass treat differently."""
import asyncio
import threading
import types
import unittest

from coroscope import inspector, snapshot, waits
from coroscope.registry import Registry
from coroscope.suspension import SuspensionClock
from coroscope.taskhook import TaskHook
from tests.asyncio314 import RecordingTask, add_to_awaited_by


async def settle():
    """Let every task run until it blocks (a few loop iterations, no fixed sleep)."""
    for _ in range(10):
        await asyncio.sleep(0)


def reference_entries(registry, clock, failed=None):
    """What ``threads`` answered before the one pass: ``task_entry`` per task, then the edges."""
    live = registry.live_tasks()
    if failed is not None and all(task is not failed for _ref, task in live):
        live.append((registry.record(failed), failed))
    now = clock.now() if clock is not None else None
    edges = waits.awaited_by([task for _ref, task in live], registry)
    entries = []
    seen_loops = {}
    for ref, task in live:
        try:
            entry = inspector.task_entry(ref, task, registry, clock, now, seen_loops)
        except Exception:
            continue
        if edges.get(id(task)):
            entry["awaitedBy"] = edges[id(task)]
        entries.append(entry)
    return entries


class FakeTimer:
    """The suspension clock's time, moved by hand so that both computations see the same instant."""

    def __init__(self):
        self.now = 100.0

    def __call__(self):
        return self.now


class Foreign(asyncio.Future):
    """A task-like object that is no asyncio Task (what a foreign task factory might return)."""

    def get_name(self):
        return "foreign"

    def get_coro(self):
        return None


@types.coroutine
def generator_wait(future):
    """A generator-based coroutine in the middle of an await chain."""
    return (yield from future)


class SnapshotMatchesReferenceTest(unittest.TestCase):
    def setUp(self):
        self.registry = Registry()
        self.hook = TaskHook(self.registry)
        self.timer = FakeTimer()
        self.clock = SuspensionClock(self.registry, self.timer)
        self.hook.install()
        self.addCleanup(self.hook.uninstall)

    def build(self, loop, event, other_loop):
        """Tasks of every kind the one pass tells apart; returns (tasks, cleanups, the failed task)."""
        queue, full = asyncio.Queue(), asyncio.Queue(maxsize=1)
        full.put_nowait(0)
        lock, condition, semaphore = asyncio.Lock(), asyncio.Condition(), asyncio.Semaphore(0)
        future = loop.create_future()
        foreign = Foreign(loop=loop)
        self.registry.record(foreign)
        sleeper = self.sleeper = asyncio.ensure_future(asyncio.sleep(30))
        awaited = asyncio.ensure_future(event.wait())
        unhooked = asyncio.ensure_future(event.wait())

        async def await_it(target):
            await target

        async def gathered():
            await asyncio.gather(asyncio.sleep(30), event.wait(), return_exceptions=True)

        async def shielded():
            await asyncio.shield(asyncio.ensure_future(event.wait()))

        async def timed():
            await asyncio.wait_for(asyncio.ensure_future(event.wait()), 30)

        async def waited():
            await asyncio.wait([asyncio.ensure_future(event.wait())])

        async def conditioned():
            async with condition:
                await condition.wait()

        async def level3():
            await generator_wait(future)

        async def level2():
            await level3()

        async def ticks():
            while True:
                await event.wait()
                yield 1

        async def consume():
            async for _ in ticks():
                break

        async def fails():
            raise ValueError("post mortem")

        tasks = [
            asyncio.ensure_future(queue.get()), asyncio.ensure_future(full.put(1)),
            asyncio.ensure_future(lock.acquire()), asyncio.ensure_future(lock.acquire()),
            asyncio.ensure_future(semaphore.acquire()),
            asyncio.ensure_future(conditioned()), sleeper, awaited, unhooked,
            asyncio.ensure_future(await_it(awaited)), asyncio.ensure_future(await_it(unhooked)),
            asyncio.ensure_future(await_it(foreign)), asyncio.ensure_future(gathered()),
            asyncio.ensure_future(shielded()), asyncio.ensure_future(timed()), asyncio.ensure_future(waited()),
            asyncio.ensure_future(level2()), asyncio.ensure_future(consume()),
            asyncio.ensure_future(await_it(future)),
        ]
        py_task = getattr(asyncio.tasks, "_PyTask", None)
        if py_task is not None:
            tasks.append(py_task(await_it(future), loop=loop))
            # Built directly, so not seen created: first seen by the clock's next look, like a task that
            # waited before the client came (a bound without upper limit, sharing that look's ``since``).
            self.registry.record(tasks[-1])
        if hasattr(asyncio, "TaskGroup"):
            async def grouped():
                async with asyncio.TaskGroup() as group:
                    group.create_task(event.wait())

            tasks.append(asyncio.ensure_future(grouped()))
        if hasattr(asyncio, "eager_task_factory"):
            tasks.append(asyncio.eager_task_factory(loop, event.wait()))
        # 3.14's own record of a waiter, on a task without done-callbacks (tests/asyncio314.py).
        recorded = RecordingTask(event.wait(), loop=loop)
        add_to_awaited_by(recorded, sleeper)
        tasks.append(recorded)
        # A task of a loop in another thread, registered in between this loop's (runs of loop facts),
        # suspended before this returns so that it stays put while both computations look.
        other = asyncio.run_coroutine_threadsafe(self.on_other_loop(), other_loop).result(60)
        self.addCleanup(lambda: asyncio.run_coroutine_threadsafe(self.cancel(other), other_loop).result(60))
        tasks.append(asyncio.ensure_future(asyncio.sleep(30)))
        failed = asyncio.ensure_future(fails())
        return tasks, foreign, future, unhooked, failed

    @staticmethod
    async def cancel(task):
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)

    async def on_other_loop(self):
        sleeper = asyncio.ensure_future(asyncio.sleep(30))
        await asyncio.sleep(0)  # the sleeper's first step runs before this resumes
        return sleeper

    def test_same_entries_as_the_reference(self):
        other_loop = asyncio.new_event_loop()
        # Both loops' clocks frozen: sleep's exact time suspended must not move between computations.
        other_loop.time = lambda: 7000.0
        thread = threading.Thread(target=other_loop.run_forever, daemon=True)
        thread.start()
        self.addCleanup(other_loop.close)
        self.addCleanup(thread.join, 10)
        self.addCleanup(other_loop.call_soon_threadsafe, other_loop.stop)
        results = {}

        async def main():
            loop = asyncio.get_running_loop()
            loop.time = lambda: 5000.0
            event = asyncio.Event()
            self.clock.start()
            tasks, foreign, future, unhooked, failed = self.build(loop, event, other_loop)
            await settle()
            # Awaited directly, with the done-callbacks removed (put back at the end): found through the
            # waiter (a task), or because it is no asyncio Task at all.
            removed = [(target, list(target._callbacks or ())) for target in (unhooked, foreign)]
            for target, callbacks in removed:
                for callback in callbacks:
                    target.remove_done_callback(callback[0] if isinstance(callback, tuple) else callback)
            results["ids"] = {name: self.registry.record(target).tid
                              for name, target in (("unhooked", unhooked), ("foreign", foreign))}
            results["ids"]["sleeper"] = self.registry.record(self.sleeper).tid
            for now in (101.0, 102.5, 104.0):
                self.timer.now = now
                self.clock.sample()
            self.timer.now = 107.25
            # Tasks seen at different looks, one seen twice: shared and distinct (since, after) pairs.
            late = asyncio.ensure_future(event.wait())
            await settle()
            self.clock.sample()
            self.timer.now = 108.0
            results["first"] = snapshot.task_entries(self.registry, self.clock, failed)
            results["reference"] = reference_entries(self.registry, self.clock, failed)
            results["again"] = snapshot.task_entries(self.registry, self.clock, failed)
            results["no clock"] = snapshot.task_entries(self.registry, None)
            results["no clock reference"] = reference_entries(self.registry, None)
            for target, callbacks in removed:
                for callback in callbacks:
                    if isinstance(callback, tuple):
                        target.add_done_callback(callback[0], context=callback[1])
                    else:
                        target.add_done_callback(callback)
            for task in tasks + [late]:
                task.cancel()
            future.cancel()
            foreign.cancel()
            event.set()
            await asyncio.gather(*[t for t in tasks + [late, failed] if isinstance(t, asyncio.Future)],
                                 return_exceptions=True)
            await settle()

        asyncio.run(main())
        first, reference = results["first"], results["reference"]
        self.assertEqual(first, reference)
        self.assertEqual(results["again"], reference)
        self.assertEqual(results["no clock"], results["no clock reference"])
        # The comparison means something only if the shortcuts were exercised.
        targets = {entry.get("waitTarget") for entry in first}
        self.assertTrue({"Queue.get", "Queue.put", "Lock.acquire", "Semaphore.acquire", "Condition.wait",
                         "sleep", "Event.wait", "Task", "gather", "Future"} <= targets, targets)
        vias = {edge["via"] for entry in first for edge in entry.get("awaitedBy", ())}
        # (3.12's wait_for awaits the task inside a timeout: a plain "await" there.)
        self.assertTrue({"await", "gather", "shield", "wait"} <= vias, vias)
        states = {entry["state"] for entry in first}
        self.assertTrue({"suspended", "running", "failed"} <= states, states)
        by_id = {entry["id"]: entry for entry in first}
        by_record = [{"id": results["ids"]["sleeper"], "via": "future"}]
        self.assertEqual(len([entry for entry in first if entry.get("awaitedBy") == by_record]), 1, "3.14 record")
        for name in ("unhooked", "foreign"):
            edges = by_id[results["ids"][name]].get("awaitedBy", ())
            self.assertEqual([edge["via"] for edge in edges], ["await"], name)
        measures = [entry["suspendedFor"] for entry in first if "suspendedFor" in entry]
        self.assertTrue(any("atMost" in measure for measure in measures))
        self.assertTrue(any(measure["atLeast"] == measure.get("atMost") for measure in measures), "sleep exact")
        self.assertGreater(len({(m["atLeast"], m.get("atMost")) for m in measures}), 2)
        self.assertGreater(len({entry.get("loopThreadId") for entry in first}), 1, "two loops")


if __name__ == "__main__":
    unittest.main()
