// The top-level layout of a module, kept across the versions of a document (the server's per-unit
// reuse): which top-level statements are units (`def`, `class`, decorated definitions, as whole lines)
// and which are module-level code, and where each is. After an edit only the lines the edit and
// tree-sitter's changed ranges touch are listed again from the tree; entries above them stay as they
// are (same objects), entries below them move by the edit's length and line count, in place. Listing
// every top-level statement of a 5,000-line module through web-tree-sitter's cursor, and allocating an
// object per statement per keystroke, cost more than the rest of an edit (docs/performance.md).
import type { SyntaxCursor, SyntaxNode, TextEdit } from './parser';
import { UNIT_TYPES } from './scopes';
import { UnitState, type TreeRef } from './units';

/** A module-level statement (not a unit, not a comment): analysed on every version. */
export interface CodeEntry {
  /** The node's start index, and its first and last rows. */
  nodeStart: number;
  nodeEnd: number;
  startRow: number;
  endRow: number;
}

/** The module's top-level statements in document order, split into units and module-level code. */
export interface Layout {
  units: UnitState[];
  code: CodeEntry[];
}

/** One top-level statement read from the tree, with its lines. */
interface Listed {
  node: SyntaxNode;
  unit: boolean;
  /** Start of its first line, end of its last line (before the newline). */
  lineStart: number;
  lineEnd: number;
  startRow: number;
  endRow: number;
}

/** Lists top-level statements from the cursor's current one while they start at or before `until`. */
function listFrom(cursor: SyntaxCursor, text: string, until: number, out: Listed[]): void {
  do {
    const start = cursor.startIndex;
    if (start > until) return;
    const type = cursor.nodeType;
    const unit = UNIT_TYPES.has(type);
    // Comments are no code; a trailing one on a unit's last line is part of the unit's lines.
    if (!unit && (!cursor.nodeIsNamed || type === 'comment')) continue;
    const from = cursor.startPosition;
    const to = cursor.endPosition;
    const newline = text.indexOf('\n', cursor.endIndex);
    out.push({ node: cursor.currentNode, unit, lineStart: start - from.column, lineEnd: newline < 0 ? text.length : newline, startRow: from.row, endRow: to.row });
  } while (cursor.gotoNextSibling());
}

/**
 * Whether units share lines with anything else: module-level code on a unit's lines would be reused
 * with it, so per-unit analysis is not attempted then. `listed` is in document order.
 */
function sharesLines(listed: readonly Listed[]): boolean {
  for (let i = 1; i < listed.length; i++) {
    const a = listed[i - 1], b = listed[i];
    if ((a.unit || b.unit) && b.startRow <= a.endRow) return true;
  }
  return false;
}

/** The whole layout of a module read from its tree (the first version, or no usable earlier one). */
export function listLayout(ref: TreeRef, text: string): Layout | undefined {
  const listed: Listed[] = [];
  const cursor = ref.root.walk();
  try {
    if (cursor.gotoFirstChild()) listFrom(cursor, text, Infinity, listed);
  } finally {
    cursor.delete();
  }
  if (sharesLines(listed)) return undefined;
  const units: UnitState[] = [];
  const code: CodeEntry[] = [];
  for (const l of listed) {
    if (l.unit) units.push(new UnitState(ref, l.node, l.lineStart, l.lineEnd, l.startRow, l.endRow));
    else code.push({ nodeStart: l.node.startIndex, nodeEnd: l.node.endIndex, startRow: l.startRow, endRow: l.endRow });
  }
  for (const l of listed) if (!l.unit) ref.code.set(l.node.startIndex, l.node);
  return { units, code };
}

/** web-tree-sitter's root can find the child at a position (the compact tree's is never asked here). */
interface SeekingNode extends SyntaxNode {
  firstChildForIndex(index: number): SyntaxNode | null;
  readonly nextSibling: SyntaxNode | null;
}

/**
 * Lists the root's children from the first one ending after `from` while they start at or before
 * `until`. Nodes, not a cursor: web-tree-sitter 0.26's TreeCursor.gotoFirstChildForIndex always lands on
 * the first child, and a cursor made from a child cannot move to its siblings.
 */
function listBetween(root: SyntaxNode, text: string, from: number, until: number, out: Listed[]): void {
  for (let n = (root as SeekingNode).firstChildForIndex(from) as SeekingNode | null; n && n.startIndex <= until; n = n.nextSibling as SeekingNode | null) {
    const type = n.type;
    const unit = UNIT_TYPES.has(type);
    if (!unit && (!n.isNamed || type === 'comment')) continue;
    const at = n.startPosition;
    const newline = text.indexOf('\n', n.endIndex);
    out.push({ node: n, unit, lineStart: n.startIndex - at.column, lineEnd: newline < 0 ? text.length : newline, startRow: at.row, endRow: n.endPosition.row });
  }
}

/** Start of the line `rows` lines above the line starting at `lineStart`. */
function lineStartAbove(text: string, lineStart: number, rows: number): number {
  let at = lineStart;
  for (let r = 0; r < rows && at > 0; r++) at = text.lastIndexOf('\n', at - 2) + 1;
  return at;
}

/** End (the newline's index) of the line `rows` lines below the line containing `index`. */
function lineEndBelow(text: string, index: number, rows: number): number {
  let at = text.indexOf('\n', index);
  for (let r = 0; r < rows && at >= 0; r++) at = text.indexOf('\n', at + 1);
  return at < 0 ? text.length : at;
}

/**
 * The new version's layout. Until commit(), `units` is still the old list with the old positions (each
 * old unit's `moved` says whether it is kept, and by how many rows it moves); commit() moves the kept
 * units and puts `region` (the units listed again, new or kept) in place of the replaced ones.
 */
export interface Relayout extends Layout {
  region: UnitState[];
  commit(): void;
}

/**
 * The layout of the new version from the last one's, given the edit between their texts and the rows
 * whose syntax changed (tree-sitter's changed ranges, new rows): statements outside those rows are the
 * old ones, moved; those inside are listed from the tree, and a unit among them whose text is unchanged
 * (same place, same lines) is still the old one. The old layout is updated in place. Undefined when units would share lines with other
 * statements, or when the old layout does not fit the tree (then the caller lists everything).
 */
export function relayout(old: Layout, oldText: string, ref: TreeRef, text: string, edit: TextEdit, changedRows: ReadonlyArray<readonly [number, number]>): Relayout | undefined {
  // The rows to list again (new text): the edit's, and every range whose structure changed.
  let fromRow = edit.startPosition.row;
  let toRow = edit.newEndPosition.row;
  for (const [a, b] of changedRows) {
    if (a < fromRow) fromRow = a;
    if (b > toRow) toRow = b;
  }
  let from = lineStartAbove(text, edit.startIndex - edit.startPosition.column, edit.startPosition.row - fromRow);
  let to = lineEndBelow(text, edit.newEndIndex, toRow - edit.newEndPosition.row);
  // A statement reaching into those rows is listed whole, which can widen them: repeat until stable.
  let listed: Listed[];
  for (;;) {
    listed = [];
    listBetween(ref.root, text, from, to, listed);
    const first = listed[0];
    const last = listed[listed.length - 1];
    if (!first || (first.lineStart >= from && last.lineEnd <= to)) break;
    if (first.lineStart < from) { from = first.lineStart; fromRow = first.startRow; }
    if (last.lineEnd > to) { to = last.lineEnd; toRow = last.endRow; }
  }
  if (sharesLines(listed)) return undefined;

  const delta = edit.newEndIndex - edit.oldEndIndex;
  const rowDelta = edit.newEndPosition.row - edit.oldEndPosition.row;
  // Old entries above the rows keep their place, those below move, those between are replaced; the
  // replaced ones must lie within the rows (else the tree changed where tree-sitter said it did not).
  const above = (endRow: number) => endRow < fromRow;
  const below = (startRow: number, start: number) => start >= edit.oldEndIndex && startRow + rowDelta > toRow;
  const inside = (start: number, startRow: number, endRow: number, end: number) =>
    (start < edit.startIndex ? startRow : startRow + rowDelta) >= fromRow && (end <= edit.startIndex ? endRow : endRow + rowDelta) <= toRow;
  // Every old unit says whether it is kept, and how many rows it moves (UnitState.moved).
  const olds = old.units;
  let u = 0;
  for (; u < olds.length && above(olds[u].endRow); u++) olds[u].moved = 0;
  // Replaced units whose text did not change are still the same unit, where the edit moved it.
  const replaced = new Map<number, UnitState>();
  let uBelow = u;
  for (; uBelow < olds.length && !below(olds[uBelow].startRow, olds[uBelow].start); uBelow++) {
    const x = olds[uBelow];
    if (!inside(x.start, x.startRow, x.endRow, x.end)) return undefined;
    x.moved = undefined;
    const at = x.end <= edit.startIndex ? x.start : x.start >= edit.oldEndIndex ? x.start + delta : undefined;
    if (at !== undefined) replaced.set(at, x);
  }
  for (let i = uBelow; i < olds.length; i++) olds[i].moved = rowDelta;
  const code: CodeEntry[] = [];
  let c = 0;
  for (; c < old.code.length && above(old.code[c].endRow); c++) code.push(old.code[c]);
  for (; c < old.code.length && !below(old.code[c].startRow, old.code[c].nodeStart); c++) {
    const x = old.code[c];
    if (!inside(x.nodeStart, x.startRow, x.endRow, x.nodeEnd)) return undefined;
  }
  const region: UnitState[] = [];
  const moves: Array<() => void> = [];
  for (const l of listed) {
    if (!l.unit) {
      code.push({ nodeStart: l.node.startIndex, nodeEnd: l.node.endIndex, startRow: l.startRow, endRow: l.endRow });
      ref.code.set(l.node.startIndex, l.node);
      continue;
    }
    const same = replaced.get(l.lineStart);
    if (same && same.endRow - same.startRow === l.endRow - l.startRow && oldText.slice(same.start, same.end) === text.slice(l.lineStart, l.lineEnd)) {
      same.moved = l.startRow - same.startRow;
      moves.push(() => same.moveTo(l.lineStart, l.lineEnd, l.startRow, l.endRow, l.node));
      region.push(same);
    } else {
      const unit = new UnitState(ref, l.node, l.lineStart, l.lineEnd, l.startRow, l.endRow);
      region.push(unit);
    }
  }
  for (; c < old.code.length; c++) {
    const x = old.code[c];
    code.push({ nodeStart: x.nodeStart + delta, nodeEnd: x.nodeEnd + delta, startRow: x.startRow + rowDelta, endRow: x.endRow + rowDelta });
  }
  return {
    units: olds, code, region,
    commit() {
      for (const move of moves) move();
      if (delta || rowDelta) for (let i = uBelow; i < olds.length; i++) olds[i].shift(delta, rowDelta);
      // The old list becomes the new one in place: no per-version copy of a module's worth of units.
      if (uBelow > u || region.length) {
        for (const x of olds.splice(u, uBelow - u, ...region)) if (x.moved === undefined) x.drop();
      }
    },
  };
}
