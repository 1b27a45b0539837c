# SYNTAX TEST "source.python" "suspend points: await, async for, async with"

async def main():
    await asyncio.sleep(1)
#   ^^^^^ keyword.control.flow.python keyword.control.suspend-point.await.coroscope
#         ^^^^^^^ - keyword.control.suspend-point.await.coroscope
    result = await fetch(url)
#            ^^^^^ keyword.control.suspend-point.await.coroscope
    async for item in stream():
#   ^^^^^ keyword.control.flow.python keyword.control.suspend-point.async.coroscope
#         ^^^ keyword.control.flow.python keyword.control.suspend-point.async-for.coroscope
#                  ^^ keyword.control.flow.python
#                  ^^ - keyword.control.suspend-point
        pass
    async with lock:
#   ^^^^^ keyword.control.suspend-point.async.coroscope
#         ^^^^ keyword.control.flow.python keyword.control.suspend-point.async-with.coroscope
        pass
    values = [x async for x in agen() if await ok(x)]
#               ^^^^^ keyword.control.suspend-point.async.coroscope
#                     ^^^ keyword.control.suspend-point.async-for.coroscope
#                           ^^ keyword.control.flow.python
#                                        ^^^^^ keyword.control.suspend-point.await.coroscope

# Plain loops, context managers and async def are not suspend points.
async def plain():
# <----- storage.type.function.async.python
# <----- - keyword.control.suspend-point
    for i in range(3):
#   ^^^ keyword.control.flow.python
#   ^^^ - keyword.control.suspend-point
        with open(i) as f:
#       ^^^^ - keyword.control.suspend-point
            obj.await_result()
#               ^^^^^^^^^^^^ - keyword.control.suspend-point
