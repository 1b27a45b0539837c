"""The seed tutorial's first coroutine, written for today's asyncio.

The tutorial ran it with ``asyncio.get_event_loop().run_until_complete(...)``; since Python 3.7
``asyncio.run`` creates the loop, runs the coroutine and closes the loop.
"""
import asyncio


async def my_coroutine():
    print("Coroutine started")
    await asyncio.sleep(1)  # suspend point: the event loop runs other tasks for a second
    print("Coroutine resumed")


if __name__ == "__main__":
    asyncio.run(my_coroutine())
