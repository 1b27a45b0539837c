// Which coroscope sessions are stopped: learnt from the DAP traffic (stopped/continued events), since the
// VS Code API does not say. The task views refresh on every change.
import * as vscode from 'vscode';
import { DEBUG_TYPE } from '../launchConfiguration';

/** Stop/continue state of every coroscope session, with a change event. */
export class DebugState implements vscode.Disposable {
  private readonly stopped = new Set<string>();
  private readonly capabilities = new Map<string, Record<string, unknown>>();
  private readonly changed = new vscode.EventEmitter<vscode.DebugSession>();
  /** Fires after a session stops, continues or ends. */
  readonly onDidChange = this.changed.event;
  private readonly registration: vscode.Disposable;

  constructor() {
    this.registration = vscode.Disposable.from(
      vscode.debug.registerDebugAdapterTrackerFactory(DEBUG_TYPE, {
        createDebugAdapterTracker: (session) => ({
          onDidSendMessage: (message: { type?: string; event?: string; command?: string; success?: boolean; body?: unknown }) => {
            if (message?.type === 'response' && message.command === 'initialize' && message.success) {
              this.capabilities.set(session.id, (message.body ?? {}) as Record<string, unknown>);
              this.updateContext();
            }
            if (message?.type !== 'event') return;
            if (message.event === 'stopped') this.set(session, true);
            else if (message.event === 'continued') this.set(session, false);
          },
        }),
      }),
      vscode.debug.onDidTerminateDebugSession((session) => {
        if (session.type !== DEBUG_TYPE) return;
        this.set(session, false);
        this.capabilities.delete(session.id);
      }),
      vscode.debug.onDidChangeActiveDebugSession(() => this.updateContext()),
      this.changed,
    );
  }

  /** True while the session is paused (breakpoint, step, pause, entry). */
  isStopped(session: vscode.DebugSession): boolean {
    return this.stopped.has(session.id);
  }

  /** True when the session's adapter announced the DAP capability (e.g. `supportsTerminateThreadsRequest`). */
  supports(session: vscode.DebugSession, capability: string): boolean {
    return this.capabilities.get(session.id)?.[capability] === true;
  }

  /** Context keys for menus: `coroscope.canCancelTasks` when the active session can cancel tasks. */
  private updateContext(): void {
    const session = vscode.debug.activeDebugSession;
    const canCancel = session?.type === DEBUG_TYPE && this.supports(session, 'supportsTerminateThreadsRequest');
    void vscode.commands.executeCommand('setContext', 'coroscope.canCancelTasks', canCancel);
  }

  private set(session: vscode.DebugSession, stopped: boolean): void {
    if (stopped) this.stopped.add(session.id);
    else this.stopped.delete(session.id);
    this.changed.fire(session);
  }

  /** Stops tracking. */
  dispose(): void {
    this.registration.dispose();
  }
}
