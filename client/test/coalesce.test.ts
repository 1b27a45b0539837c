import assert from 'node:assert/strict';
import { test } from 'node:test';
import { coalesced } from '../src/tasks/coalesce';

/** A run whose end the test decides. */
function controllable() {
  const finishers: (() => void)[] = [];
  let runs = 0;
  const run = () => { runs++; return new Promise<void>((resolve) => finishers.push(resolve)); };
  return { run, runs: () => runs, finish: () => finishers.shift()!() };
}

test('a refresh asked for during a run is not lost: it runs once after it', async () => {
  const c = controllable();
  const refresh = coalesced(c.run);
  const first = refresh();
  const second = refresh();
  const third = refresh();
  assert.equal(c.runs(), 1, 'only one run at a time');
  c.finish();
  await first;
  await new Promise((r) => setImmediate(r));
  assert.equal(c.runs(), 2, 'the calls made meanwhile became exactly one more run');
  c.finish();
  await Promise.all([second, third]);
  assert.equal(c.runs(), 2);
  // Idle again: the next call runs at once.
  const fourth = refresh();
  assert.equal(c.runs(), 3);
  c.finish();
  await fourth;
});

test('a failed run does not stop the one after it', async () => {
  let runs = 0;
  let fail = true;
  const refresh = coalesced(async () => { runs++; await new Promise((r) => setImmediate(r)); if (fail) { fail = false; throw new Error('boom'); } });
  const first = refresh();
  const second = refresh();
  await assert.rejects(first, /boom/);
  await second;
  assert.equal(runs, 2);
});
