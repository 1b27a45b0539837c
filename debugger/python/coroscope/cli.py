"""``python -m coroscope``: run a program under the runtime, connecting to or listening for the adapter."""
import atexit
import os
import sys

from . import program, runtime as runtime_module

USAGE = """usage: python -m coroscope (--connect HOST:PORT | --listen [HOST:]PORT [--wait-for-client]
                          [--allow-remote]) [--token TOKEN] (-m MODULE | -c CODE | SCRIPT) [ARGS...]
"""


class UsageError(Exception):
    """Bad command line."""


class Options:
    """Parsed command line."""

    def __init__(self):
        self.connect = None
        self.listen = None
        self.token = None
        self.wait_for_client = False
        self.allow_remote = False
        self.target = None


def _address(text, default_host):
    host, separator, port = text.rpartition(":")
    if not separator:
        host = default_host
    host = host.strip("[]") or default_host
    try:
        number = int(port)
    except ValueError:
        raise UsageError("bad port in %r" % text)
    if not 0 <= number <= 65535:
        raise UsageError("bad port in %r" % text)
    return host, number


def parse(argv):
    """Parse our options up to the program (the program's own arguments are never looked at)."""
    options = Options()
    index = 0
    while index < len(argv):
        arg = argv[index]

        def value():
            if index + 1 >= len(argv):
                raise UsageError("%s needs a value" % arg)
            return argv[index + 1]

        if arg == "--connect":
            options.connect = _address(value(), "127.0.0.1")
            index += 2
        elif arg == "--listen":
            options.listen = _address(value(), "127.0.0.1")
            index += 2
        elif arg == "--token":
            options.token = value()
            index += 2
        elif arg == "--wait-for-client":
            options.wait_for_client = True
            index += 1
        elif arg == "--allow-remote":
            options.allow_remote = True
            index += 1
        elif arg in ("-m", "-c"):
            options.target = program.Target("module" if arg == "-m" else "code", value(), argv[index + 2:])
            break
        elif arg == "--":
            if index + 1 >= len(argv):
                raise UsageError("no program given")
            options.target = program.Target("script", argv[index + 1], argv[index + 2:])
            break
        elif arg.startswith("-") and arg != "-":
            raise UsageError("unknown option %s" % arg)
        else:
            options.target = program.Target("script", arg, argv[index + 1:])
            break
    if options.target is None:
        raise UsageError("no program given")
    if (options.connect is None) == (options.listen is None):
        raise UsageError("give exactly one of --connect and --listen")
    return options


def main(argv=None):
    """Entry point of ``python -m coroscope``; returns only through SystemExit with the program's code."""
    try:
        options = parse(sys.argv[1:] if argv is None else argv)
    except UsageError as error:
        sys.stderr.write(USAGE + "coroscope: error: %s\n" % error)
        raise SystemExit(2)
    token = options.token or os.environ.get("COROSCOPE_TOKEN")
    # The program must not see the session token.
    os.environ.pop("COROSCOPE_TOKEN", None)
    runtime = runtime_module.get_runtime()
    if options.connect is not None:
        if not token:
            sys.stderr.write("coroscope: error: --connect needs --token or COROSCOPE_TOKEN\n")
            raise SystemExit(2)
        try:
            conn, peer = runtime_module.connect(options.connect[0], options.connect[1], token)
        except (OSError, ConnectionError) as error:
            sys.stderr.write("coroscope: cannot connect to the debug adapter at %s:%d: %s\n"
                             % (options.connect[0], options.connect[1], error))
            raise SystemExit(2)
        atexit.register(runtime.at_exit)
        runtime_module.start_session(conn, peer)
        runtime.wait_configured()
    else:
        host, port = options.listen
        if not runtime_module.is_loopback(host) and not options.allow_remote:
            sys.stderr.write("coroscope: error: listening on %s needs --allow-remote\n" % host)
            raise SystemExit(2)
        if not token:
            import secrets
            token = secrets.token_urlsafe(24)
            generated = True
        else:
            generated = False
        _warn_remote(host)
        try:
            bound = runtime_module.listen(host, port, token)
        except OSError as error:
            sys.stderr.write("coroscope: cannot listen on %s:%d: %s\n" % (host, port, error))
            raise SystemExit(2)
        message = "Coroscope: listening on %s:%d" % bound
        if generated:
            message += " (token: %s)" % token
        sys.stderr.write(message + "\n")
        sys.stderr.flush()
        atexit.register(runtime.at_exit)
        if options.wait_for_client:
            runtime.wait_configured()
    _run(runtime, options.target)


def _warn_remote(host):
    if not runtime_module.is_loopback(host):
        sys.stderr.write("coroscope: WARNING: listening on %s lets other machines connect; anyone with the "
                         "token can run code in this process\n" % host)


def _run(runtime, target):
    try:
        prepared = program.prepare(target, runtime.before_program)
        if not prepared.via_runpy:
            prepared.entry_code = runtime.before_program(prepared.entry_code)
        code = prepared.run()
    except SystemExit as exit_:
        runtime.exit_code = program.exit_code_of(exit_)
        raise
    if code < 0:
        # An uncaught KeyboardInterrupt: like the interpreter, die of SIGINT after a normal shutdown
        # (runtime.at_exit, the last atexit handler, does it once the adapter has been told).
        runtime.exit_code = 128 - code
        runtime.exit_signal = -code
        return
    runtime.exit_code = code
    if code:
        raise SystemExit(code)
