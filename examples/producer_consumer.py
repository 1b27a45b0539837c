"""The seed tutorial's producer/consumer, written for today's asyncio — bug included.

The tutorial says ``main`` "coordinates the execution of the two coroutines", but ``consumer`` loops
forever: after the producer's five items it waits on ``queue.get()`` for good, so ``asyncio.gather``
never finishes and the program never exits. Coroscope shows why: the analyser flags the gather as an
await that can never complete, and the debugger shows the consumer task parked on ``queue.get()``.

Fix: stop the consumer when the producer is done (e.g. put a sentinel, or ``queue.join()`` and cancel
the consumer task).
"""
import asyncio


async def producer(queue):
    for i in range(5):
        await queue.put(i)
        await asyncio.sleep(1)


async def consumer(queue):
    while True:
        item = await queue.get()
        print(f"Consumed: {item}")


async def main():
    queue = asyncio.Queue()
    tasks = [producer(queue), consumer(queue)]
    await asyncio.gather(*tasks)  # never completes: consumer() never returns (CORO201)


if __name__ == "__main__":
    asyncio.run(main())
