# SYNTAX TEST "source.python" "await inside strings, comments, f-string text and docstrings stays text"

def helper():
    """Remember to await the result of create_task(x)."""
#                  ^^^^^ string.quoted.docstring.multi.python
#                  ^^^^^ - keyword.control.suspend-point.await.coroscope
#                                      ^^^^^^^^^^^ - support.function.task-spawn.coroscope
    # we await nothing here, and async for is just words
#      ^^^^^ comment.line.number-sign.python
#      ^^^^^ - keyword.control.suspend-point.await.coroscope
#                            ^^^^^^^^^ - keyword.control.suspend-point
    text = "await me"
#           ^^^^^ string.quoted.single.python
#           ^^^^^ - keyword.control.suspend-point.await.coroscope
    raw = r'async with'
#           ^^^^^^^^^^ - keyword.control.suspend-point
    label = f"await {count} gather(x)"
#             ^^^^^ string.interpolated.python
#             ^^^^^ - keyword.control.suspend-point.await.coroscope
#                    ^^^^^ meta.fstring.python
#                           ^^^^^^ - support.function.task-spawn.coroscope
    block = """
    await this line is inside a string
#   ^^^^^ - keyword.control.suspend-point.await.coroscope
    """
    return text

@decorator(name="await")
#^^^^^^^^^ meta.function.decorator.python
#                ^^^^^ string.quoted.single.python
class TaskGroup(Base):
#     ^^^^^^^^^ entity.name.type.class.python
#     ^^^^^^^^^ - support.function.task-spawn.coroscope
    pass

def gather(x, y=None):
#   ^^^^^^ entity.name.function.python
#   ^^^^^^ - support.function.task-spawn.coroscope
#          ^ variable.parameter.function.language.python
    return x
