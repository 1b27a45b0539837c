"""A small test client that speaks the runtime protocol over a real socket to ``python -m coroscope``."""
import json
import os
import queue
import socket
import subprocess
import sys
import threading
import time

PYTHON_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIXTURES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixtures")
TIMEOUT = 30.0


def fixture(name):
    """Absolute path of a fixture program."""
    return os.path.join(FIXTURES, name)


def runtime_env(extra=None):
    """The environment the adapter gives the program: PYTHONPATH reaching the coroscope package."""
    env = dict(os.environ)
    env["PYTHONPATH"] = PYTHON_DIR + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    env.pop("COROSCOPE_TOKEN", None)
    env["PYTHONUNBUFFERED"] = env.get("PYTHONUNBUFFERED", "")
    if not env["PYTHONUNBUFFERED"]:
        del env["PYTHONUNBUFFERED"]
    if extra:
        env.update(extra)
    return env


class ProtocolClient:
    """The adapter's side of a launch: listen, start the runtime, exchange messages."""

    def __init__(self, program_args, token="secret-token", cwd=None, env=None, hello=True):
        self.token = token
        self._server = socket.socket()
        self._server.bind(("127.0.0.1", 0))
        self._server.listen(1)
        self._server.settimeout(TIMEOUT)
        port = self._server.getsockname()[1]
        command = [sys.executable, "-m", "coroscope", "--connect", "127.0.0.1:%d" % port, "--token", token]
        self.process = subprocess.Popen(command + list(program_args), cwd=cwd, env=env or runtime_env(),
                                        stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self._seq = 0
        self._responses = {}
        self._events = queue.Queue()
        self._cond = threading.Condition()
        self.sock = None
        self.runtime_hello = None
        self._closed = False
        if hello:
            self.accept()

    def accept(self):
        """Accept the runtime's connection, check its hello and answer with ours."""
        self.sock, _ = self._server.accept()
        self.sock.settimeout(None)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self._file = self.sock.makefile("rb")
        line = self._file.readline()
        self.runtime_hello = json.loads(line.decode("utf-8"))
        self.send_raw({"type": "hello", "protocol": 1})
        threading.Thread(target=self._read, daemon=True).start()
        return self.runtime_hello

    def send_raw(self, message):
        """Send one JSON line."""
        self.sock.sendall(json.dumps(message).encode("utf-8") + b"\n")

    def _read(self):
        try:
            for line in self._file:
                message = json.loads(line.decode("utf-8"))
                if message.get("type") == "response":
                    with self._cond:
                        self._responses[message["request_seq"]] = message
                        self._cond.notify_all()
                elif message.get("type") == "event":
                    self._events.put(message)
        except (OSError, ValueError):
            pass
        finally:
            with self._cond:
                self._closed = True
                self._cond.notify_all()
            self._events.put(None)

    def request(self, command, arguments=None, expect_success=True):
        """Send a request and wait for its response (returns the whole response)."""
        self._seq += 1
        seq = self._seq
        self.send_raw({"type": "request", "seq": seq, "command": command, "arguments": arguments or {}})
        deadline = time.monotonic() + TIMEOUT
        with self._cond:
            while seq not in self._responses:
                if self._closed:
                    raise AssertionError("connection closed while waiting for %s" % command)
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError("no response to %s" % command)
                self._cond.wait(left)
            response = self._responses.pop(seq)
        if expect_success and not response.get("success"):
            raise AssertionError("%s failed: %s" % (command, response.get("message")))
        return response

    def body(self, command, arguments=None):
        """Send a request that must succeed and return its body."""
        return self.request(command, arguments)["body"]

    def wait_event(self, name):
        """Wait for the next event called ``name`` (other events are skipped) and return its body."""
        deadline = time.monotonic() + TIMEOUT
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError("no %s event" % name)
            try:
                event = self._events.get(timeout=left)
            except queue.Empty:
                raise AssertionError("no %s event" % name)
            if event is None:
                raise AssertionError("connection closed before a %s event" % name)
            if event["event"] == name:
                return event["body"]

    def wait_any(self, names):
        """Wait for the next event whose name is in ``names``; returns (name, body)."""
        deadline = time.monotonic() + TIMEOUT
        while True:
            left = deadline - time.monotonic()
            try:
                event = self._events.get(timeout=max(left, 0.01))
            except queue.Empty:
                raise AssertionError("none of %s arrived" % (names,))
            if event is None:
                raise AssertionError("connection closed before any of %s" % (names,))
            if event["event"] in names:
                return event["event"], event["body"]

    def finish(self):
        """Wait for the process to end; returns (exit code, stdout bytes, stderr bytes)."""
        try:
            out, err = self.process.communicate(timeout=TIMEOUT)
        finally:
            self.close()
        return self.process.returncode, out, err

    def close(self):
        """Close sockets and make sure the child is gone."""
        if self.process.poll() is None:
            self.process.kill()
            self.process.communicate()
        for closable in (getattr(self, "_file", None), self.sock, self._server):
            try:
                if closable is not None:
                    closable.close()
            except OSError:
                pass


def run_plain(program_args, cwd=None, env=None):
    """Run the program without Coroscope; returns (exit code, stdout, stderr)."""
    result = subprocess.run([sys.executable] + list(program_args), cwd=cwd, env=env or runtime_env(),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=TIMEOUT)
    return result.returncode, result.stdout, result.stderr


def line_of(path, marker):
    """The 1-based line of ``path`` that carries the comment ``marker``."""
    with open(path, encoding="utf-8") as source:
        for number, text in enumerate(source, 1):
            if marker in text:
                return number
    raise AssertionError("%s not found in %s" % (marker, path))


class ListeningRuntime:
    """``python -m coroscope --listen 127.0.0.1:0 ...`` started in attach mode; knows its port."""

    def __init__(self, program_args, token="attach-token", wait=True):
        command = [sys.executable, "-m", "coroscope", "--listen", "127.0.0.1:0"]
        if token is not None:
            command += ["--token", token]
        if wait:
            command.append("--wait-for-client")
        self.process = subprocess.Popen(command + list(program_args), env=runtime_env(),
                                        stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.banner = self.process.stderr.readline().decode("utf-8")
        if "listening on" not in self.banner:
            self.process.kill()
            raise AssertionError("no listening banner: %r" % self.banner)
        self.port = int(self.banner.split("listening on ")[1].split()[0].rsplit(":", 1)[1])

    def connect(self):
        """A raw socket connected to the runtime."""
        sock = socket.create_connection(("127.0.0.1", self.port), timeout=TIMEOUT)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return sock

    def finish(self):
        """Wait for the process; returns (exit code, stdout, rest of stderr)."""
        try:
            out, err = self.process.communicate(timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            self.process.kill()
            out, err = self.process.communicate()
        return self.process.returncode, out, err


def read_all(sock):
    """Everything the peer sends until it closes the connection."""
    chunks = []
    while True:
        try:
            chunk = sock.recv(65536)
        except socket.timeout:
            raise AssertionError("the runtime kept the connection open")
        except OSError:
            break
        if not chunk:
            break
        chunks.append(chunk)
    return b"".join(chunks)


class SocketSession:
    """A minimal synchronous client over an already-authenticated raw socket (attach tests)."""

    def __init__(self, sock):
        self.sock = sock
        self.file = sock.makefile("rb")
        self.seq = 0
        # Events read while waiting for a response: a stop can be announced before the response to the
        # request that let the program run (configurationDone, continue) is written.
        self.events = []

    def close(self):
        """Close the socket."""
        self.file.close()
        self.sock.close()

    def send(self, message):
        """Send one JSON line."""
        self.sock.sendall(json.dumps(message).encode("utf-8") + b"\n")

    def request(self, command, arguments=None):
        """Send a request and return its response, skipping events."""
        self.seq += 1
        self.send({"type": "request", "seq": self.seq, "command": command, "arguments": arguments or {}})
        return self.response(self.seq)

    def response(self, seq):
        """The response to request ``seq`` (events before it are skipped)."""
        while True:
            line = self.file.readline()
            if not line:
                raise AssertionError("connection closed")
            message = json.loads(line.decode("utf-8"))
            if message.get("type") == "response" and message.get("request_seq") == seq:
                return message
            if message.get("type") == "event":
                self.events.append(message)

    def next_event(self, name):
        """The body of the next ``name`` event (kept ones first); events of other names are skipped."""
        while self.events:
            message = self.events.pop(0)
            if message["event"] == name:
                return message["body"]
        while True:
            line = self.file.readline()
            if not line:
                raise AssertionError("connection closed before a %s event" % name)
            message = json.loads(line.decode("utf-8"))
            if message.get("type") == "event" and message["event"] == name:
                return message["body"]


def attach_when_ready(testcase, program_args, token="attach-token"):
    """Start ``python -m coroscope --listen`` without waiting for a client, wait for the program to print
    ``ready`` (it is then in its event loop), connect and authenticate. Returns (runtime, session); both are
    cleaned up with the test."""
    runtime = ListeningRuntime(program_args, token=token, wait=False)
    testcase.addCleanup(lambda: runtime.process.poll() is None and (runtime.process.kill(),
                                                                    runtime.process.communicate()))
    testcase.assertEqual(runtime.process.stdout.readline(), b"ready\n")
    sock = runtime.connect()
    sock.sendall(json.dumps({"type": "hello", "protocol": 1, "token": token}).encode() + b"\n")
    session = SocketSession(sock)
    testcase.addCleanup(session.close)
    testcase.assertEqual(json.loads(session.file.readline())["type"], "hello")
    return runtime, session


def launch_when_ready(testcase, program_args):
    """Launch ``program_args`` under the runtime with nothing set, and wait until the program prints
    ``ready`` (it is then in its event loop). The client is closed with the test."""
    client = ProtocolClient(program_args)
    testcase.addCleanup(client.close)
    client.body("configurationDone", {})
    testcase.assertEqual(client.process.stdout.readline(), b"ready\n")
    return client
