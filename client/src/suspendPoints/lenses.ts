// CodeLenses on each `async def`: "N suspend points" · "Break on suspend" · "Break on resume", the last two
// setting a breakpoint of that mode on every suspend point of the function. Off with
// `coroscope.codeLens.suspendPoints`.
import * as vscode from 'vscode';
import type { LensBreakpoints } from './lensBreakpoints';
import { describePlan, isBreakpointMode, MODE_WORDS, type BreakpointMode } from './lensModes';
import { suspendPointLines, suspendPointsTitle } from './model';
import { toRange, type SuspendPointsSource } from './source';

const SETTING = 'codeLens.suspendPoints';
const SET_BREAKPOINTS = 'coroscope.setSuspendPointBreakpoints';
const MODES: BreakpointMode[] = ['suspend', 'resume'];

class SuspendPointLensProvider implements vscode.CodeLensProvider {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;

  constructor(private readonly source: SuspendPointsSource) {}

  refresh(): void {
    this.changed.fire();
  }

  async provideCodeLenses(document: vscode.TextDocument): Promise<vscode.CodeLens[]> {
    if (!vscode.workspace.getConfiguration('coroscope', document).get<boolean>(SETTING, true)) return [];
    const lenses: vscode.CodeLens[] = [];
    for (const fn of await this.source.get(document)) {
      if (fn.suspendPoints.length === 0) continue;
      const range = toRange(fn.range);
      const lines = suspendPointLines(fn);
      lenses.push(new vscode.CodeLens(range, {
        title: suspendPointsTitle(fn.suspendPoints.length),
        tooltip: fn.suspendPoints.map((p) => `${p.kind} on line ${p.range.start.line + 1}`).join('\n'),
        command: '',
      }));
      for (const mode of MODES) {
        lenses.push(new vscode.CodeLens(range, {
          title: MODE_WORDS[mode].lens,
          tooltip: `Set a breakpoint that ${mode === 'suspend' ? 'stops when a task suspends' : 'stops when a task resumes'} at each suspend point of ${fn.name}`,
          command: SET_BREAKPOINTS,
          arguments: [document.uri, lines, mode],
        }));
      }
    }
    return lenses;
  }
}

/** Registers the lens provider, its refresh triggers and the command its actions run. */
export function registerSuspendPointLenses(context: vscode.ExtensionContext, source: SuspendPointsSource, breakpoints: LensBreakpoints): void {
  const provider = new SuspendPointLensProvider(source);
  context.subscriptions.push(
    vscode.languages.registerCodeLensProvider({ language: 'python' }, provider),
    source.onDidChange(() => provider.refresh()),
    vscode.workspace.onDidChangeConfiguration((e) => { if (e.affectsConfiguration(`coroscope.${SETTING}`)) provider.refresh(); }),
    vscode.commands.registerCommand(SET_BREAKPOINTS, async (uri: unknown, lines: unknown, mode: unknown) => {
      // Also reachable from keybindings and other extensions: check what arrives.
      if (!(uri instanceof vscode.Uri) || !Array.isArray(lines) || !isBreakpointMode(mode)) return;
      const plan = await breakpoints.setAt(uri, lines.filter((l): l is number => typeof l === 'number'), mode);
      vscode.window.setStatusBarMessage(describePlan(plan, mode), 5000);
    }),
  );
}
