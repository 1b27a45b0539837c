"""Exception breakpoints: raised, uncaught in a task, never retrieved, cancelled."""
import unittest

from tests.client import ProtocolClient, fixture, line_of

SRC = fixture("exceptions.py")


class ExceptionBreakpointTest(unittest.TestCase):
    """Each filter stops where the user expects, and only when enabled."""

    def launch(self, scenario, filters):
        client = ProtocolClient([SRC, scenario])
        self.addCleanup(client.close)
        client.body("setExceptionBreakpoints", {"filters": filters})
        client.body("configurationDone", {})
        return client

    def top_frame(self, client, stopped):
        frames = client.body("stackTrace", {"threadId": stopped["threadId"]})["frames"]
        return frames[0]

    def finish(self, client, expected_output):
        client.body("continue")
        self.assertEqual(client.wait_event("terminated").get("exitCode"), 0)
        code, out, _err = client.finish()
        self.assertEqual((code, out), (0, expected_output))

    def test_raised(self):
        client = self.launch("raised", ["raised"])
        stopped = client.wait_event("stopped")
        self.assertEqual(stopped["reason"], "exception")
        self.assertEqual(stopped["text"], "ValueError: caught")
        top = self.top_frame(client, stopped)
        self.assertEqual((top["name"], top["line"]), ("raise_and_catch", line_of(SRC, "RAISE-CAUGHT")))
        info = client.body("exceptionInfo", {"threadId": stopped["threadId"]})
        self.assertEqual((info["exceptionId"], info["breakMode"]), ("ValueError", "always"))
        self.finish(client, b"handled\n")

    def test_uncaught_in_task(self):
        client = self.launch("uncaught", ["uncaught"])
        stopped = client.wait_event("stopped")
        self.assertEqual(stopped["reason"], "exception")
        self.assertEqual(stopped["description"], "Uncaught exception in task failing")
        self.assertIn("KeyError", stopped["text"])
        top = self.top_frame(client, stopped)
        self.assertEqual((top["name"], top["line"]), ("fail", line_of(SRC, "RAISE-UNCAUGHT")))
        threads = client.body("threads")["threads"]
        failing = [entry for entry in threads if entry.get("name") == "failing"][0]
        self.assertEqual(failing["id"], stopped["threadId"])
        self.finish(client, b"main saw KeyError\n")

    def test_uncaught_in_main_module(self):
        client = self.launch("fatal", ["uncaught"])
        stopped = client.wait_event("stopped")
        self.assertEqual((stopped["reason"], stopped["description"]),
                         ("exception", "Uncaught exception in the program"))
        top = self.top_frame(client, stopped)
        self.assertEqual((top["name"], top["line"]), ("<module>", line_of(SRC, "RAISE-FATAL")))
        client.body("continue")
        self.assertEqual(client.wait_event("terminated").get("exitCode"), 1)
        code, _out, err = client.finish()
        self.assertEqual(code, 1)
        self.assertIn(b"KeyError: 'fatal'", err)

    def test_unretrieved(self):
        client = self.launch("unretrieved", ["unretrieved"])
        stopped = client.wait_event("stopped")
        self.assertEqual(stopped["reason"], "exception")
        self.assertIn("never retrieved", stopped["text"])
        self.assertIn("KeyError", stopped["text"])
        client.body("continue")
        client.wait_event("terminated")
        code, out, err = client.finish()
        self.assertEqual((code, out), (0, b"after gc\n"))
        self.assertIn(b"Task exception was never retrieved", err)

    def test_cancelled(self):
        client = self.launch("cancelled", ["cancelled"])
        stopped = client.wait_event("stopped")
        self.assertEqual((stopped["reason"], stopped["description"]), ("exception", "Task cancelled"))
        top = self.top_frame(client, stopped)
        self.assertEqual((top["name"], top["line"]), ("wait_forever", line_of(SRC, "AWAIT-CANCELLED")))
        client.body("continue")
        # Before 3.11 awaiting the cancelled task raises a new CancelledError in the awaiting task too.
        while True:
            event = client.wait_any(("stopped", "terminated"))
            if event[0] == "terminated":
                break
            self.assertEqual(event[1]["description"], "Task cancelled")
            client.body("continue")
        self.assertEqual(client.finish()[:2], (0, b"cancelled\n"))

    def test_no_filters_no_stop(self):
        for scenario, output in (("raised", b"handled\n"), ("uncaught", b"main saw KeyError\n"),
                                 ("cancelled", b"cancelled\n")):
            client = self.launch(scenario, [])
            self.assertEqual(client.wait_event("terminated").get("exitCode"), 0)
            self.assertEqual(client.finish()[:2], (0, output))

    def test_unknown_filter_is_an_error(self):
        client = ProtocolClient([SRC, "raised"])
        self.addCleanup(client.close)
        response = client.request("setExceptionBreakpoints", {"filters": ["bogus"]}, expect_success=False)
        self.assertFalse(response["success"])
        self.assertIn("bogus", response["message"])
        client.body("configurationDone", {})
        client.wait_event("terminated")


if __name__ == "__main__":
    unittest.main()
