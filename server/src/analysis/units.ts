// The units of a module for per-unit reuse (reuse.ts): listing them, what each exposes to the others
// (its digest), and moving kept findings to where their unit now is.
import type { ModuleFacts } from './facts';
import type { SyntaxNode, SyntaxTree } from './parser';
import { isInertShell, UNIT_TYPES, type Scope } from './scopes';
import type { Diagnostic, Position, Range } from './types';

/** A unit of the current text. */
export interface Unit {
  /** Index among the module node's children (what buildScopes' `defer` receives). */
  index: number;
  /** Start of its first line and end of its last line (before the newline), as string indices. */
  start: number;
  end: number;
  startRow: number;
  endRow: number;
  text: string;
  /** The unit's node (made on first use: most units are never looked at). */
  node(): SyntaxNode;
}

/** The module's units, or undefined when they share lines (then reuse is not attempted). */
export function listUnits(tree: SyntaxTree, text: string): { units: Unit[]; rest: SyntaxNode[] } | undefined {
  const units: Unit[] = [];
  const rest: SyntaxNode[] = [];
  const root = tree.rootNode;
  const cursor = root.walk();
  try {
    if (!cursor.gotoFirstChild()) return { units, rest };
    let index = 0;
    do {
      if (UNIT_TYPES.has(cursor.nodeType)) {
        const start = cursor.startIndex - cursor.startPosition.column;
        const newline = text.indexOf('\n', cursor.endIndex);
        const end = newline < 0 ? text.length : newline;
        const previous = units[units.length - 1];
        if (previous && start <= previous.end) return undefined;
        let node: SyntaxNode | undefined;
        const at = index;
        units.push({ index, start, end, startRow: cursor.startPosition.row, endRow: cursor.endPosition.row, text: text.slice(start, end), node: () => (node ??= root.child(at)!) });
      } else if (cursor.nodeIsNamed && cursor.nodeType !== 'comment') {
        // Comments are no code; a trailing one on a unit's last line is part of the unit's text.
        rest.push(cursor.currentNode);
      }
      index++;
    } while (cursor.gotoNextSibling());
    // Module-level code sharing a unit's lines would be reused with it: no unit mode then.
    for (const node of rest) {
      if (unitAt(units, node.startPosition.row) || unitAt(units, node.endPosition.row)) return undefined;
    }
    return { units, rest };
  } finally {
    cursor.delete();
  }
}

/** `kind:name/kind:name…` from the module down to `scope`. */
export function pathOf(scope: Scope): string {
  const parts: string[] = [];
  for (let s: Scope | undefined = scope; s && s.kind !== 'module'; s = s.parent) parts.push(`${s.kind}:${s.name ?? ''}`);
  return parts.reverse().join('/');
}

/** What other units can observe of the functions and classes among `scopes` (see the header). */
export function digestOf(scopes: readonly Scope[], facts: ModuleFacts, node?: SyntaxNode): string {
  const parts: string[] = [];
  for (const s of scopes) {
    if (s.kind === 'class') {
      parts.push(`C ${pathOf(s)} ${s.node.childForFieldName('superclasses')?.text ?? ''}`);
    } else if (s.kind === 'function') {
      const info = facts.functions.info(s);
      if (!info) { parts.push(`F ${pathOf(s)}`); continue; }
      const ending = facts.functions.ending(info);
      parts.push(`F ${pathOf(s)} ${info.isAsync} ${info.isGenerator} ${info.decorators.join('|')} ${info.noReturnAnnotation} ${ending.kind} ${ending.kind === 'hangs' ? ending.reason : ''}`);
    }
  }
  // `global`/`nonlocal` in a unit can rebind module names other code looks up.
  for (const g of node?.descendantsOfType(['global_statement', 'nonlocal_statement']) ?? []) if (g) parts.push(g.text);
  return parts.join('\n');
}

/** What rebuilds a unit's shell next time, when its header records nothing. */
export function shellOf(scope: Scope | undefined): UnitShell | undefined {
  if (!scope || !isInertShell(scope) || (scope.kind !== 'function' && scope.kind !== 'class')) return undefined;
  return { kind: scope.kind, name: scope.name, isAsync: scope.isAsync };
}

/** Moves every position of a diagnostic through `move`; undefined when one cannot be moved. */
export function moveDiagnostic(d: Diagnostic, move: (p: Position) => Position | undefined): Diagnostic | undefined {
  const range = (r: Range): Range | undefined => {
    const start = move(r.start);
    const end = start && move(r.end);
    return start && end ? { start, end } : undefined;
  };
  const main = range(d.range);
  if (!main) return undefined;
  const moved: Diagnostic = { ...d, range: main };
  if (d.related) {
    const related = [];
    for (const r of d.related) {
      const at = range(r.range);
      if (!at) return undefined;
      related.push({ ...r, range: at });
    }
    moved.related = related;
  }
  if (d.fixes) {
    const fixes = [];
    for (const f of d.fixes) {
      const edits = [];
      for (const e of f.edits) {
        const at = range(e.range);
        if (!at) return undefined;
        edits.push({ ...e, range: at });
      }
      fixes.push({ ...f, edits });
    }
    moved.fixes = fixes;
  }
  return moved;
}

/** The unit whose lines contain `row` (units are sorted and disjoint). */
export function unitAt<T extends { startRow: number; endRow: number }>(units: readonly T[], row: number): T | undefined {
  let lo = 0, hi = units.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const u = units[mid];
    if (row < u.startRow) hi = mid - 1;
    else if (row > u.endRow) lo = mid + 1;
    else return u;
  }
  return undefined;
}

/** What rebuilds a unit's shell scope without visiting the unit (see ShellSpec). */
export interface UnitShell {
  kind: 'function' | 'class';
  name?: string;
  isAsync: boolean;
}
