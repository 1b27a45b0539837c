// The units of a module for per-unit reuse (reuse.ts): what is kept of each across versions, what each
// exposes to the others (its digest), and moving kept findings to where their unit now is.
import type { ModuleFacts } from './facts';
import type { BindingPart } from './locals';
import type { SyntaxNode } from './parser';
import { releaseShell, type Scope, type ShellSpec } from './scopes';
import type { Diagnostic, Position, Range } from './types';

/** The current version's tree, shared by the units kept across versions (they find their nodes in it). */
export interface TreeRef {
  /** web-tree-sitter's root has firstChildForIndex; the compact tree's (first versions only) is scanned. */
  root: SyntaxNode & { firstChildForIndex?(index: number): SyntaxNode | null };
  /** Module-level statements already read from this version's tree, by start index. */
  code: Map<number, SyntaxNode>;
  /**
   * Unit nodes already read from this version's tree. Here, not on the units: a node keeps its whole
   * tree alive (the compact tree of the first version is tens of megabytes), so nodes must go with
   * their version, and replacing this map drops them all at once.
   */
  units: Map<UnitState, SyntaxNode>;
}

/** A TreeRef's state for a new version's tree. */
export function newVersion(ref: TreeRef, root: TreeRef['root']): void {
  ref.root = root;
  ref.code = new Map();
  ref.units = new Map();
}

/**
 * One unit and what is kept of it between versions: where it is (moved in place when an edit above it
 * changes the line count), its findings, and what it exposes to the other units. One object for the
 * unit's whole life, so an edit elsewhere allocates nothing for it.
 */
export class UnitState {
  /** Start of its first line and end of its last line (before the newline), as string indices. */
  start: number;
  end: number;
  startRow: number;
  endRow: number;
  /** Start index of its node (a decorator's `@`, `def`, `async`, `class`). */
  nodeStart: number;
  /** Its findings (after `# noqa`), sorted; positions are current. */
  diagnostics: Diagnostic[] = [];
  /** What the other units can observe of it (digestOf). */
  digest = '';
  imports: Array<[string, string]> = [];
  /** How the unit's identifiers count towards module-level names' bindings (see locals.ts), by name. */
  bindingParts = new Map<string, BindingPart>();
  /**
   * Its findings asked the project context about a name inside a workspace module (or one it could not
   * place): they go when another module's text changes.
   */
  readsProject = false;
  /**
   * The other names it asked about, which no workspace module held: when files come or go, its findings
   * go only if one of them now is in one.
   */
  askedOutside: string[] = [];
  /** Dropped by forgetProjectResults(): analysed again even though its text is unchanged. */
  stale = false;
  /** What rebuilds its shell scope without visiting it, when its header records nothing. */
  shell?: ShellSpec;
  /** Analysed again in this version (edited, new, or its kept findings cannot stand). */
  dirty = true;
  /** Rows it moves in this version, when kept from the last one (set by relayout()). */
  moved?: number;
  /** This version's shell scope. */
  scope?: Scope;
  /** The function_definition / class_definition node in the current tree (for ShellSpec.node). */
  readonly definition = (): SyntaxNode => {
    const n = this.node();
    return n.type === 'decorated_definition' ? n.childForFieldName('definition')! : n;
  };

  constructor(private readonly ref: TreeRef, node: SyntaxNode, start: number, end: number, startRow: number, endRow: number) {
    this.start = start;
    this.end = end;
    this.startRow = startRow;
    this.endRow = endRow;
    this.nodeStart = node.startIndex;
    ref.units.set(this, node);
  }

  /** The unit's node in the current tree (looked up by position, once per version). */
  node(): SyntaxNode {
    let node = this.ref.units.get(this);
    if (!node) {
      const root = this.ref.root;
      node = (root.firstChildForIndex ? root.firstChildForIndex(this.nodeStart) : root.children.find((c) => c && c.endIndex > this.nodeStart))!;
      this.ref.units.set(this, node);
    }
    return node;
  }

  /**
   * The unit is gone (edited or deleted). Its shell, long-lived and so in V8's old generation, still
   * points at the last version's module scope, and through it at that version's tree and text: a dead
   * old object keeps what it points to until the next full collection, so every scavenge until then
   * would copy a version's worth of young objects per edited unit. Cut those links.
   */
  drop(): void {
    if (this.scope) releaseShell(this.scope);
    this.scope = undefined;
    this.shell = undefined;
  }

  /** Moves the unit by an edit above it. */
  shift(delta: number, rows: number): void {
    this.start += delta;
    this.end += delta;
    this.nodeStart += delta;
    this.startRow += rows;
    this.endRow += rows;
  }

  /** Puts the unit where the tree now has it (same text, listed again). */
  moveTo(start: number, end: number, startRow: number, endRow: number, node: SyntaxNode): void {
    this.start = start;
    this.end = end;
    this.startRow = startRow;
    this.endRow = endRow;
    this.nodeStart = node.startIndex;
    this.ref.units.set(this, node);
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
      // In another file: the edit did not move it.
      if (r.file) { related.push(r); continue; }
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

/**
 * A kept unit's findings where they are now: `rows(line)` is how far the unit owning an old line moved,
 * undefined when that unit is analysed again (then so is this one: undefined). The same array when
 * nothing moved.
 */
export function moveDiagnostics(diagnostics: Diagnostic[], rows: (line: number) => number | undefined): Diagnostic[] | undefined {
  let moves = false;
  const check = (r: Range): boolean => {
    const a = rows(r.start.line), b = rows(r.end.line);
    if (a === undefined || b === undefined) return false;
    if (a || b) moves = true;
    return true;
  };
  for (const d of diagnostics) {
    if (!check(d.range)) return undefined;
    for (const rel of d.related ?? []) if (!check(rel.range)) return undefined;
    for (const f of d.fixes ?? []) for (const e of f.edits) if (!check(e.range)) return undefined;
  }
  if (!moves) return diagnostics;
  const move = (p: Position): Position => ({ line: p.line + rows(p.line)!, character: p.character });
  return diagnostics.map((d) => moveDiagnostic(d, move)!);
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
