// The language server driven over a real stdio connection (dist/server.js --stdio), as an editor would.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DiagnosticSeverity } from 'vscode-languageserver-protocol/node';
import { LspClient } from './support/lspClient';

describe('language server over stdio', () => {
  let client: LspClient;
  before(async () => {
    client = new LspClient();
    const init = await client.initialize();
    assert.equal(init.serverInfo?.name, 'coroscope');
  });
  after(() => client.shutdown());

  test('publishes CORO100 for a misplaced await, then clears it when the edit fixes it', async () => {
    const uri = 'file:///tmp/coroscope-lsp/misplaced.py';
    const text = 'import asyncio\n\ndef load():\n    data = await asyncio.sleep(1)\n    return data\n';
    const mark = client.published.length;
    await client.open(uri, text);
    const first = await client.waitForDiagnostics(uri, (p) => p.diagnostics.length > 0, mark);
    assert.equal(first.diagnostics.length, 1);
    const [d] = first.diagnostics;
    assert.equal(d.code, 'CORO100');
    assert.equal(d.severity, DiagnosticSeverity.Error);
    assert.equal(d.source, 'coroscope');
    assert.deepEqual(d.range, { start: { line: 3, character: 11 }, end: { line: 3, character: 33 } });

    const mark2 = client.published.length;
    await client.change(uri, 2, text.replace('def load', 'async def load'));
    const fixed = await client.waitForDiagnostics(uri, (p) => p.version === 2, mark2);
    assert.deepEqual(fixed.diagnostics, []);

    const mark3 = client.published.length;
    await client.close(uri);
    const closed = await client.waitForDiagnostics(uri, () => true, mark3);
    assert.deepEqual(closed.diagnostics, []);
  });

  test('garbage text does not crash the server', async () => {
    const uri = 'file:///tmp/coroscope-lsp/garbage.py';
    const garbage = 'def (((:\n\tawait await ]]] async with\n\x00\u{1F600} class lambda: yield from\n' + ')'.repeat(500) + '\n"""unterminated';
    const mark = client.published.length;
    await client.open(uri, garbage);
    await client.waitForDiagnostics(uri, () => true, mark);
    // Still alive and still analysing: a real finding in another document after the garbage.
    const uri2 = 'file:///tmp/coroscope-lsp/after-garbage.py';
    const mark2 = client.published.length;
    await client.open(uri2, 'async with x:\n    pass\n');
    const after = await client.waitForDiagnostics(uri2, (p) => p.diagnostics.length > 0, mark2);
    assert.equal(after.diagnostics[0].code, 'CORO100');
    assert.equal(client.exitCode, undefined);
  });

  test('analyses every keystroke version and settles on the latest text', async () => {
    const uri = 'file:///tmp/coroscope-lsp/typing.py';
    const target = 'def f():\n    await g()\n';
    await client.open(uri, '');
    let version = 1;
    for (let i = 1; i <= target.length; i++) await client.change(uri, ++version, target.slice(0, i));
    const last = await client.waitForDiagnostics(uri, (p) => p.version === version, 0);
    assert.deepEqual(last.diagnostics.map((d) => [d.code, d.range.start.line]), [['CORO100', 1]]);
  });
});
