// `coroscope/suspendPoints` over LSP stdio against dist/server.js, as the "N suspend points" CodeLens asks:
// every `async def` with the awaits, async for and async with of its own body, and ranges that point at them.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { SUSPEND_POINTS_REQUEST, type LspRange, type SuspendPointsResult } from '../../client/src/protocol';
import { LspClient } from './support/lspClient';

const source = [
  'import asyncio',                                          // 0
  '',                                                        // 1
  'async def main(queue, lock, stream):',                    // 2
  '    item = await queue.get()',                            // 3
  '    async with lock:',                                    // 4
  '        async for chunk in stream:',                      // 5
  '            print(chunk)',                                // 6
  '    values = [x async for x in stream]',                  // 7
  '    gen = (await x for x in [])',                         // 8
  '    async def inner():',                                  // 9
  '        await asyncio.sleep(1)',                          // 10
  '    def plain():',                                        // 11
  '        return 1',                                        // 12
  '    return item, values, gen',                            // 13
  '',                                                        // 14
  'class Worker:',                                           // 15
  '    async def run(self):',                                // 16
  '        await asyncio.sleep(0)  # é — UTF-16 columns',    // 17
  '        return await self.done()',                        // 18
  '',                                                        // 19
  '    async def idle(self):',                               // 20
  '        pass',                                            // 21
].join('\n');

/** The text a range covers, for readable assertions. */
function slice(text: string, range: LspRange): string {
  const lines = text.split('\n');
  if (range.start.line === range.end.line) return lines[range.start.line].slice(range.start.character, range.end.character);
  return [lines[range.start.line].slice(range.start.character), ...lines.slice(range.start.line + 1, range.end.line), lines[range.end.line].slice(0, range.end.character)].join('\n');
}

describe('coroscope/suspendPoints over LSP', () => {
  let client: LspClient;
  before(async () => {
    client = new LspClient();
    await client.initialize();
  });
  after(async () => { await client.shutdown(); });

  const request = (uri: string) => client.connection.sendRequest<SuspendPointsResult>(SUSPEND_POINTS_REQUEST, { textDocument: { uri } });

  test('every async def with its own suspend points, in source order, nested functions apart', async () => {
    const uri = 'file:///tmp/coroscope-suspend/points.py';
    await client.open(uri, source);
    const { functions } = await request(uri);
    assert.deepEqual(functions.map((f) => [f.name, slice(source, f.range), f.suspendPoints.length]), [
      ['main', 'async def main', 4],
      ['inner', 'async def inner', 1],
      ['run', 'async def run', 2],
      ['idle', 'async def idle', 0],
    ]);
    const main = functions[0];
    assert.deepEqual(main.suspendPoints.map((p) => [p.kind, p.range.start.line, slice(source, p.range)]), [
      ['await', 3, 'await queue.get()'],
      ['async with', 4, 'async with'],
      ['async for', 5, 'async for'],
      ['async for', 7, 'async for'],
    ], 'the generator expression on line 8 is a frame of its own; inner() counts apart');
    assert.equal(slice(source, functions[1].suspendPoints[0].range), 'await asyncio.sleep(1)');
    assert.deepEqual(functions[2].suspendPoints.map((p) => slice(source, p.range)), ['await asyncio.sleep(0)', 'await self.done()']);
  });

  test('follows edits, and survives broken code and unknown documents', async () => {
    const uri = 'file:///tmp/coroscope-suspend/edited.py';
    await client.open(uri, 'async def f():\n    pass\n');
    assert.equal((await request(uri)).functions[0].suspendPoints.length, 0);
    await client.change(uri, 2, 'async def f():\n    await g()\n    await h(\n');
    const edited = (await request(uri)).functions;
    assert.equal(edited.length, 1);
    assert.ok(edited[0].suspendPoints.length >= 1, JSON.stringify(edited));
    assert.equal(edited[0].suspendPoints[0].range.start.line, 1);
    assert.deepEqual(await request('file:///tmp/coroscope-suspend/never-opened.py'), { functions: [] });
    assert.deepEqual(await client.connection.sendRequest(SUSPEND_POINTS_REQUEST, { nonsense: true }), { functions: [] });
    // The server is still alive and answering.
    assert.equal((await request(uri)).functions.length, 1);
  });
});
