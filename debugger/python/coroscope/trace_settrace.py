"""Python 3.8–3.11 tracer backend: breakpoint hooks in recompiled code, ``sys.settrace`` for the rest.

- No breakpoints, no step, no pause, no entry stop: no trace function anywhere.
- Line and suspend/resume breakpoints: the functions holding them run code recompiled with hook calls
  (``trace_hooks.py``, ``rewrite.py``, ``hooks.py``), so no trace function is needed for them. Any trace
  function makes CPython run every instruction of its thread through the slow tracing path (6–10× on an
  await-heavy program), whatever the function returns.
- A trace function is installed only for what hooks cannot do: stepping, pause, the entry stop,
  function breakpoints, exception filters, the line after a resume breakpoint, files that cannot be
  recompiled, and frames that were already running a function's original code when it got hooks. The
  global trace function then returns None at once (cached per code object) for code that needs no events.
- ``sys.settrace`` only reaches the calling thread. New threads get the function through
  ``threading.settrace``; threads running an event loop get it through ``call_soon_threadsafe``; a thread
  resuming from a stop installs it itself. A thread that is busy outside any loop when the first
  breakpoint is set only sees breakpoints in frames it enters after its next stop (documented limit).
"""
import dis
import sys
import threading

from . import paths
from .log import log_exception
from .hooks import LINE_HOOK
from .task_failures import TaskFailures
from .trace_hooks import CodeHooks, install_handler

try:
    from _thread import get_ident
except ImportError:  # pragma: no cover
    from threading import get_ident

_RETURN_OPS = {dis.opmap[name] for name in ("RETURN_VALUE", "RETURN_CONST") if name in dis.opmap}
_GENERATOR_FLAGS = 0x20 | 0x80 | 0x200  # CO_GENERATOR | CO_COROUTINE | CO_ASYNC_GENERATOR


def _is_generator(frame):
    return bool(frame.f_code.co_flags & _GENERATOR_FLAGS)


def _suspended_not_finished(frame):
    """True when a 'return' event of a generator/coroutine frame is really a yield or an await.

    A suspension stops at YIELD_VALUE (or, before 3.11, just before YIELD_FROM), a real return at a
    return instruction, so the opcode at ``f_lasti`` tells them apart.
    """
    if not frame.f_code.co_flags & _GENERATOR_FLAGS:
        return False
    try:
        return frame.f_code.co_code[frame.f_lasti] not in _RETURN_OPS
    except Exception:
        return False


class SettraceBackend:
    """Line breakpoints, entry stop, stepping and pause through trace functions."""

    def __init__(self, runtime):
        self._runtime = runtime
        self._wanted = False
        self._code_cache = {}
        self._trace_all = False
        self._trace_generators = False
        # Frames whose last event was an exception with no line since: a 'return' then is an unwind.
        self._raising = {}
        self.hooks = CodeHooks(runtime, runtime.tracing_changed)
        self._hook_offsets = {}
        # Threads inside a hook call: what the runtime runs there (after a stop turned tracing on for a
        # step) is not the user's code and must not produce events.
        self._in_hook = set()
        self.task_failures = TaskFailures(runtime)

    def install(self):
        """Route breakpoint hooks here; tracing starts when something needs it."""
        install_handler(self)
        return True

    def uninstall(self):
        """Remove the trace function from new threads, this thread and every loop thread; give hooked
        functions their original code back."""
        self._wanted = False
        self._code_cache = {}
        try:
            self.task_failures.enable(False)
            self.hooks.clear()
        finally:
            install_handler(None)
            self._runtime.control.hooked = {}
        threading.settrace(None)
        if sys.gettrace() == self._global:
            sys.settrace(None)
        self._broadcast(None)

    def refresh(self, step_frame=None):
        """Turn tracing on or off for what the breakpoints, step, pause and entry stop need."""
        control = self._runtime.control
        self._code_cache = {}
        self._hook_offsets = {}
        self.hooks.update(self._runtime.breakpoints.hook_specs())
        control.hooked = self.hooks.hooked
        filters = control.exception_filters
        # Exception filters are opt-in and need events from every frame (or every coroutine frame).
        self._trace_all = "raised" in filters or "cancelled" in filters
        # "uncaught": a done callback per task and a word from program.py when the main module fails
        # (task_failures), post mortem, instead of tracing every coroutine frame.
        self._trace_generators = False
        if self.task_failures.enabled != ("uncaught" in filters):
            self.task_failures.enable("uncaught" in filters)
        wanted = bool(self.hooks.fallback_files) or bool(self.hooks.legacy) \
            or bool(self._runtime.breakpoints.functions) or control.step is not None or bool(control.resume_watches) \
            or control.pause_requested or control.entry_code is not None or self._trace_all
        self._wanted = wanted
        if step_frame is not None and control.step is not None:
            # The stepping thread is the caller: trace the frames the step can stop in.
            frame = step_frame
            while frame is not None:
                if not paths.is_runtime_code(frame.f_code):
                    frame.f_trace = self._local
                frame = frame.f_back
        if wanted:
            threading.settrace(self._global)
            if get_ident() not in self._runtime.own_idents:
                sys.settrace(self._global)
            self._broadcast(self._global)
        else:
            threading.settrace(None)
            if get_ident() not in self._runtime.own_idents and sys.gettrace() == self._global:
                sys.settrace(None)
            # Other threads drop the function themselves at their next call event (see _global).

    def program_code(self, code):
        """The code to run for the program's main module: recompiled with hooks if it holds breakpoints."""
        return self.hooks.program_code(code)

    def resume_watch_added(self):
        """A resume breakpoint armed a watch: the watched frame's next line needs a trace event."""
        control = self._runtime.control
        watched = [entry[0] for entry in list(control.resume_watches.values())]
        if not watched:
            return
        self._wanted = True
        for frame in watched:
            frame.f_trace_lines = True
            frame.f_trace = self._local
        if get_ident() not in self._runtime.own_idents and sys.gettrace() is None:
            sys.settrace(self._global)

    # -- breakpoint hooks (called by recompiled code, see hooks.py) -----------------------------------

    def on_line_hook(self, frame):
        """A hooked statement is about to run at a line breakpoint."""
        try:
            if id(frame.f_code) in self.hooks.hooked:
                ident = get_ident()
                self._in_hook.add(ident)
                try:
                    self._runtime.control.on_line(frame, frame.f_lineno, hooked=True)
                finally:
                    self._in_hook.discard(ident)
        except Exception:
            log_exception("line hook")

    def on_await_suspend(self, frame, line, inner):
        """The frame is about to suspend at a hooked await on ``line``, awaiting ``inner``."""
        try:
            if id(frame.f_code) in self.hooks.hooked:
                ident = get_ident()
                self._in_hook.add(ident)
                try:
                    self._runtime.control.on_yield(frame, line, inner, hooked=True)
                finally:
                    self._in_hook.discard(ident)
        except Exception:
            log_exception("suspend hook")

    def on_await_resume(self, frame, line):
        """The frame resumes inside a hooked await on ``line``."""
        try:
            if id(frame.f_code) in self.hooks.hooked:
                ident = get_ident()
                self._in_hook.add(ident)
                try:
                    self._runtime.control.on_resume(frame, line, hooked=True)
                finally:
                    self._in_hook.discard(ident)
        except Exception:
            log_exception("resume hook")

    def _at_hook_statement(self, frame):
        """True when a line event is for an inserted hook statement: the hook call reports that line."""
        code = frame.f_code
        if id(code) not in self.hooks.hooked:
            return False
        offsets = self._hook_offsets.get(id(code))
        if offsets is None:
            offsets = self._hook_offsets[id(code)] = frozenset(
                instruction.offset for instruction in dis.get_instructions(code)
                if instruction.opname == "LOAD_GLOBAL" and instruction.argval == LINE_HOOK)
        return frame.f_lasti in offsets

    def thread_entered(self):
        """Called in a user thread that may not have the trace function yet (a new event loop)."""
        if self._wanted and sys.gettrace() is None and get_ident() not in self._runtime.own_idents:
            sys.settrace(self._global)

    def _broadcast(self, function):
        for loop in self._runtime.running_loops():
            try:
                loop.call_soon_threadsafe(_settrace_if_needed, function, self._global)
            except Exception:
                pass

    def request_pause(self):
        """Stop at the next line of a traced thread (loop threads are reached by the runtime itself)."""
        self.refresh()
        for frames_ident, frame in sys._current_frames().items():
            if frames_ident in self._runtime.own_idents:
                continue
            while frame is not None:
                if not paths.is_runtime_code(frame.f_code):
                    frame.f_trace = self._local
                frame = frame.f_back

    def _global(self, frame, event, arg):
        if not self._wanted:
            sys.settrace(None)
            return None
        if self._in_hook and get_ident() in self._in_hook:
            return None
        code = frame.f_code
        control = self._runtime.control
        step = control.step
        if step is not None and step.ident == get_ident() and step.traces(frame):
            return self._local
        cached = self._code_cache.get(code)
        if cached is None:
            cached = self._classify(code)
            self._code_cache[code] = cached
        if cached >= 3:
            # A function breakpoint names this code: a 'call' on its first line is a start, not a resume.
            if frame.f_lineno == code.co_firstlineno or not code.co_flags & _GENERATOR_FLAGS:
                control.on_function_start(frame)
                step = control.step
                if step is not None and step.ident == get_ident() and step.traces(frame):
                    return self._local
            cached -= 3
        if cached == 2:
            # A coroutine of a file with suspend/resume breakpoints: a 'call' event is also a resume.
            control.on_resume(frame)
        if cached or control.pause_requested or code is control.entry_code or self._trace_all:
            return self._local
        if self._trace_generators and (code.co_flags & _GENERATOR_FLAGS or code.co_name == "<module>"):
            return self._local
        return None

    def _classify(self, code):
        """0: no events needed; 1: line events; 2: line events and resume checks (coroutine with
        suspend/resume breakpoints). Only code objects whose own lines hold a breakpoint are traced:
        the rest of a file with breakpoints runs untraced."""
        if get_ident() in self._runtime.own_idents:
            return 0
        extra = 3 if self._runtime.breakpoints.functions_for(code) else 0
        return extra + self._classify_lines(code)

    def _classify_lines(self, code):
        hooks = self.hooks
        if id(code) not in hooks.legacy and paths.canonical(code.co_filename) not in hooks.fallback_files:
            return 0
        lines = self._runtime.breakpoints.lines_for(code.co_filename)
        if not lines:
            return 0
        own_lines = {line for _offset, line in dis.findlinestarts(code) if line is not None}
        if own_lines.isdisjoint(lines):
            return 0
        if code.co_flags & _GENERATOR_FLAGS and self._runtime.breakpoints.has_async(code.co_filename):
            return 2
        return 1

    def _local(self, frame, event, arg):
        if self._in_hook and get_ident() in self._in_hook:
            return self._local
        try:
            control = self._runtime.control
            if event == "line":
                if self._raising:
                    self._raising.pop(id(frame), None)
                if not (control.hooked and self._at_hook_statement(frame)):
                    control.on_line(frame, frame.f_lineno)
            elif event == "exception":
                self._raising[id(frame)] = arg[1]
                control.on_exception(frame, arg[1])
            elif event == "return":
                exc = self._raising.pop(id(frame), None) if self._raising else None
                if exc is not None and arg is None:
                    control.on_unwind(frame, exc)
                elif _is_generator(frame) and _suspended_not_finished(frame):
                    control.on_yield(frame)
                else:
                    if control.resume_watches:
                        control.on_frame_exit(frame)
                    step = control.step
                    if step is not None and frame is step.frame and not _suspended_not_finished(frame):
                        control.on_step_frame_finished(frame)
        except Exception:
            log_exception("trace function")
        return self._local if self._wanted else None


def _settrace_if_needed(function, ours):
    # Runs in a loop's own thread: the only way to reach its trace state before 3.12.
    current = sys.gettrace()
    if function is None:
        if current == ours:
            sys.settrace(None)
    elif current is None:
        sys.settrace(function)
