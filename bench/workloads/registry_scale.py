"""Benchmark (issue 4, scale goals), run by bench/scale.mjs: the task registry with 10,000 live tasks, measured
inside the runtime (no socket, no adapter), as a session sees them.

Tasks (created while the runtime's create_task hook is installed, as in a session): a quarter wait in
``Queue.get``, a quarter in ``Event.wait`` three coroutines deep, a quarter in ``sleep``, and the rest are
parents each awaiting a ``gather`` of one sleeping child. Prints one JSON line:

- ``snapshotMs``: median CPU time (``…WallMs``: wall clock) of what the ``threads`` request computes (suspension look, OS threads, every
  task's entry with wait target and awaited-by edges), and ``snapshotJsonMs`` with its JSON encoding;
- ``chainMs``: median time of one task's await chain (``stackTrace``'s runtime work: chain, wait target label)
  for a task three coroutines deep;
- ``sampleMs``: one look of the suspension clock at every task;
- with ``--memory``: ``bytesPerTask``, what the registry allocates per task (tracemalloc, allocations made
  by the coroscope package only), and ``sessionBytesPerTask`` once a client is connected and the suspension
  clock has looked at every task.
"""
import asyncio
import json
import os
import statistics
import sys
import time
import tracemalloc

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "debugger", "python"))

from coroscope import inspector, os_threads, snapshot as task_snapshot  # noqa: E402
from coroscope.registry import Registry  # noqa: E402
from coroscope.suspension import SuspensionClock  # noqa: E402
from coroscope.taskhook import TaskHook  # noqa: E402

COUNT = 10000
REPEATS = 7


async def level3(event):
    await event.wait()


async def level2(event):
    await level3(event)


async def deep(event):
    await level2(event)


async def getter(queue):
    return await queue.get()


async def parent():
    await asyncio.gather(asyncio.sleep(3600))


def timed(function):
    """Median CPU time of the calling thread in ms: on a shared, loaded machine wall time mostly measures
    the wait for a core (the wall-clock median is printed by bench/scale.mjs next to it)."""
    cpu = []
    wall = []
    for _ in range(REPEATS):
        started, started_cpu = time.perf_counter(), time.thread_time()
        function()
        cpu.append((time.thread_time() - started_cpu) * 1000)
        wall.append((time.perf_counter() - started) * 1000)
    WALL[function] = round(statistics.median(wall), 2)
    return round(statistics.median(cpu), 2)


WALL = {}


async def spawn(count):
    queue = asyncio.Queue()
    event = asyncio.Event()
    quarter = count // 4
    tasks = [asyncio.ensure_future(getter(queue)) for _ in range(quarter)]
    tasks += [asyncio.ensure_future(deep(event)) for _ in range(quarter)]
    tasks += [asyncio.ensure_future(asyncio.sleep(3600)) for _ in range(quarter)]
    # Each parent adds its gathered child: (count - 3 quarters) / 2 parents make the total `count`.
    tasks += [asyncio.ensure_future(parent()) for _ in range((count - 3 * quarter) // 2)]
    for _ in range(5):
        await asyncio.sleep(0)
    return tasks


async def measure(memory):
    registry = Registry()
    hook = TaskHook(registry)
    clock = SuspensionClock(registry)
    result = {"python": "%d.%d.%d" % sys.version_info[:3]}
    if memory:
        tracemalloc.start()
    hook.install()
    tasks = await spawn(COUNT)
    live = registry.live_tasks()
    result["tasks"] = len(live)
    if memory:
        mine = [tracemalloc.Filter(True, "*" + os.sep + "coroscope" + os.sep + "*")]
        registered = tracemalloc.take_snapshot().filter_traces(mine)
        result["bytesPerTask"] = round(sum(stat.size for stat in registered.statistics("filename")) / len(live))
        clock.start()
        clock.sample()
        clock.sample()
        session = tracemalloc.take_snapshot().filter_traces(mine)
        result["sessionBytesPerTask"] = round(sum(stat.size for stat in session.statistics("filename")) / len(live))
        tracemalloc.stop()
    else:
        clock.start()

        def snapshot():
            clock.sample()
            entries = os_threads.thread_entries(registry, set()) + task_snapshot.task_entries(registry, clock)
            entries.sort(key=lambda entry: entry["id"])
            return entries

        encoded = lambda: json.dumps({"threads": snapshot()})  # noqa: E731
        target = next(task for _ref, task in live if getattr(task.get_coro(), "__name__", "") == "deep")
        chain = lambda: inspector.task_stack(target, registry)  # noqa: E731
        for name, function in (("snapshot", snapshot), ("snapshotJson", encoded), ("sample", clock.sample),
                               ("chain", chain)):
            result[name + "Ms"] = timed(function)
            result[name + "WallMs"] = WALL[function]
        result["chainDepth"] = len(inspector.task_stack(target, registry)[0])
    hook.uninstall()
    clock.stop()
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    return result


if __name__ == "__main__":
    print(json.dumps(asyncio.run(measure("--memory" in sys.argv))))
