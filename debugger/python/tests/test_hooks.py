"""Breakpoint hooks (3.8–3.11): breakpoints without a trace function, and the cases that still trace."""
import os
import sys
import tempfile
import types
import unittest

from coroscope import rewrite
from tests.client import ProtocolClient, attach_when_ready, fixture, line_of, runtime_env

PROBE = fixture("hooks_probe.py")
HELPER = fixture("hooks_helper.py")
RUN_PATH_MAIN = fixture("run_path_main.py")
RUN_PATH_TARGET = fixture("run_path_target.py")
HOOKED_PYTHON = sys.version_info < (3, 12)


def _codes(code):
    yield code
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            yield from _codes(const)


def _named(module_code, name):
    return [code for code in _codes(module_code) if code.co_name == name][0]


class RewriteTest(unittest.TestCase):
    """The recompiled code: hooks where asked, line numbers unchanged, refusal where inexact."""

    SOURCE = (
        "import asyncio\n"                       # 1
        "async def f(q):\n"                      # 2
        "    x = 1\n"                            # 3
        "    y = await q.get()\n"                # 4
        "    for i in range(2):\n"               # 5
        "        x += i\n"                       # 6
        "    return x + y\n"                     # 7
        "def g(n):\n"                            # 8
        "    while n:\n"                         # 9
        "        n -= 1\n"                       # 10
        "    h = lambda: 1\n"                    # 11
        "    return n\n"                         # 12
    )

    def test_line_hook_keeps_lines(self):
        result = rewrite.rewrite("m.py", self.SOURCE, {3, 5}, set())
        hooked = _named(result.hooked, "f")
        self.assertIn(rewrite.LINE_HOOK, hooked.co_names)
        self.assertEqual(rewrite.own_lines(hooked), rewrite.own_lines(_named(result.original, "f")))
        self.assertEqual([code.co_name for code, _ in [(a, b) for a, b in result.pairs]], ["f"])

    def test_await_hook(self):
        result = rewrite.rewrite("m.py", self.SOURCE, set(), {4})
        self.assertIn(rewrite.AWAIT_HOOK, _named(result.hooked, "f").co_names)
        self.assertNotIn(rewrite.LINE_HOOK, _named(result.hooked, "f").co_names)

    def test_refuses_what_cannot_be_placed_exactly(self):
        for lines, awaits, reason in (({9}, set(), "while header"), ({11}, set(), "code objects"),
                                      (set(), {3}, "no statement or await")):
            with self.assertRaises(rewrite.RewriteError) as caught:
                rewrite.rewrite("m.py", self.SOURCE, lines, awaits)
            self.assertIn(reason, str(caught.exception))

    def test_multi_line_await_is_refused(self):
        source = "async def f(q):\n    await q.get(\n        )\n"
        with self.assertRaises(rewrite.RewriteError):
            rewrite.rewrite("m.py", source, set(), {2})

    def test_hooked_code_runs_like_the_original(self):
        import asyncio
        from coroscope import hooks
        result = rewrite.rewrite("m.py", self.SOURCE, {3, 6, 12}, {4})
        calls = []

        class Handler:
            def on_line_hook(self, frame):
                calls.append(("line", frame.f_lineno))

            def on_await_suspend(self, frame, line, inner):
                calls.append(("suspend", line))

            def on_await_resume(self, frame, line):
                calls.append(("resume", line))

        hooks.set_handler(Handler())
        self.addCleanup(hooks.set_handler, None)
        namespace = {}
        exec(result.hooked, namespace)

        async def main():
            queue = asyncio.Queue()
            asyncio.get_event_loop().call_later(0.01, queue.put_nowait, 10)
            return await namespace["f"](queue)

        self.assertEqual(asyncio.run(main()), 12)
        self.assertEqual(namespace["g"](3), 0)
        self.assertEqual(calls, [("line", 3), ("suspend", 4), ("resume", 4), ("line", 6), ("line", 6),
                                 ("line", 12)])


@unittest.skipUnless(HOOKED_PYTHON, "3.12+ uses sys.monitoring")
class HookedBreakpointsTest(unittest.TestCase):
    """Breakpoints set before the program starts: no trace function while nothing stops."""

    def launch_logged(self):
        """The probe launched with the runtime's log going to a temporary file (the log is read after)."""
        log = tempfile.NamedTemporaryFile(suffix=".log", delete=False)
        log.close()
        self.addCleanup(os.unlink, log.name)
        client = ProtocolClient([PROBE, "launch", "-"], env=runtime_env({"COROSCOPE_LOG": log.name}))
        self.addCleanup(client.close)
        return client, log

    def test_launch(self):
        client, log = self.launch_logged()
        client.body("setBreakpoints", {"path": PROBE, "breakpoints": [{"line": line_of(PROBE, "BP-NEVER")}]})
        work = client.body("setBreakpoints", {"path": HELPER, "breakpoints": [
            {"line": line_of(HELPER, "BP-WORK"), "hitCondition": "2"},
            {"line": line_of(HELPER, "AWAIT-NEVER"), "mode": "suspend"}]})["breakpoints"]
        # VS Code's default exception filters: they must not need a trace function either.
        client.body("setExceptionBreakpoints", {"filters": ["uncaught", "unretrieved"]})
        client.body("configurationDone", {})
        stopped = client.wait_event("stopped")
        self.assertEqual(stopped["hitBreakpointIds"], [work[0]["id"]])
        top = client.body("stackTrace", {"threadId": stopped["threadId"]})["frames"][0]
        self.assertEqual((top["name"], top["line"]), ("work", line_of(HELPER, "BP-WORK")))
        self.assertEqual(client.body("evaluate", {"expression": "i", "frameId": top["id"]})["result"], "1")
        # Stepping from a hook's stop goes on to the next line (not the same line again).
        client.body("next", {"threadId": stopped["threadId"]})
        stepped = client.wait_event("stopped")
        top = client.body("stackTrace", {"threadId": stepped["threadId"]})["frames"][0]
        self.assertEqual((stepped["reason"], top["line"]), ("step", line_of(HELPER, "AFTER-WORK")))
        client.body("setBreakpoints", {"path": HELPER, "breakpoints": []})
        client.body("continue")
        self.assertEqual(client.wait_event("terminated"), {"exitCode": 0})
        code, out, err = client.finish()
        self.assertEqual(code, 0, err)
        self.assertEqual(out.decode().splitlines(), [
            "ready", "untraced True", "never_runs hooked True", "work 3", "work hooked False", "countdown 0"])
        with open(log.name, encoding="utf-8") as text:
            self.assertNotIn("traced, not hooked", text.read())

    def test_unhookable_line_is_traced(self):
        client, log = self.launch_logged()
        line = line_of(PROBE, "WHILE-HEADER")
        client.body("setBreakpoints", {"path": PROBE, "breakpoints": [{"line": line}]})
        client.body("configurationDone", {})
        for _ in range(3):
            stopped = client.wait_event("stopped")
            top = client.body("stackTrace", {"threadId": stopped["threadId"]})["frames"][0]
            self.assertEqual((stopped["reason"], top["name"], top["line"]), ("breakpoint", "countdown", line))
            client.body("continue")
        self.assertEqual(client.wait_event("terminated"), {"exitCode": 0})
        code, out, _err = client.finish()
        self.assertIn(b"never_runs hooked False\n", out)
        with open(log.name, encoding="utf-8") as text:
            self.assertIn("traced, not hooked: line %d is a while header" % line, text.read())


class RunPathTest(unittest.TestCase):
    """A file run with ``runpy.run_path`` (compiled by runpy, no loader) stops at its breakpoints from
    the start: module level and functions (hooked on 3.8–3.11, monitored on 3.12+)."""

    def test_breakpoints_in_a_file_run_by_run_path(self):
        log = tempfile.NamedTemporaryFile(suffix=".log", delete=False)
        log.close()
        self.addCleanup(os.unlink, log.name)
        client = ProtocolClient([RUN_PATH_MAIN], env=runtime_env({"COROSCOPE_LOG": log.name}))
        self.addCleanup(client.close)
        client.body("setBreakpoints", {"path": RUN_PATH_TARGET, "breakpoints": [
            {"line": line_of(RUN_PATH_TARGET, "BP-MODULE")}, {"line": line_of(RUN_PATH_TARGET, "BP-FUNCTION")}]})
        client.body("configurationDone", {})
        seen = []
        for name in ("BASE", "value"):
            stopped = client.wait_event("stopped")
            top = client.body("stackTrace", {"threadId": stopped["threadId"]})["frames"][0]
            value = client.body("evaluate", {"expression": "repr(%s) if '%s' in dir() else None" % (name, name),
                                             "frameId": top["id"]})["result"]
            seen.append((stopped["reason"], top["name"], top["line"], value))
            client.body("continue")
        self.assertEqual(seen, [
            ("breakpoint", "<module>", line_of(RUN_PATH_TARGET, "BP-MODULE"), "None"),
            ("breakpoint", "double", line_of(RUN_PATH_TARGET, "BP-FUNCTION"), "'21'")])
        self.assertEqual(client.wait_event("terminated"), {"exitCode": 0})
        code, out, err = client.finish()
        self.assertEqual((code, out), (0, b"result 42 traced False\n"), err)
        with open(log.name, encoding="utf-8") as text:
            self.assertNotIn("traced, not hooked", text.read())


@unittest.skipUnless(HOOKED_PYTHON, "3.12+ uses sys.monitoring")
class RunningFrameTest(unittest.TestCase):
    """A breakpoint in a loop a coroutine is already running: traced until that frame is gone."""

    def test_attach_to_running_loop(self):
        with tempfile.TemporaryDirectory() as directory:
            flag = os.path.join(directory, "go")
            runtime, session = attach_when_ready(self, [PROBE, "attach", flag])
            spin = line_of(PROBE, "BP-SPIN")
            session.request("setBreakpoints", {"path": PROBE, "breakpoints": [{"line": spin}]})
            session.request("setBreakpoints", {"path": HELPER, "breakpoints": [{"line": line_of(HELPER, "BP-WORK")}]})
            session.request("configurationDone", {})
            stopped = session.next_event("stopped")
            self.assertEqual(stopped["reason"], "breakpoint")
            frames = session.request("stackTrace", {"threadId": stopped["threadId"]})["body"]["frames"]
            self.assertEqual((frames[0]["name"], frames[0]["line"]), ("spin", spin))
            open(flag, "w").close()
            session.request("continue")
            # The running spin() ends, tracing goes off, then work() stops through its hook.
            stopped = session.next_event("stopped")
            frames = session.request("stackTrace", {"threadId": stopped["threadId"]})["body"]["frames"]
            self.assertEqual(frames[0]["name"], "work")
            session.request("disconnect", {})
            code, out, err = runtime.finish()
            self.assertEqual(code, 0, err)
            self.assertEqual(out.decode().splitlines(), [
                "spin hooked True", "untraced True", "never_runs hooked False", "work 3", "work hooked False",
                "countdown 0"])


if __name__ == "__main__":
    unittest.main()
