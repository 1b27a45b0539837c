"""Driving a launched program through the protocol: tasks as threads, stacks, variables, breakpoints,
stepping, pause and disconnect."""
import os
import tempfile
import time
import unittest

from tests.client import ProtocolClient, fixture, launch_when_ready, line_of

PC = fixture("producer_consumer.py")
PC_OUTPUT = b"".join(b"Consumed: %d\n" % i for i in range(5)) + b"total 10\n"


def frames_of(client, thread_id):
    return client.body("stackTrace", {"threadId": thread_id})["frames"]


class InspectionTest(unittest.TestCase):
    """Stopped at a breakpoint in the seed producer/consumer."""

    def setUp(self):
        self.client = ProtocolClient([PC])
        result = self.client.body("setBreakpoints", {"path": PC, "breakpoints": [
            {"line": line_of(PC, "BP-CONSUME")}]})
        self.assertTrue(result["breakpoints"][0]["verified"])
        self.client.body("configurationDone", {})
        self.stopped = self.client.wait_event("stopped")

    def tearDown(self):
        self.client.close()

    def tasks(self):
        threads = self.client.body("threads")["threads"]
        return {entry["coroutine"]: entry for entry in threads if entry["kind"] == "task"}, threads

    def test_threads_list_tasks_and_loop_thread(self):
        self.assertEqual(self.stopped["reason"], "breakpoint")
        tasks, threads = self.tasks()
        self.assertEqual(sorted(tasks), ["consumer", "main", "producer"])
        self.assertEqual(self.stopped["threadId"], tasks["consumer"]["id"])
        self.assertEqual(tasks["consumer"]["state"], "running")
        self.assertEqual(tasks["producer"]["state"], "suspended")
        self.assertIn(tasks["producer"]["waitTarget"], ("sleep", "Queue.put"))
        self.assertEqual(tasks["main"]["waitTarget"], "gather")
        # Neither producer nor consumer has finished while the consumer is stopped at its breakpoint.
        self.assertEqual(tasks["main"]["gather"], {"done": 0, "total": 2})
        self.assertNotIn("gather", tasks["producer"])
        self.assertEqual(tasks["producer"]["createdAt"]["function"], "main")
        self.assertEqual(tasks["producer"]["createdAt"]["file"], PC)
        self.assertEqual(tasks["producer"]["createdBy"], tasks["main"]["id"])
        main_threads = [entry for entry in threads if entry["kind"] == "thread" and entry.get("main")]
        self.assertEqual(len(main_threads), 1)
        self.assertTrue(main_threads[0]["runsLoop"])
        self.assertEqual(tasks["consumer"]["loopThreadId"], main_threads[0]["id"])
        ids = [entry["id"] for entry in threads]
        self.assertEqual(len(ids), len(set(ids)))
        # No runtime thread is visible.
        self.assertEqual([entry["name"] for entry in threads if entry["kind"] == "thread"], ["MainThread"])

    def test_stack_of_suspended_task(self):
        tasks, _ = self.tasks()
        frames = frames_of(self.client, tasks["producer"]["id"])
        user = [frame for frame in frames if frame["kind"] == "frame" and frame["file"] == PC]
        self.assertEqual(user[0]["name"], "producer")
        self.assertIn(user[0]["line"], (line_of(PC, "AWAIT-PUT"), line_of(PC, "AWAIT-SLEEP")))
        self.assertEqual(frames[-1]["kind"], "label")
        self.assertTrue(frames[-1]["name"].startswith("awaiting "), frames[-1])
        main_frames = frames_of(self.client, tasks["main"]["id"])
        self.assertEqual(main_frames[0]["name"], "main")
        self.assertTrue(main_frames[-1]["name"].startswith("awaiting gather of 2"), main_frames[-1])
        gather = tasks["main"]["gather"]
        self.assertIn("gather of %d (%d done)" % (gather["total"], gather["done"]), main_frames[-1]["name"])

    def test_stack_of_running_task(self):
        tasks, _ = self.tasks()
        frames = frames_of(self.client, tasks["consumer"]["id"])
        self.assertEqual([(frame["name"], frame["line"]) for frame in frames],
                         [("consumer", line_of(PC, "BP-CONSUME"))])

    def test_stack_of_main_thread_hides_runtime(self):
        _tasks, threads = self.tasks()
        main = [entry for entry in threads if entry.get("main")][0]
        frames = frames_of(self.client, main["id"])
        self.assertEqual(frames[0]["name"], "consumer")
        self.assertEqual(frames[-1]["name"], "<module>")
        self.assertFalse([frame for frame in frames if "coroscope" in frame["file"]])

    def test_variables_and_evaluate(self):
        tasks, _ = self.tasks()
        frame = [f for f in frames_of(self.client, tasks["producer"]["id"]) if f.get("file") == PC][0]
        scopes = self.client.body("scopes", {"frameId": frame["id"]})["scopes"]
        self.assertEqual([scope["name"] for scope in scopes], ["Locals", "Globals"])
        variables = self.client.body("variables", {"variablesReference": scopes[0]["variablesReference"]})
        by_name = {variable["name"]: variable for variable in variables["variables"]}
        self.assertEqual(by_name["count"]["value"], "5")
        self.assertEqual(by_name["count"]["type"], "int")
        self.assertGreater(by_name["queue"]["variablesReference"], 0)
        children = self.client.body("variables", {"variablesReference": by_name["queue"]["variablesReference"]})
        self.assertIn("_maxsize", [child["name"] for child in children["variables"]])
        result = self.client.body("evaluate", {"expression": "count * 2", "frameId": frame["id"]})
        self.assertEqual((result["result"], result["type"]), ("10", "int"))
        failure = self.client.request("evaluate", {"expression": "no_such_name", "frameId": frame["id"]},
                                      expect_success=False)
        self.assertFalse(failure["success"])
        self.assertIn("NameError", failure["message"])
        paged = self.client.body("variables", {"variablesReference": scopes[0]["variablesReference"],
                                               "start": 1, "count": 1})
        self.assertEqual(len(paged["variables"]), 1)

    def test_set_variable_in_running_and_suspended_frames(self):
        tasks, _ = self.tasks()
        consumer_frame = frames_of(self.client, tasks["consumer"]["id"])[0]
        scopes = self.client.body("scopes", {"frameId": consumer_frame["id"]})["scopes"]
        result = self.client.body("setVariable", {"variablesReference": scopes[0]["variablesReference"],
                                                  "name": "item", "value": "40 + 2"})
        self.assertEqual((result["value"], result["type"]), ("42", "int"))
        self.assertEqual(self.client.body("evaluate", {"expression": "item", "frameId": consumer_frame["id"]})
                         ["result"], "42")
        producer_frame = [f for f in frames_of(self.client, tasks["producer"]["id"]) if f.get("file") == PC][0]
        scopes = self.client.body("scopes", {"frameId": producer_frame["id"]})["scopes"]
        self.client.body("setVariable", {"variablesReference": scopes[0]["variablesReference"],
                                         "name": "count", "value": "3"})
        # Read back through the frame itself: the write reached the frame's fast locals, not just a copy.
        self.assertEqual(self.client.body("evaluate", {"expression": "count", "frameId": producer_frame["id"]})
                         ["result"], "3")
        bad = self.client.request("setVariable", {"variablesReference": scopes[0]["variablesReference"],
                                                  "name": "count", "value": "undefined_name"},
                                  expect_success=False)
        self.assertIn("NameError", bad["message"])
        self.client.body("setBreakpoints", {"path": PC, "breakpoints": []})
        self.client.body("continue")
        self.client.wait_event("terminated")
        code, out, _err = self.client.finish()
        self.assertEqual(code, 0)
        # The consumer printed and summed the value set while stopped.
        self.assertEqual(out, b"Consumed: 42\nConsumed: 1\nConsumed: 2\nConsumed: 3\nConsumed: 4\ntotal 52\n")

    def test_cancel_task(self):
        tasks, _ = self.tasks()
        self.client.body("cancelTask", {"threadId": tasks["producer"]["id"]})
        bad = self.client.request("cancelTask", {"threadId": 999999}, expect_success=False)
        self.assertFalse(bad["success"])
        self.client.body("setBreakpoints", {"path": PC, "breakpoints": []})
        self.client.body("continue")
        self.client.wait_event("terminated")
        code, _out, err = self.client.finish()
        self.assertEqual(code, 1)
        self.assertIn(b"CancelledError", err)

    def test_continue_to_exit(self):
        self.client.body("setBreakpoints", {"path": PC, "breakpoints": []})
        self.client.body("continue")
        self.assertEqual(self.client.wait_event("terminated"), {"exitCode": 0})
        self.assertEqual(self.client.finish(), (0, PC_OUTPUT, b""))

    def test_stale_frame_ids_after_continue(self):
        tasks, _ = self.tasks()
        frame = frames_of(self.client, tasks["consumer"]["id"])[0]
        self.client.body("continue")
        self.client.wait_event("stopped")
        stale = self.client.request("scopes", {"frameId": frame["id"]}, expect_success=False)
        self.assertFalse(stale["success"])

    def test_disconnect_lets_program_finish(self):
        self.client.body("disconnect", {})
        self.assertEqual(self.client.finish(), (0, PC_OUTPUT, b""))


class BreakpointTest(unittest.TestCase):
    """Conditions, hit conditions, log points, verification, stop on entry."""

    def launch(self, breakpoints, stop_on_entry=False, args=()):
        client = ProtocolClient([PC] + list(args))
        self.addCleanup(client.close)
        response = client.body("setBreakpoints", {"path": PC, "breakpoints": breakpoints})
        client.body("configurationDone", {"stopOnEntry": stop_on_entry})
        return client, response["breakpoints"]

    def evaluate_in_stopped_task(self, client, stopped, expression):
        frame = frames_of(client, stopped["threadId"])[0]
        return client.body("evaluate", {"expression": expression, "frameId": frame["id"]})["result"]

    def test_condition(self):
        client, _ = self.launch([{"line": line_of(PC, "BP-CONSUME"), "condition": "item == 3"}])
        stopped = client.wait_event("stopped")
        self.assertEqual(self.evaluate_in_stopped_task(client, stopped, "item"), "3")
        client.body("continue")
        self.assertEqual(client.wait_event("terminated"), {"exitCode": 0})

    def test_hit_condition(self):
        client, _ = self.launch([{"line": line_of(PC, "BP-CONSUME"), "hitCondition": "4"}])
        stopped = client.wait_event("stopped")
        self.assertEqual(self.evaluate_in_stopped_task(client, stopped, "item"), "3")
        client.body("continue")
        self.assertEqual(client.wait_event("terminated"), {"exitCode": 0})

    def test_log_point(self):
        client, _ = self.launch([{"line": line_of(PC, "BP-CONSUME"), "logMessage": "got {item} {{x}}"}])
        outputs = [client.wait_event("log")["output"] for _ in range(5)]
        self.assertEqual(outputs, ["got %d {x}\n" % i for i in range(5)])
        self.assertEqual(client.wait_event("terminated"), {"exitCode": 0})
        self.assertEqual(client.finish()[1], PC_OUTPUT)

    def test_verification_moves_to_code(self):
        with open(PC) as source:
            blank = [number for number, text in enumerate(source, 1) if not text.strip()][0]
        client, result = self.launch([{"line": blank}, {"line": 9999}, {"line": line_of(PC, "BP-TOTAL")}])
        self.assertTrue(result[0]["verified"])
        self.assertGreater(result[0]["line"], blank)
        self.assertFalse(result[1]["verified"])
        self.assertTrue(result[2]["verified"])
        ids = [entry["id"] for entry in result]
        self.assertEqual(len(set(ids)), 3)

    def test_stop_on_entry(self):
        client, _ = self.launch([], stop_on_entry=True)
        stopped = client.wait_event("stopped")
        self.assertEqual(stopped["reason"], "entry")
        frames = frames_of(client, stopped["threadId"])
        self.assertEqual((frames[0]["name"], frames[0]["file"]), ("<module>", PC))
        self.assertEqual(len([frame for frame in frames if frame["kind"] == "frame"]), 1)
        client.body("continue")
        self.assertEqual(client.wait_event("terminated"), {"exitCode": 0})

    def test_breakpoint_set_while_running(self):
        source = fixture("wait_for_file.py")
        with tempfile.TemporaryDirectory() as directory:
            flag = os.path.join(directory, "go")
            client = launch_when_ready(self, [source, flag])
            client.body("setBreakpoints", {"path": source, "breakpoints": [{"line": line_of(source, "BP-GO")}]})
            open(flag, "w").close()
            stopped = client.wait_event("stopped")
            self.assertEqual(stopped["reason"], "breakpoint")
            client.body("continue")
            client.wait_event("terminated")
            self.assertEqual(client.finish()[:2], (0, b"go\n"))


class FunctionBreakpointTest(unittest.TestCase):
    """A function breakpoint stops when a function or coroutine of that name starts."""

    def test_function_breakpoints(self):
        src = fixture("stepping.py")
        client = ProtocolClient([src])
        self.addCleanup(client.close)
        result = client.body("setFunctionBreakpoints", {"breakpoints": [{"name": "helper"}, {"name": "worker"},
                                                                         {"name": ""}]})["breakpoints"]
        self.assertEqual([entry["verified"] for entry in result], [True, True, False])
        client.body("configurationDone", {})
        names = []
        for _ in range(2):
            stopped = client.wait_event("stopped")
            self.assertEqual(stopped["reason"], "function breakpoint")
            names.append(frames_of(client, stopped["threadId"])[0]["name"])
            client.body("continue")
        self.assertEqual(names, ["worker", "helper"])
        self.assertEqual(client.wait_event("terminated"), {"exitCode": 0})


class SteppingTest(unittest.TestCase):
    """Plain line stepping within a task."""

    SRC = fixture("stepping.py")

    def setUp(self):
        self.client = ProtocolClient([self.SRC])
        self.addCleanup(self.client.close)
        self.client.body("setBreakpoints", {"path": self.SRC, "breakpoints": [
            {"line": line_of(self.SRC, "STEP-START")}]})
        self.client.body("configurationDone", {})
        self.stopped = self.client.wait_event("stopped")
        self.client.body("setBreakpoints", {"path": self.SRC, "breakpoints": []})

    def step(self, command):
        self.client.body(command, {"threadId": self.stopped["threadId"]})
        self.stopped = self.client.wait_event("stopped")
        self.assertEqual(self.stopped["reason"], "step")
        top = frames_of(self.client, self.stopped["threadId"])[0]
        return top["name"], top["line"]

    def test_step_over_await_stays_in_task(self):
        task = self.stopped["threadId"]
        self.assertEqual(self.step("next"), ("worker", line_of(self.SRC, "STEP-AWAIT")))
        self.assertEqual(self.step("next"), ("worker", line_of(self.SRC, "STEP-AFTER-AWAIT")))
        self.assertEqual(self.stopped["threadId"], task)
        self.client.body("continue")
        self.client.wait_event("terminated")

    def test_step_in_and_out(self):
        self.assertEqual(self.step("stepIn"), ("helper", line_of(self.SRC, "HELPER-FIRST")))
        name, line = self.step("stepOut")
        self.assertEqual((name, line), ("worker", line_of(self.SRC, "STEP-START")))
        self.client.body("continue")
        self.client.wait_event("terminated")
        self.assertEqual(self.client.finish()[:2], (0, b"3\n"))


class AsyncSteppingTest(unittest.TestCase):
    """Stepping off the end of a task's coroutine continues in the task that awaited it."""

    SRC = fixture("stepping.py")

    def test_step_off_task_end_lands_in_awaiting_task(self):
        client = ProtocolClient([self.SRC])
        self.addCleanup(client.close)
        client.body("setBreakpoints", {"path": self.SRC, "breakpoints": [
            {"line": line_of(self.SRC, "STEP-AFTER-AWAIT")}]})
        client.body("configurationDone", {})
        stopped = client.wait_event("stopped")
        client.body("setBreakpoints", {"path": self.SRC, "breakpoints": []})
        worker_id = stopped["threadId"]
        client.body("next", {"threadId": worker_id})
        stopped = client.wait_event("stopped")
        self.assertEqual(frames_of(client, worker_id)[0]["line"], line_of(self.SRC, "STEP-RETURN"))
        client.body("next", {"threadId": worker_id})
        stopped = client.wait_event("stopped")
        self.assertEqual(stopped["reason"], "step")
        self.assertNotEqual(stopped["threadId"], worker_id)
        top = frames_of(client, stopped["threadId"])[0]
        self.assertEqual((top["name"], top["line"]), ("main", line_of(self.SRC, "MAIN-AFTER-GATHER")))
        client.body("continue")
        client.wait_event("terminated")
        self.assertEqual(client.finish()[:2], (0, b"3\n"))


class TwoLoopsTest(unittest.TestCase):
    """A loop in another thread is listed with its tasks and held while the program is stopped."""

    SRC = fixture("two_loops.py")

    def test_other_loop_frozen_while_stopped(self):
        client = ProtocolClient([self.SRC])
        self.addCleanup(client.close)
        client.body("setBreakpoints", {"path": self.SRC, "breakpoints": [{"line": line_of(self.SRC, "BP-MAIN")}]})
        client.body("configurationDone", {})
        stopped = client.wait_event("stopped")
        deadline = time.monotonic() + 30
        while True:
            threads = client.body("threads")["threads"]
            worker = [entry for entry in threads if entry.get("name") == "worker-loop"]
            if worker and worker[0].get("frozen"):
                break
            self.assertLess(time.monotonic(), deadline, "the second loop was never frozen: %r" % threads)
        self.assertTrue(worker[0]["runsLoop"])
        ticker = [entry for entry in threads if entry.get("coroutine") == "ticker"][0]
        self.assertEqual(ticker["loopThreadId"], worker[0]["id"])
        self.assertEqual(ticker["waitTarget"], "sleep")
        frames = frames_of(client, ticker["id"])
        self.assertIn(line_of(self.SRC, "AWAIT-TICK"), [frame["line"] for frame in frames])
        top = frames_of(client, stopped["threadId"])[0]
        first = client.body("evaluate", {"expression": "counter[0]", "frameId": top["id"]})["result"]
        client.body("threads")
        second = client.body("evaluate", {"expression": "counter[0]", "frameId": top["id"]})["result"]
        self.assertEqual(first, second)
        client.body("continue")
        client.wait_event("terminated")
        self.assertEqual(client.finish()[:2], (0, b"ticks True\n"))


class PauseAndDisconnectTest(unittest.TestCase):
    """Pause reaches a loop idle in select(); disconnect can terminate."""

    def test_pause_idle_loop_then_terminate(self):
        client = ProtocolClient([fixture("idle.py")])
        self.addCleanup(client.close)
        client.body("configurationDone", {})
        self.assertEqual(client.process.stdout.readline(), b"ready\n")
        client.body("pause")
        stopped = client.wait_event("stopped")
        self.assertEqual(stopped["reason"], "pause")
        threads = client.body("threads")["threads"]
        parked = [entry for entry in threads if entry.get("name") == "parked"][0]
        self.assertEqual(parked["waitTarget"], "Event.wait")
        frames = frames_of(client, parked["id"])
        user = [frame for frame in frames if frame.get("file") == fixture("idle.py")]
        self.assertEqual(user[0]["line"], line_of(fixture("idle.py"), "AWAIT-EVENT"))
        self.assertEqual(frames[-1]["name"], "awaiting Event.wait() on event")
        client.body("disconnect", {"terminate": True})
        code, _out, _err = client.finish()
        self.assertNotEqual(code, 0)

    def test_pause_busy_main_thread(self):
        source = fixture("busy.py")
        with tempfile.TemporaryDirectory() as directory:
            flag = os.path.join(directory, "stop")
            client = launch_when_ready(self, [source, flag])
            client.body("pause")
            stopped = client.wait_event("stopped")
            self.assertEqual(stopped["reason"], "pause")
            # The pause lands wherever the loop was: in the module or inside os.path.exists.
            top = [frame for frame in frames_of(client, stopped["threadId"]) if frame["name"] == "<module>"][0]
            self.assertGreaterEqual(top["line"], line_of(source, "LOOP-START"))
            self.assertLessEqual(top["line"], line_of(source, "LOOP-END"))
            spins = int(client.body("evaluate", {"expression": "spins", "frameId": top["id"]})["result"])
            self.assertGreaterEqual(spins, 1000)
            open(flag, "w").close()
            client.body("continue")
            client.wait_event("terminated")
            self.assertEqual(client.finish()[:2], (0, b"done\n"))


if __name__ == "__main__":
    unittest.main()
