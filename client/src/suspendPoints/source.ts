// One `coroscope/suspendPoints` answer per document version, shared by the lenses and the markers so an
// edit costs the server one request, not one per feature.
import * as vscode from 'vscode';
import type { LanguageClientHandle } from '../languageClient';
import { SUSPEND_POINTS_REQUEST, type AsyncFunctionSuspendPoints, type LspRange, type SuspendPointsParams, type SuspendPointsResult } from '../protocol';
import { wellFormed } from './model';

/** JSON-RPC "method not found": a server without the request. */
const METHOD_NOT_FOUND = -32601;

/** An LSP range as a vscode.Range. */
export function toRange(range: LspRange): vscode.Range {
  return new vscode.Range(range.start.line, range.start.character, range.end.line, range.end.character);
}

export class SuspendPointsSource implements vscode.Disposable {
  private readonly cache = new Map<string, { version: number; answer: Promise<AsyncFunctionSuspendPoints[]> }>();
  private serverLacksRequest = false;
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires when earlier answers may be stale: the server (re)started. */
  readonly onDidChange = this.changed.event;
  private readonly subscriptions: vscode.Disposable[];

  constructor(private readonly client: LanguageClientHandle, private readonly log: vscode.LogOutputChannel) {
    this.subscriptions = [
      this.changed,
      client.onDidStart(() => {
        this.serverLacksRequest = false;
        this.cache.clear();
        this.changed.fire();
      }),
      vscode.workspace.onDidCloseTextDocument((document) => this.cache.delete(document.uri.toString())),
    ];
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.cache.clear();
  }

  /** The async functions of `document` with their suspend points; empty when the server cannot say. */
  get(document: vscode.TextDocument): Promise<AsyncFunctionSuspendPoints[]> {
    if (this.serverLacksRequest) return Promise.resolve([]);
    const key = document.uri.toString();
    const cached = this.cache.get(key);
    if (cached?.version === document.version) return cached.answer;
    // Not cancellable: callers share the answer, and one caller's cancellation must not empty the others'.
    const answer = this.fetch(document);
    this.cache.set(key, { version: document.version, answer });
    // A server that was not running yet answers nothing: ask again next time instead of caching that.
    void answer.then((functions) => { if (!functions.length && this.cache.get(key)?.answer === answer) this.cache.delete(key); });
    return answer;
  }

  private async fetch(document: vscode.TextDocument): Promise<AsyncFunctionSuspendPoints[]> {
    try {
      const params: SuspendPointsParams = { textDocument: { uri: document.uri.toString() } };
      return wellFormed(await this.client.request<SuspendPointsResult>(SUSPEND_POINTS_REQUEST, params));
    } catch (error) {
      if ((error as { code?: number })?.code === METHOD_NOT_FOUND) this.serverLacksRequest = true;
      else this.log.warn('suspend points request failed', error);
      return [];
    }
  }
}
