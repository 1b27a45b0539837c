// Quick fixes applied to real text: the edited module must be what a careful human would write, and
// must no longer carry the diagnostic.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { analyze, initAnalysis, type Diagnostic, type Fix } from '../src/analysis';
import { applyEdits } from './support/edits';

function fixFor(text: string, code: string, index = 0): { fix: Fix; diagnostic: Diagnostic } {
  const diagnostic = analyze(text, { select: [code] })[index];
  assert.ok(diagnostic, `no ${code} in:\n${text}`);
  assert.ok(diagnostic.fixes?.length, `${code} has no fix`);
  return { fix: diagnostic.fixes![0], diagnostic };
}

describe('quick fixes', () => {
  before(() => initAnalysis());

  test('CORO131 rewrites the seed tutorial boilerplate to asyncio.run(main())', () => {
    const text = 'import asyncio\n\nasync def main():\n    pass\n\nloop = asyncio.get_event_loop()\nloop.run_until_complete(main())\n';
    const { fix } = fixFor(text, 'CORO131');
    assert.equal(fix.preferred, true);
    const fixed = applyEdits(text, fix.edits);
    assert.equal(fixed, 'import asyncio\n\nasync def main():\n    pass\n\nasyncio.run(main())\n');
    assert.deepEqual(analyze(fixed, { select: ['CORO131'] }), []);
  });

  test('CORO131 keeps the result and drops loop.close()', () => {
    const text = 'import asyncio as aio\n\ndef run():\n    ev = aio.get_event_loop()\n    result = ev.run_until_complete(main())\n    ev.close()\n    return result\n';
    const fixed = applyEdits(text, fixFor(text, 'CORO131').fix.edits);
    assert.equal(fixed, 'import asyncio as aio\n\ndef run():\n    result = aio.run(main())\n    return result\n');
  });

  test('CORO131 offers no fix when the loop is used for something else', () => {
    const text = 'import asyncio\nloop = asyncio.get_event_loop()\nloop.set_debug(True)\nloop.run_until_complete(main())\n';
    const [d] = analyze(text, { select: ['CORO131'] });
    assert.equal(d.code, 'CORO131');
    assert.equal(d.fixes, undefined);
  });

  test('CORO110 adds await', () => {
    const text = 'import asyncio\n\nasync def main():\n    asyncio.sleep(1)\n';
    const fixed = applyEdits(text, fixFor(text, 'CORO110').fix.edits);
    assert.equal(fixed, 'import asyncio\n\nasync def main():\n    await asyncio.sleep(1)\n');
    assert.deepEqual(analyze(fixed, { select: ['CORO110'] }), []);
  });

  test('CORO100 makes the enclosing function async', () => {
    const text = 'def load():\n    return await fetch()\n';
    const fixed = applyEdits(text, fixFor(text, 'CORO100').fix.edits);
    assert.equal(fixed, 'async def load():\n    return await fetch()\n');
    assert.deepEqual(analyze(fixed, { select: ['CORO100'] }), []);
  });

  test('CORO200 removes the unreachable tail', () => {
    const text = 'import asyncio\n\nasync def f():\n    return 1\n    await asyncio.sleep(1)\n    x = 2\n\nasync def g():\n    pass\n';
    const fixed = applyEdits(text, fixFor(text, 'CORO200').fix.edits);
    assert.equal(fixed, 'import asyncio\n\nasync def f():\n    return 1\n\nasync def g():\n    pass\n');
  });

  test('CORO300 switches to asyncio.sleep, importing asyncio after __future__ imports when needed', () => {
    const text = '"""Doc."""\nfrom __future__ import annotations\nimport time\n\nasync def f():\n    time.sleep(0.5)\n';
    const fixed = applyEdits(text, fixFor(text, 'CORO300').fix.edits);
    assert.equal(fixed, '"""Doc."""\nfrom __future__ import annotations\nimport asyncio\nimport time\n\nasync def f():\n    await asyncio.sleep(0.5)\n');
    assert.deepEqual(analyze(fixed, { select: ['CORO300'] }), []);
  });

  test('CORO302 offloads to a thread', () => {
    const text = 'import asyncio as aio\nimport subprocess\n\nasync def f():\n    out = subprocess.run(["make"], check=True)\n';
    const fixed = applyEdits(text, fixFor(text, 'CORO302').fix.edits);
    assert.equal(fixed, 'import asyncio as aio\nimport subprocess\n\nasync def f():\n    out = await aio.to_thread(subprocess.run, ["make"], check=True)\n');
  });

  test('CORO120 keeps a reference in a module-level set', () => {
    const text = 'import asyncio\n\nasync def work():\n    pass\n\nasync def main():\n    task = 1\n    asyncio.create_task(work())\n    return task\n';
    const fixed = applyEdits(text, fixFor(text, 'CORO120').fix.edits);
    assert.equal(fixed, 'import asyncio\n\n_background_tasks = set()  # strong references to running tasks\n\nasync def work():\n    pass\n\n'
      + 'async def main():\n    task = 1\n    task2 = asyncio.create_task(work())\n    _background_tasks.add(task2)\n    task2.add_done_callback(_background_tasks.discard)\n    return task\n');
    assert.deepEqual(analyze(fixed, { select: ['CORO120'] }), []);
  });
});
