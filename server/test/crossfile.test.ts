// Cross-file resolution of coroutine functions: absolute and relative imports, `import a.b as c`,
// re-exports through __init__.py (named and star), methods of imported classes (also inherited),
// both through the CLI and in the language server, where editing one module re-checks its dependants.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { DidChangeWatchedFilesNotification, FileChangeType } from 'vscode-languageserver-protocol/node';
import { LspClient } from './support/lspClient';
import { repoRoot } from './support/root';

const FILES: Record<string, string> = {
  'app/__init__.py': 'from .client import fetch\nfrom .base import *\n',
  'app/base.py': 'async def base_helper():\n    return 1\n\nclass Base:\n    async def close(self):\n        pass\n',
  'app/client.py': [
    'from .base import Base', '',
    'async def fetch():', '    return 1', '',
    'def not_a_coroutine():', '    return 2', '',
    'class Client(Base):', '    async def get(self):', '        return 1', '',
    '    def sync(self):', '        return 2', '',
  ].join('\n'),
  'app/sub/__init__.py': '',
  'app/sub/user.py': [
    'import app.client as c',
    'from app import fetch, base_helper',
    'from .. import client',
    'from ..client import Client, not_a_coroutine',
    '',
    'async def main():',
    '    c.fetch()',            // 7
    '    fetch()',              // 8
    '    client.fetch()',       // 9
    '    k = Client()',
    '    k.get()',              // 11
    '    k.close()',            // 12: inherited from app.base.Base
    '    base_helper()',        // 13: star re-export
    '    k.sync()',
    '    not_a_coroutine()',
    '    await fetch()',
    '',
  ].join('\n'),
};

describe('cross-file coroutine resolution', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'coroscope-xfile-'));
    for (const [path, text] of Object.entries(FILES)) {
      mkdirSync(join(dir, path, '..'), { recursive: true });
      writeFileSync(join(dir, path), text);
    }
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('CLI resolves imports, re-exports and inherited methods across files', () => {
    const r = spawnSync(process.execPath, [join(repoRoot(), 'dist/cli.js'), 'check', 'app', '--select', 'CORO110', '--format', 'json'], { cwd: dir, encoding: 'utf8' });
    assert.equal(r.status, 1, r.stderr);
    const found = JSON.parse(r.stdout).map((f: { file: string; line: number }) => `${f.file}:${f.line}`);
    assert.deepEqual(found, [7, 8, 9, 11, 12, 13].map((l) => `app/sub/user.py:${l}`));
  });

  test('the server re-checks dependants when a def becomes async def in the editor', async () => {
    const client = new LspClient();
    try {
      await client.initialize();
      const user = pathToFileURL(join(dir, 'app/sub/user.py')).href;
      const lib = pathToFileURL(join(dir, 'app/client.py')).href;
      await client.open(user, FILES['app/sub/user.py']);
      const first = await client.waitForDiagnostics(user, () => true);
      const lines = () => first.diagnostics.filter((d) => d.code === 'CORO110').map((d) => d.range.start.line + 1);
      assert.deepEqual(lines(), [7, 8, 9, 11, 12, 13]);
      // Make not_a_coroutine async in the (unsaved) editor buffer of app/client.py.
      await client.open(lib, FILES['app/client.py']);
      const mark = client.published.length;
      await client.change(lib, 2, FILES['app/client.py'].replace('def not_a_coroutine', 'async def not_a_coroutine'));
      const refreshed = await client.waitForDiagnostics(user, (p) => p.diagnostics.some((d) => d.range.start.line === 14), mark);
      assert.ok(refreshed.diagnostics.some((d) => d.code === 'CORO110' && String(d.message).includes('not_a_coroutine')));
    } finally {
      await client.shutdown();
    }
  });

  test('a module created on disk reaches an open document\'s kept per-function results', async () => {
    mkdirSync(join(dir, 'fresh'), { recursive: true });
    const use = 'import newmod\n\n\nasync def a():\n    newmod.fetch()\n\n\nasync def b():\n    pass\n';
    writeFileSync(join(dir, 'fresh/use.py'), use);
    const client = new LspClient();
    try {
      await client.initialize();
      const uri = pathToFileURL(join(dir, 'fresh/use.py')).href;
      await client.open(uri, use);
      await client.waitForDiagnostics(uri, () => true);
      // An edit elsewhere keeps `a`'s (empty) findings: nothing it depends on changed yet.
      await client.change(uri, 2, use.replace('pass', 'return'));
      const kept = await client.waitForDiagnostics(uri, () => true, client.published.length);
      assert.ok(!kept.diagnostics.some((d) => d.code === 'CORO110'));
      const mark = client.published.length;
      writeFileSync(join(dir, 'fresh/newmod.py'), 'async def fetch():\n    return 1\n');
      await client.connection.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: pathToFileURL(join(dir, 'fresh/newmod.py')).href, type: FileChangeType.Created }] });
      const refreshed = await client.waitForDiagnostics(uri, (p) => p.diagnostics.some((d) => d.code === 'CORO110'), mark);
      assert.equal(refreshed.diagnostics.find((d) => d.code === 'CORO110')!.range.start.line, 4);
    } finally {
      await client.shutdown();
    }
  });

  test('a module open only in the editor (never saved) reaches its dependants, and goes when closed', async () => {
    mkdirSync(join(dir, 'ghost'), { recursive: true });
    const use = 'import ghostmod\n\n\nasync def a():\n    ghostmod.fetch()\n\n\nasync def b():\n    pass\n';
    writeFileSync(join(dir, 'ghost/use.py'), use);
    const client = new LspClient();
    try {
      await client.initialize();
      const uri = pathToFileURL(join(dir, 'ghost/use.py')).href;
      const ghost = pathToFileURL(join(dir, 'ghost/ghostmod.py')).href;
      const flagged = (p: { diagnostics: Array<{ code?: unknown }> }) => p.diagnostics.some((d) => d.code === 'CORO110');
      await client.open(uri, use);
      assert.ok(!flagged(await client.waitForDiagnostics(uri, () => true)));
      let mark = client.published.length;
      await client.open(ghost, 'async def fetch():\n    return 1\n');
      const found = await client.waitForDiagnostics(uri, flagged, mark);
      assert.equal(found.diagnostics.find((d) => d.code === 'CORO110')!.range.start.line, 4);
      mark = client.published.length;
      await client.close(ghost);
      await client.waitForDiagnostics(uri, (p) => !flagged(p), mark);
    } finally {
      await client.shutdown();
    }
  });

  test('the workspace index (with progress) finds modules under import roots no open file shares', async () => {
    // lib/ is an import root only the index can know: the opened script lives in scripts/.
    mkdirSync(join(dir, 'ws/lib/pkgx'), { recursive: true });
    mkdirSync(join(dir, 'ws/scripts'), { recursive: true });
    mkdirSync(join(dir, 'ws/.venv/lib'), { recursive: true });
    writeFileSync(join(dir, 'ws/lib/pkgx/__init__.py'), 'async def go():\n    return 1\n');
    writeFileSync(join(dir, 'ws/.venv/lib/ignored.py'), 'async def go():\n    return 1\n');
    const script = 'from pkgx import go\n\nasync def main():\n    go()\n';
    writeFileSync(join(dir, 'ws/scripts/run.py'), script);
    const client = new LspClient({ window: { workDoneProgress: true } });
    try {
      const root = pathToFileURL(join(dir, 'ws')).href;
      await client.initialize([{ uri: root, name: 'ws' }]);
      await client.waitFor(() => client.progress.some((p) => p.kind === 'end'), 'indexing progress to end');
      assert.equal(client.progress[0].kind, 'begin');
      const uri = pathToFileURL(join(dir, 'ws/scripts/run.py')).href;
      await client.open(uri, script);
      const published = await client.waitForDiagnostics(uri, (p) => p.diagnostics.some((d) => d.code === 'CORO110'));
      assert.match(String(published.diagnostics.find((d) => d.code === 'CORO110')!.message), /go/);
    } finally {
      await client.shutdown();
    }
  });
});
