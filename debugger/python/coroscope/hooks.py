"""The calls that recompiled code makes at breakpoint lines (see ``rewrite.py``), installed as builtins.

Builtins, because the hooked code finds them with an ordinary global lookup and no module namespace of
the program is touched. They stay installed (inert) after the session ends: a frame still running hooked
code when the breakpoints go away must not meet a NameError. With no handler they cost one call and do
nothing else.
"""
import builtins
import sys
import types

# The names recompiled code calls (``rewrite.py`` writes them, these functions answer them). Defined here
# so that loading the hooks never loads the rewriter (and ``ast``) before a breakpoint needs it.
LINE_HOOK = "__coroscope_line__"
AWAIT_HOOK = "__coroscope_await__"

_CO_ITERABLE_COROUTINE = 0x100

# The object told about hooks (the backend), or None when no session wants them.
_handler = None


def set_handler(handler):
    """Route hook calls to ``handler`` (``on_line_hook``, ``on_await_suspend``, ``on_await_resume``)."""
    global _handler
    _handler = handler
    if getattr(builtins, LINE_HOOK, None) is not line_hook:
        setattr(builtins, LINE_HOOK, line_hook)
        setattr(builtins, AWAIT_HOOK, AwaitHook)


def line_hook():
    """Inserted before the statement at a line breakpoint: the caller's frame is at that line."""
    handler = _handler
    if handler is not None:
        handler.on_line_hook(sys._getframe(1))


def _await_iterator(awaitable):
    """The iterator ``await awaitable`` would drive, with the interpreter's error for a non-awaitable."""
    if isinstance(awaitable, types.CoroutineType):
        return awaitable
    if isinstance(awaitable, types.GeneratorType) and awaitable.gi_code.co_flags & _CO_ITERABLE_COROUTINE:
        return awaitable
    method = getattr(type(awaitable), "__await__", None)
    if method is None:
        raise TypeError("object %s can't be used in 'await' expression" % type(awaitable).__name__)
    iterator = method(awaitable)
    if isinstance(iterator, types.CoroutineType) or not hasattr(type(iterator), "__next__"):
        raise TypeError("__await__() returned non-iterator of type '%s'" % type(iterator).__name__)
    return iterator


class AwaitHook:
    """``await X`` at a suspend/resume breakpoint line: drives X's iterator as ``await`` would (send,
    throw and close pass through) and reports each suspension and each resumption of the awaiting frame.

    ``inner`` is X's iterator: the await chain walker looks through this object to it.
    """

    __slots__ = ("inner", "line", "_awaitable", "_frame")

    def __init__(self, awaitable, line):
        self._awaitable = awaitable
        self.inner = None
        self.line = line
        self._frame = None

    def __await__(self):
        return self

    def __iter__(self):
        return self

    def __next__(self):
        return self._advance(None, sys._getframe(1))

    def send(self, value):
        """Resume the awaited iterator with ``value`` (what the task's step sends)."""
        return self._advance(value, sys._getframe(1))

    def _advance(self, value, caller):
        inner = self.inner
        if inner is None:
            # First step: the caller is the awaiting frame, which is running this very await.
            self._frame = caller
            inner = self.inner = _await_iterator(self._awaitable)
            self._awaitable = None
        else:
            self._resumed()
        try:
            if value is None and type(inner) is not types.CoroutineType:
                # As the interpreter's own delegation: ``__next__`` for None, ``send`` otherwise.
                result = next(inner)
            else:
                result = inner.send(value)
        except BaseException:
            self._frame = None
            raise
        self._suspending()
        return result

    def throw(self, typ, val=None, tb=None):
        """Throw into the awaited iterator (cancellation, ``coro.throw``)."""
        self._resumed()
        inner = self.inner
        throw = getattr(inner, "throw", None)
        try:
            if throw is None:
                if val is None:
                    val = typ() if isinstance(typ, type) else typ
                raise val.with_traceback(tb) if tb is not None else val
            result = throw(typ, val, tb)
        except BaseException:
            self._frame = None
            raise
        self._suspending()
        return result

    def close(self):
        """Close the awaited iterator (the awaiting coroutine is closed)."""
        self._frame = None
        close = getattr(self.inner, "close", None)
        if close is not None:
            close()

    def _suspending(self):
        handler = _handler
        if handler is not None and self._frame is not None:
            handler.on_await_suspend(self._frame, self.line, self.inner)

    def _resumed(self):
        handler = _handler
        if handler is not None and self._frame is not None:
            handler.on_await_resume(self._frame, self.line)
