"""Attach mode: coroscope.listen() from the program's own code, breakpoints, detach."""
import json
import subprocess
import sys
import unittest

from tests.client import SocketSession, TIMEOUT, fixture, line_of, runtime_env

SRC = fixture("attach_in_code.py")


class ListenInCodeTest(unittest.TestCase):
    """An adapter attaches to a program that called coroscope.listen(0, wait_for_client=True)."""

    def start(self):
        process = subprocess.Popen([sys.executable, SRC, "tok"], env=runtime_env(), stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE)
        self.addCleanup(lambda: process.poll() is None and (process.kill(), process.communicate()))
        banner = process.stderr.readline().decode()
        self.assertIn("listening on 127.0.0.1:", banner)
        self.assertNotIn("token", banner)
        port = int(banner.rsplit(":", 1)[1])
        import socket
        sock = socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        sock.sendall(json.dumps({"type": "hello", "protocol": 1, "token": "tok"}).encode() + b"\n")
        session = SocketSession(sock)
        self.addCleanup(session.close)
        self.assertEqual(json.loads(session.file.readline())["type"], "hello")
        return process, session

    def test_breakpoint_then_detach(self):
        process, session = self.start()
        response = session.request("setBreakpoints", {"path": SRC, "breakpoints": [
            {"line": line_of(SRC, "BP-ATTACH")}]})
        self.assertTrue(response["body"]["breakpoints"][0]["verified"])
        session.request("configurationDone", {})
        stopped = session.next_event("stopped")
        self.assertEqual(stopped["reason"], "breakpoint")
        threads = session.request("threads")["body"]["threads"]
        self.assertIn("work", [entry.get("coroutine") for entry in threads])
        session.request("disconnect", {})
        out, err = process.communicate(timeout=TIMEOUT)
        self.assertEqual((process.returncode, out), (0, b"result 3\n"))


class AttachToRunningProgramTest(unittest.TestCase):
    """`python -m coroscope --listen` without waiting: the program is already in its loop when the
    adapter connects and sets a breakpoint."""

    def test_breakpoint_in_running_loop(self):
        import os
        import tempfile
        from tests.client import attach_when_ready
        source = fixture("wait_for_file.py")
        with tempfile.TemporaryDirectory() as directory:
            flag = os.path.join(directory, "go")
            runtime, session = attach_when_ready(self, [source, flag])
            session.request("setBreakpoints", {"path": source, "breakpoints": [{"line": line_of(source, "BP-GO")}]})
            session.request("configurationDone", {})
            open(flag, "w").close()
            self.assertEqual(session.next_event("stopped")["reason"], "breakpoint")
            session.request("continue")
            code, out, _err = runtime.finish()
            self.assertEqual((code, out), (0, b"go\n"))


if __name__ == "__main__":
    unittest.main()
