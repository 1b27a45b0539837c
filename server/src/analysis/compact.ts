// The compact tree: a parsed module read once, with one TreeCursor walk, into plain JS arrays in
// document (pre-)order, behind the same node API as web-tree-sitter's (syntax.ts). Reading a
// web-tree-sitter node's type, parent or field is a call into WASM and every node handed out is a new
// object; a whole-module analysis asks tens of such questions per node, so it pays for the walk many
// times over. Here a node is an index: parent, children and fields are array lookups, a subtree is a
// contiguous index range (descendantsOfType is a scan), positions come from a line table, and node
// objects are made once per index.
import type { Tree } from './parser';
import { withRawCursor, type RawCursor } from './rawCursor';
import type { Point, SyntaxCursor, SyntaxNode, SyntaxTree } from './syntax';

const NONE = -1;
const IDENTIFIER = ['identifier'];

/** Per language (its type table), per list of type names: which type ids descendantsOfType wants. */
const WANTED = new WeakMap<readonly string[], Map<string, Uint8Array>>();

/** Grows a typed array to at least `size` elements, keeping its contents. */
function grow<A extends Int32Array | Uint16Array | Uint8Array>(array: A, size: number): A {
  const bigger = new (array.constructor as new (n: number) => A)(Math.max(size, array.length * 2));
  bigger.set(array);
  return bigger;
}

export class CompactTree implements SyntaxTree {
  /** Node count; the typed arrays below may be longer. */
  size = 0;
  /** Node type ids, named by `typeNames` (the language's table). */
  typeIds: Uint16Array;
  named: Uint8Array;
  /** The field (id into `fieldNames`, 0 for none) under which each node hangs from its parent. */
  fieldIds: Uint16Array;
  starts: Int32Array;
  ends: Int32Array;
  parents: Int32Array;
  firstChildren: Int32Array;
  nextSiblings: Int32Array;
  /** The index after each node's subtree: its descendants are the indices between. */
  subtreeEnds: Int32Array;
  /**
   * Node objects by index, made on first use. The array is filled to the node count up front: written
   * at scattered indices from empty, V8 would keep it as a dictionary and every lookup would hash.
   */
  private nodes?: Array<CompactNode | undefined>;
  /** Identifier indices by name, in document order (identifiersNamed(); built on first use). */
  private identifiers?: Map<string, number[]>;
  private readonly lineStarts: number[] = [0];

  private constructor(readonly text: string, readonly typeNames: readonly string[], readonly fieldNames: readonly (string | null)[]) {
    for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', nl + 1)) this.lineStarts.push(nl + 1);
    // Python source has about one node per 3–6 characters; growing doubles, so a low guess costs little.
    const capacity = 64 + (text.length >> 2);
    this.typeIds = new Uint16Array(capacity);
    this.named = new Uint8Array(capacity);
    this.fieldIds = new Uint16Array(capacity);
    this.starts = new Int32Array(capacity);
    this.ends = new Int32Array(capacity);
    this.parents = new Int32Array(capacity);
    this.firstChildren = new Int32Array(capacity);
    this.nextSiblings = new Int32Array(capacity);
    this.subtreeEnds = new Int32Array(capacity);
  }

  /** Reads a web-tree-sitter tree of `text` (the text it was parsed from). */
  static from(tree: Tree, text: string): CompactTree {
    const t = new CompactTree(text, tree.language.types, tree.language.fields);
    if (!withRawCursor(tree, (cursor) => t.read(cursor))) {
      const cursor = tree.rootNode.walk();
      try {
        t.read({
          gotoFirstChild: () => cursor.gotoFirstChild(), gotoNextSibling: () => cursor.gotoNextSibling(), gotoParent: () => cursor.gotoParent(),
          typeId: () => cursor.nodeTypeId, isNamed: () => cursor.nodeIsNamed, fieldId: () => cursor.currentFieldId,
          startIndex: () => cursor.startIndex, endIndex: () => cursor.endIndex,
        });
      } finally {
        cursor.delete();
      }
    }
    return t;
  }

  private add(cursor: RawCursor, parent: number): number {
    const id = this.size++;
    if (id === this.typeIds.length) {
      const n = id + 1;
      this.typeIds = grow(this.typeIds, n); this.named = grow(this.named, n); this.fieldIds = grow(this.fieldIds, n);
      this.starts = grow(this.starts, n); this.ends = grow(this.ends, n); this.parents = grow(this.parents, n);
      this.firstChildren = grow(this.firstChildren, n); this.nextSiblings = grow(this.nextSiblings, n); this.subtreeEnds = grow(this.subtreeEnds, n);
    }
    this.typeIds[id] = cursor.typeId();
    this.named[id] = cursor.isNamed() ? 1 : 0;
    this.fieldIds[id] = parent === NONE ? 0 : cursor.fieldId();
    this.starts[id] = cursor.startIndex();
    this.ends[id] = cursor.endIndex();
    this.parents[id] = parent;
    this.firstChildren[id] = NONE;
    this.nextSiblings[id] = NONE;
    this.subtreeEnds[id] = NONE;
    return id;
  }

  /** One pre-order walk, iterative: deep trees (long operator chains in fuzzed input) must not overflow the stack. */
  private read(cursor: RawCursor): void {
    let current = this.add(cursor, NONE);
    for (;;) {
      if (cursor.gotoFirstChild()) {
        const child = this.add(cursor, current);
        this.firstChildren[current] = child;
        current = child;
        continue;
      }
      for (;;) {
        this.subtreeEnds[current] = this.size;
        if (cursor.gotoNextSibling()) {
          const sibling = this.add(cursor, this.parents[current]);
          this.nextSiblings[current] = sibling;
          current = sibling;
          break;
        }
        if (!cursor.gotoParent()) return;
        current = this.parents[current];
      }
    }
  }

  /**
   * Drops the node objects handed out so far (they are made again on demand), and the arrays' unused
   * capacity: what a tree kept for later costs is then its arrays. Only for a tree whose earlier
   * nodes nobody compares with later ones (a finished analysis's).
   */
  shrink(): void {
    this.nodes = undefined;
    this.identifiers = undefined;
    const n = this.size;
    if (this.typeIds.length === n) return;
    this.typeIds = this.typeIds.slice(0, n); this.named = this.named.slice(0, n); this.fieldIds = this.fieldIds.slice(0, n);
    this.starts = this.starts.slice(0, n); this.ends = this.ends.slice(0, n); this.parents = this.parents.slice(0, n);
    this.firstChildren = this.firstChildren.slice(0, n); this.nextSiblings = this.nextSiblings.slice(0, n); this.subtreeEnds = this.subtreeEnds.slice(0, n);
  }

  /** The identifiers spelled `name` in the subtree of node `id`, in document order (see identifiersNamed()). */
  identifiersIn(id: number, name: string): SyntaxNode[] {
    const list = (this.identifiers ??= this.indexIdentifiers()).get(name);
    const out: SyntaxNode[] = [];
    if (!list) return out;
    // The subtree is the index range [id, subtreeEnds[id]): find its first identifier by bisection.
    const end = this.subtreeEnds[id];
    let lo = 0, hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (list[mid] < id) lo = mid + 1; else hi = mid;
    }
    for (let i = lo; i < list.length && list[i] < end; i++) out.push(this.node(list[i])!);
    return out;
  }

  /** Every identifier by name, walking as descendantsOfType does (a node ending at offset 0 is skipped with its subtree). */
  private indexIdentifiers(): Map<string, number[]> {
    const wanted = this.typeIdsNamed(IDENTIFIER);
    const index = new Map<string, number[]>();
    for (let i = 0; i < this.size; i++) {
      if (this.ends[i] === 0) { i = this.subtreeEnds[i] - 1; continue; }
      if (wanted[this.typeIds[i]] !== 1) continue;
      const name = this.text.slice(this.starts[i], this.ends[i]);
      const list = index.get(name);
      if (list) list.push(i); else index.set(name, [i]);
    }
    return index;
  }

  /** A node's type name, as web-tree-sitter names it. */
  typeOf(id: number): string {
    return this.typeNames[this.typeIds[id]] || 'ERROR';
  }

  /** A node's field name under its parent, or null. */
  fieldOf(id: number): string | null {
    return this.fieldNames[this.fieldIds[id]] ?? null;
  }

  /** A lookup by type id: 1 for the ids whose name is in `names` (several ids can share a name). */
  typeIdsNamed(names: readonly string[]): Uint8Array {
    let cache = WANTED.get(this.typeNames);
    if (!cache) WANTED.set(this.typeNames, cache = new Map());
    const key = names.join(' ');
    let wanted = cache.get(key);
    if (!wanted) {
      // Ids past the language's table (ERROR is 65535) are named ERROR, as web-tree-sitter names them.
      wanted = new Uint8Array(65536);
      if (names.includes('ERROR')) wanted.fill(1, this.typeNames.length);
      this.typeNames.forEach((name, id) => { if (names.includes(name || 'ERROR')) wanted![id] = 1; });
      cache.set(key, wanted);
    }
    return wanted;
  }

  get rootNode(): SyntaxNode {
    return this.node(0)!;
  }

  /** The node object of an index (one per index), or null for NONE. */
  node(id: number): CompactNode | null {
    if (id < 0) return null;
    let nodes = this.nodes;
    if (!nodes) {
      nodes = this.nodes = [];
      for (let i = 0; i < this.size; i++) nodes.push(undefined);
    }
    return (nodes[id] ??= new CompactNode(this, id));
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

/**
 * The identifiers spelled `name` in the subtree of `node` (itself included), in document order, as
 * `descendantsOfType('identifier')` filtered by text gives them; undefined when `node` is not a compact
 * tree's. One index per tree serves every frame: frames nest, and indexing each frame's subtree on its
 * own read the module's identifiers once per enclosing frame, making a node object for each.
 */
export function identifiersNamed(node: SyntaxNode, name: string): SyntaxNode[] | undefined {
  return node instanceof CompactNode ? node.identifiersNamed(name) : undefined;
}

class CompactNode implements SyntaxNode {
  constructor(private readonly t: CompactTree, readonly id: number) {}

  get type(): string { return this.t.typeOf(this.id); }
  get isNamed(): boolean { return this.t.named[this.id] === 1; }
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
    for (let c = this.t.firstChildren[this.id]; c !== NONE; c = this.t.nextSiblings[c]) if (this.t.named[c] === 1) out.push(this.t.node(c)!);
    return out;
  }

  get namedChildCount(): number {
    let n = 0;
    for (let c = this.t.firstChildren[this.id]; c !== NONE; c = this.t.nextSiblings[c]) if (this.t.named[c] === 1) n++;
    return n;
  }

  get firstChild(): SyntaxNode | null { return this.t.node(this.t.firstChildren[this.id]); }

  get lastNamedChild(): SyntaxNode | null {
    let last = NONE;
    for (let c = this.t.firstChildren[this.id]; c !== NONE; c = this.t.nextSiblings[c]) if (this.t.named[c] === 1) last = c;
    return this.t.node(last);
  }

  child(index: number): SyntaxNode | null {
    let i = 0;
    for (let c = this.t.firstChildren[this.id]; c !== NONE; c = this.t.nextSiblings[c]) if (i++ === index) return this.t.node(c);
    return null;
  }

  namedChild(index: number): SyntaxNode | null {
    let i = 0;
    for (let c = this.t.firstChildren[this.id]; c !== NONE; c = this.t.nextSiblings[c]) if (this.t.named[c] === 1 && i++ === index) return this.t.node(c);
    return null;
  }

  childForFieldName(fieldName: string): SyntaxNode | null {
    for (let c = this.t.firstChildren[this.id]; c !== NONE; c = this.t.nextSiblings[c]) if (this.t.fieldOf(c) === fieldName) return this.t.node(c);
    return null;
  }

  childrenForFieldName(fieldName: string): SyntaxNode[] {
    const out: SyntaxNode[] = [];
    for (let c = this.t.firstChildren[this.id]; c !== NONE; c = this.t.nextSiblings[c]) if (this.t.fieldOf(c) === fieldName) out.push(this.t.node(c)!);
    return out;
  }

  descendantsOfType(types: string | string[]): SyntaxNode[] {
    const wanted = this.t.typeIdsNamed(typeof types === 'string' ? [types] : types);
    const out: SyntaxNode[] = [];
    const end = this.t.subtreeEnds[this.id];
    for (let i = this.id; i < end; i++) {
      // As tree-sitter's walk does: a node ending at the very start of the text is skipped with its subtree.
      if (this.t.ends[i] === 0) { i = this.t.subtreeEnds[i] - 1; continue; }
      if (wanted[this.t.typeIds[i]] === 1) out.push(this.t.node(i)!);
    }
    return out;
  }

  /** See identifiersNamed(). */
  identifiersNamed(name: string): SyntaxNode[] {
    return this.t.ends[this.id] === 0 ? [] : this.t.identifiersIn(this.id, name);
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

  get nodeType(): string { return this.t.typeOf(this.current); }
  get nodeIsNamed(): boolean { return this.t.named[this.current] === 1; }
  get currentFieldName(): string | null { return this.current === this.root ? null : this.t.fieldOf(this.current); }
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
