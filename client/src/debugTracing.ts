// Writes the DAP traffic of coroscope sessions to the Coroscope log at trace level, so it costs nothing
// unless the user sets the channel's log level to Trace ("Developer: Set Log Level...").
import * as vscode from 'vscode';
import { DEBUG_TYPE } from './launchConfiguration';

/** Registers a DebugAdapterTracker for every coroscope session. */
export function registerDebugTracing(context: vscode.ExtensionContext, log: vscode.LogOutputChannel): void {
  context.subscriptions.push(vscode.debug.registerDebugAdapterTrackerFactory(DEBUG_TYPE, {
    createDebugAdapterTracker(session) {
      const tag = `[dap ${session.name}]`;
      const tracing = () => log.logLevel === vscode.LogLevel.Trace;
      return {
        onWillReceiveMessage: (message) => { if (tracing()) log.trace(`${tag} → ${JSON.stringify(message)}`); },
        onDidSendMessage: (message) => { if (tracing()) log.trace(`${tag} ← ${JSON.stringify(message)}`); },
        onError: (error) => log.error(`${tag} adapter error`, error),
        onExit: (code, signal) => log.info(`${tag} adapter exited (code ${code ?? '-'}, signal ${signal ?? '-'})`),
      };
    },
  }));
}
