// The `coroscope/tasks` custom request the Async Tasks view polls, through DebugClient against the real adapter
// and real Python, while the program runs and while it is stopped; plus the pure parts (time suspended,
// awaiter edges) and the adapter's words when a program simply finishes.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { TASKS_REQUEST, type OsThreadInfo, type TaskInfo, type TasksResponseBody } from '../../client/src/protocol';
import { findPythons } from '../../test/support/pythons';
import { buildTasksBody } from '../src/taskTree';
import type { RuntimeThread, TaskThread } from '../src/runtimeProtocol';
import { Client, fixture, markerLine, nextStop } from './support/dap';

const pythons = findPythons();
const program = fixture('task_tree.py');
const source = readFileSync(program, 'utf8');

/** Starts a session without stopping, as VS Code does with no breakpoints. */
async function launchRunning(client: Client, python: string): Promise<void> {
  await Promise.all([
    client.waitForEvent('initialized').then(() => client.configurationDoneRequest()),
    client.launchRequest({ program, python } as DebugProtocol.LaunchRequestArguments),
  ]);
}

async function tasks(client: Client, locations = false): Promise<TasksResponseBody> {
  const response = await client.customRequest(TASKS_REQUEST, { locations }) as DebugProtocol.Response;
  return response.body as TasksResponseBody;
}

const byCoroutine = (body: TasksResponseBody, name: string) =>
  body.threads.find((t): t is TaskInfo => t.kind === 'task' && t.coroutine === name);

/** Polls `coroscope/tasks` until `ready` accepts an answer (tasks appear and suspend as the program starts). */
async function pollTasks(client: Client, ready: (body: TasksResponseBody) => boolean, what: string): Promise<TasksResponseBody> {
  const deadline = Date.now() + 20_000;
  let last: TasksResponseBody | undefined;
  while (Date.now() < deadline) {
    last = await tasks(client);
    if (ready(last)) return last;
    await new Promise((resolve) => setImmediate(resolve));
  }
  throw new Error(`${what}; last answer: ${JSON.stringify(last)}`);
}

/** main awaits producer and consumer through gather: the edges the task tree draws. */
function assertGatherEdges(body: TasksResponseBody): void {
  const main = byCoroutine(body, 'main');
  const producer = byCoroutine(body, 'producer');
  const consumer = byCoroutine(body, 'consumer');
  assert.ok(main && producer && consumer, JSON.stringify(body));
  for (const child of [producer, consumer]) {
    assert.deepEqual(child.awaitedBy, [main.id], `${child.coroutine} is awaited by main`);
    assert.equal(child.group, 'gather');
    assert.equal(child.createdBy, main.id);
  }
  assert.equal(main.awaitedBy, undefined);
  assert.ok(body.threads.some((t) => t.kind === 'thread' && t.name === 'MainThread'), 'the main OS thread is listed');
}

test('at least one supported Python interpreter is available', () => {
  assert.ok(pythons.length > 0, 'no Python ≥ 3.8 found');
});

for (const py of pythons) {
  describe(`coroscope/tasks with Python ${py.version}`, () => {
    test('answers while running and while stopped: gather edges, suspendedFor, locations', async () => {
      const client = new Client();
      await client.start();
      try {
        const init = await client.initializeRequest({ adapterID: 'coroscope', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path' });
        assert.equal(init.body?.supportsTerminateThreadsRequest, true, 'the view\'s Cancel action needs terminateThreads');
        await launchRunning(client, py.path);
        await client.waitForOutput('stdout', 'ready');

        // Running: the runtime's I/O thread answers; the consumer is suspended at Queue.get between items.
        const running = await pollTasks(client, (b) => typeof byCoroutine(b, 'consumer')?.suspendedFor === 'number'
          && byCoroutine(b, 'producer')?.awaitedBy !== undefined, 'no running answer with a suspended consumer');
        assertGatherEdges(running);
        assert.ok(running.threads.every((t) => t.location === undefined), 'no stacks are taken while running');
        const consumer = byCoroutine(running, 'consumer')!;
        assert.equal(consumer.state, 'suspended');
        assert.ok(consumer.suspendedFor! >= 0);

        // Stopped at a breakpoint in the producer: every thread gets the line of its user code.
        const stopped = nextStop(client);
        await client.setBreakpointsRequest({ source: { path: program }, breakpoints: [{ line: markerLine(source, 'PRODUCER_SLEEP') }] });
        await stopped;
        const atStop = await tasks(client, true);
        assertGatherEdges(atStop);
        const where = (name: string) => byCoroutine(atStop, name)?.location;
        assert.deepEqual({ ...where('producer'), column: undefined }, { file: program, line: markerLine(source, 'PRODUCER_SLEEP'), column: undefined });
        assert.equal(where('consumer')?.line, markerLine(source, 'CONSUMER_GET'));
        assert.equal(where('main')?.line, markerLine(source, 'MAIN_GATHER'));
        const mainThread = atStop.threads.find((t): t is OsThreadInfo => t.kind === 'thread' && t.name === 'MainThread');
        assert.equal(mainThread?.location?.file, program);

        // Running again (breakpoint removed): polling keeps working.
        await client.setBreakpointsRequest({ source: { path: program }, breakpoints: [] });
        await client.continueRequest({ threadId: 1 });
        assertGatherEdges(await pollTasks(client, (b) => byCoroutine(b, 'producer') !== undefined, 'no answer after continue'));
        await client.disconnectRequest({ terminateDebuggee: true });
      } finally {
        await client.stop();
      }
    });

    test('a program that finishes is not said to keep running without the debugger', async () => {
      const client = new Client();
      await client.start();
      try {
        await client.initializeRequest({ adapterID: 'coroscope', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path' });
        const exited = client.waitForEvent('exited');
        const terminated = client.waitForEvent('terminated');
        await Promise.all([
          client.waitForEvent('initialized').then(() => client.configurationDoneRequest()),
          client.launchRequest({ program: fixture('producer_consumer.py'), python: py.path } as DebugProtocol.LaunchRequestArguments),
        ]);
        assert.equal(((await exited) as DebugProtocol.ExitedEvent).body.exitCode, 0);
        await terminated;
        assert.match(client.text('stdout'), /done/);
        assert.doesNotMatch(client.text('console'), /keeps running without the debugger/);
      } finally {
        await client.stop();
      }
    });
  });
}

describe('task tree body (pure)', () => {
  const threads = (consumerState: 'suspended' | 'running', waitTarget = 'Queue.get'): RuntimeThread[] => [
    { id: 1, kind: 'thread', name: 'MainThread', runsLoop: true },
    { id: 2, kind: 'task', name: 'Task-1', coroutine: 'main', state: 'suspended', waitTarget: 'gather' },
    { id: 3, kind: 'task', name: 'Task-2', coroutine: 'consumer', state: consumerState, createdBy: 2,
      waitTarget: consumerState === 'suspended' ? waitTarget : undefined, awaitedBy: [{ id: 2, via: 'gather' }, { id: 99, via: 'await' }] },
    { id: 4, kind: 'task', name: 'Task-3', coroutine: 'worker', state: 'pending', createdBy: 2, awaitedBy: [{ id: 2, via: 'taskgroup' }] },
  ];
  const source = (list: RuntimeThread[]) => ({
    threads: async () => list,
    frames: async () => { throw new Error('no stacks while running'); },
    toClientPath: (file: string) => file,
  });

  test('edges to live tasks only, groups named as the client shows them, no stacks while running', async () => {
    const body = await buildTasksBody(source(threads('suspended')), { locations: true, stopped: false });
    const [thread, main, consumer, worker] = body.threads as [OsThreadInfo, TaskInfo, TaskInfo, TaskInfo];
    assert.deepEqual(thread, { id: 1, kind: 'thread', name: 'MainThread', runsLoop: true });
    assert.deepEqual(consumer.awaitedBy, [2]);
    assert.equal(consumer.group, 'gather');
    assert.equal(worker.group, 'TaskGroup');
    assert.equal(main.awaitedBy, undefined);
    assert.equal(worker.suspendedFor, undefined);
  });

  test('suspendedFor: the runtime\'s bounds, in seconds and in words; none for a task not suspended', async () => {
    const list = threads('suspended');
    (list[1] as TaskThread).suspendedFor = { atLeast: 2.41, atMost: 2.52 };
    (list[2] as TaskThread).suspendedFor = { atLeast: 0.4 };
    (list[3] as TaskThread).suspendedFor = { atLeast: 1, atMost: 1 }; // pending: ignored
    const body = await buildTasksBody(source(list), { locations: false, stopped: false });
    const [, main, consumer, worker] = body.threads as [OsThreadInfo, TaskInfo, TaskInfo, TaskInfo];
    assert.deepEqual([main.suspendedFor, main.suspendedForAtMost, main.suspendedForText], [2.41, 2.52, '2.4 s – 2.5 s']);
    assert.deepEqual([consumer.suspendedFor, consumer.suspendedForAtMost, consumer.suspendedForText], [0.4, undefined, '≥ 0.4 s (since first seen)']);
    assert.equal(worker.suspendedFor, undefined);
  });

  test('locations while stopped: the first frame of user code, library frames skipped', async () => {
    const list = threads('suspended');
    const body = await buildTasksBody({
      threads: async () => list,
      frames: async (id) => (id === 3
        ? [{ id: 7, name: 'get', file: '/usr/lib/python3.12/asyncio/queues.py', line: 158, kind: 'frame' }, { id: 8, name: 'consumer', file: '/app/pc.py', line: 14, column: 1, kind: 'frame' }]
        : []),
      toClientPath: (file) => file.replace('/app/', '/local/'),
    }, { locations: true, stopped: true });
    assert.deepEqual(body.threads[2].location, { file: '/local/pc.py', line: 14, column: 1 });
    assert.equal(body.threads[0].location, undefined);
  });
});
