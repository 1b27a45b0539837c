"""In-process tests of the suspension clock (time suspended) and of task outcomes (taskDetails)."""
import asyncio
import gc
import unittest

from coroscope import inspector, outcomes, values
from coroscope.registry import Registry
from coroscope.suspension import SuspensionClock
from coroscope.taskhook import TaskHook


async def settle():
    """Let every task run until it blocks (a few loop iterations, no fixed sleep)."""
    for _ in range(10):
        await asyncio.sleep(0)


async def wait_on(future):
    """A coroutine suspended on ``future`` (``ensure_future(future)`` would return the future itself)."""
    return await future


class FakeTimer:
    """A clock the test moves by hand, so bounds can be checked exactly."""

    def __init__(self):
        self.now = 100.0

    def __call__(self):
        return self.now


class SuspensionClockTest(unittest.TestCase):
    def setUp(self):
        self.registry = Registry()
        self.hook = TaskHook(self.registry)
        self.timer = FakeTimer()
        self.clock = SuspensionClock(self.registry, self.timer)

    def entry(self, task):
        return inspector.task_entry(self.registry.record(task), task, self.registry, self.clock, self.timer())

    def test_bounds_follow_the_looks_at_the_same_future(self):
        seen = {}

        async def main():
            loop = asyncio.get_running_loop()
            gate = loop.create_future()
            early = asyncio.ensure_future(wait_on(gate))  # created before the client connected: found, not seen created
            self.clock.start()  # a client connects at t=100
            self.hook.install()
            try:
                first = loop.create_future()
                second = loop.create_future()

                async def worker():
                    await first
                    await second

                task = asyncio.ensure_future(worker())
                self.timer.now = 101.0
                await settle()  # worker suspends on `first` between t=100 and t=102
                self.timer.now = 102.0
                self.clock.sample()
                self.timer.now = 105.0
                self.clock.sample()  # same future: still suspended since the look at t=102
                seen["first"] = self.entry(task)["suspendedFor"]
                first.set_result(None)
                await settle()  # resumed, now on `second`
                self.timer.now = 106.0
                self.clock.sample()
                self.timer.now = 107.0
                seen["second"] = self.entry(task)["suspendedFor"]
                seen["early"] = self.entry(early).get("suspendedFor")
                self.clock.sample()
                seen["early_after_look"] = self.entry(early).get("suspendedFor")
                second.set_result(None)
                gate.set_result(None)
                await task
            finally:
                self.hook.uninstall()
                self.clock.stop()

        asyncio.run(main())
        # First seen at t=102, the previous look at t=100 had seen it created and not waiting.
        self.assertEqual(seen["first"], {"atLeast": 3.0, "atMost": 5.0})
        # The new future was first seen at t=106; the look before (t=105) saw the old one.
        self.assertEqual(seen["second"], {"atLeast": 1.0, "atMost": 2.0})
        # A task nobody looked at since it began waiting has no measure...
        self.assertIsNone(seen["early"])
        # ...and once looked at, only a lower bound: it was already waiting when the client connected.
        self.assertEqual(seen["early_after_look"], {"atLeast": 0.0})

    def test_nothing_is_witnessed_without_a_client(self):
        async def main():
            future = asyncio.get_running_loop().create_future()
            task = asyncio.ensure_future(wait_on(future))
            await settle()
            self.clock.sample()  # not started: no look, no reference to the future kept
            ref = self.registry.record(task)
            result = (ref.waiter, self.clock.suspended_for(ref, task))
            future.set_result(None)
            await task
            return result

        self.assertEqual(asyncio.run(main()), (None, None))

    def test_stop_drops_every_witness(self):
        async def main():
            future = asyncio.get_running_loop().create_future()
            self.clock.start()
            task = asyncio.ensure_future(wait_on(future))
            await settle()
            ref = self.registry.record(task)
            self.clock.sample()
            witnessed = ref.waiter is not None
            self.clock.stop()
            future.set_result(None)
            await task
            return witnessed, ref.waiter

        self.assertEqual(asyncio.run(main()), (True, None))

    def test_sleep_is_exact_on_the_loop_clock(self):
        async def main():
            self.clock.start()
            task = asyncio.ensure_future(asyncio.sleep(30))
            await settle()
            loop = asyncio.get_running_loop()
            began = loop.time()
            await asyncio.sleep(0.05)
            measured = self.entry(task)["suspendedFor"]
            elapsed = loop.time() - began
            task.cancel()
            return measured, elapsed

        measured, elapsed = asyncio.run(main())
        self.assertEqual(measured["atLeast"], measured["atMost"])
        self.assertGreaterEqual(measured["atLeast"], round(elapsed, 3) - 0.001)


class TaskDetailsTest(unittest.TestCase):
    def setUp(self):
        self.registry = Registry()
        self.hook = TaskHook(self.registry)
        self.hook.install()
        self.addCleanup(self.hook.uninstall)
        self.refs = values.References()

    def test_children_and_gathered_tasks_with_their_outcomes(self):
        details = {}

        async def ok():
            return {"answer": 42}

        async def boom():
            raise ValueError("boom")

        async def forever():
            await asyncio.get_running_loop().create_future()

        async def waits_long():
            await asyncio.get_running_loop().create_future()

        async def parent(ready):
            done = asyncio.ensure_future(ok())
            failed = asyncio.ensure_future(boom())
            cancelled = asyncio.ensure_future(forever())
            await settle()
            cancelled.cancel()
            await settle()
            pending = asyncio.ensure_future(waits_long())
            gathered = asyncio.gather(done, pending, return_exceptions=True)
            ready.set()
            await gathered

        async def main():
            ready = asyncio.Event()
            task = asyncio.ensure_future(parent(ready))
            await ready.wait()
            await settle()
            tid = self.registry.record(task).tid
            details.update(outcomes.task_details(task, tid, self.registry, self.refs))
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)
            await settle()

        asyncio.run(main())
        self.assertEqual(details["state"], "suspended")
        by_name = {child["coroutine"].rsplit(".", 1)[-1]: child for child in details["children"]}
        self.assertEqual(by_name["ok"]["state"], "done")
        self.assertEqual(by_name["ok"]["result"]["value"], "{'answer': 42}")
        self.assertGreater(by_name["ok"]["result"]["variablesReference"], 0, "a result is expandable")
        self.assertEqual(by_name["boom"]["state"], "failed")
        self.assertEqual(by_name["boom"]["exception"]["value"], "ValueError: boom")
        self.assertEqual(by_name["forever"]["state"], "cancelled")
        self.assertNotIn("result", by_name["forever"])
        awaited = [(entry.get("coroutine", "").rsplit(".", 1)[-1], entry["state"]) for entry in details["awaiting"]]
        self.assertEqual(awaited, [("ok", "done"), ("waits_long", "suspended")])
        self.assertEqual(details["awaiting"][0]["result"]["value"], "{'answer': 42}")

    def test_a_task_awaiting_one_task_and_a_finished_task(self):
        details = {}

        async def child():
            await asyncio.get_running_loop().create_future()

        async def parent(target):
            await target

        async def main():
            target = asyncio.ensure_future(child())
            task = asyncio.ensure_future(parent(target))
            finished = asyncio.ensure_future(asyncio.sleep(0, result="fine"))
            await settle()
            registry = self.registry
            details["awaiting"] = outcomes.task_details(task, registry.record(task).tid, registry, self.refs)["awaiting"]
            details["finished"] = outcomes.task_details(finished, registry.record(finished).tid, registry, self.refs)
            target.cancel()
            await asyncio.gather(task, return_exceptions=True)

        asyncio.run(main())
        self.assertEqual([entry["coroutine"].rsplit(".", 1)[-1] for entry in details["awaiting"]], ["child"])
        self.assertEqual(details["finished"]["state"], "done")
        self.assertEqual(details["finished"]["result"]["value"], "'fine'")

    def test_looking_at_a_failed_task_leaves_it_never_retrieved(self):
        reports = []

        async def boom():
            raise ValueError("nobody awaits me")

        async def main():
            loop = asyncio.get_running_loop()
            loop.set_exception_handler(lambda _loop, context: reports.append(context["message"]))
            task = asyncio.ensure_future(boom())
            await settle()
            details = outcomes.task_details(task, self.registry.record(task).tid, self.registry, self.refs)
            self.assertEqual((details["state"], details["exception"]["value"]), ("failed", "ValueError: nobody awaits me"))
            self.assertEqual(outcomes.summary(task, self.registry, self.refs)["state"], "failed")
            del task, details
            gc.collect()  # the task's finalizer is what reports an exception nobody retrieved

        asyncio.run(main())
        self.assertEqual(reports, ["Task exception was never retrieved"])


if __name__ == "__main__":
    unittest.main()
