// The language server driven over a real stdio connection (dist/server.js --stdio), as an editor would.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { fork } from 'node:child_process';
import { join } from 'node:path';
import {
  createProtocolConnection, DidOpenTextDocumentNotification, InitializeRequest, IPCMessageReader, IPCMessageWriter, PublishDiagnosticsNotification,
  type PublishDiagnosticsParams,
  CodeActionRequest, DidChangeConfigurationNotification, DiagnosticSeverity, DocumentDiagnosticRequest, HoverRequest,
  type DocumentDiagnosticReport,
  type CodeAction, type MarkupContent,
} from 'vscode-languageserver-protocol/node';
import { applyEdits } from './support/edits';
import { LspClient } from './support/lspClient';
import { repoRoot } from './support/root';

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

  test('quick fix: time.sleep becomes await asyncio.sleep, applied to the text', async () => {
    const uri = 'file:///tmp/coroscope-lsp/sleep.py';
    const text = 'import time\n\nasync def tick():\n    time.sleep(0.5)\n';
    const mark = client.published.length;
    await client.open(uri, text);
    const published = await client.waitForDiagnostics(uri, (p) => p.diagnostics.some((d) => d.code === 'CORO300'), mark);
    const diagnostic = published.diagnostics.find((d) => d.code === 'CORO300')!;
    const actions = await client.connection.sendRequest(CodeActionRequest.type, {
      textDocument: { uri }, range: diagnostic.range, context: { diagnostics: [diagnostic], only: ['quickfix'] },
    }) as CodeAction[];
    const fix = actions.find((a) => a.title.startsWith('Use `await asyncio.sleep'));
    assert.ok(fix, JSON.stringify(actions));
    assert.equal(fix.isPreferred, true);
    const fixed = applyEdits(text, fix.edit!.changes![uri]);
    assert.equal(fixed, 'import asyncio\nimport time\n\nasync def tick():\n    await asyncio.sleep(0.5)\n');
    const mark2 = client.published.length;
    await client.change(uri, 2, fixed);
    const after = await client.waitForDiagnostics(uri, (p) => p.version === 2, mark2);
    assert.deepEqual(after.diagnostics.filter((d) => d.code === 'CORO300'), []);
  });

  test('source.fixAll.coroscope applies every preferred fix at once', async () => {
    const uri = 'file:///tmp/coroscope-lsp/fixall.py';
    const text = 'import asyncio\nimport time\n\nasync def main():\n    asyncio.sleep(1)\n    time.sleep(2)\n\nloop = asyncio.get_event_loop()\nloop.run_until_complete(main())\n';
    await client.open(uri, text);
    const actions = await client.connection.sendRequest(CodeActionRequest.type, {
      textDocument: { uri }, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      context: { diagnostics: [], only: ['source.fixAll.coroscope'] },
    }) as CodeAction[];
    assert.equal(actions.length, 1);
    const fixed = applyEdits(text, actions[0].edit!.changes![uri]);
    assert.equal(fixed, 'import asyncio\nimport time\n\nasync def main():\n    await asyncio.sleep(1)\n    await asyncio.sleep(2)\n\nasyncio.run(main())\n');
  });

  test('hover on an await names the suspend point and what never completes', async () => {
    const uri = 'file:///tmp/coroscope-lsp/hover.py';
    const text = [
      'import asyncio', '', 'async def consumer(q):', '    while True:', '        await q.get()', '',
      'async def main():', '    q = asyncio.Queue()', '    await asyncio.sleep(0)', '    await asyncio.gather(consumer(q))', '    consumer(q)', '',
    ].join('\n');
    await client.open(uri, text);
    const hover = await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 9, character: 6 } });
    const value = (hover?.contents as MarkupContent).value;
    assert.match(value, /Suspend point 2 of 2/);
    assert.match(value, /async def main/);
    assert.match(value, /Never completes/);
    const onCall = await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 10, character: 6 } });
    assert.match((onCall?.contents as MarkupContent).value, /`consumer` is a \*\*coroutine function\*\*.*line 3/);
    const nothing = await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 0, character: 2 } });
    assert.equal(nothing, null);
  });
});

describe('language server settings', () => {
  test('coroscope.lint.ignore from workspace/configuration applies, and a configuration change re-checks', async () => {
    const client = new LspClient({ workspace: { configuration: true, didChangeConfiguration: { dynamicRegistration: true } } });
    try {
      client.configuration = { lint: { ignore: ['CORO1'] }, pythonVersion: '' };
      await client.initialize();
      const uri = 'file:///tmp/coroscope-lsp/settings.py';
      const text = 'import time\n\ndef f():\n    await g()\n\nasync def h():\n    time.sleep(1)\n    await g()\n';
      await client.open(uri, text);
      const first = await client.waitForDiagnostics(uri, () => true);
      assert.deepEqual(first.diagnostics.map((d) => d.code), ['CORO300']);
      client.configuration = { lint: { select: ['CORO100'] } };
      const mark = client.published.length;
      await client.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
      const second = await client.waitForDiagnostics(uri, () => true, mark);
      assert.deepEqual(second.diagnostics.map((d) => d.code), ['CORO100']);
    } finally {
      await client.shutdown();
    }
  });
});

describe('pull diagnostics', () => {
  test('a pulling client gets reports on request, "unchanged" when nothing changed, and a refresh after settings change', async () => {
    const client = new LspClient({
      textDocument: { diagnostic: { dynamicRegistration: false } },
      workspace: { diagnostics: { refreshSupport: true }, configuration: true, didChangeConfiguration: { dynamicRegistration: true } },
    });
    try {
      const init = await client.initialize();
      assert.ok(init.capabilities.diagnosticProvider, 'server offers pull diagnostics');
      const uri = 'file:///tmp/coroscope-lsp/pull.py';
      await client.open(uri, 'def f():\n    await g()\n');
      const first = await client.connection.sendRequest(DocumentDiagnosticRequest.type, { textDocument: { uri } }) as DocumentDiagnosticReport;
      assert.equal(first.kind, 'full');
      assert.deepEqual(first.kind === 'full' && first.items.map((d) => d.code), ['CORO100']);
      const again = await client.connection.sendRequest(DocumentDiagnosticRequest.type, { textDocument: { uri }, previousResultId: first.resultId });
      assert.equal(again.kind, 'unchanged');
      await client.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
      await client.waitFor(() => client.refreshRequests > 0, 'workspace/diagnostic/refresh');
      const after = await client.connection.sendRequest(DocumentDiagnosticRequest.type, { textDocument: { uri }, previousResultId: first.resultId });
      assert.equal(after.kind, 'full', 'a re-check invalidates earlier result ids');
      // Pushing as well would show every finding twice.
      assert.deepEqual(client.published.filter((p) => p.uri === uri), []);
    } finally {
      await client.shutdown();
    }
  });
});

describe('node-ipc transport (how the VS Code client starts the server)', () => {
  test('initialize and a diagnostic over IPC', async () => {
    const child = fork(join(repoRoot(), 'dist/server.js'), ['--node-ipc'], { silent: true });
    const connection = createProtocolConnection(new IPCMessageReader(child), new IPCMessageWriter(child));
    try {
      const published = new Promise<PublishDiagnosticsParams>((resolve) => connection.onNotification(PublishDiagnosticsNotification.type, resolve));
      connection.listen();
      const init = await connection.sendRequest(InitializeRequest.type, { processId: process.pid, rootUri: null, capabilities: {}, workspaceFolders: null });
      assert.equal(init.serverInfo?.name, 'coroscope');
      await connection.sendNotification(DidOpenTextDocumentNotification.type, {
        textDocument: { uri: 'file:///tmp/coroscope-ipc/a.py', languageId: 'python', version: 1, text: 'def f():\n    await g()\n' },
      });
      assert.deepEqual((await published).diagnostics.map((d) => d.code), ['CORO100']);
    } finally {
      connection.dispose();
      child.kill();
    }
  });
});
