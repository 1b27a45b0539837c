// A minimal LSP client for protocol tests: spawns dist/server.js over stdio, speaks JSON-RPC through
// vscode-languageserver-protocol, and lets tests wait for published diagnostics by condition (never by
// sleeping a fixed time).
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import {
  createProtocolConnection, StreamMessageReader, StreamMessageWriter,
  DidChangeTextDocumentNotification, DidCloseTextDocumentNotification, DidOpenTextDocumentNotification,
  ConfigurationRequest, DiagnosticRefreshRequest, ExitNotification, WorkDoneProgress, WorkDoneProgressCreateRequest, InitializedNotification, RegistrationRequest, InitializeRequest, PublishDiagnosticsNotification, ShutdownRequest,
  type ClientCapabilities, type InitializeResult, type WorkspaceFolder, type ProtocolConnection, type PublishDiagnosticsParams,
} from 'vscode-languageserver-protocol/node';
import { repoRoot } from './root';

export class LspClient {
  readonly connection: ProtocolConnection;
  private readonly process: ChildProcess;
  /** Every publishDiagnostics notification, in arrival order. */
  readonly published: PublishDiagnosticsParams[] = [];
  private waiters: Array<() => void> = [];
  stderr = '';
  exitCode: number | null | undefined;

  /** `$/progress` values received, in order. */
  readonly progress: Array<{ kind: string; message?: string }> = [];
  /** workspace/diagnostic/refresh requests received (pull mode). */
  refreshRequests = 0;
  /** What the client answers to workspace/configuration for the `coroscope` section. */
  configuration: unknown = {};

  constructor(private readonly capabilities: ClientCapabilities = {}) {
    this.process = spawn(process.execPath, [join(repoRoot(), 'dist/server.js'), '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.process.stderr!.on('data', (chunk) => { this.stderr += chunk; });
    this.process.on('exit', (code) => { this.exitCode = code; this.wake(); });
    this.connection = createProtocolConnection(new StreamMessageReader(this.process.stdout!), new StreamMessageWriter(this.process.stdin!));
    this.connection.onNotification(PublishDiagnosticsNotification.type, (params) => {
      this.published.push(params);
      this.wake();
    });
    this.connection.onRequest(ConfigurationRequest.type, (params) => params.items.map(() => this.configuration));
    this.connection.onRequest(RegistrationRequest.type, () => undefined);
    // Progress values arrive on the token the server created.
    this.connection.onRequest(WorkDoneProgressCreateRequest.type, (params) => {
      this.connection.onProgress(WorkDoneProgress.type, params.token, (value) => { this.progress.push(value); this.wake(); });
    });
    this.connection.onRequest(DiagnosticRefreshRequest.type, () => { this.refreshRequests++; this.wake(); });
    this.connection.listen();
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }

  async initialize(workspaceFolders: WorkspaceFolder[] | null = null): Promise<InitializeResult> {
    const result = await this.connection.sendRequest(InitializeRequest.type, {
      processId: process.pid, rootUri: null, capabilities: this.capabilities, workspaceFolders,
    });
    await this.connection.sendNotification(InitializedNotification.type, {});
    return result;
  }

  open(uri: string, text: string, version = 1): Promise<void> {
    return this.connection.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri, languageId: 'python', version, text },
    });
  }

  /** Replaces the whole document text. */
  change(uri: string, version: number, text: string): Promise<void> {
    return this.connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri, version }, contentChanges: [{ text }],
    });
  }

  close(uri: string): Promise<void> {
    return this.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
  }

  /** Waits until `condition` holds, re-checking whenever a message arrives. */
  async waitFor(condition: () => boolean, what: string, timeoutMs = 15000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!condition()) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${what}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => { clearTimeout(timer); resolve(); });
      });
    }
  }

  /** Resolves with the first publication for `uri` (from index `after` on) that satisfies `accept`. */
  async waitForDiagnostics(uri: string, accept: (p: PublishDiagnosticsParams) => boolean, after = 0, timeoutMs = 15000): Promise<PublishDiagnosticsParams> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.published.slice(after).find((p) => p.uri === uri && accept(p));
      if (found) return found;
      if (this.exitCode !== undefined) throw new Error(`server exited (${this.exitCode}): ${this.stderr}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no matching diagnostics for ${uri}; got ${JSON.stringify(this.published.filter((p) => p.uri === uri))}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => { clearTimeout(timer); resolve(); });
      });
    }
  }

  async shutdown(): Promise<void> {
    if (this.exitCode === undefined) {
      try {
        await this.connection.sendRequest(ShutdownRequest.type);
        await this.connection.sendNotification(ExitNotification.type);
      } catch { /* already gone */ }
    }
    await new Promise<void>((resolve) => {
      if (this.exitCode !== undefined) return resolve();
      const timer = setTimeout(() => { this.process.kill(); resolve(); }, 5000);
      this.process.once('exit', () => { clearTimeout(timer); resolve(); });
    });
    this.connection.dispose();
  }
}
