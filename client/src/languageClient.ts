// The language client: runs dist/server.js over IPC for Python documents and restarts it on command.
import * as vscode from 'vscode';
import { LanguageClient, State, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
// Node flags for the server process, shared with the edit benchmark (bench/lint.mjs) so it measures what users run.
import serverFlags from './serverFlags.json';

/** The language client as other feature modules see it. */
export interface LanguageClientHandle {
  /** Sends a custom request; undefined when the server is not running (yet). Rejects on server errors. */
  request<R>(method: string, params: unknown, token?: vscode.CancellationToken): Promise<R | undefined>;
  /** Fires when the server (re)starts, so features depending on it can refresh. */
  onDidStart: vscode.Event<void>;
  stop(): Promise<void>;
}

/**
 * Creates the client, starts it without blocking activation, and registers `coroscope.restartServer`.
 * The client id `coroscope` makes vscode-languageclient honour the `coroscope.trace.server` setting.
 */
export function registerLanguageClient(context: vscode.ExtensionContext, log: vscode.LogOutputChannel): LanguageClientHandle {
  const serverModule = context.asAbsolutePath('dist/server.js');
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: serverFlags.execArgv } },
    debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: [...serverFlags.execArgv, '--nolazy', '--inspect=6009'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'python' },
      { scheme: 'untitled', language: 'python' },
    ],
    outputChannel: log,
    traceOutputChannel: log,
    // `[tool.coroscope]` in pyproject.toml configures the analysis; the server re-checks when one changes.
    synchronize: { fileEvents: vscode.workspace.createFileSystemWatcher('**/pyproject.toml') },
  };
  const client = new LanguageClient('coroscope', 'Coroscope', serverOptions, clientOptions);

  const start = (): void => {
    client.start().catch((error: unknown) => {
      log.error('language server failed to start', error);
      void vscode.window.showErrorMessage('Coroscope: the language server failed to start. See the Coroscope output for details.');
    });
  };
  // Started on the next turn of the extension host, not inside activate(): starting spawns the server and
  // registers every feature, tens of milliseconds that would otherwise hold up the extensions activating
  // after us (activation goal ≤ 50 ms).
  const deferred = setTimeout(start, 0);
  context.subscriptions.push({ dispose: () => clearTimeout(deferred) });

  context.subscriptions.push(
    vscode.commands.registerCommand('coroscope.restartServer', async () => {
      log.info('restarting the language server');
      // restart() stops and starts again; on a client that never started it just starts.
      if (client.isRunning()) await client.restart();
      else start();
    }),
  );
  const started = new vscode.EventEmitter<void>();
  context.subscriptions.push(started, client.onDidChangeState((e) => {
    if (e.newState === State.Running) started.fire();
  }));
  return {
    request: async <R>(method: string, params: unknown, token?: vscode.CancellationToken) =>
      client.isRunning() ? client.sendRequest<R>(method, params, token) : undefined,
    onDidStart: started.event,
    stop: async () => { if (client.isRunning()) await client.stop(); },
  };
}
