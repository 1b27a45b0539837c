"""Stopping and resuming the program: breakpoint hits, stepping, pause, the entry stop.

A thread that must stop calls ``Control.stop`` from inside a tracer callback: it reports the stop through
the session and blocks on a condition until the adapter resumes it. Only one thread is stopped at a time;
another thread reaching a stop meanwhile waits for its turn (it is effectively frozen too).
"""
import sys
import threading

from . import aio, exceptions, paths
from .log import log_exception

try:
    from _thread import get_ident
except ImportError:  # pragma: no cover
    from threading import get_ident

# Exceptions that never mean a task or the program failed (CancelledError is asked of ``aio``: asyncio
# may not be loaded).
_NOT_FAILURES = (SystemExit, GeneratorExit, StopIteration)


class Step:
    """A step in progress: which thread, what kind (in/over/out) and from which frame."""

    def __init__(self, ident, kind, frame):
        self.ident = ident
        self.kind = kind
        self.frame = frame
        # The frames the step frame returns into, up to the event loop: a line in one of them means the
        # step frame has finished (stepOut, or next at the end of a function).
        self.ancestors = []
        # (frame, line): a line event of the stop frame at its stop line, right after a stop made by a
        # breakpoint hook (3.8–3.11), repeats that stop (the hooked statement starts again at that line).
        self.skip = None
        current = frame.f_back if frame is not None else None
        while current is not None:
            if paths.is_asyncio_code(current.f_code) or paths.is_hidden_frame(current):
                break
            self.ancestors.append(current)
            current = current.f_back

    def wants_stop(self, frame):
        """True when a line event in ``frame`` (in the stepping thread) ends the step."""
        if self.kind == "in":
            return not (paths.is_asyncio_code(frame.f_code) or paths.is_hidden_frame(frame))
        if frame is self.frame:
            return self.kind == "over"
        for ancestor in self.ancestors:
            if frame is ancestor:
                return True
        return False

    def traces(self, frame):
        """True when the tracer must report line events of ``frame`` for this step."""
        if self.kind == "in":
            return True
        if frame is self.frame:
            return True
        return any(frame is ancestor for ancestor in self.ancestors)


class Stopped:
    """The thread currently stopped and what the adapter wants it to do next."""

    def __init__(self, ident, frame, thread_id, reason):
        self.ident = ident
        self.frame = frame
        self.thread_id = thread_id
        self.reason = reason
        self.action = None
        self.exception = None
        self.break_mode = None
        # A label frame shown under the stopped task's frames (e.g. what a suspending task will await).
        self.label = None
        # A task that already finished, stopped post mortem in its coroutine's frame (``on_task_failed``).
        self.failed_task = None


class Control:
    """Stop/resume state shared by the tracers (user threads) and the session (I/O thread)."""

    def __init__(self, runtime):
        self._runtime = runtime
        self._cond = threading.Condition(threading.Lock())
        self.stopped = None
        self.step = None
        self.pause_requested = False
        self.entry_code = None
        self.active = False
        self.exception_filters = frozenset()
        self._seen_exception = None
        # Threads of other event loops held while the program is stopped.
        self.frozen = set()
        # Frames that resumed at a resume breakpoint: {id(frame): (frame, breakpoint ids, line to skip)}.
        self.resume_watches = {}
        # {id(code): code} of the code recompiled with breakpoint hooks (3.8–3.11, ``trace_hooks``): its
        # breakpoints are checked by the hook calls, not by trace events.
        self.hooked = {}

    # -- called from user threads -------------------------------------------------------------------

    def on_line(self, frame, line, hooked=False):
        """A line event the tracer could not dismiss cheaply, or a breakpoint hook call (``hooked``):
        decide whether to stop."""
        if get_ident() in self._runtime.own_idents or not self.active:
            return
        code = frame.f_code
        if paths.is_runtime_code(code):
            return
        step = self.step
        if step is not None and step.skip is not None and step.skip[0] is frame:
            skip_line, step.skip = step.skip[1], None
            if line == skip_line and not hooked:
                return
        if self.resume_watches and self._resumed_watch(frame, line):
            return
        if self.entry_code is not None and code is self.entry_code:
            self.entry_code = None
            self.stop(frame, "entry")
            return
        if step is not None and step.ident == get_ident() and step.wants_stop(frame):
            self.step = None
            self.stop(frame, "step", hook_line=line if hooked else None)
            return
        if self.pause_requested and not paths.is_hidden_frame(frame):
            self.pause_requested = False
            self.stop(frame, "pause", hook_line=line if hooked else None)
            return
        if hooked or id(code) not in self.hooked:
            self.check_breakpoints(frame, line, hooked)

    def check_breakpoints(self, frame, line, hooked=False):
        """Evaluate the breakpoints at ``line`` of the frame's file; stop or log as they say."""
        lines = self._runtime.breakpoints.lines_for(frame.f_code.co_filename)
        if not lines:
            return
        hits = lines.get(line)
        if not hits:
            return
        self._evaluate(frame, [bp for bp in hits if bp.mode is None], "breakpoint",
                       hook_line=line if hooked else None)

    def _evaluate(self, frame, hits, reason, description=None, label=None, hook_line=None):
        """Conditions, hit counts and log messages of ``hits``; stops if any breakpoint says so.

        Returns the ids that stopped (or would have, for resume breakpoints the caller arms).
        """
        if not hits:
            return []
        stop_ids = []
        messages = []
        for breakpoint_ in hits:
            holds, error = breakpoint_.condition_holds(frame)
            if error:
                messages.append(error)
            if not holds or not breakpoint_.count_hit():
                continue
            if breakpoint_.log_message is not None:
                self._runtime.send_event("log", {"category": "console",
                                                 "output": breakpoint_.format_log(frame) + "\n"})
                continue
            stop_ids.append(breakpoint_.id)
        for message in messages:
            self._runtime.send_event("log", {"category": "stderr", "output": message + "\n"})
        if stop_ids and reason is not None:
            self.stop(frame, reason, hit_ids=stop_ids, description=description, label=label, hook_line=hook_line)
        return stop_ids

    def on_function_start(self, frame):
        """A function or coroutine starts: function breakpoints naming it stop at its first line."""
        if not self.active or get_ident() in self._runtime.own_idents:
            return
        hits = self._runtime.breakpoints.functions_for(frame.f_code)
        if hits:
            self._evaluate(frame, list(hits), "function breakpoint")

    def _async_hits(self, frame, mode, line=None, hooked=False):
        if not hooked and id(frame.f_code) in self.hooked:
            # Recompiled code reports its suspend/resume points itself (hooks.AwaitHook).
            return []
        lines = self._runtime.breakpoints.lines_for(frame.f_code.co_filename)
        if not lines:
            return []
        return [bp for bp in lines.get(frame.f_lineno if line is None else line, ()) if bp.mode == mode]

    def on_yield(self, frame, line=None, inner=None, hooked=False):
        """``frame`` suspends (yields to the event loop at an await): suspend breakpoints and watches.

        From a hook (``hooked``), ``line`` is the await's line and ``inner`` the iterator it awaits (the
        frame is still running, so the task's await chain ends at the frame).
        """
        if not self.active or get_ident() in self._runtime.own_idents:
            return
        if self.resume_watches and self._resumed_watch(frame):
            return
        hits = self._async_hits(frame, "suspend", line, hooked)
        if hits:
            label = None
            try:
                label = self._runtime.suspending_label(frame, inner)
            except Exception:
                log_exception("suspending label")
            self._evaluate(frame, hits, "breakpoint", description="Task suspending at await", label=label)

    def on_resume(self, frame, line=None, hooked=False):
        """``frame`` resumes after an await: a resume breakpoint there stops at its next event."""
        if not self.active or get_ident() in self._runtime.own_idents:
            return
        hits = self._async_hits(frame, "resume", line, hooked)
        if not hits:
            return
        ids = self._evaluate(frame, hits, None)
        if ids:
            # The awaited value lands in the frame with the next instructions: stop at the frame's next
            # line, suspension or return, so the value is visible. A hook arms the watch while the frame
            # is inside the await, where tracing switched on may first report the await's own line.
            self.resume_watches[id(frame)] = (frame, ids, line if hooked else None)
            self._runtime.resume_watch_added()

    def on_frame_exit(self, frame):
        """``frame`` returns: a pending resume watch on it stops now."""
        if self.resume_watches:
            self._resumed_watch(frame)

    def _resumed_watch(self, frame, line=None):
        entry = self.resume_watches.get(id(frame))
        if entry is None or entry[0] is not frame:
            return False
        if line is not None and line == entry[2]:
            self.resume_watches[id(frame)] = (frame, entry[1], None)
            return False
        self.resume_watches.pop(id(frame), None)
        self.stop(frame, "breakpoint", hit_ids=entry[1], description="Task resumed after await")
        return True

    def on_exception(self, frame, exc):
        """An exception is raised in, or propagates into, ``frame``: stop per the exception filters.

        Decided once per exception object, at the first frame of the user's code it reaches.
        """
        filters = self.exception_filters
        if not filters or not self.active or get_ident() in self._runtime.own_idents:
            return
        if id(exc) == self._seen_exception or not exceptions.is_user_code(frame.f_code):
            return
        self._seen_exception = id(exc)
        kind = exceptions.classify(exc, filters)
        if kind is None:
            return
        description = "Task cancelled" if kind == "cancelled" else "Exception raised"
        self.stop(frame, "exception", text=exceptions.describe(exc), description=description,
                  exception=exc, break_mode="always")

    def on_unwind(self, frame, exc):
        """``frame`` exits by an exception: stop if that ends a task or the program (``uncaught``)."""
        if "uncaught" not in self.exception_filters or not self.active:
            return
        if isinstance(exc, _NOT_FAILURES) or aio.is_cancelled_error(exc):
            return
        if get_ident() in self._runtime.own_idents or not exceptions.is_user_code(frame.f_code):
            return
        if not exceptions.is_task_top_frame(frame):
            return
        task = None
        try:
            task = aio.current_task()
        except Exception:
            pass
        where = "task %s" % task.get_name() if task is not None else "the program"
        self.stop(frame, "exception", text=exceptions.describe(exc), description="Uncaught exception in " + where,
                  exception=exc, break_mode="unhandled")

    def on_task_failed(self, task, exc):
        """A task finished with ``exc`` (3.8–3.11, ``task_failures``; on the loop's next turn): stop in its
        coroutine's frame, from the traceback, as ``on_unwind`` would have where the exception left it."""
        if "uncaught" not in self.exception_filters or not self.active:
            return
        if isinstance(exc, _NOT_FAILURES) or aio.is_cancelled_error(exc):
            return
        if get_ident() in self._runtime.own_idents:
            return
        coro = task.get_coro()
        code = getattr(coro, "cr_code", None) or getattr(coro, "gi_code", None)
        frame = None
        tb = exc.__traceback__
        while tb is not None:
            if tb.tb_frame.f_code is code:
                frame = tb.tb_frame
                break
            tb = tb.tb_next
        if frame is None or not exceptions.is_user_code(frame.f_code):
            return
        self.stop(frame, "exception", text=exceptions.describe(exc),
                  description="Uncaught exception in task %s" % task.get_name(), exception=exc,
                  break_mode="unhandled", thread_id=self._runtime.registry.record(task).tid, failed_task=task)

    def on_program_failed(self, exc):
        """An exception ends the program (3.8–3.11 without tracing, ``uncaught``): stop post mortem in the
        main module's frame, where the traceback leaves it."""
        if "uncaught" not in self.exception_filters or not self.active:
            return
        if isinstance(exc, _NOT_FAILURES) or aio.is_cancelled_error(exc):
            return
        frame = None
        tb = exc.__traceback__
        while tb is not None:
            candidate = tb.tb_frame
            if candidate.f_code.co_name == "<module>" and candidate.f_globals.get("__name__") == "__main__" \
                    and not paths.is_hidden_frame(candidate):
                frame = candidate
            tb = tb.tb_next
        if frame is None:
            return
        self.stop(frame, "exception", text=exceptions.describe(exc), description="Uncaught exception in the program",
                  exception=exc, break_mode="unhandled")

    def on_unretrieved(self, frame, exc, message):
        """asyncio reports an exception nobody retrieved (``unretrieved``)."""
        if "unretrieved" not in self.exception_filters or not self.active:
            return
        if get_ident() in self._runtime.own_idents:
            return
        while frame is not None and (paths.is_asyncio_code(frame.f_code) or paths.is_hidden_frame(frame)):
            frame = frame.f_back
        if frame is None:
            return
        self.stop(frame, "exception", text="%s: %s" % (message, exceptions.describe(exc)),
                  description=message, exception=exc, break_mode="unhandled")

    def on_step_frame_finished(self, frame):
        """The step frame returned (not merely suspended at an await): stop in the user's caller.

        A task's coroutine has no caller of the user's: the step continues in the task awaiting this one
        (stopping at the line after its await, once it resumes), else it ends (or, for step in, goes on
        to the next line of the user's code in this thread).
        """
        step = self.step
        if step is None or frame is not step.frame or step.ident != get_ident():
            return
        self.step = None
        caller = frame.f_back
        if step.ancestors and caller is step.ancestors[0]:
            # Report the caller at the line of the call, as editors expect after stepping out.
            self.stop(caller, "step")
            return
        awaiting = None
        try:
            awaiting = self._runtime.awaiting_frame_of_current_task()
        except Exception:
            log_exception("finding the awaiting task")
        if awaiting is not None:
            self.step = Step(step.ident, "over", awaiting)
        elif step.kind == "in":
            self.step = Step(step.ident, "in", None)
        self._runtime.tracing_changed(step_frame=awaiting)

    def stop(self, frame, reason, hit_ids=None, text=None, description=None, exception=None, break_mode=None,
             label=None, hook_line=None, thread_id=None, failed_task=None):
        """Block the calling thread at ``frame`` until the adapter resumes it, then apply the action.

        ``hook_line``: the stop comes from a breakpoint hook at that line (see ``Step.skip``).
        """
        ident = get_ident()
        try:
            if thread_id is None:
                thread_id = self._runtime.thread_id_for_stop(frame)
        except Exception:
            log_exception("thread id for stop")
            thread_id = self._runtime.registry.thread_id(ident)
        with self._cond:
            while self.stopped is not None and self.active:
                self._cond.wait()
            if not self.active:
                return
            self._runtime.freeze_other_loops()
            stopped = Stopped(ident, frame, thread_id, reason)
            stopped.exception = exception
            stopped.break_mode = break_mode
            stopped.label = label
            stopped.failed_task = failed_task
            self.stopped = stopped
            # Any stop ends a step in progress (a breakpoint elsewhere wins over the step).
            self.step = None
            body = {"reason": reason, "threadId": thread_id, "allThreadsStopped": True}
            if hit_ids:
                body["hitBreakpointIds"] = hit_ids
            if text:
                body["text"] = text
            if description:
                body["description"] = description
            self._runtime.on_stopped()
            self._runtime.send_event("stopped", body)
            while stopped.action is None and self.active:
                self._cond.wait()
            action = stopped.action
            self.stopped = None
            self._cond.notify_all()
        self._runtime.on_resumed()
        if action in ("in", "over", "out") and self.active:
            self.step = Step(ident, action, frame)
            if hook_line is not None:
                self.step.skip = (frame, hook_line)
        self._runtime.tracing_changed(step_frame=frame if self.step is not None else None)

    def freeze(self):
        """Run in another loop's thread while the program is stopped: hold that loop until resumed."""
        ident = get_ident()
        with self._cond:
            if self.stopped is None or not self.active:
                return
            self.frozen.add(ident)
            try:
                while self.stopped is not None and self.active:
                    self._cond.wait()
            finally:
                self.frozen.discard(ident)

    # -- called from the I/O thread -----------------------------------------------------------------

    def resume(self, action="continue"):
        """Release the stopped thread with ``action`` (continue, in, over, out). False if none stopped."""
        with self._cond:
            if self.stopped is None:
                return False
            self.stopped.action = action
            self._cond.notify_all()
            return True

    def activate(self):
        """Start honouring stops (session configured)."""
        self.active = True

    def deactivate(self):
        """Stop honouring stops and release every waiting thread (disconnect)."""
        with self._cond:
            self.active = False
            self.step = None
            self.pause_requested = False
            self.entry_code = None
            self.resume_watches = {}
            if self.stopped is not None and self.stopped.action is None:
                self.stopped.action = "continue"
            self._cond.notify_all()
