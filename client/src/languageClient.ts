// The language client: runs dist/server.js over IPC for Python documents and restarts it on command.
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';

/** What activate() keeps to stop the client on deactivation. */
export interface LanguageClientHandle {
  stop(): Promise<void>;
}

/**
 * Creates the client, starts it without blocking activation, and registers `coroscope.restartServer`.
 * The client id `coroscope` makes vscode-languageclient honour the `coroscope.trace.server` setting.
 */
export function registerLanguageClient(context: vscode.ExtensionContext, log: vscode.LogOutputChannel): LanguageClientHandle {
  const serverModule = context.asAbsolutePath('dist/server.js');
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc },
    debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6009'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'python' },
      { scheme: 'untitled', language: 'python' },
    ],
    outputChannel: log,
    traceOutputChannel: log,
  };
  const client = new LanguageClient('coroscope', 'Coroscope', serverOptions, clientOptions);

  const start = (): void => {
    client.start().catch((error: unknown) => {
      log.error('language server failed to start', error);
      void vscode.window.showErrorMessage('Coroscope: the language server failed to start. See the Coroscope output for details.');
    });
  };
  start();

  context.subscriptions.push(
    vscode.commands.registerCommand('coroscope.restartServer', async () => {
      log.info('restarting the language server');
      // restart() stops and starts again; on a client that never started it just starts.
      if (client.isRunning()) await client.restart();
      else start();
    }),
  );
  return { stop: async () => { if (client.isRunning()) await client.stop(); } };
}
