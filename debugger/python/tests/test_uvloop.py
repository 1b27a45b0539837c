"""The runtime on uvloop's event loop: tasks with creation sites, the loop's thread, breakpoints, suspend
breakpoints, pause of an idle loop, unchanged output. Skipped where uvloop is not installed (npm test runs
this module with every interpreter that has it, e.g. the benchmark venv)."""
import importlib.util
import unittest

from tests.client import ProtocolClient, fixture, line_of, run_plain

HAVE_UVLOOP = importlib.util.find_spec("uvloop") is not None
PROGRAM = fixture("uvloop_producer_consumer.py")
# The coroutines (and the lines breakpoints go on) live in the asyncio fixture the program imports.
PC = fixture("producer_consumer.py")
OUTPUT = b"".join(b"Consumed: %d\n" % i for i in range(5)) + b"total 10\n"


@unittest.skipUnless(HAVE_UVLOOP, "uvloop is not installed for this Python")
class UvloopTaskHookTest(unittest.TestCase):
    """In process: the create_task wrapper goes onto uvloop.Loop and comes off again."""

    def test_install_and_uninstall(self):
        import uvloop
        from coroscope import paths
        from coroscope.registry import Registry
        from coroscope.taskhook import TaskHook

        registry = Registry()
        hook = TaskHook(registry)
        hook.install()
        try:
            self.assertIn("create_task", uvloop.Loop.__dict__)
            seen = {}

            async def child():
                return 1

            async def main():
                task = asyncio_module.get_running_loop().create_task(child())
                seen["ref"] = registry.record(task)
                await task

            import asyncio as asyncio_module
            loop = uvloop.new_event_loop()
            try:
                loop.run_until_complete(main())
            finally:
                loop.close()
            self.assertTrue(paths.site_to_json(seen["ref"].site)["function"].endswith(".main"))
        finally:
            hook.uninstall()
        self.assertNotIn("create_task", uvloop.Loop.__dict__)


@unittest.skipUnless(HAVE_UVLOOP, "uvloop is not installed for this Python")
class UvloopSessionTest(unittest.TestCase):
    """Launched programs that import uvloop after the runtime started."""

    def launch(self, breakpoints, args=(), path=PROGRAM):
        client = ProtocolClient([PROGRAM] + list(args))
        self.addCleanup(client.close)
        result = client.body("setBreakpoints", {"path": path, "breakpoints": breakpoints})["breakpoints"]
        client.body("configurationDone", {})
        return client, result

    def tasks(self, client):
        threads = client.body("threads")["threads"]
        return {entry["coroutine"]: entry for entry in threads if entry["kind"] == "task"}, threads

    def test_breakpoint_threads_and_stacks(self):
        client, result = self.launch([{"line": line_of(PC, "BP-CONSUME")}], path=PC)
        self.assertTrue(result[0]["verified"])
        stopped = client.wait_event("stopped")
        tasks, threads = self.tasks(client)
        self.assertEqual(sorted(tasks), ["consumer", "main", "producer"])
        self.assertEqual(stopped["threadId"], tasks["consumer"]["id"])
        loop_threads = [entry for entry in threads if entry["kind"] == "thread" and entry["runsLoop"]]
        self.assertEqual(len(loop_threads), 1, threads)
        self.assertEqual(tasks["consumer"]["loopThreadId"], loop_threads[0]["id"])
        # Tasks created on uvloop's loop carry their creation site and creator, like asyncio's.
        self.assertEqual(tasks["producer"]["createdAt"]["function"], "main")
        self.assertEqual(tasks["producer"]["createdBy"], tasks["main"]["id"])
        self.assertEqual(tasks["main"]["gather"], {"done": 0, "total": 2})
        running = client.body("stackTrace", {"threadId": tasks["consumer"]["id"]})["frames"]
        self.assertEqual((running[0]["name"], running[0]["line"]), ("consumer", line_of(PC, "BP-CONSUME")))
        client.body("setBreakpoints", {"path": PC, "breakpoints": []})
        client.body("continue")
        code, out, _err = client.finish()
        self.assertEqual((code, out), (0, OUTPUT))

    def test_suspend_breakpoint(self):
        line = line_of(PC, "AWAIT-SLEEP")
        client, result = self.launch([{"line": line, "mode": "suspend"}], path=PC)
        self.assertTrue(result[0]["verified"])
        stopped = client.wait_event("stopped")
        self.assertEqual(stopped["description"], "Task suspending at await")
        tasks, _threads = self.tasks(client)
        self.assertEqual(stopped["threadId"], tasks["producer"]["id"])
        frames = client.body("stackTrace", {"threadId": tasks["producer"]["id"]})["frames"]
        self.assertEqual((frames[0]["name"], frames[0]["line"]), ("producer", line))
        client.body("setBreakpoints", {"path": PC, "breakpoints": []})
        client.body("continue")
        self.assertEqual(client.finish()[:2], (0, OUTPUT))

    def test_pause_idle_loop(self):
        client, _ = self.launch([], args=["idle"])
        for expected in OUTPUT.splitlines(keepends=True) + [b"idle\n"]:
            self.assertEqual(client.process.stdout.readline(), expected)
        client.body("pause")
        stopped = client.wait_event("stopped")
        self.assertEqual(stopped["reason"], "pause")
        tasks, _threads = self.tasks(client)
        self.assertEqual(tasks["main"]["waitTarget"], "sleep")
        frames = client.body("stackTrace", {"threadId": tasks["main"]["id"]})["frames"]
        user = [frame for frame in frames if frame.get("file") == PROGRAM]
        self.assertEqual(user[0]["line"], line_of(PROGRAM, "IDLE"))
        client.body("disconnect", {"terminate": True})
        self.assertNotEqual(client.finish()[0], 0)

    def test_output_and_exit_code_unchanged(self):
        client, _ = self.launch([])
        self.assertEqual(client.finish(), run_plain([PROGRAM]))


if __name__ == "__main__":
    unittest.main()
