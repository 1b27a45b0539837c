"""Python 3.12+ tracer backend on ``sys.monitoring`` (PEP 669).

Design, for near-zero overhead:
- No breakpoints, no step, no pause: no events at all.
- Breakpoints: LINE events only on the code objects of files that have breakpoints
  (``set_local_events``); a LINE callback on a line without a breakpoint returns ``DISABLE``, so each such
  line costs one callback per breakpoint change, then nothing. Code objects that already exist are found
  once per breakpoint change (functions, coroutines, generators and running frames, via ``gc``).
  Code objects that appear later (a module imported after the breakpoint was set) are caught by a global
  PY_START event whose callback returns ``DISABLE`` for every code object: each function pays one
  callback on its first call, then nothing.
- Stepping and pause: LINE (and PY_RETURN) globally, only until the step or pause ends.
"""
import gc
import sys
import types

from . import paths
from .log import log, log_exception

try:
    from _thread import get_ident
except ImportError:  # pragma: no cover
    from threading import get_ident

_monitoring = getattr(sys, "monitoring", None)


def available():
    """True when this interpreter has sys.monitoring."""
    return _monitoring is not None


def _nested_codes(code):
    stack = [code]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(const for const in current.co_consts if isinstance(const, types.CodeType))


class MonitoringBackend:
    """Line breakpoints, entry stop, stepping and pause through sys.monitoring."""

    def __init__(self, runtime):
        self._runtime = runtime
        self._tool = None
        self._local_codes = {}
        self._files = frozenset()

    def install(self):
        """Claim a tool id and register callbacks (no events enabled yet). False if none is free."""
        if self._tool is not None:
            return True
        mon = _monitoring
        for tool in (mon.DEBUGGER_ID, 1, 3, 4):
            try:
                mon.use_tool_id(tool, "coroscope")
            except ValueError:
                continue
            self._tool = tool
            break
        else:
            log("no free sys.monitoring tool id")
            return False
        events = mon.events
        mon.register_callback(self._tool, events.LINE, self._on_line)
        mon.register_callback(self._tool, events.PY_START, self._on_start)
        mon.register_callback(self._tool, events.PY_RETURN, self._on_return)
        mon.register_callback(self._tool, events.PY_YIELD, self._on_yield)
        mon.register_callback(self._tool, events.PY_RESUME, self._on_resume)
        mon.register_callback(self._tool, events.RAISE, self._on_raise)
        mon.register_callback(self._tool, events.PY_UNWIND, self._on_unwind)
        return True

    def uninstall(self):
        """Disable every event and give the tool id back."""
        if self._tool is None:
            return
        mon = _monitoring
        tool, self._tool = self._tool, None
        try:
            mon.set_events(tool, 0)
            for code in list(self._local_codes.values()):
                mon.set_local_events(tool, code, 0)
            self._local_codes.clear()
            for event in (mon.events.LINE, mon.events.PY_START, mon.events.PY_RETURN, mon.events.RAISE,
                          mon.events.PY_UNWIND, mon.events.PY_YIELD, mon.events.PY_RESUME):
                mon.register_callback(tool, event, None)
            mon.free_tool_id(tool)
        except Exception:
            log_exception("releasing sys.monitoring")

    # -- configuration (any thread) -----------------------------------------------------------------

    def refresh(self, step_frame=None):
        """Enable exactly the events the current breakpoints, step, pause and entry stop need."""
        if self._tool is None:
            return
        mon = _monitoring
        events = mon.events
        control = self._runtime.control
        files = frozenset(self._runtime.breakpoints.files())
        wanted = {}
        if files:
            if files != self._files:
                for code in self._find_codes(files):
                    wanted[id(code)] = code
            else:
                wanted = dict(self._local_codes)
        entry = control.entry_code
        if entry is not None:
            wanted[id(entry)] = entry
        for key, code in list(self._local_codes.items()):
            if key not in wanted:
                mon.set_local_events(self._tool, code, 0)
        for code in wanted.values():
            mon.set_local_events(self._tool, code, self._events_for(code))
        self._local_codes = wanted
        self._files = files
        global_events = 0
        if files or self._runtime.breakpoints.functions:
            global_events |= events.PY_START
        if control.step is not None or control.pause_requested:
            global_events |= events.LINE | events.PY_RETURN
        # Exception filters are opt-in: RAISE / PY_UNWIND cannot be enabled per code object.
        filters = control.exception_filters
        if "raised" in filters or "cancelled" in filters:
            global_events |= events.RAISE
        if "uncaught" in filters:
            global_events |= events.PY_UNWIND
        mon.set_events(self._tool, global_events)
        # Lines that returned DISABLE under the previous configuration must be able to fire again.
        mon.restart_events()

    def _events_for(self, code):
        events = _monitoring.events
        if self._runtime.breakpoints.has_async(code.co_filename):
            # Suspend / resume breakpoints: where the file's coroutines yield and resume, and where they
            # return (a resumed frame may return before reaching another line).
            return events.LINE | events.PY_YIELD | events.PY_RESUME | events.PY_RETURN
        return events.LINE

    def resume_watch_added(self):
        """Lines disabled earlier must fire again for the watched frame's next line."""
        if self._tool is not None:
            _monitoring.restart_events()

    def _find_codes(self, files):
        """Code objects (with nested ones) that exist now and belong to one of ``files``."""
        found = {}
        roots = []
        for obj in gc.get_objects():
            code = None
            if isinstance(obj, types.FunctionType):
                code = obj.__code__
            elif isinstance(obj, (types.CoroutineType, types.GeneratorType, types.AsyncGeneratorType)):
                code = getattr(obj, "cr_code", None) or getattr(obj, "gi_code", None) or getattr(obj, "ag_code", None)
            if code is not None:
                roots.append(code)
        for frame in sys._current_frames().values():
            while frame is not None:
                roots.append(frame.f_code)
                frame = frame.f_back
        for root in roots:
            if paths.canonical(root.co_filename) not in files:
                continue
            for code in _nested_codes(root):
                found[id(code)] = code
        return list(found.values())

    # -- callbacks (user threads) -------------------------------------------------------------------

    def _on_start(self, code, _offset):
        # Line events first, also for a code object that a function breakpoint names: its stop happens
        # before the function's first line, and the code object's line breakpoints must fire after it.
        try:
            if code.co_filename and id(code) not in self._local_codes \
                    and self._runtime.breakpoints.lines_for(code.co_filename):
                self._local_codes[id(code)] = code
                _monitoring.set_local_events(self._tool, code, self._events_for(code))
        except Exception:
            log_exception("PY_START")
        if self._runtime.breakpoints.functions_for(code):
            # Function breakpoints need every start of these code objects: no DISABLE here.
            try:
                if get_ident() not in self._runtime.own_idents:
                    self._runtime.control.on_function_start(sys._getframe(1))
            except Exception:
                log_exception("function breakpoint")
            return None
        return _monitoring.DISABLE

    def _on_line(self, code, line):
        control = self._runtime.control
        try:
            if control.step is None and not control.pause_requested and code is not control.entry_code \
                    and not control.resume_watches:
                lines = self._runtime.breakpoints.lines_for(code.co_filename)
                if not lines or line not in lines:
                    return _monitoring.DISABLE
            if get_ident() in self._runtime.own_idents:
                return None
            control.on_line(sys._getframe(1), line)
        except Exception:
            log_exception("LINE")
        return None

    def _holds_async_breakpoint(self, code, line, mode):
        lines = self._runtime.breakpoints.lines_for(code.co_filename)
        return bool(lines) and any(bp.mode == mode for bp in lines.get(line, ()))

    # PY_YIELD / PY_RESUME / PY_RETURN are enabled on every code object of a file holding a suspend or
    # resume breakpoint, hot coroutines included, so each await elsewhere in that file would call into
    # Python at every suspension. An event at an instruction whose line holds no breakpoint of its kind
    # (and with no resume watch or step needing it) returns DISABLE: that instruction costs one callback
    # per breakpoint change, then nothing. refresh() and resume_watch_added() restart disabled events.

    def _on_yield(self, code, _offset, _value):
        if get_ident() in self._runtime.own_idents:
            return None
        try:
            frame = sys._getframe(1)
            control = self._runtime.control
            if not control.resume_watches and not self._holds_async_breakpoint(code, frame.f_lineno, "suspend"):
                return _monitoring.DISABLE
            control.on_yield(frame)
        except Exception:
            log_exception("PY_YIELD")
        return None

    def _on_resume(self, code, _offset):
        if get_ident() in self._runtime.own_idents:
            return None
        try:
            frame = sys._getframe(1)
            if not self._holds_async_breakpoint(code, frame.f_lineno, "resume"):
                return _monitoring.DISABLE
            self._runtime.control.on_resume(frame)
        except Exception:
            log_exception("PY_RESUME")
        return None

    def _on_return(self, code, _offset, _value):
        control = self._runtime.control
        if not control.resume_watches and control.step is None:
            return _monitoring.DISABLE
        if control.resume_watches:
            try:
                control.on_frame_exit(sys._getframe(1))
            except Exception:
                log_exception("PY_RETURN")
        step = control.step
        if step is None or step.frame is None or code is not step.frame.f_code:
            return None
        try:
            frame = sys._getframe(1)
            if frame is step.frame:
                self._runtime.control.on_step_frame_finished(frame)
        except Exception:
            log_exception("PY_RETURN")
        return None

    def _on_raise(self, code, _offset, exc):
        try:
            self._runtime.control.on_exception(sys._getframe(1), exc)
        except Exception:
            log_exception("RAISE")

    def _on_unwind(self, code, _offset, exc):
        try:
            self._runtime.control.on_unwind(sys._getframe(1), exc)
        except Exception:
            log_exception("PY_UNWIND")

    def request_pause(self):
        """Stop at the next line any user thread runs."""
        self.refresh()
