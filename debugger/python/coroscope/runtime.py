"""The runtime: one per process, tying together task registry, breakpoints, tracer and the session."""
import _thread
import os
import signal
import socket
import sys
import threading

from . import aio, loops, paths, trace_monitoring, wire
from .breakpoints import BreakpointTable
from .control import Control
from .exceptions import UnretrievedHook
from .log import log, log_exception
from .registry import Registry
from .session import Session
from .suspension import SuspensionClock, SuspensionSampler
from .taskhook import TaskHook


class Runtime:
    """State shared by the user's threads (tracer callbacks) and the runtime's I/O thread."""

    def __init__(self):
        self.registry = Registry()
        self.breakpoints = BreakpointTable()
        self.control = Control(self)
        if trace_monitoring.available():
            self.backend = trace_monitoring.MonitoringBackend(self)
        else:
            # Only before 3.12: the rewriter and its ``ast`` / ``dis`` are not loaded where monitoring is.
            from .trace_settrace import SettraceBackend
            self.backend = SettraceBackend(self)
        self.task_hook = TaskHook(self.registry)
        self.suspensions = SuspensionClock(self.registry)
        self._sampler = None
        self.registry.on_new_loop = self._on_new_loop
        self.unretrieved_hook = UnretrievedHook(self.control.on_unretrieved)
        self.own_idents = set()
        self.session = None
        self.stop_on_entry = False
        self.exit_code = None
        self.exit_signal = None
        self._pause_signal = None
        self._configured = threading.Event()
        self._session_lock = threading.Lock()
        # The main thread gets the first id, so it reads as thread 1 in the editor.
        self.registry.thread_id(threading.main_thread().ident)

    # -- threads of the runtime ---------------------------------------------------------------------

    def start_thread(self, function, *args):
        """Start a runtime thread with the low-level API, so ``threading.enumerate()`` never shows it."""
        ready = threading.Event()

        def body():
            self.own_idents.add(_thread.get_ident())
            ready.set()
            try:
                function(*args)
            except BaseException:
                log_exception("runtime thread failed")

        ident = _thread.start_new_thread(body, ())
        self.own_idents.add(ident)
        ready.wait(5)
        return ident

    # -- sessions -----------------------------------------------------------------------------------

    def serve_connection(self, conn, peer_hello):
        """Run one session on the calling (I/O) thread until it ends."""
        with self._session_lock:
            if self.session is not None:
                conn.close()
                return
            session = Session(self, conn, peer_hello.get("protocol"))
            self.session = session
        try:
            self.task_hook.install()
            self.backend.install()
            self._start_sampler()
            session.serve()
        except Exception:
            log_exception("session failed")
        finally:
            self.end_session(session, terminate=False)

    def end_session(self, session, terminate):
        """Remove every hook and release the program (disconnect or lost connection)."""
        with self._session_lock:
            if self.session is not session:
                return
            self.session = None
        self.control.deactivate()
        self.control.exception_filters = frozenset()
        self.breakpoints.clear()
        try:
            self.backend.refresh()
            self.backend.uninstall()
        except Exception:
            log_exception("removing the tracer")
        self.task_hook.uninstall()
        self._stop_sampler()
        self.unretrieved_hook.uninstall()
        self._configured.set()
        session.conn.close()
        log("session ended (terminate=%s)", terminate)
        if terminate:
            for stream in (sys.stdout, sys.stderr):
                try:
                    stream.flush()
                except Exception:
                    pass
            os._exit(1)

    def _start_sampler(self):
        # Suspensions are witnessed only while a client is connected: no client, no cost.
        self.suspensions.start()
        sampler = SuspensionSampler(self.suspensions)
        self._sampler = sampler
        self.start_thread(sampler.run)

    def _stop_sampler(self):
        sampler, self._sampler = self._sampler, None
        if sampler is not None:
            sampler.stop()
        self.suspensions.stop()

    def configuration_done(self, stop_on_entry):
        """The adapter finished configuring: honour stops and let a waiting launch start the program."""
        self.stop_on_entry = stop_on_entry
        self.control.activate()
        self.tracing_changed()
        self._configured.set()

    def set_exception_filters(self, filters):
        """Enable exactly the exception stops asked for (and the tracing they need)."""
        self.control.exception_filters = filters
        if "unretrieved" in filters:
            self.unretrieved_hook.install()
        else:
            self.unretrieved_hook.uninstall()
        self.tracing_changed()

    def wait_configured(self):
        """Block the main thread until configurationDone (or the session ends)."""
        self._configured.wait()

    def send_event(self, event, body):
        """Send an event to the adapter if one is connected."""
        session = self.session
        if session is not None:
            session.conn.send({"type": "event", "event": event, "body": body})

    # -- hooks for the tracers and control ----------------------------------------------------------

    def tracing_changed(self, step_frame=None):
        """Breakpoints, step, pause or entry changed: the backend enables exactly what is needed."""
        try:
            self.backend.refresh(step_frame)
        except Exception:
            log_exception("tracer refresh")

    def on_stopped(self):
        """A thread stopped: a new generation of frame ids and variable references begins."""
        session = self.session
        if session is not None:
            session.invalidate()

    def on_resumed(self):
        """The stopped thread resumes: frame ids and references become stale."""
        session = self.session
        if session is not None:
            session.invalidate()

    def thread_id_for_stop(self, frame):
        """The id to report for a stop in the calling thread: its running task, else the OS thread."""
        loop = aio.running_loop()
        if loop is not None:
            loops.note_running_loop()
            task = aio.current_task(loop)
            if task is not None:
                self.registry.loops.add(loop)
                return self.registry.record(task).tid
        return self.registry.thread_id(_thread.get_ident())

    def suspending_label(self, frame, inner=None):
        """``awaiting X`` for the task whose frame is about to suspend (its chain is still intact).

        ``inner``: what the frame awaits, when the frame is still running (a breakpoint hook's view).
        """
        task = aio.current_task()
        if task is None:
            return None
        from . import awaits, waits
        chain, leaf = awaits.await_chain(task.get_coro())
        if inner is not None:
            more, leaf = awaits.await_chain(inner)
            chain = chain + more
        short, label = waits.wait_target(task, chain, leaf, self.registry)
        return "suspending: awaiting " + label if label else None

    def awaiting_frame_of_current_task(self):
        """The user frame (innermost of the user's code in its await chain) of a task awaiting the
        current one, or None."""
        loop = aio.running_loop()
        task = aio.current_task(loop) if loop is not None else None
        if task is None:
            return None
        from . import awaits, exceptions, waits
        live = [other for _ref, other in self.registry.live_tasks()]
        edges = waits.awaited_by(live, self.registry).get(id(task), [])
        for edge in edges:
            waiter = self.registry.task(edge["id"])
            if waiter is None or waiter.get_loop() is not loop:
                continue
            chain, _leaf = awaits.await_chain(waiter.get_coro())
            for frame in reversed(chain):
                if exceptions.is_user_code(frame.f_code):
                    return frame
        return None

    def freeze_other_loops(self):
        """While a thread is stopped, hold every other running loop at its next iteration."""
        current = _thread.get_ident()
        for loop in self.running_loops(max_age=1.0):
            if loops.thread_ident(loop) in (None, current):
                continue
            try:
                loop.call_soon_threadsafe(self.control.freeze)
            except Exception:
                pass

    def resume_watch_added(self):
        """A resume watch needs the watched frame's next line even if that line's event was disabled."""
        hook = getattr(self.backend, "resume_watch_added", None)
        if hook is not None:
            hook()

    def _on_new_loop(self, _loop):
        # In the new loop's own thread: before 3.12 the only moment its trace function can be set
        # without waiting for a broadcast.
        hook = getattr(self.backend, "thread_entered", None)
        if hook is not None and self.session is not None:
            hook()

    def running_loops(self, max_age=0.0):
        """Event loops known to the registry that are running now.

        ``max_age``: reuse a walk of asyncio's task sets that recent (pause and stop, where a walk over
        10,000 tasks was most of the latency); tracing broadcasts always walk.
        """
        self.registry.discover_loops(max_age)
        loops = []
        for loop in list(self.registry.loops):
            try:
                if loop.is_running() and not loop.is_closed():
                    loops.append(loop)
            except Exception:
                pass
        return loops

    def pause(self):
        """Stop the program as soon as possible: at the next traced line or the next loop iteration."""
        self.control.pause_requested = True
        self.tracing_changed()
        for loop in self.running_loops(max_age=1.0):
            try:
                loop.call_soon_threadsafe(self._pause_in_loop)
            except Exception:
                pass
        if self._pause_signal is not None:
            try:
                signal.pthread_kill(threading.main_thread().ident, self._pause_signal)
            except Exception:
                log_exception("pause signal")

    def install_pause_signal(self):
        """Before 3.12, the only way to interrupt the main thread busy in code nobody traces is a signal.

        Called from the main thread before the program starts. A real-time signal no program uses is
        given a handler that stops where the main thread was interrupted; the handler is inert once the
        session ends (it cannot be removed from another thread).
        """
        if trace_monitoring.available() or not hasattr(signal, "SIGRTMIN"):
            return
        if threading.current_thread() is not threading.main_thread():
            return
        number = signal.SIGRTMIN + 7
        try:
            if signal.getsignal(number) not in (signal.SIG_DFL, None):
                return
            signal.signal(number, self._on_pause_signal)
            self._pause_signal = number
        except (ValueError, OSError):
            log_exception("installing the pause signal")

    def _on_pause_signal(self, _signum, frame):
        # Runs in the main thread between two bytecodes of whatever it was doing.
        while frame is not None and paths.is_hidden_frame(frame):
            frame = frame.f_back
        if frame is None or self.session is None or not self.control.pause_requested:
            return
        self.control.pause_requested = False
        self.control.stop(frame, "pause")

    def _pause_in_loop(self):
        # Runs as a callback in a loop's thread: reaches a loop idle in select() without any tracing.
        loops.note_running_loop()
        if self.control.pause_requested:
            self.control.pause_requested = False
            self.control.stop(sys._getframe(1), "pause")

    # -- program lifecycle --------------------------------------------------------------------------

    def before_program(self, entry_code):
        """In the main thread, just before the user's first line: arm the entry stop, start tracing.

        Returns the code to run: ``entry_code``, or its recompilation with breakpoint hooks (3.8–3.11).
        """
        program_code = getattr(self.backend, "program_code", None)
        if program_code is not None and entry_code is not None and self.session is not None:
            try:
                entry_code = program_code(entry_code)
            except Exception:
                log_exception("hooking the main module")
        if self.session is not None:
            self.install_pause_signal()
        if self.stop_on_entry and entry_code is not None and self.session is not None:
            self.control.entry_code = entry_code
        self.tracing_changed()
        return entry_code

    def at_exit(self):
        """atexit handler (registered first, so it runs last): report the exit code, then let go."""
        session = self.session
        if session is not None:
            body = {} if self.exit_code is None else {"exitCode": self.exit_code}
            session.conn.send({"type": "event", "event": "terminated", "body": body})
            self.end_session(session, terminate=False)
        if self.exit_signal is not None:
            from .program import die_of_signal
            die_of_signal(self.exit_signal)


_runtime = None
_runtime_lock = threading.Lock()


def get_runtime():
    """The process-wide runtime, created on first use."""
    global _runtime
    with _runtime_lock:
        if _runtime is None:
            _runtime = Runtime()
        return _runtime


def connect(host, port, token):
    """Launch mode: connect to the adapter and perform the handshake. Returns (conn, peer hello)."""
    # An ASCII host as bytes: for a str, getaddrinfo loads the idna codec (and unicodedata) first.
    address = host.encode("ascii") if host.isascii() else host
    sock = socket.create_connection((address, port), timeout=wire.HANDSHAKE_TIMEOUT)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    conn = wire.Connection(sock)
    peer = wire.connect_handshake(conn, token)
    if peer is None:
        conn.close()
        raise ConnectionError("the debug adapter did not answer the handshake")
    return conn, peer


def start_session(conn, peer):
    """Serve a connected, authenticated session on a new runtime I/O thread."""
    runtime = get_runtime()
    runtime.start_thread(runtime.serve_connection, conn, peer)
    return runtime


def is_loopback(host):
    """True for addresses that only this machine can reach."""
    return host in ("127.0.0.1", "::1", "localhost") or host.startswith("127.")


def listen(host, port, token):
    """Attach mode: listen on (host, port) and serve authenticated clients one after another.

    Returns the bound (host, port). Connections that fail the handshake are closed without a reply.
    """
    runtime = get_runtime()
    server = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM)
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind((host, port))
    server.listen(4)
    address = server.getsockname()[:2]

    def accept_loop():
        while True:
            try:
                sock, _peer = server.accept()
            except OSError:
                log_exception("accept failed")
                return
            try:
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            except OSError:
                pass
            conn = wire.Connection(sock)
            peer = wire.accept_handshake(conn, token)
            if peer is None:
                log("rejected a connection that failed the handshake")
                conn.close()
                continue
            conn.send(dict(wire.hello(), type="hello"))
            runtime.serve_connection(conn, peer)

    runtime.start_thread(accept_loop)
    return address
