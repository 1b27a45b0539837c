// "N suspend points" CodeLens on each `async def`, from the language server's `coroscope/suspendPoints`,
// with an action that sets a breakpoint on every suspend point of that function. Off with
// `coroscope.codeLens.suspendPoints`.
import * as vscode from 'vscode';
import type { LanguageClientHandle } from './languageClient';
import { SUSPEND_POINTS_REQUEST, type LspRange, type SuspendPointsParams, type SuspendPointsResult } from './protocol';

const SETTING = 'codeLens.suspendPoints';
const ADD_BREAKPOINTS = 'coroscope.addSuspendPointBreakpoints';
/** JSON-RPC "method not found": a server without the request. */
const METHOD_NOT_FOUND = -32601;

function toRange(range: LspRange): vscode.Range {
  return new vscode.Range(range.start.line, range.start.character, range.end.line, range.end.character);
}

/** `3 suspend points`, `1 suspend point`. */
export function suspendPointsTitle(count: number): string {
  return `${count} suspend point${count === 1 ? '' : 's'}`;
}

class SuspendPointLensProvider implements vscode.CodeLensProvider {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  private serverLacksRequest = false;

  constructor(private readonly client: LanguageClientHandle, private readonly log: vscode.LogOutputChannel) {}

  refresh(): void {
    this.serverLacksRequest = false;
    this.changed.fire();
  }

  async provideCodeLenses(document: vscode.TextDocument, token: vscode.CancellationToken): Promise<vscode.CodeLens[]> {
    if (this.serverLacksRequest || !vscode.workspace.getConfiguration('coroscope', document).get<boolean>(SETTING, true)) return [];
    let result: SuspendPointsResult | undefined;
    try {
      const params: SuspendPointsParams = { textDocument: { uri: document.uri.toString() } };
      result = await this.client.request<SuspendPointsResult>(SUSPEND_POINTS_REQUEST, params, token);
    } catch (error) {
      if ((error as { code?: number })?.code === METHOD_NOT_FOUND) this.serverLacksRequest = true;
      else if (!token.isCancellationRequested) this.log.warn('suspend points request failed', error);
      return [];
    }
    const lenses: vscode.CodeLens[] = [];
    for (const fn of result?.functions ?? []) {
      if (!fn?.range || !Array.isArray(fn.suspendPoints) || fn.suspendPoints.length === 0) continue;
      const range = toRange(fn.range);
      const lines = [...new Set(fn.suspendPoints.map((p) => p.range.start.line))];
      lenses.push(new vscode.CodeLens(range, {
        title: suspendPointsTitle(fn.suspendPoints.length),
        tooltip: fn.suspendPoints.map((p) => `${p.kind} on line ${p.range.start.line + 1}`).join('\n'),
        command: '',
      }));
      lenses.push(new vscode.CodeLens(range, {
        title: 'Break at each',
        tooltip: `Set a breakpoint on every suspend point of ${fn.name}`,
        command: ADD_BREAKPOINTS,
        arguments: [document.uri, lines],
      }));
    }
    return lenses;
  }
}

/** Adds a breakpoint on each 0-based line of `uri` that has none yet; returns how many were added. */
export function addBreakpointsAt(uri: vscode.Uri, lines: number[]): number {
  const existing = new Set(vscode.debug.breakpoints
    .filter((b): b is vscode.SourceBreakpoint => b instanceof vscode.SourceBreakpoint && b.location.uri.toString() === uri.toString())
    .map((b) => b.location.range.start.line));
  const added = lines.filter((line) => Number.isInteger(line) && line >= 0 && !existing.has(line))
    .map((line) => new vscode.SourceBreakpoint(new vscode.Location(uri, new vscode.Position(line, 0))));
  if (added.length) vscode.debug.addBreakpoints(added);
  return added.length;
}

/** Registers the lens provider, its refresh triggers and the add-breakpoints command. */
export function registerSuspendPointLenses(context: vscode.ExtensionContext, client: LanguageClientHandle, log: vscode.LogOutputChannel): void {
  const provider = new SuspendPointLensProvider(client, log);
  context.subscriptions.push(
    vscode.languages.registerCodeLensProvider({ language: 'python' }, provider),
    client.onDidStart(() => provider.refresh()),
    vscode.workspace.onDidChangeConfiguration((e) => { if (e.affectsConfiguration(`coroscope.${SETTING}`)) provider.refresh(); }),
    vscode.commands.registerCommand(ADD_BREAKPOINTS, (uri: vscode.Uri, lines: number[]) => {
      if (!(uri instanceof vscode.Uri) || !Array.isArray(lines)) return;
      addBreakpointsAt(uri, lines);
    }),
  );
}
