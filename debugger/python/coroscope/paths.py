"""Which code belongs to the user, to asyncio, or to the runtime itself; creation sites."""
import os
import sys
from importlib.machinery import PathFinder


def _asyncio_dir():
    # Where ``import asyncio`` finds the package, without importing it (the runtime leaves that to the
    # program: see aio.py).
    module = sys.modules.get("asyncio")
    origin = getattr(module, "__file__", None)
    if origin is None:
        spec = PathFinder.find_spec("asyncio")
        origin = getattr(spec, "origin", None) or os.path.join(os.path.dirname(os.__file__), "asyncio", "")
    return os.path.dirname(os.path.abspath(origin))


RUNTIME_DIR = os.path.dirname(os.path.abspath(__file__))
ASYNCIO_DIR = _asyncio_dir()
_RUNPY = os.path.abspath(__import__("runpy").__file__)
_start_cwd = os.getcwd()
_canonical = {}

# Frames the user never wants to see: the runtime's own and the interpreter's start-up machinery.
_hidden_prefixes = (RUNTIME_DIR + os.sep,)


def canonical(filename):
    """A path normalized for comparing breakpoint files with code objects' ``co_filename``."""
    result = _canonical.get(filename)
    if result is None:
        if filename.startswith("<") and filename.endswith(">"):
            result = filename
        else:
            result = os.path.normcase(os.path.realpath(os.path.join(_start_cwd, filename)))
        _canonical[filename] = result
    return result


def is_runtime_code(code):
    """True for code of the runtime package (never shown, never stopped in)."""
    return code.co_filename.startswith(_hidden_prefixes)


def is_asyncio_code(code):
    """True for code of the asyncio package (the event loop's own machinery)."""
    return code.co_filename.startswith(ASYNCIO_DIR)


def is_hidden_frame(frame):
    """Frames left out of stacks: the runtime's, runpy's and importlib's bootstrap."""
    filename = frame.f_code.co_filename
    return (filename.startswith(_hidden_prefixes) or filename == _RUNPY
            or filename.startswith("<frozen importlib") or filename == "<frozen runpy>")


def creation_site(frame, depth=3):
    """Up to ``depth`` (code, line) pairs of the frames that created a task, asyncio's frames skipped.

    Stored flat, without frame or traceback objects, so a task's record stays small.
    """
    site = []
    while frame is not None and len(site) < depth * 2:
        code = frame.f_code
        if not (is_asyncio_code(code) or is_runtime_code(code)):
            site.append(code)
            site.append(frame.f_lineno)
        frame = frame.f_back
    return tuple(site)


def code_name(code):
    """The qualified name of a code object where the interpreter knows it."""
    return getattr(code, "co_qualname", None) or code.co_name


def site_to_json(site):
    """The first pair of a creation site as the protocol's ``createdAt``."""
    if not site:
        return None
    code, line = site[0], site[1]
    return {"file": display_path(code.co_filename), "line": line, "function": code_name(code)}


def display_path(filename):
    """An absolute path for files, the pseudo-name unchanged for ``<string>`` and the like."""
    if filename.startswith("<"):
        return filename
    return os.path.abspath(os.path.join(_start_cwd, filename))
