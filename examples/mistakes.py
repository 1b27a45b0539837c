"""Deliberate asyncio mistakes, one per Coroscope rule, to see the diagnostics in the editor or with
``coroscope check examples/mistakes.py``. Each mistake carries an ``expect: CODE`` comment.

Not meant to run: ``await`` outside ``async def`` is a SyntaxError, so Python refuses the whole file.
"""
import asyncio
import time


async def fetch(url):
    await asyncio.sleep(0.1)
    return f"<html from {url}>"


def sync_report():
    page = await fetch("https://example.invalid/")  # expect: CORO100 (await in a plain def)
    return page


def sync_iterate(stream):
    async for chunk in stream:  # expect: CORO100 (async for in a plain def)
        print(chunk)


async def relay(source):
    yield from source  # expect: CORO101 (yield from in async def)


async def numbers():
    yield 1
    return 2  # expect: CORO102 (return with a value in an async generator)


async def forgets_to_await():
    fetch("https://example.invalid/")  # expect: CORO110 (coroutine never awaited)


async def drops_the_task():
    asyncio.create_task(fetch("https://example.invalid/"))  # expect: CORO120 (task dropped)


async def blocks_the_loop():
    time.sleep(1)  # expect: CORO300 (time.sleep in async def)


async def unreachable():
    return await fetch("https://example.invalid/a")
    await fetch("https://example.invalid/b")  # expect: CORO200 (unreachable await after return)


async def starts_a_loop_inside_a_loop():
    asyncio.run(fetch("https://example.invalid/"))  # expect: CORO130 (event loop started in a coroutine)


loop = asyncio.get_event_loop()
loop.run_until_complete(forgets_to_await())  # expect: CORO131 (legacy loop boilerplate)
