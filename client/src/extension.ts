// Entry point: activate() only wires feature modules and reports activation errors (STYLE §4).
import * as vscode from 'vscode';
import { registerDebugging } from './debugging';
import { registerDebugTracing } from './debugTracing';
import { registerLanguageClient, type LanguageClientHandle } from './languageClient';
import { PythonFacade } from './python';
import { LensBreakpoints } from './suspendPoints/lensBreakpoints';
import { registerSuspendPointLenses } from './suspendPoints/lenses';
import { registerSuspendPointMarkers } from './suspendPoints/markers';
import { SuspendPointsSource } from './suspendPoints/source';
import { DebugState } from './tasks/debugState';
import { registerTaskTreeDocument } from './tasks/taskTreeDocument';
import { registerTasksView } from './tasks/tasksView';

let languageClient: LanguageClientHandle | undefined;

/** Called by VS Code on the first Python file or the first `coroscope` debug resolution. */
export function activate(context: vscode.ExtensionContext): void {
  const started = performance.now();
  const log = vscode.window.createOutputChannel('Coroscope', { log: true });
  context.subscriptions.push(log);
  try {
    const python = new PythonFacade(log);
    context.subscriptions.push(python);
    languageClient = registerLanguageClient(context, log);
    const suspendPoints = new SuspendPointsSource(languageClient, log);
    const lensBreakpoints = new LensBreakpoints(context.workspaceState);
    context.subscriptions.push(suspendPoints, lensBreakpoints);
    registerSuspendPointLenses(context, suspendPoints, lensBreakpoints);
    registerSuspendPointMarkers(context, suspendPoints, lensBreakpoints);
    registerDebugging(context, python, lensBreakpoints, log);
    registerDebugTracing(context, log);
    const debugState = new DebugState();
    context.subscriptions.push(debugState);
    registerTasksView(context, debugState, log);
    registerTaskTreeDocument(context, debugState, log);
  } catch (error) {
    log.error('activation failed', error);
    void vscode.window.showErrorMessage(`Coroscope failed to activate: ${error instanceof Error ? error.message : String(error)}`);
  }
  // Activation must stay cheap (goal ≤ 50 ms): the language server starts in the background.
  log.info(`activated in ${(performance.now() - started).toFixed(1)} ms`);
}

/** Stops the language server so VS Code does not wait for it on shutdown. */
export async function deactivate(): Promise<void> {
  await languageClient?.stop();
}
