// A minimal LSP client over stdio for benchmarks: spawn a server, initialize, open/change documents and
// wait for publishDiagnostics. It advertises no pull-diagnostics support, so every server pushes.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { root } from './lib.mjs';

const require = createRequire(`${root}/package.json`);
const rpc = require('vscode-languageserver-protocol/node');

export async function startServer(command, args, { rootPath, initializationOptions } = {}) {
  const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'] });
  child.stderr.on('data', () => {});
  const connection = rpc.createProtocolConnection(new rpc.StreamMessageReader(child.stdout), new rpc.StreamMessageWriter(child.stdin));
  const diagnosticWaiters = [];
  connection.onNotification('textDocument/publishDiagnostics', (params) => {
    const t = process.hrtime.bigint();
    for (const w of [...diagnosticWaiters]) if (w.uri === params.uri) { diagnosticWaiters.splice(diagnosticWaiters.indexOf(w), 1); w.resolve({ params, t }); }
  });
  connection.onRequest(() => null); // workDoneProgress/create, configuration, registerCapability …
  connection.onNotification(() => {});
  connection.listen();
  await connection.sendRequest('initialize', {
    processId: process.pid,
    rootUri: rootPath ? pathToFileURL(rootPath).href : null,
    workspaceFolders: rootPath ? [{ uri: pathToFileURL(rootPath).href, name: 'bench' }] : null,
    capabilities: { textDocument: { publishDiagnostics: { versionSupport: true }, synchronization: { didSave: true } }, window: { workDoneProgress: true } },
    initializationOptions,
  });
  await connection.sendNotification('initialized', {});
  return {
    child,
    connection,
    /** Resolves with the next publishDiagnostics for `uri` (and the hrtime it arrived). */
    nextDiagnostics(uri) { return new Promise((resolve) => diagnosticWaiters.push({ uri, resolve })); },
    async stop() {
      try { await Promise.race([connection.sendRequest('shutdown'), new Promise((r) => setTimeout(r, 2000))]); connection.sendNotification('exit'); } catch {}
      setTimeout(() => child.kill('SIGKILL'), 1000).unref();
    },
  };
}
