"""The program sees the argv, __main__, sys.path and exit code it would have without Coroscope, and its
stdout/stderr are byte-identical."""
import os
import subprocess
import sys
import unittest

from tests.client import FIXTURES, ProtocolClient, fixture, run_plain


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
