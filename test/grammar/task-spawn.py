# SYNTAX TEST "source.python" "task-spawning calls keep the function-call scopes of the Python grammar"

async def main():
    task = asyncio.create_task(work(1), name="worker")
#                  ^^^^^^^^^^^ meta.function-call.python meta.function-call.generic.python support.function.task-spawn.coroscope
#                             ^ punctuation.definition.arguments.begin.python
#                              ^^^^ meta.function-call.arguments.python meta.function-call.generic.python
#                              ^^^^ - support.function.task-spawn.coroscope
#                                       ^^^^ variable.parameter.function-call.python
#                                                    ^ punctuation.definition.arguments.end.python
    results = await asyncio.gather(*tasks, return_exceptions=True)
#                   ^^^^^^^ - support.function.task-spawn.coroscope
#                           ^^^^^^ support.function.task-spawn.coroscope
#                                  ^ keyword.operator.unpacking.arguments.python
#                                          ^^^^^^^^^^^^^^^^^ variable.parameter.function-call.python
#                                                            ^^^^ constant.language.python
    future = asyncio.ensure_future(asyncio.create_task(job()))
#                    ^^^^^^^^^^^^^ support.function.task-spawn.coroscope
#                                          ^^^^^^^^^^^ meta.function-call.arguments.python support.function.task-spawn.coroscope
    async with asyncio.TaskGroup() as tg:
#                      ^^^^^^^^^ support.function.task-spawn.coroscope
#                                  ^^ keyword.control.flow.python
        tg.create_task(child())
#          ^^^^^^^^^^^ support.function.task-spawn.coroscope
    loop.create_task (later())
#        ^^^^^^^^^^^ support.function.task-spawn.coroscope
    gather_all = collect(gathered)
#   ^^^^^^^^^^ - support.function.task-spawn.coroscope
#                        ^^^^^^^^ - support.function.task-spawn.coroscope
    handler = asyncio.gather
#                     ^^^^^^ - support.function.task-spawn.coroscope
