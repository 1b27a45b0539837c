// The breakpoints the suspend-point lens created and the mode of each, by VS Code breakpoint id. Kept in
// workspaceState so they survive a reload (VS Code persists breakpoint ids), and forgotten as soon as
// the user removes the breakpoint. Where they are is always read from vscode.debug.breakpoints, so a
// breakpoint that moved with an edit keeps its mode.
import * as vscode from 'vscode';
import { parseModeRecords, planLensBreakpoints, type BreakpointMode, type LensBreakpointAt, type LineAction } from './lensModes';
import type { LensBreakpointSource } from './modeAdapter';

const STATE_KEY = 'coroscope.lensBreakpointModes';

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
   * Sets `mode` breakpoints on the 0-based `lines` of `uri` as planLensBreakpoints decides. Switching
   * a lens-made breakpoint's mode replaces it (a new breakpoint id), so VS Code sends it to a running
   * session again. Returns the plan, for the status bar.
   */
  async setAt(uri: vscode.Uri, lines: readonly number[], mode: BreakpointMode): Promise<{ line: number; action: LineAction }[]> {
    const key = uri.toString();
    const existing = new Map<number, vscode.SourceBreakpoint>();
    for (const b of vscode.debug.breakpoints) {
      if (b instanceof vscode.SourceBreakpoint && b.location.uri.toString() === key) existing.set(b.location.range.start.line, b);
    }
    const plan = planLensBreakpoints(lines, mode, (line) => {
      const there = existing.get(line);
      return there && { lensMode: this.modes.get(there.id) };
    });
    const remove: vscode.SourceBreakpoint[] = [];
    const add: vscode.SourceBreakpoint[] = [];
    for (const { line, action } of plan) {
      const old = existing.get(line);
      if (action === 'add') add.push(new vscode.SourceBreakpoint(new vscode.Location(uri, new vscode.Position(line, 0))));
      if (action === 'switch' && old) {
        remove.push(old);
        add.push(new vscode.SourceBreakpoint(old.location, old.enabled, old.condition, old.hitCondition, old.logMessage));
      }
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
    return plan;
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
