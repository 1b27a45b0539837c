"""One adapter connection: reads requests on the I/O thread and answers them from the runtime's state."""
import sys

from . import aio, exceptions, loops, os_threads, paths, values, wire
from .log import log, log_exception


class RequestError(Exception):
    """A request that fails with a user-facing message."""


class Session:
    """Dispatches the protocol's requests (one connection, after a successful handshake)."""

    def __init__(self, runtime, conn, peer_protocol):
        self.runtime = runtime
        self.conn = conn
        self._protocol_mismatch = peer_protocol != wire.PROTOCOL_VERSION
        self.frames = {}
        self.refs = values.References()
        self._next_frame = 1
        self.configured = False

    # -- lifecycle ----------------------------------------------------------------------------------

    def serve(self):
        """Read and answer requests until the connection closes or the adapter disconnects."""
        while True:
            try:
                message = self.conn.read_message()
            except wire.ProtocolError as error:
                log("connection ended: %s", error)
                return
            if message is None or message.get("type") != "request":
                continue
            if self._protocol_mismatch:
                self._respond(message, False, message="Unsupported protocol version (runtime speaks %d)"
                              % wire.PROTOCOL_VERSION)
                return
            if self.handle(message) == "disconnect":
                return

    def handle(self, message):
        """Answer one request; never raises."""
        command = message.get("command")
        arguments = message.get("arguments")
        if not isinstance(arguments, dict):
            arguments = {}
        handler = getattr(self, "_cmd_" + command, None) if isinstance(command, str) else None
        if handler is None:
            self._respond(message, False, message="Unknown command %r" % (command,))
            return None
        try:
            body = handler(arguments)
        except RequestError as error:
            self._respond(message, False, message=str(error))
            return None
        except Exception:
            log_exception("request %s failed", command)
            self._respond(message, False, message=values.describe_error())
            return None
        self._respond(message, True, body=body or {})
        if command == "disconnect":
            self.runtime.end_session(self, terminate=bool(arguments.get("terminate")))
            return "disconnect"
        return None

    def _respond(self, request, success, body=None, message=None):
        response = {"type": "response", "request_seq": request.get("seq"), "command": request.get("command"),
                    "success": success}
        if body is not None:
            response["body"] = body
        if message is not None:
            response["message"] = message
        self.conn.send(response)

    def invalidate(self):
        """Frame ids and variable references die when the program resumes."""
        self.frames.clear()
        self.refs.clear()

    # -- configuration ------------------------------------------------------------------------------

    def _cmd_setBreakpoints(self, args):
        path = args.get("path")
        if not isinstance(path, str) or not path:
            raise RequestError("setBreakpoints needs a path")
        specs = args.get("breakpoints")
        result = self.runtime.breakpoints.set_file(path, specs if isinstance(specs, list) else [])
        self.runtime.tracing_changed()
        return {"breakpoints": result}

    def _cmd_setFunctionBreakpoints(self, args):
        specs = args.get("breakpoints")
        result = self.runtime.breakpoints.set_functions(specs if isinstance(specs, list) else [])
        self.runtime.tracing_changed()
        return {"breakpoints": result}

    def _cmd_setExceptionBreakpoints(self, args):
        filters = args.get("filters")
        if not isinstance(filters, list):
            filters = []
        unknown = [name for name in filters if name not in exceptions.FILTERS]
        if unknown:
            raise RequestError("Unknown exception filter(s): %s (known: %s)"
                               % (", ".join(map(str, unknown)), ", ".join(exceptions.FILTERS)))
        self.runtime.set_exception_filters(frozenset(filters))
        return {}

    def _cmd_exceptionInfo(self, args):
        stopped = self.runtime.control.stopped
        if stopped is None or stopped.exception is None:
            raise RequestError("Not stopped at an exception")
        return exceptions.exception_info(stopped.exception, stopped.break_mode)

    def _cmd_configurationDone(self, args):
        self.configured = True
        self.runtime.configuration_done(bool(args.get("stopOnEntry")))
        return {}

    # -- inspection ---------------------------------------------------------------------------------

    def _cmd_threads(self, args):
        registry = self.runtime.registry
        own = self.runtime.own_idents
        clock = self.runtime.suspensions
        clock.sample()
        stopped = self.runtime.control.stopped
        entries = os_threads.thread_entries(registry, own, set(self.runtime.control.frozen))
        if aio.loaded() is not None:
            # Before the program imports asyncio there is no task, and nothing here imports it.
            from . import snapshot
            entries += snapshot.task_entries(registry, clock, getattr(stopped, "failed_task", None))
        entries.sort(key=lambda entry: entry["id"])
        return {"threads": entries}

    def _cmd_taskDetails(self, args):
        thread_id = args.get("threadId")
        task = self.runtime.registry.task(thread_id) if isinstance(thread_id, int) else None
        if task is None:
            raise RequestError("No task with id %r" % (thread_id,))
        from . import outcomes  # a task exists: asyncio is loaded
        return outcomes.task_details(task, thread_id, self.runtime.registry, self.refs, self.runtime.control.stopped)

    def _cmd_stackTrace(self, args):
        thread_id = args.get("threadId")
        registry = self.runtime.registry
        stopped = self.runtime.control.stopped
        label = None
        task = registry.task(thread_id) if isinstance(thread_id, int) else None
        if task is not None:
            from . import inspector  # a task exists: asyncio is loaded
            frames, label = inspector.task_stack(task, registry, stopped)
        else:
            ident = registry.thread_ident(thread_id) if isinstance(thread_id, int) else None
            if ident is None:
                raise RequestError("Unknown thread %r" % (thread_id,))
            frames = os_threads.thread_stack(ident, stopped)
        result = [self._frame_json(frame) for frame in frames]
        if label:
            result.append({"id": 0, "name": label, "kind": "label", "line": 0, "column": 0})
        total = len(result)
        start = args.get("startFrame") or 0
        levels = args.get("levels") or 0
        if isinstance(start, int) and start > 0:
            result = result[start:]
        if isinstance(levels, int) and levels > 0:
            result = result[:levels]
        return {"frames": result, "totalFrames": total}

    def _frame_json(self, frame):
        frame_id = self._next_frame
        self._next_frame += 1
        self.frames[frame_id] = frame
        code = frame.f_code
        return {"id": frame_id, "name": paths.code_name(code), "file": paths.display_path(code.co_filename),
                "line": frame.f_lineno or code.co_firstlineno, "column": 1, "kind": "frame"}

    def _frame(self, frame_id):
        frame = self.frames.get(frame_id) if isinstance(frame_id, int) else None
        if frame is None:
            raise RequestError("Unknown or stale frame id %r" % (frame_id,))
        return frame

    def _cmd_scopes(self, args):
        frame = self._frame(args.get("frameId"))
        is_module = frame.f_globals is frame.f_locals
        scopes = [{"name": "Locals", "variablesReference": self.refs.add_scope(
            frame.f_globals if is_module else dict(frame.f_locals), frame, not is_module), "expensive": False}]
        if not is_module:
            scopes.append({"name": "Globals", "variablesReference": self.refs.add_scope(frame.f_globals, frame),
                           "expensive": False})
        return {"scopes": scopes}

    def _cmd_variables(self, args):
        ref = args.get("variablesReference")
        try:
            variables = self.refs.variables(ref, _int(args.get("start")), _int(args.get("count")))
        except (KeyError, TypeError):
            raise RequestError("Unknown or stale variables reference %r" % (ref,))
        return {"variables": variables}

    def _cmd_evaluate(self, args):
        expression = args.get("expression")
        if not isinstance(expression, str):
            raise RequestError("evaluate needs an expression")
        frame_id = args.get("frameId")
        if frame_id is not None:
            frame = self._frame(frame_id)
            frame_globals, frame_locals = frame.f_globals, frame.f_locals
        else:
            main = sys.modules.get("__main__")
            frame_globals = frame_locals = getattr(main, "__dict__", {})
        loop = self._stopped_loop() if "await" in expression else None
        try:
            value = values.evaluate(expression, frame_globals, frame_locals, loop)
        except BaseException:
            raise RequestError(values.describe_error())
        if value is None:
            return {"result": "None" if _is_expression(expression) else "", "type": "NoneType",
                    "variablesReference": 0}
        variable = self.refs.variable(expression, value, frame if frame_id is not None else None)
        return {"result": variable["value"], "type": variable["type"],
                "variablesReference": variable["variablesReference"]}

    def _stopped_loop(self):
        """The event loop of the stopped thread (the one an evaluated ``await`` may use), or None."""
        stopped = self.runtime.control.stopped
        if stopped is None:
            return None
        for loop in self.runtime.running_loops(max_age=1.0):
            if loops.thread_ident(loop) == stopped.ident:
                return loop
        return None

    def _cmd_setVariable(self, args):
        ref, name, value = args.get("variablesReference"), args.get("name"), args.get("value")
        if not isinstance(name, str) or not isinstance(value, str):
            raise RequestError("setVariable needs a name and a value")
        try:
            variable = self.refs.set_variable(ref, name, value)
        except KeyError:
            raise RequestError("Unknown or stale variables reference %r" % (ref,))
        except BaseException:
            raise RequestError(values.describe_error())
        return {"value": variable["value"], "type": variable["type"],
                "variablesReference": variable["variablesReference"]}

    def _cmd_cancelTask(self, args):
        thread_id = args.get("threadId")
        task = self.runtime.registry.task(thread_id) if isinstance(thread_id, int) else None
        if task is None or task.done():
            raise RequestError("No live task with id %r" % (thread_id,))
        # Cancelling belongs in the task's loop thread; a frozen loop applies it when the program resumes.
        task.get_loop().call_soon_threadsafe(task.cancel)
        return {}

    # -- execution control --------------------------------------------------------------------------

    def _cmd_continue(self, args):
        self.runtime.control.resume("continue")
        return {}

    def _cmd_next(self, args):
        self.runtime.control.resume("over")
        return {}

    def _cmd_stepIn(self, args):
        self.runtime.control.resume("in")
        return {}

    def _cmd_stepOut(self, args):
        self.runtime.control.resume("out")
        return {}

    def _cmd_pause(self, args):
        self.runtime.pause()
        return {}

    def _cmd_disconnect(self, args):
        return {}


def _int(value):
    return value if isinstance(value, int) and value > 0 else 0


def _is_expression(text):
    try:
        compile(text, "<coroscope-evaluate>", "eval")
        return True
    except SyntaxError:
        return False
