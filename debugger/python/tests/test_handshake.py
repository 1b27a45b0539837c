"""Authentication and robustness of the runtime's listening side (attach mode)."""
import json
import os
import random
import unittest

from tests.client import ListeningRuntime, SocketSession, fixture, read_all

EXPECTED_OUTPUT = b"".join(b"Consumed: %d\n" % i for i in range(5)) + b"total 10\n"


class HandshakeTest(unittest.TestCase):
    """Anything but a hello with the right token closes the connection without a reply."""

    def setUp(self):
        self.runtime = ListeningRuntime([fixture("producer_consumer.py")])

    def tearDown(self):
        if self.runtime.process.poll() is None:
            self.runtime.process.kill()
            self.runtime.process.communicate()

    def assert_rejected(self, payload):
        sock = self.runtime.connect()
        try:
            sock.sendall(payload)
            self.assertEqual(read_all(sock), b"", "the runtime replied to %r" % payload[:60])
        finally:
            sock.close()

    def authenticate(self):
        sock = self.runtime.connect()
        sock.sendall(json.dumps({"type": "hello", "protocol": 1, "token": "attach-token"}).encode() + b"\n")
        session = SocketSession(sock)
        hello = json.loads(session.file.readline().decode("utf-8"))
        return session, hello

    def run_to_end(self, session):
        self.assertTrue(session.request("configurationDone", {})["success"])
        code, out, err = self.runtime.finish()
        session.close()
        self.assertEqual((code, out, err), (0, EXPECTED_OUTPUT, b""))

    def test_rejections_then_good_client(self):
        self.assert_rejected(b"not json at all\n")
        self.assert_rejected(json.dumps({"type": "hello", "protocol": 1, "token": "wrong"}).encode() + b"\n")
        self.assert_rejected(json.dumps({"type": "hello", "protocol": 1}).encode() + b"\n")
        self.assert_rejected(json.dumps({"type": "request", "seq": 1, "command": "threads"}).encode() + b"\n")
        self.assert_rejected(json.dumps([1, 2, 3]).encode() + b"\n")
        self.assert_rejected(b"{" + b" " * (1 << 20) + b"\n")
        self.assert_rejected(b"\xff\xfe\x00garbage\n")
        session, hello = self.authenticate()
        self.assertEqual(hello["type"], "hello")
        self.assertEqual(hello["protocol"], 1)
        self.assertEqual(hello["pid"], self.runtime.process.pid)
        self.assertIn("python", hello)
        self.assertNotIn("token", hello)
        self.run_to_end(session)

    def test_malformed_requests_after_auth(self):
        session, _hello = self.authenticate()
        rng = random.Random(4)
        for _ in range(2000):
            kind = rng.randrange(6)
            if kind == 0:
                session.sock.sendall(bytes(rng.randrange(1, 256) for _ in range(rng.randrange(1, 40)))
                                     .replace(b"\n", b"") + b"\n")
            elif kind == 1:
                session.sock.sendall(json.dumps(rng.choice([1, "x", None, [], {"type": "event"}])).encode() + b"\n")
            elif kind == 2:
                session.send({"type": "request", "command": rng.choice(["threads", "stackTrace", "nope"])})
            else:
                command = rng.choice(["stackTrace", "scopes", "variables", "evaluate", "setBreakpoints",
                                      "continue", "nope", "threads", "next", 7, None])
                args = rng.choice([None, 5, "x", [], {"threadId": "a"}, {"frameId": -1},
                                   {"variablesReference": 99}, {"path": 3}, {"path": "/nonexistent.py",
                                                                              "breakpoints": [{"line": "x"}]}])
                session.seq += 1
                session.send({"type": "request", "seq": session.seq, "command": command, "arguments": args})
                response = session.response(session.seq)
                self.assertIn("success", response)
        # Still alive and answering.
        threads = session.request("threads")
        self.assertTrue(threads["success"])
        session.request("setBreakpoints", {"path": fixture("producer_consumer.py"), "breakpoints": []})
        self.run_to_end(session)


class GeneratedTokenTest(unittest.TestCase):
    """Without --token the runtime makes one up and prints it with the address."""

    def test_generated_token(self):
        runtime = ListeningRuntime([fixture("producer_consumer.py")], token=None)
        try:
            self.assertIn("token: ", runtime.banner)
            token = runtime.banner.split("token: ")[1].rstrip(")\n")
            self.assertGreaterEqual(len(token), 24)
            sock = runtime.connect()
            sock.sendall(json.dumps({"type": "hello", "protocol": 1, "token": token}).encode() + b"\n")
            session = SocketSession(sock)
            self.assertEqual(json.loads(session.file.readline())["type"], "hello")
            self.assertTrue(session.request("configurationDone")["success"])
            code, out, _err = runtime.finish()
            session.close()
            self.assertEqual((code, out), (0, EXPECTED_OUTPUT))
        finally:
            if runtime.process.poll() is None:
                runtime.process.kill()
                runtime.process.communicate()


if __name__ == "__main__":
    unittest.main()
