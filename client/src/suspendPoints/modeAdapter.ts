// Sits between VS Code and the inline Coroscope adapter: adds the lens-made breakpoints' modes to the
// `setBreakpoints` requests VS Code sends, and says which mode each got in the answer's `message`.
// Only `import type` from vscode, so it is unit-tested with a fake inner adapter under plain node.
import type { DebugProtocol } from '@vscode/debugprotocol';
import type * as vscode from 'vscode';
import { addLensModes, describeLensModes, type BreakpointMode, type LensBreakpointAt } from './lensModes';

/** Where the lens-made breakpoints of a file are now. */
export interface LensBreakpointSource {
  /** The lens-made breakpoints in the file at `path` (a DAP source path), with 1-based lines. */
  lensBreakpointsIn(path: string): LensBreakpointAt[];
}

/** A vscode.DebugAdapter wrapping another one (the inline CoroscopeDebugSession). */
export class LensModeAdapter implements vscode.DebugAdapter {
  /** Modes added per forwarded request, by request seq, until its response passes back. */
  private readonly pending = new Map<number, Map<number, BreakpointMode>>();
  readonly onDidSendMessage: vscode.Event<vscode.DebugProtocolMessage>;

  constructor(private readonly inner: vscode.DebugAdapter, private readonly lensBreakpoints: LensBreakpointSource) {
    // The session's own event (from @vscode/debugadapter) takes no disposables array: register it here.
    this.onDidSendMessage = (listener, thisArgs?, disposables?) => {
      const subscription = inner.onDidSendMessage((message) => listener.call(thisArgs, this.outgoing(message)));
      disposables?.push(subscription);
      return subscription;
    };
  }

  handleMessage(message: vscode.DebugProtocolMessage): void {
    this.inner.handleMessage(this.incoming(message));
  }

  dispose(): void {
    this.pending.clear();
    this.inner.dispose();
  }

  private incoming(message: vscode.DebugProtocolMessage): vscode.DebugProtocolMessage {
    const request = message as DebugProtocol.Request;
    if (request?.type !== 'request' || request.command !== 'setBreakpoints') return message;
    const args = request.arguments as DebugProtocol.SetBreakpointsArguments | undefined;
    const path = args?.source?.path;
    if (typeof path !== 'string' || !path) return message;
    const { args: moded, added } = addLensModes(args!, this.lensBreakpoints.lensBreakpointsIn(path));
    if (added.size === 0) return message;
    this.pending.set(request.seq, added);
    return { ...request, arguments: moded } as DebugProtocol.Request;
  }

  private outgoing(message: vscode.DebugProtocolMessage): vscode.DebugProtocolMessage {
    const response = message as DebugProtocol.SetBreakpointsResponse;
    if (response?.type !== 'response' || response.command !== 'setBreakpoints') return message;
    const added = this.pending.get(response.request_seq);
    if (!added) return message;
    this.pending.delete(response.request_seq);
    return response.success ? { ...response, body: describeLensModes(response.body, added) } as DebugProtocol.SetBreakpointsResponse : message;
  }
}
