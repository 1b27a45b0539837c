// What the lenses and markers show, computed from the language server's suspend points without vscode,
// so it is unit-tested under plain node.
import type { AsyncFunctionSuspendPoints, LspRange, SuspendPointsResult } from '../protocol';
import { MODE_WORDS, type BreakpointMode } from './lensModes';

function isRange(r: LspRange | undefined): boolean {
  return typeof r?.start?.line === 'number' && typeof r.start.character === 'number'
    && typeof r.end?.line === 'number' && typeof r.end.character === 'number';
}

/** Keeps only well-formed functions and suspend points: the answer comes from another process. */
export function wellFormed(result: SuspendPointsResult | undefined): AsyncFunctionSuspendPoints[] {
  const functions = Array.isArray(result?.functions) ? result.functions : [];
  return functions.flatMap((fn) => {
    if (!fn || !isRange(fn.range) || !Array.isArray(fn.suspendPoints)) return [];
    return [{ ...fn, name: String(fn.name ?? ''), suspendPoints: fn.suspendPoints.filter((p) => p && isRange(p.range)) }];
  });
}

/** `3 suspend points`, `1 suspend point`. */
export function suspendPointsTitle(count: number): string {
  return `${count} suspend point${count === 1 ? '' : 's'}`;
}

/** The 0-based lines holding a suspend point of `fn`, each once, in source order. */
export function suspendPointLines(fn: AsyncFunctionSuspendPoints): number[] {
  return [...new Set(fn.suspendPoints.map((p) => p.range.start.line))];
}

/**
 * A pause sign that every editor font has: ⏸ (U+23F8) falls back to a colour emoji font even with the
 * text presentation selector, and an orange box on every await shouts.
 */
export const MARK = '‖';

/** One marker: after the end of a line that holds suspend points. */
export interface Marker {
  /** 0-based line. */
  line: number;
  text: string;
  /** Markdown shown on hover. */
  hover: string;
}

/**
 * A marker for each line with a suspend point: `‖`, or `‖ breaks on suspend` where a lens-made breakpoint
 * with that mode is (`modes`: 0-based line → mode).
 */
export function markers(functions: readonly AsyncFunctionSuspendPoints[], modes: ReadonlyMap<number, BreakpointMode>): Marker[] {
  const kinds = new Map<number, Set<string>>();
  for (const fn of functions) {
    for (const point of fn.suspendPoints) {
      const line = point.range.start.line;
      if (!kinds.has(line)) kinds.set(line, new Set());
      kinds.get(line)!.add(point.kind);
    }
  }
  return [...kinds.entries()].sort(([a], [b]) => a - b).map(([line, lineKinds]) => {
    const mode = modes.get(line);
    const what = [...lineKinds].map((k) => `\`${k}\``).join(', ');
    let hover = `**Suspend point** (${what}): the task can pause here and let other tasks run.`;
    if (mode) hover += `\n\n${MODE_WORDS[mode].message}`;
    return { line, text: mode ? `${MARK} ${MODE_WORDS[mode].marker}` : MARK, hover };
  });
}
