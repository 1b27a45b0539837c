"""In-process tests of the task registry, the create_task hook, await chains and wait targets."""
import asyncio
import gc
import sys
import unittest

from coroscope import awaits, inspector, waits
from coroscope.registry import Registry
from coroscope.taskhook import TaskHook
from tests.asyncio314 import RecordingFuture, RecordingTask, add_to_awaited_by, discard_from_awaited_by


async def settle():
    """Let every task run until it blocks (a few loop iterations, no fixed sleep)."""
    for _ in range(10):
        await asyncio.sleep(0)


class WaitTargetTest(unittest.TestCase):
    """The wait target of a suspended task names the primitive it waits on."""

    def setUp(self):
        self.registry = Registry()
        self.hook = TaskHook(self.registry)
        self.hook.install()
        self.addCleanup(self.hook.uninstall)

    def describe(self, task):
        frames, leaf = awaits.await_chain(task.get_coro())
        return waits.wait_target(task, frames, leaf, self.registry)

    def test_wait_targets(self):
        results = {}

        async def main():
            queue = asyncio.Queue()
            full = asyncio.Queue(maxsize=1)
            full.put_nowait(0)
            lock = asyncio.Lock()
            await lock.acquire()
            event = asyncio.Event()
            future = asyncio.get_running_loop().create_future()
            sleeper = asyncio.ensure_future(asyncio.sleep(30))

            async def await_task():
                await sleeper

            async def gathered():
                await asyncio.gather(asyncio.sleep(30), event.wait())

            tasks = {
                "Queue.get": asyncio.ensure_future(queue.get()),
                "Queue.put": asyncio.ensure_future(full.put(1)),
                "Lock.acquire": asyncio.ensure_future(lock.acquire()),
                "Event.wait": asyncio.ensure_future(event.wait()),
                "sleep": sleeper,
                "Task": asyncio.ensure_future(await_task()),
                "gather": asyncio.ensure_future(gathered()),
            }

            async def await_future():
                await future

            tasks["Future"] = asyncio.ensure_future(await_future())
            await settle()
            for expected, task in tasks.items():
                results[expected] = self.describe(task)
            for task in tasks.values():
                task.cancel()
            await asyncio.gather(*tasks.values(), return_exceptions=True)

        asyncio.run(main())
        for expected, (short, label) in results.items():
            self.assertEqual(short, expected, "wait target of %s: %r" % (expected, label))
        self.assertIn("s left", results["sleep"][1])
        self.assertTrue(results["gather"][1].startswith("gather of 2"), results["gather"][1])

    def test_await_chain_innermost_at_await_line(self):
        chain_lines = []

        async def leaf(event):
            await event.wait()

        async def middle(event):
            await leaf(event)

        async def main():
            event = asyncio.Event()
            task = asyncio.ensure_future(middle(event))
            await settle()
            frames, label = inspector.task_stack(task, self.registry)
            chain_lines.extend((frame.f_code.co_name, frame.f_lineno) for frame in frames)
            chain_lines.append(label)
            event.set()
            await task

        asyncio.run(main())
        names = [name for name, _line in chain_lines[:-1]]
        self.assertEqual(names[-2:], ["leaf", "middle"])
        self.assertEqual(names[0], "wait")
        self.assertEqual(chain_lines[-1], "awaiting Event.wait() on event")
        middle_line = [line for name, line in chain_lines[:-1] if name == "middle"][0]
        self.assertEqual(middle_line, middle.__code__.co_firstlineno + 1)

    def test_async_generator_chain(self):
        seen = []

        async def ticks(event):
            while True:
                await event.wait()
                yield 1

        async def consume(event):
            async for _ in ticks(event):
                break

        async def main():
            event = asyncio.Event()
            task = asyncio.ensure_future(consume(event))
            await settle()
            frames, _leaf = awaits.await_chain(task.get_coro())
            seen.extend(frame.f_code.co_name for frame in frames)
            event.set()
            await task

        asyncio.run(main())
        self.assertEqual(seen[:2], ["consume", "ticks"])

    def test_states(self):
        states = {}

        async def fails():
            raise ValueError("x")

        async def main():
            loop = asyncio.get_running_loop()
            pending = asyncio.ensure_future(asyncio.sleep(0))
            states["pending"] = awaits.task_state(pending, None)
            states["running"] = awaits.task_state(asyncio.current_task(), asyncio.current_task())
            failed = asyncio.ensure_future(fails())
            cancelled = asyncio.ensure_future(asyncio.sleep(10))
            await settle()
            cancelled.cancel()
            await asyncio.gather(failed, cancelled, pending, return_exceptions=True)
            states["failed"] = awaits.task_state(failed, None)
            states["cancelled"] = awaits.task_state(cancelled, None)
            states["done"] = awaits.task_state(pending, None)
            del loop

        asyncio.run(main())
        self.assertEqual(states, {"pending": "pending", "running": "running", "failed": "failed",
                                  "cancelled": "cancelled", "done": "done"})


class AwaitedByTest(unittest.TestCase):
    """Which task waits for which: await, gather, shield, wait_for, wait, TaskGroup."""

    def setUp(self):
        self.registry = Registry()

    def edges_after_settle(self, build):
        captured = {}

        async def main():
            event = asyncio.Event()
            waiters, children = build(event)
            await settle()
            live = [task for _ref, task in self.registry.live_tasks()]
            edges = waits.awaited_by(live, self.registry)
            for name, child in children.items():
                captured[name] = [(entry["id"], entry["via"]) for entry in edges.get(id(child), [])]
            captured["ids"] = {name: self.registry.record(task).tid for name, task in waiters.items()}
            labels = {}
            for name, task in waiters.items():
                frames, leaf = awaits.await_chain(task.get_coro())
                labels[name] = waits.wait_target(task, frames, leaf, self.registry)[1]
            captured["labels"] = labels
            for task in list(waiters.values()) + list(children.values()):
                task.cancel()
            await asyncio.gather(*waiters.values(), *children.values(), return_exceptions=True)

        asyncio.run(main())
        return captured

    def test_await_gather_shield_wait_for_wait(self):
        def build(event):
            children = {name: asyncio.ensure_future(event.wait())
                        for name in ("awaited", "gathered", "shielded", "wait_for", "waited")}

            async def await_it():
                await children["awaited"]

            async def gather_it():
                await asyncio.gather(children["gathered"], asyncio.sleep(0))

            async def shield_it():
                await asyncio.shield(children["shielded"])

            async def wait_for_it():
                await asyncio.wait_for(children["wait_for"], 30)

            async def wait_it():
                await asyncio.wait([children["waited"]])

            waiters = {"awaited": asyncio.ensure_future(await_it()),
                       "gathered": asyncio.ensure_future(gather_it()),
                       "shielded": asyncio.ensure_future(shield_it()),
                       "wait_for": asyncio.ensure_future(wait_for_it()),
                       "waited": asyncio.ensure_future(wait_it())}
            return waiters, children

        captured = self.edges_after_settle(build)
        ids = captured["ids"]
        self.assertEqual(captured["awaited"], [(ids["awaited"], "await")])
        self.assertEqual(captured["gathered"], [(ids["gathered"], "gather")])
        self.assertEqual(captured["shielded"], [(ids["shielded"], "shield")])
        self.assertEqual(len(captured["wait_for"]), 1)
        self.assertEqual(captured["wait_for"][0][0], ids["wait_for"])
        self.assertEqual(captured["waited"], [(ids["waited"], "wait")])
        self.assertTrue(captured["labels"]["awaited"].startswith("Task Task-"), captured["labels"])
        self.assertEqual(captured["labels"]["gathered"], "gather of 2 (1 done)")

    @unittest.skipUnless(hasattr(asyncio, "TaskGroup"), "TaskGroup needs Python 3.11")
    def test_task_group(self):
        holder = {}

        def build(event):
            async def group_parent():
                async with asyncio.TaskGroup() as group:
                    holder["child"] = group.create_task(event.wait())

            parent = asyncio.ensure_future(group_parent())
            holder["parent"] = parent
            return {"parent": parent}, {}

        captured = {}

        async def main():
            event = asyncio.Event()
            waiters, _ = build(event)
            await settle()
            live = [task for _ref, task in self.registry.live_tasks()]
            edges = waits.awaited_by(live, self.registry)
            captured["edges"] = edges.get(id(holder["child"]))
            captured["parent"] = self.registry.record(holder["parent"]).tid
            event.set()
            await waiters["parent"]

        asyncio.run(main())
        self.assertIn({"id": captured["parent"], "via": "taskgroup"}, captured["edges"])

    def test_named_targets(self):
        def build(event):
            queue = asyncio.Queue()
            lock = asyncio.Lock()

            async def getter():
                await queue.get()

            async def locker():
                async with lock:
                    await event.wait()

            async def second_locker():
                await asyncio.sleep(0)
                async with lock:
                    pass

            return {"getter": asyncio.ensure_future(getter()), "locker": asyncio.ensure_future(locker()),
                    "second": asyncio.ensure_future(second_locker())}, {}

        labels = self.edges_after_settle(build)["labels"]
        self.assertEqual(labels["getter"], "Queue.get() on queue")
        self.assertEqual(labels["locker"], "Event.wait() on event")
        self.assertEqual(labels["second"], "Lock.acquire() on lock")


class AsyncioRecordTest(unittest.TestCase):
    """Python 3.14's own awaited-by record (``_asyncio_awaited_by``), read where a future carries it.

    No 3.14 here: the futures below keep the record as 3.14's do (tests/asyncio314.py).
    """

    def setUp(self):
        self.registry = Registry()

    def run_edges(self, build):
        captured = {}

        async def main():
            loop = asyncio.get_running_loop()
            event = asyncio.Event()
            named = build(loop, event)
            await settle()
            live = [task for _ref, task in self.registry.live_tasks()]
            edges = waits.awaited_by(live, self.registry)
            captured["ids"] = {name: self.registry.record(task).tid for name, task in named.items()
                               if isinstance(task, asyncio.Task)}
            captured["edges"] = {name: [(edge["id"], edge["via"]) for edge in edges.get(id(task), [])]
                                 for name, task in named.items()}
            event.set()
            for task in named.values():
                task.cancel()
            await asyncio.gather(*named.values(), return_exceptions=True)

        asyncio.run(main())
        return captured

    def test_recorded_parent_without_any_callback_path(self):
        # staggered_race: the parent is recorded as awaiting a child it never awaits, and the child's
        # done-callback leads nowhere near the parent.
        def build(loop, event):
            running = set()
            parent = asyncio.ensure_future(event.wait())
            child = RecordingTask(event.wait(), loop=loop)
            add_to_awaited_by(child, parent)
            running.add(child)
            child.add_done_callback(running.discard)
            return {"parent": parent, "child": child}

        captured = self.run_edges(build)
        self.assertEqual(captured["edges"]["child"], [(captured["ids"]["parent"], "future")])

    def test_recorded_awaiter_is_not_counted_twice(self):
        # A task awaiting a future: 3.14's Task step records it, and the walk finds it too (via "await").
        def build(loop, event):
            child = RecordingTask(event.wait(), loop=loop)
            gathered = RecordingTask(event.wait(), loop=loop)

            async def await_it():
                await child

            async def gather_it():
                await asyncio.gather(gathered)

            waiter = asyncio.ensure_future(await_it())
            gatherer = asyncio.ensure_future(gather_it())
            loop.call_soon(add_to_awaited_by, child, waiter)
            loop.call_soon(add_to_awaited_by, gathered, gatherer)
            return {"child": child, "waiter": waiter, "gathered": gathered, "gatherer": gatherer}

        captured = self.run_edges(build)
        ids = captured["ids"]
        self.assertEqual(captured["edges"]["child"], [(ids["waiter"], "await")])
        self.assertEqual(captured["edges"]["gathered"], [(ids["gatherer"], "gather")])

    def test_recorded_future_awaited_through_and_discarded(self):
        def build(loop, event):
            future = RecordingFuture(loop=loop)
            child = RecordingTask(event.wait(), loop=loop)
            other = asyncio.ensure_future(event.wait())
            add_to_awaited_by(child, other)
            discard_from_awaited_by(child, other)  # an empty record: no edge
            return {"child": child, "other": other, "future": future}

        captured = self.run_edges(build)
        self.assertEqual(captured["edges"]["child"], [])

    def test_no_record_no_edge(self):
        def build(loop, event):
            child = RecordingTask(event.wait(), loop=loop)
            bystander = asyncio.ensure_future(event.wait())
            return {"child": child, "bystander": bystander}

        captured = self.run_edges(build)
        self.assertEqual(captured["edges"]["child"], [])


class RegistryTest(unittest.TestCase):
    """Ids, creation sites, creators, weakness, factory chaining."""

    def setUp(self):
        self.registry = Registry()
        self.hook = TaskHook(self.registry)
        self.hook.install()
        self.addCleanup(self.hook.uninstall)

    def test_creation_site_and_creator(self):
        found = {}

        async def child():
            await asyncio.sleep(0)

        async def main():
            task = asyncio.create_task(child())  # CREATE-SITE
            found["line"] = sys._getframe().f_lineno - 1
            ref = self.registry.record(task)
            found["site"] = ref.site
            found["creator"] = ref.creator
            found["main"] = self.registry.record(asyncio.current_task()).tid
            await task

        asyncio.run(main())
        code, line = found["site"][0], found["site"][1]
        self.assertEqual((code.co_name, line), ("main", found["line"]))
        self.assertEqual(found["creator"], found["main"])

    def test_ids_are_stable_and_unique(self):
        ids = []

        async def main():
            tasks = [asyncio.ensure_future(asyncio.sleep(0)) for _ in range(5)]
            ids.extend(self.registry.record(task).tid for task in tasks)
            ids.extend(self.registry.record(task).tid for task in tasks)
            await asyncio.gather(*tasks)

        asyncio.run(main())
        self.assertEqual(ids[:5], ids[5:])
        self.assertEqual(len(set(ids[:5])), 5)

    def test_registry_does_not_keep_tasks_alive(self):
        async def main():
            task = asyncio.ensure_future(asyncio.sleep(0))
            tid = self.registry.record(task).tid
            await task
            return tid

        tid = asyncio.run(main())
        gc.collect()
        self.assertIsNone(self.registry.task(tid))
        self.assertNotIn(tid, [ref.tid for ref, _task in self.registry.live_tasks()])

    def test_user_task_factory_is_chained(self):
        made = []

        def factory(loop, coro, **kwargs):
            task = asyncio.Task(coro, loop=loop, **kwargs)
            made.append(task)
            return task

        async def main():
            asyncio.get_running_loop().set_task_factory(factory)
            task = asyncio.create_task(asyncio.sleep(0))
            self.assertIs(asyncio.get_running_loop().get_task_factory(), factory)
            self.assertIn(task, made)
            self.assertTrue(self.registry.record(task).site)
            await task

        asyncio.run(main())
        # asyncio.run's own shutdown tasks go through the factory too.
        self.assertGreaterEqual(len(made), 1)

    @unittest.skipUnless(hasattr(asyncio, "eager_task_factory"), "eager tasks need Python 3.12")
    def test_eager_tasks(self):
        seen = {}

        async def child(event):
            await event.wait()

        async def main():
            asyncio.get_running_loop().set_task_factory(asyncio.eager_task_factory)
            event = asyncio.Event()
            task = asyncio.create_task(child(event))
            live = {ref.tid for ref, _task in self.registry.live_tasks()}
            seen["listed"] = self.registry.record(task).tid in live
            seen["target"] = waits.wait_target(task, *awaits.await_chain(task.get_coro()), self.registry)[0]
            event.set()
            await task

        asyncio.run(main())
        self.assertEqual(seen, {"listed": True, "target": "Event.wait"})

    def test_tasks_created_before_hook_are_found(self):
        self.hook.uninstall()
        listed = []

        async def main():
            task = asyncio.ensure_future(asyncio.sleep(10))
            listed.extend(t for _ref, t in self.registry.live_tasks())
            self.assertIn(task, listed)
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)

        asyncio.run(main())

    def test_uninstall_restores_create_task(self):
        from asyncio import base_events
        self.hook.uninstall()
        self.assertNotIn("coroscope", base_events.BaseEventLoop.create_task.__code__.co_filename)


if __name__ == "__main__":
    unittest.main()
