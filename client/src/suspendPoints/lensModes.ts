// Breakpoint modes for the breakpoints the suspend-point lens sets. VS Code's extension API cannot give a
// SourceBreakpoint a DAP `mode` (vscode.d.ts has none up to 1.140), so the client remembers the mode of each
// breakpoint it created and adds it to the `setBreakpoints` requests on their way to the inline adapter.
// Pure functions here (no vscode import) so they are unit-tested under plain node.
import type { DebugProtocol } from '@vscode/debugprotocol';

/** The adapter's source breakpoint modes (debugger/src/capabilities.ts BREAKPOINT_MODES). */
export type BreakpointMode = 'suspend' | 'resume';

/** Type guard for a persisted or user-supplied mode. */
export function isBreakpointMode(value: unknown): value is BreakpointMode {
  return value === 'suspend' || value === 'resume';
}

/** What the user sees: on the lens, in the breakpoint's hover, after the line. */
export const MODE_WORDS: Record<BreakpointMode, { lens: string; marker: string; message: string }> = {
  suspend: {
    lens: 'Break on suspend',
    marker: 'breaks on suspend',
    message: 'Breaks when a task suspends here (set by Break on suspend).',
  },
  resume: {
    lens: 'Break on resume',
    marker: 'breaks on resume',
    message: 'Breaks when a task resumes here (set by Break on resume).',
  },
};

/**
 * Reads the persisted `breakpoint id → mode` record. workspaceState is JSON the user can corrupt (or an
 * older version wrote): anything that is not a string id mapped to a known mode is dropped, never thrown on.
 */
export function parseModeRecords(value: unknown): Map<string, BreakpointMode> {
  const modes = new Map<string, BreakpointMode>();
  if (!value || typeof value !== 'object' || Array.isArray(value)) return modes;
  for (const [id, mode] of Object.entries(value as Record<string, unknown>)) {
    if (id && isBreakpointMode(mode)) modes.set(id, mode);
  }
  return modes;
}

/** A lens-made breakpoint where it is now, in the request's file: its 1-based line and its mode. */
export interface LensBreakpointAt {
  line: number;
  mode: BreakpointMode;
}

/** The request to forward, and which of its breakpoints (by index) got a mode from the lens. */
export interface ModedRequest {
  args: DebugProtocol.SetBreakpointsArguments;
  added: Map<number, BreakpointMode>;
}

/**
 * Gives each breakpoint of one file's `setBreakpoints` that sits on a lens-made breakpoint's line that
 * breakpoint's mode. A mode VS Code sent (the user picked one in the Breakpoints view) always wins.
 * Lines are the request's own (VS Code sends 1-based lines). Returns a copy; the input is not changed.
 */
export function addLensModes(args: DebugProtocol.SetBreakpointsArguments, lensBreakpoints: readonly LensBreakpointAt[]): ModedRequest {
  const added = new Map<number, BreakpointMode>();
  const requested = Array.isArray(args?.breakpoints) ? args.breakpoints : undefined;
  if (!requested || lensBreakpoints.length === 0) return { args, added };
  const byLine = new Map(lensBreakpoints.map((b) => [b.line, b.mode]));
  const breakpoints = requested.map((bp, index) => {
    const mode = bp && typeof bp.line === 'number' && !bp.mode ? byLine.get(bp.line) : undefined;
    if (!mode) return bp;
    added.set(index, mode);
    return { ...bp, mode };
  });
  return added.size ? { args: { ...args, breakpoints }, added } : { args, added };
}

/**
 * Explains the mode in the answer to a request `addLensModes` changed: VS Code shows a breakpoint's
 * `message` when hovering it, and does not know the mode itself. The adapter's own message (why a
 * breakpoint is unverified) is kept. Returns a copy of the body.
 */
export function describeLensModes(body: DebugProtocol.SetBreakpointsResponse['body'] | undefined, added: ReadonlyMap<number, BreakpointMode>): DebugProtocol.SetBreakpointsResponse['body'] | undefined {
  if (!body || !Array.isArray(body.breakpoints) || added.size === 0) return body;
  return {
    ...body,
    breakpoints: body.breakpoints.map((bp, index) => {
      const mode = added.get(index);
      return mode && bp && !bp.message ? { ...bp, message: MODE_WORDS[mode].message } : bp;
    }),
  };
}

/** What the lens does on one line: see planLensBreakpoints. */
export type LineAction = 'add' | 'switch' | 'unchanged' | 'user';

/**
 * Plans a lens click: for each distinct valid 0-based line, `add` a breakpoint where there is none,
 * `switch` a lens-made one with another mode, leave one with this mode `unchanged`, and leave a breakpoint
 * the user set (`user`) alone — its mode is theirs to pick in the Breakpoints view.
 * `existing(line)` says whether a breakpoint is there and, if the lens made it, its mode.
 */
export function planLensBreakpoints(
  lines: readonly number[],
  mode: BreakpointMode,
  existing: (line: number) => { lensMode?: BreakpointMode } | undefined,
): { line: number; action: LineAction }[] {
  return [...new Set(lines)].filter((line) => Number.isInteger(line) && line >= 0).map((line) => {
    const there = existing(line);
    if (!there) return { line, action: 'add' };
    if (!there.lensMode) return { line, action: 'user' };
    return { line, action: there.lensMode === mode ? 'unchanged' : 'switch' };
  });
}

/** The status bar line after a click: "Coroscope: 3 breakpoints on suspend", and what was left alone. */
export function describePlan(plan: readonly { action: LineAction }[], mode: BreakpointMode): string {
  const set = plan.filter((p) => p.action === 'add' || p.action === 'switch').length;
  const user = plan.filter((p) => p.action === 'user').length;
  const parts = [set ? `${set} breakpoint${set === 1 ? '' : 's'} on ${mode}` : `breakpoints on ${mode} already set`];
  if (user) parts.push(`${user} line${user === 1 ? '' : 's'} kept your own breakpoint (its mode is in the Breakpoints view)`);
  return `Coroscope: ${parts.join('; ')}`;
}
