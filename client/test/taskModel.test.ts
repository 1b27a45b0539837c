// The task tree: hierarchy from the adapter's answer, the fallback from DAP thread names, and the text
// rendering with its file:line links.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildTaskTree, describeNode, formatSeconds, isUnknownRequest, renderTaskTree, tasksFromDapThreads } from '../src/tasks/model';
import type { TasksResponseBody } from '../src/protocol';

const PRODUCER_CONSUMER: TasksResponseBody = {
  threads: [
    { id: 4, kind: 'task', name: 'Task-3', coroutine: 'consumer', state: 'suspended', waitTarget: 'Queue.get', awaitedBy: [2], group: 'gather', createdBy: 2,
      location: { file: '/w/producer_consumer.py', line: 22 } },
    { id: 2, kind: 'task', name: 'Task-1', coroutine: 'main', state: 'suspended', waitTarget: 'gather', suspendedFor: 2.04,
      location: { file: '/w/producer_consumer.py', line: 29 } },
    { id: 3, kind: 'task', name: 'Task-2', coroutine: 'producer', state: 'running', awaitedBy: [2], group: 'gather', createdBy: 2,
      location: { file: '/w/producer_consumer.py', line: 17 } },
    { id: 1, kind: 'thread', name: 'MainThread', runsLoop: true },
  ],
};

test('gather children hang under the task awaiting them, OS threads first', () => {
  const tree = buildTaskTree(PRODUCER_CONSUMER);
  assert.deepEqual(tree.roots.map((n) => n.info.id), [1, 2]);
  const main = tree.roots[1];
  assert.deepEqual(main.children.map((n) => n.info.name), ['Task-2', 'Task-3']);
  assert.ok(main.children.every((n) => n.relation === 'gather'));
});

test('the rendered tree reads like pstree and links every location', () => {
  const { text, links } = renderTaskTree(buildTaskTree(PRODUCER_CONSUMER), 'Tasks of producer/consumer', (f) => f.replace('/w/', ''));
  assert.equal(text, [
    'Tasks of producer/consumer',
    '',
    'MainThread  event loop',
    'Task-1 main()  ⏸ gather  2.0 s  producer_consumer.py:29',
    '├── [gather] Task-2 producer()  ▶ running  producer_consumer.py:17',
    '└── [gather] Task-3 consumer()  ⏸ Queue.get  producer_consumer.py:22',
    '',
  ].join('\n'));
  assert.equal(links.length, 3);
  const lines = text.split('\n');
  for (const link of links) {
    assert.equal(lines[link.line].slice(link.startColumn, link.endColumn), `producer_consumer.py:${link.target.line}`);
  }
});

test('a task created but not awaited hangs under its creator; a creation site stands in for a location', () => {
  const tree = buildTaskTree({ threads: [
    { id: 2, kind: 'task', name: 'Task-1', coroutine: 'main', state: 'running' },
    { id: 5, kind: 'task', name: 'bg', coroutine: 'tick', state: 'pending', createdBy: 2, createdAt: { file: '/w/a.py', line: 9, function: 'main' } },
  ] });
  assert.equal(tree.roots.length, 1);
  assert.equal(tree.roots[0].children[0].relation, 'created');
  const { text } = renderTaskTree(tree, 'h');
  assert.match(text, /└── \[created\] bg tick\(\)  ⏳ pending  \/w\/a\.py:9 \(created\)/);
});

test('cycles, self-references, unknown ids and malformed entries never hang or crash', () => {
  const tree = buildTaskTree({ threads: [
    { id: 2, kind: 'task', name: 'A', state: 'suspended', awaitedBy: [3] },
    { id: 3, kind: 'task', name: 'B', state: 'suspended', awaitedBy: [2] },
    { id: 4, kind: 'task', name: 'C', state: 'suspended', awaitedBy: [4, 99], createdBy: 4 },
    null as never, { id: 'x', name: 5 } as never,
  ] });
  const count = (nodes: typeof tree.roots): number => nodes.reduce((n, node) => n + 1 + count(node.children), 0);
  assert.equal(count(tree.roots), 3);
  assert.ok(tree.roots.some((n) => n.info.id === 4));
  assert.doesNotThrow(() => renderTaskTree(tree, 'h'));
  assert.deepEqual(buildTaskTree(undefined as never).roots, []);
  assert.match(renderTaskTree(buildTaskTree({ threads: [] }), 'h').text, /\(no tasks\)/);
});

test('the fallback reads the adapter thread names', () => {
  const body = tasksFromDapThreads([
    { id: 1, name: 'MainThread · event loop' },
    { id: 2, name: 'Task-1 main() ⏸ gather 1/2 done' },
    { id: 3, name: 'Task-2 producer() ⏸ sleep' },
    { id: 4, name: 'my worker consumer() ▶ running' },
    { id: 5, name: 'Task-9 idle() ⏸ suspended' },
  ], new Map([[4, { file: '/w/p.py', line: 22 }]]));
  assert.deepEqual(body.threads.map((t) => t.kind), ['thread', 'task', 'task', 'task', 'task']);
  assert.deepEqual(body.threads[0], { id: 1, kind: 'thread', name: 'MainThread', runsLoop: true, location: undefined });
  assert.deepEqual(body.threads[1], { id: 2, kind: 'task', name: 'Task-1', coroutine: 'main', state: 'suspended', waitTarget: 'gather 1/2 done', location: undefined });
  assert.equal((body.threads[3] as { name: string }).name, 'my worker');
  assert.equal((body.threads[3] as { state: string }).state, 'running');
  assert.deepEqual(body.threads[3].location, { file: '/w/p.py', line: 22 });
  assert.equal((body.threads[4] as { waitTarget?: string }).waitTarget, undefined);
  const rendered = renderTaskTree(buildTaskTree(body, true), 'h').text;
  assert.match(rendered, /reports no task hierarchy/);
});

test('durations read naturally', () => {
  assert.equal(formatSeconds(0.421), '0.42 s');
  assert.equal(formatSeconds(12), '12.0 s');
  assert.equal(formatSeconds(185), '3 min 5 s');
  assert.deepEqual(describeNode({ id: 1, kind: 'thread', name: 'Worker' }), { label: 'Worker', status: 'thread' });
  // The runtime's wording (how exact the measure is) wins over a bare number.
  const waiting = { id: 2, kind: 'task', name: 'Task-2', state: 'suspended', waitTarget: 'Queue.get', suspendedFor: 2.4 } as const;
  assert.equal(describeNode(waiting).status, '⏸ Queue.get  2.4 s');
  assert.equal(describeNode({ ...waiting, suspendedForText: '≥ 2.4 s (since first seen)' }).status, '⏸ Queue.get  ≥ 2.4 s (since first seen)');
});

test('only an adapter that does not know coroscope/tasks loses it for the session', () => {
  assert.equal(isUnknownRequest(new Error('unrecognized request')), true);  // @vscode/debugadapter's answer
  assert.equal(isUnknownRequest(new Error("Unknown command 'coroscope/tasks'")), true);
  assert.equal(isUnknownRequest(new Error("The runtime did not answer 'threads' within 10 s.")), false);
  assert.equal(isUnknownRequest(new Error('Coroscope: the program has not connected yet')), false);
});
