// The compact tree: a parsed module read once, with one TreeCursor walk, into plain JS arrays in
// document (pre-)order, behind the same node API as web-tree-sitter's (syntax.ts). Reading a
// web-tree-sitter node's type, parent or field is a call into WASM and every node handed out is a new
// object; a whole-module analysis asks tens of such questions per node, so it pays for the walk many
// times over. Here a node is an index: parent, children and fields are array lookups, a subtree is a
// contiguous index range (descendantsOfType is a scan), positions come from a line table, and node
// objects are made once per index.
import type { Tree } from './parser';
import type { Point, SyntaxCursor, SyntaxNode, SyntaxTree } from './syntax';

const NONE = -1;

export class CompactTree implements SyntaxTree {
  readonly types: string[] = [];
  readonly named: boolean[] = [];
  /** The field name under which each node hangs from its parent. */
  readonly fields: Array<string | null> = [];
  readonly starts: number[] = [];
  readonly ends: number[] = [];
  readonly parents: number[] = [];
  readonly firstChildren: number[] = [];
  readonly nextSiblings: number[] = [];
  /** The index after each node's subtree: its descendants are the indices between. */
  readonly subtreeEnds: number[] = [];
  private readonly nodes: Array<CompactNode | undefined> = [];
  private readonly lineStarts: number[] = [0];

  private constructor(readonly text: string) {
    for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', nl + 1)) this.lineStarts.push(nl + 1);
  }

  /** Reads a web-tree-sitter tree of `text` (the text it was parsed from). */
  static from(tree: Tree, text: string): CompactTree {
    const t = new CompactTree(text);
    const cursor = tree.rootNode.walk();
    try {
      const add = (parent: number): number => {
        const id = t.types.length;
        t.types.push(cursor.nodeType);
        t.named.push(cursor.nodeIsNamed);
        t.fields.push(parent === NONE ? null : cursor.currentFieldName);
        t.starts.push(cursor.startIndex);
        t.ends.push(cursor.endIndex);
        t.parents.push(parent);
        t.firstChildren.push(NONE);
        t.nextSiblings.push(NONE);
        t.subtreeEnds.push(NONE);
        return id;
      };
      // Iterative pre-order walk: deep trees (long operator chains in fuzzed input) must not overflow the stack.
      let current = add(NONE);
      for (;;) {
        if (cursor.gotoFirstChild()) {
          const child = add(current);
          t.firstChildren[current] = child;
          current = child;
          continue;
        }
        for (;;) {
          t.subtreeEnds[current] = t.types.length;
          if (cursor.gotoNextSibling()) {
            const sibling = add(t.parents[current]);
            t.nextSiblings[current] = sibling;
            current = sibling;
            break;
          }
          if (!cursor.gotoParent()) return t;
          current = t.parents[current];
        }
      }
    } finally {
      cursor.delete();
    }
  }

  get rootNode(): SyntaxNode {
    return this.node(0)!;
  }

  /** The node object of an index (one per index), or null for NONE. */
  node(id: number): CompactNode | null {
    if (id < 0) return null;
    return (this.nodes[id] ??= new CompactNode(this, id));
  }

  /** Row and UTF-16 column of a string index. */
  point(index: number): Point {
    const lines = this.lineStarts;
    let lo = 0, hi = lines.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lines[mid] <= index) lo = mid; else hi = mid - 1;
    }
    return { row: lo, column: index - lines[lo] };
  }

  /** The string index of a row and column. */
  index(p: Point): number {
    const start = this.lineStarts[Math.min(Math.max(p.row, 0), this.lineStarts.length - 1)];
    return p.row >= this.lineStarts.length ? this.text.length + 1 : start + p.column;
  }
}

class CompactNode implements SyntaxNode {
  constructor(private readonly t: CompactTree, readonly id: number) {}

  get type(): string { return this.t.types[this.id]; }
  get isNamed(): boolean { return this.t.named[this.id]; }
  get text(): string { return this.t.text.slice(this.t.starts[this.id], this.t.ends[this.id]); }
  get startIndex(): number { return this.t.starts[this.id]; }
  get endIndex(): number { return this.t.ends[this.id]; }
  get startPosition(): Point { return this.t.point(this.t.starts[this.id]); }
  get endPosition(): Point { return this.t.point(this.t.ends[this.id]); }
  get parent(): SyntaxNode | null { return this.t.node(this.t.parents[this.id]); }

  get children(): SyntaxNode[] {
    const out: SyntaxNode[] = [];
    for (let c = this.t.firstChildren[this.id]; c !== NONE; c = this.t.nextSiblings[c]) out.push(this.t.node(c)!);
    return out;
  }

  get namedChildren(): SyntaxNode[] {
    const out: SyntaxNode[] = [];
    for (let c = this.t.firstChildren[this.id]; c !== NONE; c = this.t.nextSiblings[c]) if (this.t.named[c]) out.push(this.t.node(c)!);
    return out;
  }

  get namedChildCount(): number {
    let n = 0;
    for (let c = this.t.firstChildren[this.id]; c !== NONE; c = this.t.nextSiblings[c]) if (this.t.named[c]) n++;
    return n;
  }

  get firstChild(): SyntaxNode | null { return this.t.node(this.t.firstChildren[this.id]); }

  get lastNamedChild(): SyntaxNode | null {
    let last = NONE;
    for (let c = this.t.firstChildren[this.id]; c !== NONE; c = this.t.nextSiblings[c]) if (this.t.named[c]) last = c;
    return this.t.node(last);
  }

  child(index: number): SyntaxNode | null {
    let i = 0;
    for (let c = this.t.firstChildren[this.id]; c !== NONE; c = this.t.nextSiblings[c]) if (i++ === index) return this.t.node(c);
    return null;
  }

  namedChild(index: number): SyntaxNode | null {
    let i = 0;
    for (let c = this.t.firstChildren[this.id]; c !== NONE; c = this.t.nextSiblings[c]) if (this.t.named[c] && i++ === index) return this.t.node(c);
    return null;
  }

  childForFieldName(fieldName: string): SyntaxNode | null {
    for (let c = this.t.firstChildren[this.id]; c !== NONE; c = this.t.nextSiblings[c]) if (this.t.fields[c] === fieldName) return this.t.node(c);
    return null;
  }

  childrenForFieldName(fieldName: string): SyntaxNode[] {
    const out: SyntaxNode[] = [];
    for (let c = this.t.firstChildren[this.id]; c !== NONE; c = this.t.nextSiblings[c]) if (this.t.fields[c] === fieldName) out.push(this.t.node(c)!);
    return out;
  }

  descendantsOfType(types: string | string[]): SyntaxNode[] {
    const wanted = typeof types === 'string' ? [types] : types;
    const out: SyntaxNode[] = [];
    const end = this.t.subtreeEnds[this.id];
    for (let i = this.id; i < end; i++) {
      // As tree-sitter's walk does: a node ending at the very start of the text is skipped with its subtree.
      if (this.t.ends[i] === 0) { i = this.t.subtreeEnds[i] - 1; continue; }
      if (wanted.includes(this.t.types[i])) out.push(this.t.node(i)!);
    }
    return out;
  }

  descendantForPosition(start: Point): SyntaxNode | null {
    const at = this.t.index(start);
    let node = this.id;
    for (let descended = true; descended;) {
      descended = false;
      for (let c = this.t.firstChildren[node]; c !== NONE; c = this.t.nextSiblings[c]) {
        // As tree-sitter does: a node must reach past the point, or, when empty (MISSING, an empty
        // ERROR), end right at it.
        const empty = this.t.starts[c] === this.t.ends[c];
        if (empty ? this.t.ends[c] < at : this.t.ends[c] <= at) continue;
        if (at < this.t.starts[c]) break;
        node = c;
        descended = true;
        break;
      }
    }
    return this.t.node(node);
  }

  walk(): SyntaxCursor {
    return new CompactCursor(this.t, this.id);
  }
}

/** A cursor over a compact subtree: it never leaves the node it started at. */
class CompactCursor implements SyntaxCursor {
  private current: number;

  constructor(private readonly t: CompactTree, private readonly root: number) {
    this.current = root;
  }

  get nodeType(): string { return this.t.types[this.current]; }
  get nodeIsNamed(): boolean { return this.t.named[this.current]; }
  get currentFieldName(): string | null { return this.current === this.root ? null : this.t.fields[this.current]; }
  get currentNode(): SyntaxNode { return this.t.node(this.current)!; }
  get startIndex(): number { return this.t.starts[this.current]; }
  get endIndex(): number { return this.t.ends[this.current]; }
  get startPosition(): Point { return this.t.point(this.t.starts[this.current]); }
  get endPosition(): Point { return this.t.point(this.t.ends[this.current]); }

  gotoFirstChild(): boolean {
    const c = this.t.firstChildren[this.current];
    if (c === NONE) return false;
    this.current = c;
    return true;
  }

  gotoNextSibling(): boolean {
    if (this.current === this.root) return false;
    const s = this.t.nextSiblings[this.current];
    if (s === NONE) return false;
    this.current = s;
    return true;
  }

  gotoParent(): boolean {
    if (this.current === this.root) return false;
    this.current = this.t.parents[this.current];
    return true;
  }

  delete(): void { /* nothing to free: plain JS */ }
}
