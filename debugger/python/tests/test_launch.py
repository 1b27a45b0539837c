"""The program sees the argv, __main__, sys.path and exit code it would have without Coroscope, and its
stdout/stderr are byte-identical."""
import os
import subprocess
import sys
import unittest

from tests.client import FIXTURES, ProtocolClient, fixture, line_of, run_plain


def run_debugged(program_args, cwd=None):
    client = ProtocolClient(program_args, cwd=cwd)
    client.body("configurationDone", {})
    terminated = client.wait_event("terminated")
    code, out, err = client.finish()
    return code, out, err, terminated


class LaunchIdentityTest(unittest.TestCase):
    """Same program, run plainly and under `python -m coroscope --connect`: same observable behaviour."""

    def assert_identical(self, program_args, expected_code=None, cwd=None):
        plain = run_plain(program_args, cwd=cwd)
        code, out, err, terminated = run_debugged(program_args, cwd=cwd)
        self.assertEqual((code, out, err), plain, "with vs without Coroscope for %r" % (program_args,))
        if expected_code is not None:
            self.assertEqual(code, expected_code)
            self.assertEqual(terminated.get("exitCode"), expected_code)
        return plain

    def test_script_ok(self):
        _code, out, _err = self.assert_identical([fixture("identity.py"), "ok"], 0)
        self.assertIn(b"path0 " + FIXTURES.encode(), out)
        self.assertIn(b"token False", out)

    def test_relative_script_path(self):
        self.assert_identical([os.path.join("fixtures", "identity.py"), "ok"], 0,
                              cwd=os.path.dirname(FIXTURES))

    def test_exit_code(self):
        self.assert_identical([fixture("identity.py"), "exit", "7"], 7)

    def test_exit_message(self):
        _code, _out, err = self.assert_identical([fixture("identity.py"), "message", "bad"], 1)
        self.assertIn(b"fatal: bad", err)

    def test_uncaught_exception_traceback(self):
        _code, _out, err = self.assert_identical([fixture("identity.py"), "raise", "x"], 1)
        self.assertIn(b"Traceback (most recent call last)", err)
        self.assertNotIn(b"coroscope", err)

    def test_stderr(self):
        self.assert_identical([fixture("identity.py"), "stderr"], 0)

    def test_syntax_error(self):
        _code, _out, err = self.assert_identical([fixture("syntax_error.py")], 1)
        self.assertIn(b"SyntaxError", err)

    def test_missing_script(self):
        self.assert_identical([fixture("does_not_exist.py")], 2)

    def test_module(self):
        self.assert_identical(["-m", "pkg", "a", "b"], 0, cwd=FIXTURES)

    def test_module_traceback(self):
        _code, _out, err = self.assert_identical(["-m", "pkg", "raise"], 1, cwd=FIXTURES)
        self.assertIn(b"KeyError", err)

    def test_missing_module(self):
        self.assert_identical(["-m", "no_such_module_here"], 1, cwd=FIXTURES)

    def test_code(self):
        source = "import sys; print(sys.argv, repr(sys.path[0]), __name__, sorted(k for k in globals()))"
        self.assert_identical(["-c", source, "x", "--flag"], 0)

    def test_directory(self):
        self.assert_identical([os.path.join(FIXTURES, "pkg"), "arg"], 0)


class LateAsyncioTest(unittest.TestCase):
    """The runtime leaves importing asyncio to the program, and hooks it once the program does."""

    def test_asyncio_imported_by_the_program_later(self):
        program = fixture("late_asyncio.py")
        client = ProtocolClient([program])
        self.addCleanup(client.close)
        client.body("setBreakpoints", {"path": program, "breakpoints": [{"line": line_of(program, "BP-CHILD")}]})
        # Before the program imports asyncio: OS threads only, and asking must not import it.
        before = client.body("threads")["threads"]
        self.assertEqual({thread["kind"] for thread in before}, {"thread"})
        client.body("configurationDone", {})
        self.assertEqual(client.process.stdout.readline(), b"asyncio loaded at start: False\n")
        stopped = client.wait_event("stopped")
        tasks = {thread["id"]: thread for thread in client.body("threads")["threads"] if thread["kind"] == "task"}
        child = tasks[stopped["threadId"]]
        self.assertEqual(child["coroutine"], "child")
        # Seen created: the create_task hook was placed when the program imported asyncio.
        self.assertEqual(child["createdAt"]["line"], line_of(program, "CREATE-CHILD"))
        self.assertIn(child["createdBy"], tasks)
        client.body("continue")
        self.assertEqual(client.wait_event("terminated"), {"exitCode": 0})
        code, out, err = client.finish()
        self.assertEqual((code, out), (0, b"result 1\n"), err)


class UsageTest(unittest.TestCase):
    """Command-line mistakes are reported, not run."""

    def test_no_program(self):
        from tests.client import runtime_env
        result = subprocess.run([sys.executable, "-m", "coroscope", "--connect", "127.0.0.1:1"],
                                env=runtime_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=30)
        self.assertEqual(result.returncode, 2)
        self.assertIn(b"usage", result.stderr)

    def test_unreachable_adapter(self):
        from tests.client import runtime_env
        import socket
        probe = socket.socket()
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
        probe.close()
        result = subprocess.run([sys.executable, "-m", "coroscope", "--connect", "127.0.0.1:%d" % port,
                                 "--token", "t", fixture("identity.py")],
                                env=runtime_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=30)
        self.assertEqual(result.returncode, 2)
        self.assertEqual(result.stdout, b"")


if __name__ == "__main__":
    unittest.main()
