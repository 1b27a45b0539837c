// The breakpoints the suspend-point lens created and the mode of each, by VS Code breakpoint id. Kept in
// workspaceState so they survive a reload (VS Code persists breakpoint ids), and forgotten as soon as
// the user removes the breakpoint. Where they are is always read from vscode.debug.breakpoints, so a
// breakpoint that moved with an edit keeps its mode.
import * as vscode from 'vscode';
import { parseModeRecords, type BreakpointMode, type LensBreakpointAt } from './lensModes';
import type { LensBreakpointSource } from './modeAdapter';

const STATE_KEY = 'coroscope.lensBreakpointModes';

/** What `setAt` did, for the status bar. */
export interface SetResult {
  added: number;
  /** Lens-made breakpoints whose mode changed. */
  changed: number;
  /** Lines with a breakpoint of the user's own, left as they are. */
  kept: number;
}

export class LensBreakpoints implements LensBreakpointSource, vscode.Disposable {
  private readonly modes: Map<string, BreakpointMode>;
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires when a lens-made breakpoint appears, changes mode or goes away. */
  readonly onDidChange = this.changed.event;
  private readonly subscription: vscode.Disposable;
  /** True while setAt swaps breakpoints: the extension host fires change events inside those calls. */
  private swapping = false;

  constructor(private readonly state: vscode.Memento) {
    this.modes = parseModeRecords(state.get(STATE_KEY));
    // Subscribing also makes the extension host fetch the breakpoint list now, so it is complete by the
    // time a debug session sends its first setBreakpoints.
    this.subscription = vscode.debug.onDidChangeBreakpoints(() => this.forgetRemoved());
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }

  /** The mode the lens gave `breakpoint`, if the lens made it. */
  modeOf(breakpoint: vscode.Breakpoint): BreakpointMode | undefined {
    return this.modes.get(breakpoint.id);
  }

  /** Lens-made source breakpoints in `uri`, with their 0-based line. */
  inDocument(uri: vscode.Uri): { line: number; mode: BreakpointMode; breakpoint: vscode.SourceBreakpoint }[] {
    const key = uri.toString();
    return vscode.debug.breakpoints.flatMap((breakpoint) => {
      const mode = this.modes.get(breakpoint.id);
      return mode && breakpoint instanceof vscode.SourceBreakpoint && breakpoint.location.uri.toString() === key
        ? [{ line: breakpoint.location.range.start.line, mode, breakpoint }]
        : [];
    });
  }

  lensBreakpointsIn(path: string): LensBreakpointAt[] {
    // DAP lines are 1-based (VS Code sends linesStartAt1); Uri.file normalises the path as VS Code does.
    return this.inDocument(vscode.Uri.file(path)).map(({ line, mode }) => ({ line: line + 1, mode }));
  }

  /**
   * Sets `mode` breakpoints on the 0-based `lines` of `uri`. A lens-made breakpoint there with another
   * mode is replaced (a new breakpoint, so VS Code sends it to a running session again); a breakpoint
   * the user set is left alone — its mode is theirs to pick in the Breakpoints view.
   */
  async setAt(uri: vscode.Uri, lines: readonly number[], mode: BreakpointMode): Promise<SetResult> {
    const result: SetResult = { added: 0, changed: 0, kept: 0 };
    const key = uri.toString();
    const existing = new Map<number, vscode.SourceBreakpoint>();
    for (const b of vscode.debug.breakpoints) {
      if (b instanceof vscode.SourceBreakpoint && b.location.uri.toString() === key) existing.set(b.location.range.start.line, b);
    }
    const remove: vscode.SourceBreakpoint[] = [];
    const add: vscode.SourceBreakpoint[] = [];
    for (const line of new Set(lines)) {
      if (!Number.isInteger(line) || line < 0) continue;
      const old = existing.get(line);
      const oldMode = old && this.modes.get(old.id);
      if (old && !oldMode) { result.kept++; continue; }
      if (old && oldMode === mode) continue;
      const replacement = old
        ? new vscode.SourceBreakpoint(old.location, old.enabled, old.condition, old.hitCondition, old.logMessage)
        : new vscode.SourceBreakpoint(new vscode.Location(uri, new vscode.Position(line, 0)));
      if (old) { remove.push(old); result.changed++; } else result.added++;
      add.push(replacement);
    }
    // Recorded before VS Code learns of them: a running session gets setBreakpoints right away.
    for (const b of remove) this.modes.delete(b.id);
    for (const b of add) this.modes.set(b.id, mode);
    this.swapping = true;
    try {
      if (remove.length) vscode.debug.removeBreakpoints(remove);
      if (add.length) vscode.debug.addBreakpoints(add);
    } finally {
      this.swapping = false;
    }
    if (remove.length || add.length) {
      await this.save();
      this.changed.fire();
    }
    return result;
  }

  private forgetRemoved(): void {
    if (this.swapping) return;
    const present = new Set(vscode.debug.breakpoints.map((b) => b.id));
    let forgot = false;
    for (const id of [...this.modes.keys()]) {
      if (!present.has(id)) { this.modes.delete(id); forgot = true; }
    }
    if (forgot) void this.save();
    // Moves and enablement changes matter to the markers too.
    this.changed.fire();
  }

  private save(): Thenable<void> {
    return this.state.update(STATE_KEY, Object.fromEntries(this.modes));
  }
}
