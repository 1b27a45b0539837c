"""Running the user's program exactly as ``python SCRIPT | -m MODULE | -c CODE`` would.

The program must not be able to tell it runs under Coroscope: same ``sys.argv``, ``sys.path[0]``,
``__main__`` module (a fresh one, with the attributes the interpreter gives it), same tracebacks on
stderr (the runtime's frames are spliced out), same exit code.
"""
import builtins
import importlib.machinery
import io
import os
import runpy
import signal
import sys
import types

from . import paths


class Target:
    """What to run: kind is "script", "module" or "code"; ``value`` the path, module name or source."""

    def __init__(self, kind, value, args):
        self.kind = kind
        self.value = value
        self.args = list(args)


def _program_name():
    orig = getattr(sys, "orig_argv", None)
    return orig[0] if orig else sys.executable


def _fresh_main():
    main = types.ModuleType("__main__")
    main.__dict__["__builtins__"] = builtins
    main.__dict__["__annotations__"] = {}
    return main


def _set_path0(value):
    # With -P / PYTHONSAFEPATH the interpreter adds nothing, and neither do we.
    if getattr(sys.flags, "safe_path", False):
        return
    if sys.path:
        sys.path[0] = value
    else:
        sys.path.insert(0, value)


def _set_orig_argv(tail):
    if hasattr(sys, "orig_argv"):
        sys.orig_argv = [sys.orig_argv[0]] + tail


class Prepared:
    """A program ready to run: ``run()`` executes it; ``entry_code`` is its first code object if known."""

    def __init__(self, run, entry_code=None, via_runpy=False):
        self.run = run
        self.entry_code = entry_code
        # Modules (and directories/zips) run through runpy, which reports their code object itself.
        self.via_runpy = via_runpy


def prepare(target, on_module_code=None):
    """Set up argv, sys.path and ``__main__`` for ``target`` and return a Prepared.

    May raise SystemExit with the interpreter's own message (file not found, syntax error is reported when
    run). ``on_module_code`` is called with the code object of a ``-m`` module just before it runs.
    """
    if target.kind == "code":
        sys.argv[:] = ["-c"] + target.args
        _set_orig_argv(["-c", target.value] + target.args)
        _set_path0("")
        main = _fresh_main()
        main.__loader__ = importlib.machinery.BuiltinImporter
        sys.modules["__main__"] = main
        return _compiled(target.value, "<string>", main)
    if target.kind == "module":
        sys.argv[:] = ["-m"] + target.args
        _set_orig_argv(["-m", target.value] + target.args)
        _set_path0(os.getcwd())
        sys.modules["__main__"] = _fresh_main()
        return Prepared(lambda: _run_module(target.value, True, on_module_code), via_runpy=True)
    script = target.value
    sys.argv[:] = [script] + target.args
    _set_orig_argv([script] + target.args)
    if os.path.isdir(script) or _is_zipfile(script):
        _set_path0(script)
        sys.modules["__main__"] = _fresh_main()
        return Prepared(lambda: _run_module("__main__", False, on_module_code), via_runpy=True)
    filename = script if sys.version_info < (3, 9) else os.path.abspath(script)
    try:
        with io.open_code(script) as source_file:
            source = source_file.read()
    except OSError as error:
        shown = script if sys.version_info < (3, 9) else os.path.abspath(script)
        sys.stderr.write("%s: can't open file %r: [Errno %d] %s\n"
                         % (_program_name(), shown, error.errno, error.strerror))
        raise SystemExit(2)
    _set_path0(os.path.dirname(os.path.realpath(script)))
    main = _fresh_main()
    main.__file__ = filename
    main.__cached__ = None
    main.__loader__ = importlib.machinery.SourceFileLoader("__main__", filename)
    sys.modules["__main__"] = main
    return _compiled(source, filename, main)


def _is_zipfile(path):
    # zipfile is imported only for paths that could be one: it is slow to import and rarely needed.
    if not os.path.isfile(path) or path.endswith(".py"):
        return False
    import zipfile
    return zipfile.is_zipfile(path)


def _compiled(source, filename, main):
    try:
        code = compile(source, filename, "exec", dont_inherit=True)
    except SyntaxError as error:
        syntax_error = error.with_traceback(None)

        # Reported like the interpreter does: no traceback, just the error, exit code 1.
        def report_syntax_error():
            return report_uncaught(syntax_error)
        return Prepared(report_syntax_error)

    prepared = Prepared(None, code)
    # The runtime may replace entry_code (recompiled with breakpoint hooks) before run() is called.
    prepared.run = lambda: execute(prepared.entry_code, main.__dict__)
    return prepared


def _run_module(name, alter_argv, on_module_code):
    # runpy._run_module_as_main is what `python -m` itself runs, so the module sees the same globals and
    # its tracebacks show the same runpy frames. Its _run_code is wrapped only to learn the code object.
    original = runpy._run_code

    def run_code(code, *args, **kwargs):
        runpy._run_code = original
        if on_module_code is not None:
            code = on_module_code(code) or code
        return original(code, *args, **kwargs)

    runpy._run_code = run_code
    try:
        runpy._run_module_as_main(name, alter_argv)
    except SystemExit:
        raise
    except BaseException as error:
        _tell_uncaught(error)
        return report_uncaught(error)
    finally:
        runpy._run_code = original
    return 0


# Called with an exception about to end the program (before it is printed); set by the runtime.
on_uncaught = None


def _tell_uncaught(error):
    if on_uncaught is not None:
        try:
            on_uncaught(error)
        except Exception:
            pass


def execute(code, namespace):
    """Execute the program's code; returns the exit code for an uncaught exception, 0 otherwise."""
    try:
        exec(code, namespace)
    except SystemExit:
        raise
    except BaseException as error:
        _tell_uncaught(error)
        return report_uncaught(error)
    return 0


def _without_runtime_frames(tb):
    head = None
    last = None
    while tb is not None:
        if not paths.is_runtime_code(tb.tb_frame.f_code):
            if last is None:
                head = tb
            else:
                last.tb_next = tb
            last = tb
        tb = tb.tb_next
    if last is not None:
        last.tb_next = None
    return head


def report_uncaught(error):
    """Print ``error`` as the interpreter does for an uncaught exception; return the exit code."""
    tb = _without_runtime_frames(error.__traceback__)
    error.__traceback__ = tb
    sys.last_type, sys.last_value, sys.last_traceback = type(error), error, tb
    if sys.version_info >= (3, 12):
        sys.last_exc = error
    try:
        sys.excepthook(type(error), error, tb)
    except BaseException:
        sys.__excepthook__(type(error), error, tb)
    if isinstance(error, KeyboardInterrupt):
        return -signal.SIGINT
    return 1


def die_of_signal(signum):
    """End the process by ``signum`` with its default action (after flushing), as the interpreter does."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except Exception:
            pass
    signal.signal(signum, signal.SIG_DFL)
    os.kill(os.getpid(), signum)


def exit_code_of(system_exit):
    """The process exit code the interpreter derives from a SystemExit."""
    code = system_exit.code
    if code is None:
        return 0
    if isinstance(code, int):
        return code & 0xFF
    return 1
