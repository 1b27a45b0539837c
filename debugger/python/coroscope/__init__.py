"""Coroscope runtime: shows every asyncio Task of this process to the Coroscope debug adapter.

Pure standard library, Python 3.8+. Launch mode is ``python -m coroscope --connect HOST:PORT ...``; to let
the adapter attach to a running program call :func:`listen` (or run ``python -m coroscope --listen``).
"""

__version__ = "0.1.0"


def listen(port, host="127.0.0.1", token=None, wait_for_client=False, allow_remote=False):
    """Accept Coroscope debug adapters on (host, port); returns ``(host, port, token)``.

    Without ``token`` the ``COROSCOPE_TOKEN`` environment variable is used, else one is generated; the
    address and a generated token are printed to stderr. With ``wait_for_client`` the call returns only
    once an adapter has connected and finished configuring (its breakpoints are then in place).
    """
    import os
    import secrets
    import sys

    from . import runtime as runtime_module

    if not runtime_module.is_loopback(host) and not allow_remote:
        raise ValueError("listening on %s needs allow_remote=True" % host)
    given = token or os.environ.pop("COROSCOPE_TOKEN", None)
    token = given or secrets.token_urlsafe(24)
    if not runtime_module.is_loopback(host):
        sys.stderr.write("coroscope: WARNING: listening on %s lets other machines connect\n" % host)
    bound = runtime_module.listen(host, port, token)
    message = "Coroscope: listening on %s:%d" % bound
    if not given:
        message += " (token: %s)" % token
    sys.stderr.write(message + "\n")
    rt = runtime_module.get_runtime()
    if wait_for_client:
        rt.wait_configured()
        # This thread may run the code with breakpoints: give it the tracer now (before 3.12 no other
        # thread can).
        rt.tracing_changed()
    return bound[0], bound[1], token
