// Applies core TextEdits (0-based line/UTF-16 character ranges) to a string, as an editor would.
import type { Position, TextEdit } from '../../src/analysis/types';

function offsetAt(text: string, lineStarts: number[], p: Position): number {
  if (p.line >= lineStarts.length) return text.length;
  return Math.min(lineStarts[p.line] + p.character, text.length);
}

/** Applies non-overlapping edits (any order) and returns the new text. */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') lineStarts.push(i + 1);
  const resolved = edits
    .map((e) => ({ start: offsetAt(text, lineStarts, e.range.start), end: offsetAt(text, lineStarts, e.range.end), newText: e.newText }))
    .sort((a, b) => b.start - a.start);
  let out = text;
  for (const e of resolved) out = out.slice(0, e.start) + e.newText + out.slice(e.end);
  return out;
}
