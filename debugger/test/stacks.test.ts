// Stitched await stacks, justMyCode, the Task scope and thread filtering, from runtime-shaped data.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { RuntimeFrame, RuntimeThread } from '../src/runtimeProtocol';
import { MAX_AWAITER_DEPTH, applyJustMyCode, buildStack, isLibraryPath } from '../src/stacks';
import { filterThreads, globToRegExp, taskFields } from '../src/taskView';

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
  test('says state, wait target, creation, awaiters and children in words', () => {
    const fields = Object.fromEntries(taskFields(threads[2] as never, threads).map((f) => [f.name, f.value]));
    assert.deepEqual(fields, {
      name: 'Task-2', coroutine: 'consumer()', state: 'suspended', 'wait target': 'Queue.get', 'created at': 'app.py:22 in main()',
      'created by': 'Task-1 main()', 'awaited by': 'Task-1 main() (gather)', children: 'none',
    });
    const main = Object.fromEntries(taskFields(threads[1] as never, threads).map((f) => [f.name, f.value]));
    assert.equal(main.children, 'Task-2 consumer()');
    assert.equal(main['awaited by'], 'nobody');
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
