// Thread names, order and stack frames as VS Code shows them.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { orderThreads, threadName, toStackFrame } from '../src/presentation';
import type { RuntimeThread } from '../src/runtimeProtocol';

const loop: RuntimeThread = { id: 1, kind: 'thread', name: 'MainThread', osThreadId: 10, runsLoop: true };
const worker: RuntimeThread = { id: 9, kind: 'thread', name: 'Worker', osThreadId: 11, runsLoop: false };
const main: RuntimeThread = { id: 2, kind: 'task', name: 'Task-1', coroutine: 'main', state: 'suspended', waitTarget: 'gather', gather: { done: 1, total: 2 } };
const consumer: RuntimeThread = { id: 4, kind: 'task', name: 'Task-3', coroutine: 'consumer', state: 'suspended', waitTarget: 'Queue.get' };
const fetch: RuntimeThread = { id: 7, kind: 'task', name: 'Task-7', coroutine: 'fetch', state: 'running' };

describe('thread names', () => {
  test('tasks say their coroutine and what they wait for', () => {
    assert.equal(threadName(consumer), 'Task-3 consumer() ⏸ Queue.get');
    assert.equal(threadName(main), 'Task-1 main() ⏸ gather 1/2 done');
    assert.equal(threadName(fetch), 'Task-7 fetch() ▶ running');
    assert.equal(threadName({ ...fetch, state: 'pending' }), 'Task-7 fetch() ◌ not started');
    assert.equal(threadName({ ...consumer, waitTarget: undefined }), 'Task-3 consumer() ⏸ suspended');
    assert.equal(threadName({ ...consumer, coroutine: undefined }), 'Task-3 ⏸ Queue.get');
    // Without a count (an older runtime) or with a malformed one, the bare wait target.
    assert.equal(threadName({ ...main, gather: undefined }), 'Task-1 main() ⏸ gather');
    assert.equal(threadName({ ...main, gather: { done: 'x', total: -1 } as never }), 'Task-1 main() ⏸ gather');
  });

  test('OS threads say whether they run an event loop', () => {
    assert.equal(threadName(loop), 'MainThread · event loop');
    assert.equal(threadName(worker), 'Worker');
  });
});

describe('thread order', () => {
  test('the stopped thread first, then OS threads, then tasks in runtime order', () => {
    const ordered = orderThreads([main, loop, consumer, fetch, worker], 4);
    assert.deepEqual(ordered.map((t) => t.id), [4, 1, 9, 2, 7]);
    assert.deepEqual(orderThreads([main, loop], undefined).map((t) => t.id), [1, 2]);
  });
});

describe('stack frames', () => {
  test('a Python frame has a source and its position', () => {
    assert.deepEqual(toStackFrame({ id: 11, name: 'consumer', file: '/abs/app.py', line: 12, column: 16, kind: 'frame' }), {
      id: 11, name: 'consumer', line: 12, column: 16, source: { name: 'app.py', path: '/abs/app.py' },
    });
  });

  test('a label frame is a subtle separator without a source', () => {
    assert.deepEqual(toStackFrame({ id: 12, name: '⏸ awaiting Queue.get', kind: 'label' }), {
      id: 12, name: '⏸ awaiting Queue.get', line: 0, column: 0, presentationHint: 'label',
    });
  });

  test('frames from generated code have no path to open', () => {
    const frame = toStackFrame({ id: 13, name: '<module>', file: '<string>', line: 1, kind: 'frame' });
    assert.equal(frame.source?.path, undefined);
    assert.equal(frame.presentationHint, 'subtle');
  });
});
