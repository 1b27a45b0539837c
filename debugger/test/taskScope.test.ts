// The Task scope through DebugClient against real Python, on every interpreter: time suspended as measured
// by the runtime, the outcome of finished children and awaited tasks (expandable to the result object), and
// the exception ending a task at an "uncaught" stop.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { findPythons } from '../../test/support/pythons';
import { Client, fixture, launchAndStop, markerLine, withClient } from './support/dap';
import { assertGolden, normalise } from './support/golden';

const pythons = findPythons();
const program = fixture('task_outcomes.py');
const source = readFileSync(program, 'utf8');

/** The Task scope of a thread's first frame, row name → variable. */
async function taskScope(client: Client, threadId: number): Promise<Map<string, DebugProtocol.Variable>> {
  const [top] = (await client.stackTraceRequest({ threadId })).body.stackFrames;
  const scope = (await client.scopesRequest({ frameId: top.id })).body.scopes.find((s) => s.name === 'Task');
  assert.ok(scope, `thread ${threadId} has a Task scope`);
  const rows = (await client.variablesRequest({ variablesReference: scope.variablesReference })).body.variables;
  return new Map(rows.map((v) => [v.name, v]));
}

async function expand(client: Client, variable: DebugProtocol.Variable | undefined): Promise<Map<string, DebugProtocol.Variable>> {
  assert.ok(variable && variable.variablesReference > 0, `${variable?.name} expands`);
  const rows = (await client.variablesRequest({ variablesReference: variable.variablesReference })).body.variables;
  return new Map(rows.map((v) => [v.name, v]));
}

/** A measured time: `0.4 s`, `0.4 s – 0.5 s`; launched programs are seen from the start, so never `≥`. */
const MEASURED = /^\d+(\.\d)? s( – \d+(\.\d)? s)?$/;

for (const py of pythons) {
  describe(`Task scope with Python ${py.version}`, () => {
    test('time suspended, and the outcome of every child and awaited task', () => withClient(async (client) => {
      const stop = await launchAndStop(client, { program, python: py.path }, [{ path: program, lines: [markerLine(source, 'PROBE')] }]);
      const threads = (await client.threadsRequest()).body.threads;
      const thread = (prefix: string) => {
        const found = threads.find((t) => t.name.startsWith(prefix));
        assert.ok(found, `${prefix} in ${threads.map((t) => t.name).join(', ')}`);
        return found.id;
      };

      const main = await taskScope(client, thread('Task-1 main()'));
      assert.equal(main.get('state')?.value, 'suspended');
      assert.match(main.get('time suspended')?.value ?? '', MEASURED);
      const children = await expand(client, main.get('children'));
      assert.equal(main.get('children')?.value, '5 (1 done, 1 failed, 2 suspended, 1 running)');
      const fetched = children.get('fetch-1 fetch()');
      assert.equal(fetched?.value, "done → {'n': 1}");
      assert.equal((await expand(client, fetched)).get("['n']")?.value, '1', 'the result object expands');
      assert.equal(children.get('fail fail()')?.value, 'failed: ValueError: bad input');
      assert.equal(children.get('idle idle()')?.value, '⏸ Event.wait');
      assert.equal(children.get('probe probe()')?.value, '▶ running');
      const awaiting = await expand(client, main.get('awaiting'));
      assert.deepEqual([...awaiting.keys()], ['fetch-1 fetch()', 'fail fail()', 'idle idle()'], 'the gather\'s children, finished ones included');
      const lines = ['Task scope of "Task-1 main()":'];
      for (const [name, row] of main) {
        lines.push(`  ${name} = ${row.value}${row.variablesReference ? ' ▸' : ''}`);
        const nested = name === 'children' ? children : name === 'awaiting' ? awaiting : undefined;
        for (const [childName, child] of nested ?? []) lines.push(`    ${childName} = ${child.value}${child.variablesReference ? ' ▸' : ''}`);
      }
      assertGolden('task-scope-of-a-parent', normalise(lines.join('\n')) + '\n');

      // asyncio.sleep knows when it began: exact, so one value and never a range.
      assert.match((await taskScope(client, thread('nap nap()'))).get('time suspended')?.value ?? '', /^\d+(\.\d)? s$/);
      assert.match((await taskScope(client, thread('idle idle()'))).get('time suspended')?.value ?? '', MEASURED);
      assert.equal((await taskScope(client, stop.body.threadId as number)).get('time suspended'), undefined, 'a running task is not suspended');
      await client.disconnectRequest({ terminateDebuggee: true });
    }));

    test('at an uncaught exception, the Task scope shows the exception ending the task', () => withClient(async (client) => {
      const stop = await launchAndStop(client, { program, python: py.path }, [], ['uncaught']);
      assert.equal(stop.body.reason, 'exception');
      const scope = await taskScope(client, stop.body.threadId as number);
      assert.equal(scope.get('name')?.value, 'fail');
      assert.equal(scope.get('exception')?.value, 'ValueError: bad input (uncaught: the task ends with it)');
      await client.disconnectRequest({ terminateDebuggee: true });
    }));
  });
}
