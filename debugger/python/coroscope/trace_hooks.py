"""Breakpoints without a trace function on 3.8–3.11: functions holding breakpoints run recompiled code.

For each file with line or suspend/resume breakpoints, ``rewrite.py`` recompiles the source with hook
calls at the breakpoint lines. Then:

- every function object of that file whose code is one that changed gets the hooked code
  (``__code__`` swapped, found through ``gc``); enclosing functions too, so nested functions they create
  later are hooked;
- modules imported later get the hooked module code from the source loader (``SourceLoader.get_code``
  wrapped while breakpoints exist), files run with ``runpy.run_path`` (tools, test runners) from
  ``runpy._run_code`` (wrapped the same way: ``run_path`` compiles a file itself, without a loader), and
  the program's main module from ``program_code``;
- when the breakpoints of a file change or the session ends, the functions get their original code back.

What cannot be hooked is traced as before (``trace_settrace.py`` asks ``traced(code)``):
- *fallback files*: no source, source changed since import (live code no longer matches it), or a
  breakpoint line ``rewrite`` cannot place exactly;
- *legacy code*: frames already running (or coroutines suspended in) the original code of a hooked
  function cannot switch code. They are traced until they are gone; a watcher thread checks twice a
  second and turns tracing off then.
"""
import gc
import importlib._bootstrap_external as bootstrap_external
import io
import runpy
import sys
import threading
import time
import types

from . import hooks, paths
from .log import log, log_exception
from .rewrite import RewriteError, own_lines, rewrite

_CO_NEWLOCALS = 0x2
_GENERATOR_TYPES = (types.GeneratorType, types.CoroutineType, types.AsyncGeneratorType)


def _frame_of(obj):
    return getattr(obj, "gi_frame", None) or getattr(obj, "cr_frame", None) or getattr(obj, "ag_frame", None)


def _same_code(a, b):
    # Code equality ignores line tables before 3.10: a source edited by inserting lines would match.
    return a == b and getattr(a, "co_lnotab", None) == getattr(b, "co_lnotab", None)


class _FileHooks:
    """The hooks wanted in one file and what was done about them."""

    def __init__(self, path, lines, await_lines):
        self.path = path
        self.lines = lines
        self.await_lines = await_lines
        # co_filename → Rewritten (or RewriteError), one per spelling of the file's name.
        self.rewrites = {}
        # id(hooked code) → (hooked code, original code) for every swapped function.
        self.swapped = {}
        self.failed = None

    def wanted(self):
        return self.lines | self.await_lines

    def restore_map(self):
        """id(hooked code) → (hooked code, code to give back): swapped functions, and functions created
        from hooked code (an imported module, the main script) which get the plain compilation back."""
        back = {}
        for rewritten in self.rewrites.values():
            if not isinstance(rewritten, RewriteError):
                for original, hooked in rewritten.pairs:
                    back[id(hooked)] = (hooked, original)
        back.update(self.swapped)
        return back

    def rewritten(self, filename):
        result = self.rewrites.get(filename)
        if result is None:
            try:
                with io.open_code(self.path) as source:
                    text = source.read()
                result = rewrite(filename, text, self.lines, self.await_lines)
            except (OSError, RewriteError) as error:
                result = RewriteError(str(error))
            self.rewrites[filename] = result
        return result


class CodeHooks:
    """The hooked files of the current breakpoints, and the code still needing a trace function."""

    def __init__(self, runtime, on_change):
        self._runtime = runtime
        self._on_change = on_change
        self._lock = threading.RLock()
        self._files = {}
        # id(code) → code for every code object of every hooked tree: hook calls from these count.
        self.hooked = {}
        # Canonical paths traced as before 3.8–3.11 hooks existed.
        self.fallback_files = frozenset()
        # id(code) → code: original code of hooked functions that frames still run.
        self.legacy = {}
        self._watching = False
        self._original_get_code = None
        self._original_run_code = None

    # -- configuration ------------------------------------------------------------------------------

    def update(self, specs):
        """Make the hooks match ``specs`` ({canonical path: (path, lines, await lines)}).

        Files whose breakpoint lines did not change are left alone (a stop or a step does not rescan).
        """
        with self._lock:
            changed = {key for key in set(self._files) | set(specs)
                       if key not in self._files or key not in specs
                       or (self._files[key].path, self._files[key].lines, self._files[key].await_lines)
                       != specs[key]}
            if not changed:
                return False
            new_files = dict(self._files)
            for key in changed:
                new_files.pop(key, None)
                if key in specs:
                    path, lines, await_lines = specs[key]
                    new_files[key] = _FileHooks(path, lines, await_lines)
            old_files = {key: self._files[key] for key in changed if key in self._files}
            self._files = new_files
            self._swap(changed, old_files)
            self._recount()
            if self._files:
                self._install_import_hook()
            else:
                self._uninstall_import_hook()
            return True

    def clear(self):
        """Give every function its original code back and stop hooking imports (disconnect)."""
        self.update({})
        with self._lock:
            self.legacy = {}

    def _swap(self, changed, old_files):
        """One pass over the heap: restore the changed files' functions, then hook them anew."""
        restore = {}
        for entry in old_files.values():
            restore.update(entry.restore_map())
        unmatched = {}
        frames = []
        for obj in gc.get_objects():
            if isinstance(obj, types.FunctionType):
                code = obj.__code__
                key = paths.canonical(code.co_filename)
                if key not in changed:
                    continue
                back = restore.get(id(code))
                if back is not None and back[0] is code:
                    code = back[1]
                    obj.__code__ = code
                entry = self._files.get(key)
                if entry is None:
                    continue
                hooked = self._hooked_code_for(entry, code)
                if hooked is not None:
                    entry.swapped[id(hooked)] = (hooked, code)
                    obj.__code__ = hooked
                elif not own_lines(code).isdisjoint(entry.wanted()):
                    unmatched[key] = code
            elif isinstance(obj, _GENERATOR_TYPES):
                frame = _frame_of(obj)
                if frame is not None and paths.canonical(frame.f_code.co_filename) in changed:
                    frames.append((frame, obj))
        for key, code in unmatched.items():
            entry = self._files[key]
            if entry.failed is None:
                entry.failed = "%s (line %d) does not match the source on disk" % (code.co_name, code.co_firstlineno)
        for frame in sys._current_frames().values():
            while frame is not None:
                if paths.canonical(frame.f_code.co_filename) in changed:
                    frames.append((frame, None))
                frame = frame.f_back
        self._find_legacy(frames, changed)

    def _hooked_code_for(self, entry, code):
        """The hooked counterpart of a function's original code, or None (no hook in it, or no match)."""
        rewritten = entry.rewritten(code.co_filename)
        if isinstance(rewritten, RewriteError):
            if entry.failed is None:
                entry.failed = str(rewritten)
            return None
        for original, hooked in rewritten.pairs:
            if original.co_firstlineno == code.co_firstlineno and original.co_name == code.co_name \
                    and _same_code(original, code):
                return hooked
        return None

    def _find_legacy(self, frames, changed):
        """Code that frames of the changed files run, or may still create functions from, without hooks.

        A frame running a function's original code cannot switch code; a frame running the original code
        of an enclosing function (or the module) creates nested functions from its original constants.
        Such code objects with breakpoint lines are traced until no frame and no coroutine runs them.
        """
        legacy = {ident: code for ident, code in self.legacy.items()
                  if paths.canonical(code.co_filename) not in changed}
        hooked_now = self._hooked_ids()
        for frame, _owner in frames:
            code = frame.f_code
            entry = self._files.get(paths.canonical(code.co_filename))
            if entry is None or id(code) in hooked_now:
                # Stale hooked code of removed breakpoints is harmless: its hooks check the current table.
                continue
            wanted = entry.wanted()
            for nested in _all_codes(code):
                if not own_lines(nested).isdisjoint(wanted):
                    legacy[id(nested)] = nested
        self.legacy = legacy
        if legacy:
            log("tracing %d code object(s) that running frames hold without hooks", len(legacy))
            self._start_watch()

    def _hooked_ids(self):
        ids = {}
        for entry in self._files.values():
            for rewritten in entry.rewrites.values():
                if not isinstance(rewritten, RewriteError):
                    for code in _all_codes(rewritten.hooked):
                        ids[id(code)] = code
        return ids

    def _recount(self):
        self.hooked = self._hooked_ids()
        failed = set()
        for key, entry in self._files.items():
            if entry.failed is not None:
                log("breakpoints in %s are traced, not hooked: %s", entry.path, entry.failed)
                failed.add(key)
        if failed:
            # A file that cannot be hooked exactly is traced as a whole: give its functions their code back.
            for key in failed:
                self._restore_file(self._files[key])
        self.fallback_files = frozenset(failed)
        self.hooked = {ident: code for ident, code in self.hooked.items()
                       if paths.canonical(code.co_filename) not in failed}

    def _restore_file(self, entry):
        restore = entry.restore_map()
        if not restore:
            return
        for obj in gc.get_objects():
            if isinstance(obj, types.FunctionType):
                back = restore.get(id(obj.__code__))
                if back is not None and back[0] is obj.__code__:
                    obj.__code__ = back[1]
        entry.swapped = {}

    # -- code that appears later --------------------------------------------------------------------

    def program_code(self, code):
        """The code to run for a module about to execute (the main script, an imported module)."""
        if code is None:
            return code
        with self._lock:
            if id(code) in self.hooked:
                return code
            key = paths.canonical(code.co_filename)
            entry = self._files.get(key)
            if entry is None or entry.failed is not None:
                return code
            rewritten = entry.rewritten(code.co_filename)
            if not isinstance(rewritten, RewriteError) and _same_code(rewritten.original, code):
                for ident, hooked in _codes_by_id(rewritten.hooked).items():
                    self.hooked[ident] = hooked
                return rewritten.hooked
            entry.failed = str(rewritten) if isinstance(rewritten, RewriteError) else \
                "the module's code does not match its source on disk"
            self._recount()
        self._on_change()
        return code

    def _install_import_hook(self):
        if self._original_get_code is not None:
            return
        self._install_runpy_hook()
        original = bootstrap_external.SourceLoader.get_code
        manager = self

        def get_code(loader, fullname):
            code = original(loader, fullname)
            try:
                return manager.program_code(code)
            except Exception:
                log_exception("hooking an imported module")
                return code

        get_code.__doc__ = original.__doc__
        get_code.__coroscope_original__ = original
        self._original_get_code = original
        bootstrap_external.SourceLoader.get_code = get_code

    def _install_runpy_hook(self):
        # Every module runpy executes passes here, the code already made by a loader (``run_module``,
        # hooked above, or the launched ``-m`` module: ``program_code`` returns hooked code unchanged)
        # or compiled by ``run_path`` from a file's source, which no loader sees.
        original = getattr(runpy, "_run_code", None)
        if original is None or self._original_run_code is not None:
            return
        manager = self

        def _run_code(code, *args, **kwargs):
            try:
                code = manager.program_code(code)
            except Exception:
                log_exception("hooking code run by runpy")
            return original(code, *args, **kwargs)

        _run_code.__doc__ = original.__doc__
        _run_code.__coroscope_original__ = original
        self._original_run_code = original
        runpy._run_code = _run_code

    def _uninstall_import_hook(self):
        original_run = self._original_run_code
        if original_run is not None:
            self._original_run_code = None
            if getattr(runpy._run_code, "__coroscope_original__", None) is original_run:
                runpy._run_code = original_run
        original = self._original_get_code
        if original is None:
            return
        self._original_get_code = None
        current = bootstrap_external.SourceLoader.get_code
        if getattr(current, "__coroscope_original__", None) is original:
            bootstrap_external.SourceLoader.get_code = original

    # -- legacy frames ------------------------------------------------------------------------------

    def _start_watch(self):
        if self._watching:
            return
        self._watching = True
        try:
            self._runtime.start_thread(self._watch)
        except Exception:
            self._watching = False
            log_exception("starting the legacy frame watcher")

    def _watch(self):
        try:
            while True:
                time.sleep(0.5)
                with self._lock:
                    if not self.legacy:
                        return
                    if self._legacy_alive():
                        continue
                    self.legacy = {}
                log("no frame runs unhooked code with breakpoints any more: tracing off")
                self._on_change()
                return
        except Exception:
            log_exception("legacy frame watcher")
        finally:
            self._watching = False

    def _legacy_alive(self):
        """True while a frame runs, or may yet create functions from, a legacy code object.

        Functions created meanwhile from legacy code (by a frame of the original enclosing code) get
        their hooked code here, so only calls made before this pass are traced.
        """
        legacy = self.legacy
        alive = False
        stacks = []
        for frame in sys._current_frames().values():
            while frame is not None:
                stacks.append(frame.f_code)
                frame = frame.f_back
        for obj in gc.get_objects():
            if isinstance(obj, types.FunctionType):
                code = obj.__code__
                if id(code) in legacy and legacy[id(code)] is code:
                    entry = self._files.get(paths.canonical(code.co_filename))
                    hooked = self._hooked_code_for(entry, code) if entry is not None else None
                    if hooked is not None:
                        entry.swapped[id(hooked)] = (hooked, code)
                        obj.__code__ = hooked
            elif not alive and isinstance(obj, _GENERATOR_TYPES):
                frame = _frame_of(obj)
                if frame is not None:
                    stacks.append(frame.f_code)
        for code in stacks:
            if self._runs_legacy(code):
                alive = True
        return alive

    def _runs_legacy(self, code):
        legacy = self.legacy
        if id(code) in legacy and legacy[id(code)] is code:
            return True
        if not code.co_flags & _CO_NEWLOCALS or paths.canonical(code.co_filename) not in self._files:
            # A module or class body defines its functions once (the pass above hooked them): it does
            # not keep tracing on for the rest of the program.
            return False
        for nested in _all_codes(code):
            if id(nested) in legacy and legacy[id(nested)] is nested:
                return True
        return False


def _all_codes(code):
    stack = [code]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(const for const in current.co_consts if isinstance(const, types.CodeType))


def _codes_by_id(code):
    return {id(current): current for current in _all_codes(code)}


def install_handler(handler):
    """Route the hook calls of recompiled code to ``handler`` (None: inert)."""
    hooks.set_handler(handler)
