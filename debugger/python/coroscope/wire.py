"""Framing of the runtime protocol: newline-delimited UTF-8 JSON over one TCP socket."""
import json
import os
import socket
import sys
import threading

PROTOCOL_VERSION = 1
RUNTIME_VERSION = "0.1.0"
MAX_LINE = 1 << 20
HANDSHAKE_TIMEOUT = 10.0


class ProtocolError(Exception):
    """The peer sent something that ends the connection (oversized line, closed socket)."""


class Connection:
    """One socket, read by a single thread and written by any thread (writes are serialized)."""

    def __init__(self, sock):
        self._sock = sock
        self._buffer = b""
        self._send_lock = threading.Lock()
        self.closed = False

    def send(self, message):
        """Send one message; returns False (and marks the connection closed) if the peer is gone."""
        data = json.dumps(message, separators=(",", ":"), default=str).encode("utf-8") + b"\n"
        with self._send_lock:
            if self.closed:
                return False
            try:
                self._sock.sendall(data)
                return True
            except OSError:
                self.closed = True
                return False

    def read_line(self):
        """Return the next line (bytes, without the newline); raise ProtocolError at EOF or over 1 MiB."""
        while True:
            newline = self._buffer.find(b"\n")
            if newline >= 0:
                line, self._buffer = self._buffer[:newline], self._buffer[newline + 1:]
                if len(line) > MAX_LINE:
                    raise ProtocolError("line over 1 MiB")
                return line
            if len(self._buffer) > MAX_LINE:
                raise ProtocolError("line over 1 MiB")
            try:
                chunk = self._sock.recv(65536)
            except socket.timeout:
                raise ProtocolError("timed out")
            except OSError as error:
                raise ProtocolError(str(error))
            if not chunk:
                raise ProtocolError("connection closed")
            self._buffer += chunk

    def read_message(self):
        """Return the next JSON object, or None for a line that is not one (the caller ignores it)."""
        line = self.read_line()
        try:
            message = json.loads(line.decode("utf-8"))
        except ValueError:
            return None
        return message if isinstance(message, dict) else None

    def settimeout(self, seconds):
        """Set the socket timeout (the handshake has 10 s; afterwards reads block)."""
        try:
            self._sock.settimeout(seconds)
        except OSError:
            pass

    def close(self):
        """Close the socket; safe to call twice."""
        with self._send_lock:
            self.closed = True
        try:
            self._sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        try:
            self._sock.close()
        except OSError:
            pass


def runtime_info():
    """What the runtime's hello says about this process."""
    return {
        "pid": os.getpid(),
        "python": "%d.%d.%d" % sys.version_info[:3],
        "implementation": sys.implementation.name,
        "runtimeVersion": RUNTIME_VERSION,
    }


def hello(token=None):
    """The runtime's hello message, carrying the token when the runtime is the connecting side."""
    message = {"type": "hello", "protocol": PROTOCOL_VERSION}
    if token is not None:
        message["token"] = token
    message.update(runtime_info())
    return message


def token_matches(message, token):
    """Constant-time check that ``message`` is a hello carrying ``token``."""
    if not isinstance(message, dict) or message.get("type") != "hello":
        return False
    offered = message.get("token")
    if not isinstance(offered, str):
        return False
    import hmac  # listening side only: a launch (the runtime connects) never loads hashlib
    return hmac.compare_digest(offered.encode("utf-8"), token.encode("utf-8"))


def accept_handshake(conn, token):
    """Listening side: read the peer's hello within 10 s; True when the token is right.

    Anything else is answered with silence: the caller closes the connection without a reply.
    """
    conn.settimeout(HANDSHAKE_TIMEOUT)
    try:
        message = conn.read_message()
    except ProtocolError:
        return None
    if not token_matches(message, token):
        return None
    conn.settimeout(None)
    return message


def connect_handshake(conn, token):
    """Connecting side: send our hello with the token and return the listener's hello (or None)."""
    conn.settimeout(HANDSHAKE_TIMEOUT)
    if not conn.send(hello(token)):
        return None
    try:
        message = conn.read_message()
    except ProtocolError:
        return None
    if not isinstance(message, dict) or message.get("type") != "hello":
        return None
    conn.settimeout(None)
    return message
