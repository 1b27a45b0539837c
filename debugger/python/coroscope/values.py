"""Variables of stopped frames: lazy expansion by reference, short and safe representations, evaluate."""
import reprlib
import sys

_repr = reprlib.Repr()
_repr.maxstring = 200
_repr.maxother = 200
_repr.maxlong = 100
_repr.maxlist = _repr.maxtuple = _repr.maxset = _repr.maxfrozenset = _repr.maxdeque = 20
_repr.maxdict = 20
_repr.maxlevel = 3

_SCALARS = (int, float, complex, str, bytes, bytearray, bool, type(None), type(Ellipsis))
MAX_CHILDREN = 1000


def safe_repr(value):
    """A bounded repr that never raises (a failing ``__repr__`` is shown, not propagated)."""
    try:
        return _repr.repr(value)
    except Exception as error:
        try:
            return "<repr failed: %s: %s>" % (type(error).__name__, error)
        except Exception:
            return "<repr failed>"


def type_name(value):
    """The value's type as the user would write it."""
    kind = type(value)
    module = getattr(kind, "__module__", "builtins")
    name = getattr(kind, "__qualname__", kind.__name__)
    return name if module in ("builtins", "__main__") else "%s.%s" % (module, name)


def children(value):
    """(name, child) pairs of a container or object, or [] for scalars. Never raises."""
    if isinstance(value, _SCALARS):
        return []
    try:
        if isinstance(value, dict):
            return [("[%s]" % safe_repr(key), item) for key, item in _first(value.items())]
        if isinstance(value, (list, tuple)) or type(value).__name__ == "deque":
            return [("[%d]" % index, item) for index, item in enumerate(_first(value))]
        if isinstance(value, (set, frozenset)):
            return [("[%d]" % index, item) for index, item in enumerate(_first(value))]
        pairs = []
        attributes = getattr(value, "__dict__", None)
        if isinstance(attributes, dict):
            pairs.extend((str(name), item) for name, item in _first(attributes.items()))
        for klass in type(value).__mro__:
            slots = klass.__dict__.get("__slots__", ())
            if isinstance(slots, str):
                slots = (slots,)
            for slot in slots:
                if slot in ("__dict__", "__weakref__"):
                    continue
                try:
                    pairs.append((slot, getattr(value, slot)))
                except Exception:
                    pass
        return pairs
    except Exception:
        return []


def _first(iterable):
    result = []
    for item in iterable:
        if len(result) >= MAX_CHILDREN:
            break
        result.append(item)
    return result


class References:
    """Variable references valid for one stop; 0 means "no children"."""

    def __init__(self):
        self._next = 1
        self._items = {}

    def clear(self):
        """Invalidate every reference (the program resumed)."""
        self._items.clear()

    def add_scope(self, mapping, frame=None, is_locals=False):
        """A reference whose children are the entries of a namespace (locals, globals) of ``frame``."""
        return self._add(("scope", mapping, frame, is_locals))

    def _add(self, item):
        ref = self._next
        self._next += 1
        self._items[ref] = item
        return ref

    def variable(self, name, value, frame=None):
        """The protocol's variable object for ``value``, giving it a reference when it has children."""
        expandable = not isinstance(value, _SCALARS) and bool(children(value))
        return {
            "name": name,
            "value": safe_repr(value),
            "type": type_name(value),
            "variablesReference": self._add(("value", value, frame, False)) if expandable else 0,
        }

    def variables(self, ref, start=0, count=0):
        """Children of reference ``ref`` (paged by start/count); KeyError for a stale reference."""
        kind, payload, frame, _is_locals = self._items[ref]
        if kind == "scope":
            pairs = [(str(name), value) for name, value in list(payload.items())]
        else:
            pairs = children(payload)
        if start:
            pairs = pairs[start:]
        if count:
            pairs = pairs[:count]
        return [self.variable(name, value, frame) for name, value in pairs]

    def set_variable(self, ref, name, expression):
        """Assign the value of ``expression`` to child ``name`` of ``ref``; returns its new variable.

        The expression is evaluated where the reference comes from (its frame, else ``__main__``).
        Locals of a running function are written back into the frame (PEP 667 on 3.13, the C helper
        ``PyFrame_LocalsToFast`` before).
        """
        kind, payload, frame, is_locals = self._items[ref]
        if frame is not None:
            frame_globals, frame_locals = frame.f_globals, frame.f_locals
        else:
            main = sys.modules.get("__main__")
            frame_globals = frame_locals = getattr(main, "__dict__", {})
        value = eval(compile(expression, "<coroscope-set-variable>", "eval"), frame_globals, frame_locals)
        if kind == "scope":
            if is_locals and frame is not None:
                _set_local(frame, name, value)
            else:
                payload[name] = value
        else:
            _set_child(payload, name, value)
        return self.variable(name, value, frame)


def _set_local(frame, name, value):
    if sys.version_info >= (3, 13):
        frame.f_locals[name] = value
        return
    import ctypes
    frame.f_locals[name] = value
    ctypes.pythonapi.PyFrame_LocalsToFast(ctypes.py_object(frame), ctypes.c_int(0))


def _set_child(container, name, value):
    if name.startswith("[") and name.endswith("]"):
        inner = name[1:-1]
        if isinstance(container, dict):
            for key in list(container):
                if safe_repr(key) == inner:
                    container[key] = value
                    return
            raise KeyError(inner)
        container[int(inner)] = value
        return
    setattr(container, name, value)


# ast.PyCF_ALLOW_TOP_LEVEL_AWAIT (3.8+), without importing ast; and the flag it gives code that awaits.
_ALLOW_TOP_LEVEL_AWAIT = 0x2000
_CO_COROUTINE = 0x80


def evaluate(expression, frame_globals, frame_locals, loop=None):
    """Evaluate ``expression`` (or execute it as statements); returns the value, None for statements.

    ``await`` is allowed (see ``awaiting.await_now``): ``loop`` is the event loop of the stopped thread, the
    one the awaited code may ask for, or None.
    """
    try:
        code = compile(expression, "<coroscope-evaluate>", "eval", _ALLOW_TOP_LEVEL_AWAIT)
        statements = False
    except SyntaxError:
        code = compile(expression, "<coroscope-evaluate>", "exec", _ALLOW_TOP_LEVEL_AWAIT)
        statements = True
    if code.co_flags & _CO_COROUTINE:
        from .awaiting import await_now
        # Code that awaits evaluates to a coroutine (exec would drop it): run it to its end, or refuse.
        value = await_now(eval(code, frame_globals, frame_locals), loop)
        return None if statements else value
    if statements:
        exec(code, frame_globals, frame_locals)
        return None
    return eval(code, frame_globals, frame_locals)


def describe_error():
    """The current exception as ``Type: message`` for failure responses."""
    kind, error = sys.exc_info()[:2]
    return "%s: %s" % (kind.__name__, error) if kind is not None else "error"
