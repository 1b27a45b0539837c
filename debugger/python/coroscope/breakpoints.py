"""Line breakpoints: the table per file, line verification, conditions, hit counts and log points."""
import io
import os
import re
import threading

from . import paths

_HIT_CONDITION = re.compile(r"^\s*(==|>=|<=|>|<|%)?\s*(\d+)\s*$")


def _compile_file(path):
    """The module code object of ``path`` as Python would compile it; None if unreadable or invalid."""
    try:
        with io.open_code(path) as source:
            return compile(source.read(), path, "exec", dont_inherit=True)
    except (OSError, SyntaxError, ValueError):
        return None


def executable_lines(path):
    """Every line of ``path`` that has code (any nested function included); None if it does not compile."""
    import dis  # with the first breakpoint, not at start-up
    code = _compile_file(path)
    if code is None:
        return None
    lines = set()
    for current in _all_codes(code):
        for _offset, line in dis.findlinestarts(current):
            if line is not None:
                lines.add(line)
    return lines


_AWAIT_OPS = {"YIELD_VALUE", "YIELD_FROM", "SEND"}
_ASYNC_FLAGS = 0x80 | 0x100 | 0x200  # CO_COROUTINE | CO_ITERABLE_COROUTINE | CO_ASYNC_GENERATOR


def _all_codes(code):
    """``code`` and every code object nested in it (functions, classes, comprehensions)."""
    stack = [code]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(const for const in current.co_consts if hasattr(const, "co_code"))


def await_lines(path):
    """Lines of ``path`` where a coroutine can suspend (an await, async for, async with); None if unreadable."""
    import dis
    code = _compile_file(path)
    if code is None:
        return None
    lines = set()
    for current in _all_codes(code):
        if not current.co_flags & _ASYNC_FLAGS:
            continue
        line = None
        for instruction in dis.get_instructions(current):
            if instruction.starts_line is not None and instruction.starts_line is not False:
                # 3.13 reports a bool here and the line in line_number; older versions the line itself.
                line = getattr(instruction, "line_number", None) or instruction.starts_line
            if instruction.opname in _AWAIT_OPS:
                positions = getattr(instruction, "positions", None)
                at = positions.lineno if positions is not None and positions.lineno else line
                if at is not None:
                    lines.add(at)
    return lines


class Breakpoint:
    """One line breakpoint as the adapter set it, with its hit counter."""

    __slots__ = ("id", "path", "line", "condition", "hit_condition", "log_message", "mode", "hits",
                 "_condition_code")

    def __init__(self, bid, path, line, spec):
        self.id = bid
        self.path = path
        self.line = line
        self.condition = spec.get("condition") or None
        self.hit_condition = spec.get("hitCondition") or None
        self.log_message = spec.get("logMessage") or None
        mode = spec.get("mode")
        # "suspend": stop when a task suspends at this await; "resume": when it resumes after it.
        self.mode = mode if mode in ("suspend", "resume") else None
        self.hits = 0
        self._condition_code = None

    def condition_holds(self, frame):
        """Evaluate the condition in the frame; an error counts as true (the user should see the stop)."""
        if self.condition is None:
            return True, None
        try:
            if self._condition_code is None:
                self._condition_code = compile(self.condition, "<breakpoint condition>", "eval")
            return bool(eval(self._condition_code, frame.f_globals, frame.f_locals)), None
        except Exception as error:
            return True, "Breakpoint condition %r failed: %s: %s" % (self.condition, type(error).__name__, error)

    def count_hit(self):
        """Count this hit; True when the hit condition allows stopping."""
        self.hits += 1
        if self.hit_condition is None:
            return True
        match = _HIT_CONDITION.match(self.hit_condition)
        if match is None:
            return True
        operator, number = match.group(1) or "==", int(match.group(2))
        if operator == "%":
            return number > 0 and self.hits % number == 0
        return {"==": self.hits == number, ">=": self.hits >= number, "<=": self.hits <= number,
                ">": self.hits > number, "<": self.hits < number}[operator]

    def format_log(self, frame):
        """The log message with each ``{expression}`` evaluated in the frame (``{{``/``}}`` escape braces)."""
        out = []
        text = self.log_message
        index = 0
        while index < len(text):
            char = text[index]
            if char == "{" and text.startswith("{{", index):
                out.append("{")
                index += 2
            elif char == "}" and text.startswith("}}", index):
                out.append("}")
                index += 2
            elif char == "{":
                end = text.find("}", index)
                if end < 0:
                    out.append(text[index:])
                    break
                expression = text[index + 1:end]
                try:
                    from .values import safe_repr
                    value = eval(compile(expression, "<log point>", "eval"), frame.f_globals, frame.f_locals)
                    out.append(value if isinstance(value, str) else safe_repr(value))
                except Exception as error:
                    out.append("<%s: %s>" % (type(error).__name__, error))
                index = end + 1
            else:
                out.append(char)
                index += 1
        return "".join(out)

    def to_json(self, verified=True, message=None):
        """The protocol's breakpoint object."""
        body = {"id": self.id, "verified": verified, "line": self.line}
        if message:
            body["message"] = message
        return body


class FunctionBreakpoint(Breakpoint):
    """Stops when a function (or coroutine) with this name starts; ``line`` is unused."""

    __slots__ = ("name",)

    def __init__(self, bid, spec):
        Breakpoint.__init__(self, bid, "", 0, spec)
        self.name = spec.get("name")

    def matches(self, code):
        """True for a code object named like the breakpoint (``name``, ``Class.name`` or a dotted tail)."""
        qualname = getattr(code, "co_qualname", None) or code.co_name
        name = self.name
        return name in (qualname, code.co_name) or qualname.endswith("." + name)


class BreakpointTable:
    """Breakpoints by canonical file path, looked up by the tracers on every candidate line."""

    def __init__(self):
        self._lock = threading.Lock()
        self._next_id = 1
        self.by_file = {}
        self.async_files = set()
        self._by_code_file = {}
        self.functions = []
        self._function_cache = {}

    def set_functions(self, specs):
        """Replace the function breakpoints; returns the protocol's list (same order)."""
        result = []
        table = []
        for spec in specs:
            if not isinstance(spec, dict):
                spec = {}
            with self._lock:
                bid = self._next_id
                self._next_id += 1
            name = spec.get("name")
            if not isinstance(name, str) or not name.strip():
                result.append({"id": bid, "verified": False, "message": "Function breakpoints need a name"})
                continue
            breakpoint_ = FunctionBreakpoint(bid, dict(spec, name=name.strip()))
            table.append(breakpoint_)
            result.append({"id": bid, "verified": True})
        with self._lock:
            self.functions = table
            self._function_cache = {}
        return result

    def functions_for(self, code):
        """Function breakpoints matching ``code`` (cached per code object)."""
        if not self.functions:
            return ()
        cache = self._function_cache
        try:
            return cache[code]
        except KeyError:
            found = tuple(bp for bp in self.functions if bp.matches(code))
            cache[code] = found
            return found

    def set_file(self, path, specs):
        """Replace the breakpoints of one file; returns the protocol's breakpoint list (same order)."""
        key = paths.canonical(path)
        lines_with_code = executable_lines(path) if os.path.isfile(path) else None
        suspend_points = None
        result = []
        table = {}
        for spec in specs:
            if not isinstance(spec, dict):
                spec = {}
            requested = spec.get("line")
            if not isinstance(requested, int) or requested < 1:
                with self._lock:
                    bid = self._next_id
                    self._next_id += 1
                result.append({"id": bid, "verified": False, "line": requested if isinstance(requested, int) else 0,
                               "message": "Invalid line"})
                continue
            line, message, verified = requested, None, True
            if spec.get("mode") in ("suspend", "resume"):
                if suspend_points is None and os.path.isfile(path):
                    suspend_points = await_lines(path) or set()
                if suspend_points is not None and requested not in suspend_points:
                    verified, message = False, "No await on line %d" % requested
            elif lines_with_code is not None and requested not in lines_with_code:
                later = [candidate for candidate in lines_with_code if candidate > requested]
                if later:
                    line = min(later)
                else:
                    verified, message = False, "No code at or after line %d" % requested
            with self._lock:
                bid = self._next_id
                self._next_id += 1
            breakpoint_ = Breakpoint(bid, path, line, spec)
            if verified:
                table.setdefault(line, []).append(breakpoint_)
            result.append(breakpoint_.to_json(verified, message))
        with self._lock:
            if table:
                self.by_file[key] = table
            else:
                self.by_file.pop(key, None)
            if any(bp.mode for bps in table.values() for bp in bps):
                self.async_files.add(key)
            else:
                self.async_files.discard(key)
            self._by_code_file = {}
        return result

    def clear(self):
        """Remove every breakpoint (disconnect)."""
        with self._lock:
            self.by_file = {}
            self.async_files = set()
            self._by_code_file = {}
            self.functions = []
            self._function_cache = {}

    def lines_for(self, co_filename):
        """{line: [Breakpoint]} for a code object's filename, or None; cached by the raw filename."""
        cache = self._by_code_file
        try:
            return cache[co_filename]
        except KeyError:
            lines = self.by_file.get(paths.canonical(co_filename))
            cache[co_filename] = lines
            return lines

    def has_async(self, co_filename):
        """True when the file has suspend or resume breakpoints."""
        return paths.canonical(co_filename) in self.async_files

    def files(self):
        """Canonical paths of the files that have breakpoints."""
        return set(self.by_file)

    def hook_specs(self):
        """{canonical path: (path, line breakpoint lines, suspend/resume lines)} for breakpoint hooks."""
        specs = {}
        with self._lock:
            items = list(self.by_file.items())
        for key, table in items:
            path = None
            lines, await_lines = set(), set()
            for line, breakpoints in table.items():
                for breakpoint_ in breakpoints:
                    path = breakpoint_.path
                    (await_lines if breakpoint_.mode else lines).add(line)
            specs[key] = (path, frozenset(lines), frozenset(await_lines))
        return specs
