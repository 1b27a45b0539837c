"""Benchmark workload (issue 4): 200 tasks chained by queues pass 5,000 messages down the chain.

Every message crosses every link, so the program is almost nothing but awaits and task switches: the
worst case for a debugger that traces. It prints one line, `elapsed <seconds>`, measured around the
event loop only, so interpreter and debugger start-up are measured separately.
A line far from the hot path (`never_runs`) is where the benchmarks put their "never hit" breakpoints.
"""
import asyncio
import sys
import time

TASKS = int(sys.argv[1]) if len(sys.argv) > 1 else 200
MESSAGES = int(sys.argv[2]) if len(sys.argv) > 2 else 5000


async def never_runs(queue):
    await queue.get()  # BREAKPOINT-NEVER-RUNS (line and suspend breakpoints go here)
    return None


async def link(inbox, outbox):
    while True:
        item = await inbox.get()
        await outbox.put(item)
        if item is None:
            return


async def main():
    queues = [asyncio.Queue(maxsize=16) for _ in range(TASKS + 1)]
    links = [asyncio.ensure_future(link(queues[i], queues[i + 1])) for i in range(TASKS)]
    received = 0

    async def feed():
        for i in range(MESSAGES):
            await queues[0].put(i)
        await queues[0].put(None)

    feeder = asyncio.ensure_future(feed())
    while True:
        item = await queues[-1].get()
        if item is None:
            break
        received += 1
    await feeder
    await asyncio.gather(*links)
    if TASKS < 0:
        await never_runs(queues[0])
    assert received == MESSAGES, received


if __name__ == "__main__":
    t0 = time.perf_counter()
    asyncio.run(main())
    print("elapsed %.6f" % (time.perf_counter() - t0))
