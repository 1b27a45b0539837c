// `await` in the Debug Console while the program is stopped, through DAP on every interpreter found: what
// completes without the (frozen) event loop gives its value; what needs the loop is refused with a message,
// closed where it waited (its cleanup runs), and the program goes on as if it had never been evaluated.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { findPythons } from '../../test/support/pythons';
import { fixture, launchAndStop, markerLine, withClient } from './support/dap';

const program = fixture('await_eval.py');
const stopLine = markerLine(readFileSync(program, 'utf8'), 'STOP');

for (const py of findPythons()) {
  describe(`evaluate await with Python ${py.version}`, () => {
    test('completes what needs no loop turn, refuses what does, and the program is unharmed', () => withClient(async (client) => {
      const stop = await launchAndStop(client, { program, python: py.path }, [{ path: program, lines: [stopLine] }]);
      const threadId = stop.body.threadId as number;
      const [top] = (await client.stackTraceRequest({ threadId })).body.stackFrames;
      const evaluate = async (expression: string) =>
        (await client.evaluateRequest({ expression, frameId: top.id, context: 'repl' })).body.result;

      assert.equal(await evaluate('await ready_value()'), '42');
      assert.equal(await evaluate('(await ready_value()) + 1'), '43');
      assert.equal(await evaluate('await done'), "'done already'");
      // A queue with an item: get() returns at once (the item is taken, as the expression says).
      assert.equal(await evaluate('await full.get()'), "'item'");
      // Needs the loop: a turn of it, a future only a put() would complete, a timer.
      for (const [expression, waitsFor] of [['await asyncio.sleep(0)', /a turn of the event loop/],
        ['await queue.get()', /<Future pending>/], ['await asyncio.sleep(5)', /<Future pending>/]] as const) {
        await assert.rejects(client.evaluateRequest({ expression, frameId: top.id, context: 'repl' }),
          (error: Error) => /await cannot finish while the program is stopped/.test(error.message) && waitsFor.test(error.message),
          expression);
      }
      // Still stopped and answering; then the program runs to its end: the abandoned get() withdrew its
      // getter, the item taken above is gone, no "never awaited" warning, exit code 0.
      assert.equal(await evaluate('len(queue._getters)'), '0');
      const exited = client.waitForEvent('exited') as Promise<DebugProtocol.ExitedEvent>;
      const terminated = client.waitForEvent('terminated');
      await client.continueRequest({ threadId });
      assert.equal((await exited).body.exitCode, 0);
      await terminated;
      assert.equal(client.text('stdout'), 'stopping\ngetters left 0 items left 0\n');
      assert.equal(client.text('stderr'), '');
    }));
  });
}
