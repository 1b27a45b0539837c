// Stitched await stacks, justMyCode, the Task scope and thread filtering, from runtime-shaped data.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { RuntimeFrame, RuntimeThread } from '../src/runtimeProtocol';
import { MAX_AWAITER_DEPTH, applyJustMyCode, buildStack, isLibraryPath } from '../src/stacks';
import { filterThreads, formatSeconds, formatSuspended, globToRegExp, taskFields } from '../src/taskView';

const app = '/work/app.py';
const threads: RuntimeThread[] = [
  { id: 1, kind: 'thread', name: 'MainThread', runsLoop: true },
  { id: 2, kind: 'task', name: 'Task-1', coroutine: 'main', state: 'suspended', waitTarget: 'gather', createdAt: { file: app, line: 30, function: '<module>' } },
  { id: 3, kind: 'task', name: 'Task-2', coroutine: 'consumer', state: 'suspended', waitTarget: 'Queue.get', createdAt: { file: app, line: 22, function: 'main' }, createdBy: 2, awaitedBy: [{ id: 2, via: 'gather' }] },
];
const frames: Record<number, RuntimeFrame[]> = {
  1: [{ id: 1, name: 'select', file: '/usr/lib/python3.12/selectors.py', line: 468, kind: 'frame' }, { id: 2, name: '<module>', file: app, line: 30, kind: 'frame' }],
  2: [{ id: 3, name: 'main', file: app, line: 22, kind: 'frame' }, { id: 0, name: 'awaiting gather of 2 (0 done)', kind: 'label' }],
  3: [{ id: 4, name: 'get', file: '/usr/lib/python3.12/asyncio/queues.py', line: 158, kind: 'frame' }, { id: 5, name: 'consumer', file: app, line: 14, kind: 'frame' }, { id: 0, name: 'awaiting Queue.get() on queue', kind: 'label' }],
};
const source = (list = threads, stacks = frames) => ({ frames: async (id: number) => stacks[id] ?? [], threads: async () => list });
const render = (stack: Awaited<ReturnType<typeof buildStack>>) => stack.map((e) => `${e.owner}:${e.frame.name}${e.library ? ' (lib)' : ''}${e.synthetic ? ' *' : ''}`);

describe('stitched stacks', () => {
  test('a task: its frames, awaited by its awaiter with that task\'s frames, then where it was created', async () => {
    assert.deepEqual(render(await buildStack(3, source())), [
      '3:get (lib)', '3:consumer', '3:⏸ awaiting Queue.get() on queue *',
      '2:awaited by Task-1 main() via gather *', '2:main', '2:⏸ awaiting gather of 2 (0 done) *',
      '3:created at app.py:22 in main() *',
    ]);
    assert.deepEqual(render(await buildStack(2, source())).slice(-1), ['2:created at app.py:30 in <module> *']);
  });

  test('an OS thread is not stitched', async () => {
    assert.deepEqual(render(await buildStack(1, source())), ['1:select (lib)', '1:<module>']);
  });

  test('await cycles end and long chains are cut at the depth limit', async () => {
    const cyclic: RuntimeThread[] = [
      { id: 10, kind: 'task', name: 'A', state: 'suspended', awaitedBy: [{ id: 11 }] },
      { id: 11, kind: 'task', name: 'B', state: 'suspended', awaitedBy: [{ id: 10 }] },
    ];
    assert.deepEqual(render(await buildStack(10, source(cyclic, {}))), ['11:awaited by B *']);
    const chain: RuntimeThread[] = Array.from({ length: 20 }, (_, i) => ({ id: 100 + i, kind: 'task' as const, name: `T${i}`, state: 'suspended' as const, awaitedBy: [{ id: 101 + i }] }));
    const stack = render(await buildStack(100, source(chain, {})));
    assert.equal(stack.filter((l) => l.includes('awaited by T')).length, MAX_AWAITER_DEPTH);
    assert.match(stack[stack.length - 1], /awaited by more tasks/);
  });

  test('malformed awaitedBy data is ignored', async () => {
    const odd = [{ id: 5, kind: 'task', name: 'X', state: 'suspended', awaitedBy: [null, 'x', { id: 'y' }, { id: 999 }] }] as unknown as RuntimeThread[];
    assert.deepEqual(render(await buildStack(5, source(odd, {}))), []);
  });

  test('justMyCode hides library frames but never empties a stack', async () => {
    const stack = applyJustMyCode(await buildStack(3, source()), true);
    assert.ok(!stack.some((e) => e.library));
    const idle = [{ frame: { id: 1, name: 'select', file: '/usr/lib/python3.12/selectors.py', kind: 'frame' as const }, owner: 1, synthetic: false, library: true }];
    assert.equal(applyJustMyCode(idle, true).length, 1);
    assert.equal(applyJustMyCode(await buildStack(3, source()), false).length, 7);
  });

  test('library paths', () => {
    for (const p of ['/usr/lib/python3.12/asyncio/tasks.py', '/root/.pyenv/versions/3.8.18/lib/python3.8/runpy.py', '/venv/lib/python3.11/site-packages/aiohttp/client.py', '<frozen runpy>', 'C:\\Python312\\Lib\\asyncio\\tasks.py']) assert.ok(isLibraryPath(p), p);
    for (const p of ['/work/app.py', '/home/me/lib/app.py', undefined]) assert.ok(!isLibraryPath(p), String(p));
  });
});

describe('Task scope', () => {
  const rows = (fields: ReturnType<typeof taskFields>) => Object.fromEntries(fields.map((f) => [f.name, f.value]));

  test('says state, wait target, creation, awaiters, what it awaits and its children in words', () => {
    assert.deepEqual(rows(taskFields(threads[2] as never, threads)), {
      name: 'Task-2', coroutine: 'consumer()', state: 'suspended', 'wait target': 'Queue.get', 'created at': 'app.py:22 in main()',
      'created by': 'Task-1 main()', 'awaited by': 'Task-1 main() (gather)', awaiting: 'none', children: 'none',
    });
    const main = taskFields(threads[1] as never, threads);
    assert.equal(rows(main).children, '1 (1 suspended)');
    assert.equal(rows(main).awaiting, '1 (1 suspended)', 'live tasks whose awaited-by edges name main');
    assert.deepEqual(main.find((f) => f.name === 'children')?.children, [{ name: 'Task-2 consumer()', value: '⏸ Queue.get', variablesReference: 0 }]);
    assert.equal(rows(main)['awaited by'], 'nobody');
  });

  test('time suspended says how it was measured', () => {
    assert.equal(formatSuspended({ atLeast: 2.41, atMost: 2.41 }), '2.4 s');
    assert.equal(formatSuspended({ atLeast: 2.41, atMost: 2.49 }), '2.4 s');
    assert.equal(formatSuspended({ atLeast: 2.41, atMost: 2.52 }), '2.4 s – 2.5 s');
    assert.equal(formatSuspended({ atLeast: 75.2 }), '≥ 1 min 15 s (since first seen)');
    assert.equal(formatSeconds(42.9), '42 s');
    assert.equal(formatSeconds(7322), '2 h 2 min');
    const task = { ...threads[2], suspendedFor: { atLeast: 0.05, atMost: 0.12 } };
    assert.equal(rows(taskFields(task as never, threads))['time suspended'], '0.0 s – 0.1 s');
  });

  test('outcomes from the runtime: its own exception at an uncaught stop, finished children and awaited tasks', () => {
    const variable = (value: string, ref = 0) => ({ name: 'x', value, variablesReference: ref });
    const fields = taskFields(threads[1] as never, threads, {
      state: 'running',
      exception: variable('ValueError: bad', 7),
      uncaught: true,
      children: [
        { id: 3, name: 'Task-2', coroutine: 'consumer', state: 'suspended' },
        { id: 9, name: 'Task-8', coroutine: 'fetch', state: 'done', result: variable("{'n': 1}", 11) },
        { id: 10, name: 'Task-9', coroutine: 'fail', state: 'failed', exception: variable('KeyError: 3', 12) },
        { id: 11, name: 'Task-10', coroutine: 'slow', state: 'cancelled' },
      ],
      awaiting: [{ id: 9, name: 'Task-8', coroutine: 'fetch', state: 'done', result: variable("{'n': 1}", 11) }],
    });
    const exception = fields.find((f) => f.name === 'exception');
    assert.deepEqual(exception, { name: 'exception', value: 'ValueError: bad (uncaught: the task ends with it)', variablesReference: 7 });
    const children = fields.find((f) => f.name === 'children');
    assert.equal(children?.value, '4 (1 suspended, 1 done, 1 failed, 1 cancelled)');
    assert.deepEqual(children?.children?.map((c) => [c.name, c.value, c.variablesReference]), [
      ['Task-2 consumer()', '⏸ Queue.get', 0],
      ['Task-8 fetch()', "done → {'n': 1}", 11],
      ['Task-9 fail()', 'failed: KeyError: 3', 12],
      ['Task-10 slow()', 'cancelled', 0],
    ]);
    // The runtime's answer first, then live tasks awaited through edges it does not list (here Task-2, via gather).
    assert.deepEqual(fields.find((f) => f.name === 'awaiting')?.children?.map((c) => c.name), ['Task-8 fetch()', 'Task-2 consumer()']);
  });
});

describe('thread filtering', () => {
  const many: RuntimeThread[] = [threads[0], ...Array.from({ length: 10 }, (_, i) => ({ id: 10 + i, kind: 'task' as const, name: `Task-${i}`, coroutine: i % 2 ? 'fetch' : 'parse', state: 'suspended' as const }))];
  test('maxTasks keeps the first tasks, OS threads and the stopped task', () => {
    const { threads: kept, hidden } = filterThreads(many, { maxTasks: 3, keep: 19 });
    assert.deepEqual(kept.map((t) => t.id), [1, 10, 11, 12, 19]);
    assert.equal(hidden, 6);
  });
  test('taskFilter is a glob on the name or the coroutine', () => {
    assert.deepEqual(filterThreads(many, { maxTasks: 100, taskFilter: 'fe*' }).threads.map((t) => t.id), [1, 11, 13, 15, 17, 19]);
    assert.deepEqual(filterThreads(many, { maxTasks: 100, taskFilter: 'Task-?' }).hidden, 0);
    assert.ok(globToRegExp('a.b*').test('a.bc'));
    assert.ok(!globToRegExp('a.b*').test('axbc'));
  });
});
