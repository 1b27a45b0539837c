"""Suspend and resume breakpoints: stop when a task suspends at an await, or resumes after it."""
import unittest

from tests.client import ProtocolClient, fixture, line_of

PC = fixture("producer_consumer.py")


class AsyncBreakpointTest(unittest.TestCase):
    """Breakpoints with mode suspend / resume on the seed producer/consumer."""

    def launch(self, breakpoints):
        client = ProtocolClient([PC])
        self.addCleanup(client.close)
        result = client.body("setBreakpoints", {"path": PC, "breakpoints": breakpoints})["breakpoints"]
        client.body("configurationDone", {})
        return client, result

    def frames(self, client, thread_id):
        return client.body("stackTrace", {"threadId": thread_id})["frames"]

    def task_named(self, client, coroutine):
        threads = client.body("threads")["threads"]
        return [entry for entry in threads if entry.get("coroutine") == coroutine][0]

    def finish(self, client):
        client.body("setBreakpoints", {"path": PC, "breakpoints": []})
        try:
            client.request("continue", expect_success=False)
        except AssertionError:
            # Nothing may be stopped by then (the last stop came before the breakpoints went away), and the
            # program can end before the answer is sent: the exit below is what matters.
            pass
        self.assertEqual(client.wait_event("terminated"), {"exitCode": 0})
        code, out, _err = client.finish()
        self.assertEqual(code, 0)
        self.assertTrue(out.endswith(b"total 10\n"), out)

    def test_suspend(self):
        line = line_of(PC, "AWAIT-SLEEP")
        client, result = self.launch([{"line": line, "mode": "suspend"}])
        self.assertEqual(result[0]["verified"], True)
        stopped = client.wait_event("stopped")
        self.assertEqual((stopped["reason"], stopped["description"]), ("breakpoint", "Task suspending at await"))
        self.assertEqual(stopped["hitBreakpointIds"], [result[0]["id"]])
        producer = self.task_named(client, "producer")
        self.assertEqual(stopped["threadId"], producer["id"])
        frames = self.frames(client, producer["id"])
        self.assertEqual((frames[0]["name"], frames[0]["line"]), ("producer", line))
        self.assertTrue(frames[-1]["name"].startswith("suspending: awaiting sleep(0.01)"), frames[-1])
        client.body("continue")
        again = client.wait_event("stopped")
        self.assertEqual(again["threadId"], producer["id"])
        self.finish(client)

    def test_resume_shows_awaited_value(self):
        line = line_of(PC, "AWAIT-GET")
        client, result = self.launch([{"line": line, "mode": "resume"}])
        self.assertTrue(result[0]["verified"])
        seen = []
        for _ in range(3):
            stopped = client.wait_event("stopped")
            self.assertEqual(stopped["description"], "Task resumed after await")
            consumer = self.task_named(client, "consumer")
            self.assertEqual(stopped["threadId"], consumer["id"])
            top = self.frames(client, consumer["id"])[0]
            self.assertEqual(top["name"], "consumer")
            self.assertGreater(top["line"], line)
            seen.append(client.body("evaluate", {"expression": "item", "frameId": top["id"]})["result"])
            client.body("continue")
        # Item 0 is already queued when the consumer first gets: that get never suspends, so never resumes.
        self.assertEqual(seen, ["1", "2", "3"])
        self.finish(client)

    def test_suspend_condition(self):
        client, _ = self.launch([{"line": line_of(PC, "AWAIT-SLEEP"), "mode": "suspend", "condition": "i == 2"}])
        stopped = client.wait_event("stopped")
        top = self.frames(client, stopped["threadId"])[0]
        self.assertEqual(client.body("evaluate", {"expression": "i", "frameId": top["id"]})["result"], "2")
        self.finish(client)

    def test_breakpoint_moved_to_an_await_already_passed(self):
        # On 3.12+ an await without a breakpoint stops reporting its suspensions after the first one
        # (DISABLE); a breakpoint set there later must still stop.
        client, _ = self.launch([{"line": line_of(PC, "AWAIT-SLEEP"), "mode": "suspend"}])
        for _ in range(3):
            client.wait_event("stopped")
            client.body("continue")
        client.wait_event("stopped")
        get_line = line_of(PC, "AWAIT-GET")
        client.body("setBreakpoints", {"path": PC, "breakpoints": [{"line": get_line, "mode": "suspend"}]})
        client.body("continue")
        stopped = client.wait_event("stopped")
        self.assertEqual(stopped["description"], "Task suspending at await")
        consumer = self.task_named(client, "consumer")
        self.assertEqual(stopped["threadId"], consumer["id"])
        self.assertEqual(self.frames(client, consumer["id"])[0]["line"], get_line)
        self.finish(client)

    def test_not_an_await_is_unverified(self):
        client, result = self.launch([{"line": line_of(PC, "BP-CONSUME"), "mode": "suspend"},
                                      {"line": line_of(PC, "BP-CONSUME"), "mode": "resume"}])
        self.assertEqual([entry["verified"] for entry in result], [False, False])
        self.assertIn("No await", result[0]["message"])
        self.assertEqual(client.wait_event("terminated"), {"exitCode": 0})

    def test_line_and_suspend_on_same_line(self):
        line = line_of(PC, "AWAIT-GET")
        client, result = self.launch([{"line": line, "mode": "suspend"}])
        stopped = client.wait_event("stopped")
        self.assertEqual(stopped["description"], "Task suspending at await")
        frames = self.frames(client, stopped["threadId"])
        self.assertTrue(frames[-1]["name"].startswith("suspending: awaiting Queue.get() on queue"), frames[-1])
        self.finish(client)


if __name__ == "__main__":
    unittest.main()
