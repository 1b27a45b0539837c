"""Benchmark workload (issue 5): N live tasks (default 10,000), each suspended on an Event, then a
breakpoint line while they all wait; after that the loop idles so a pause of an idle loop can be timed."""
import asyncio
import sys

COUNT = int(sys.argv[1]) if len(sys.argv) > 1 else 10000


async def waiter(event, index):
    await event.wait()
    return index


async def main():
    event = asyncio.Event()
    tasks = [asyncio.ensure_future(waiter(event, i)) for i in range(COUNT)]
    await asyncio.sleep(0)  # let every task start and suspend on the event
    stop_here = len(tasks)  # BREAKPOINT-STOP
    await asyncio.sleep(60)  # IDLE: the benchmark pauses here, then terminates the session
    event.set()
    await asyncio.gather(*tasks)
    return stop_here


if __name__ == "__main__":
    asyncio.run(main())
