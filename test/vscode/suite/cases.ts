// The real-VS-Code cases: the extension activates, the language server publishes CORO100, and a
// coroscope debug session starts and stops at entry.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import * as vscode from 'vscode';

const EXTENSION_ID = 'coroscope.coroscope';

/** Polls `probe` until it returns a value other than undefined, or fails after `timeoutMs`. */
async function waitFor<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function workspaceFile(name: string): vscode.Uri {
  const dir = process.env.COROSCOPE_TEST_WORKSPACE ?? vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  assert.ok(dir, 'no test workspace');
  return vscode.Uri.file(join(dir, name));
}

export const cases: { name: string; fn: () => Promise<void> }[] = [
  {
    name: 'the extension activates on a Python file',
    fn: async () => {
      const extension = vscode.extensions.getExtension(EXTENSION_ID);
      assert.ok(extension, `${EXTENSION_ID} is not installed`);
      await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(workspaceFile('two_tasks.py')));
      await waitFor('activation', () => (extension.isActive ? true : undefined));
      const commands = await vscode.commands.getCommands(true);
      assert.ok(commands.includes('coroscope.restartServer'));
    },
  },
  {
    name: 'a misplaced await gets a CORO100 diagnostic',
    fn: async () => {
      const uri = workspaceFile('misplaced_await.py');
      await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
      const diagnostic = await waitFor('CORO100', () =>
        vscode.languages.getDiagnostics(uri).find((d) => String(typeof d.code === 'object' ? d.code.value : d.code) === 'CORO100'));
      assert.equal(diagnostic.range.start.line, 4);
      assert.equal(diagnostic.severity, vscode.DiagnosticSeverity.Error);
    },
  },
  {
    name: 'a coroscope debug session starts and stops on entry',
    fn: async () => {
      const program = workspaceFile('two_tasks.py').fsPath;
      let session: vscode.DebugSession | undefined;
      const started = vscode.debug.onDidStartDebugSession((s) => { if (s.type === 'coroscope') session = s; });
      try {
        const ok = await vscode.debug.startDebugging(undefined, {
          type: 'coroscope', request: 'launch', name: 'vscode suite', program, stopOnEntry: true,
        });
        assert.ok(ok, 'startDebugging returned false');
        const running = await waitFor('the coroscope session', () => session);
        await waitFor('a stopped thread', async () => {
          const threads = await running.customRequest('threads') as { threads: { id: number; name: string }[] };
          return threads.threads.length > 0 ? threads : undefined;
        });
        await vscode.debug.stopDebugging(running);
      } finally {
        started.dispose();
      }
    },
  },
];
