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
  let lastPublish = process.hrtime.bigint();
  connection.onNotification('textDocument/publishDiagnostics', (params) => {
    const t = process.hrtime.bigint();
    lastPublish = t;
    // A publish for an older version (a re-check of the text before the edit) does not answer the edit:
    // taking it would time the wrong message. Servers that send no version are taken at their word.
    const answers = (w) => w.uri === params.uri && (w.version === undefined || params.version === undefined || params.version === null || params.version >= w.version);
    for (const w of [...diagnosticWaiters]) if (answers(w)) { diagnosticWaiters.splice(diagnosticWaiters.indexOf(w), 1); w.resolve({ params, t }); }
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
    /** Resolves with the next publishDiagnostics for `uri` at `version` or newer, if given (and the hrtime it arrived). */
    nextDiagnostics(uri, version) { return new Promise((resolve) => diagnosticWaiters.push({ uri, version, resolve })); },
    /**
     * Resolves once no diagnostics have been published for `quietMs` (polled): the server has finished
     * what opening a document started (for ours: indexing the workspace, then re-checking open documents),
     * as it would have before a user starts typing.
     */
    async settled(quietMs = 1000) {
      while (Number(process.hrtime.bigint() - lastPublish) / 1e6 < quietMs) await new Promise((r) => setTimeout(r, 50));
    },
    async stop() {
      try { await Promise.race([connection.sendRequest('shutdown'), new Promise((r) => setTimeout(r, 2000))]); connection.sendNotification('exit'); } catch {}
      setTimeout(() => child.kill('SIGKILL'), 1000).unref();
    },
  };
}
