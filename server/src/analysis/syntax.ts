// The syntax-tree API the analysis uses: the part of web-tree-sitter's Node/TreeCursor it needs. Two
// implementations: web-tree-sitter's own objects (each property a call into WASM, each node a new
// object), used where only a little of a tree is read (the server's per-function reuse); and the
// compact tree (compact.ts), one walk into JS arrays, used where all of it is read (whole modules).

/** A row and a UTF-16 column, both 0-based. */
export interface Point {
  row: number;
  column: number;
}

/** One node of a Python syntax tree. */
export interface SyntaxNode {
  readonly id: number;
  readonly type: string;
  readonly isNamed: boolean;
  readonly text: string;
  readonly startIndex: number;
  readonly endIndex: number;
  readonly startPosition: Point;
  readonly endPosition: Point;
  readonly parent: SyntaxNode | null;
  readonly children: Array<SyntaxNode | null>;
  readonly namedChildren: Array<SyntaxNode | null>;
  readonly namedChildCount: number;
  readonly firstChild: SyntaxNode | null;
  readonly lastNamedChild: SyntaxNode | null;
  child(index: number): SyntaxNode | null;
  namedChild(index: number): SyntaxNode | null;
  childForFieldName(fieldName: string): SyntaxNode | null;
  childrenForFieldName(fieldName: string): Array<SyntaxNode | null>;
  /** Nodes of the given types in this subtree, this node included, in document order. */
  descendantsOfType(types: string | string[]): Array<SyntaxNode | null>;
  descendantForPosition(start: Point): SyntaxNode | null;
  walk(): SyntaxCursor;
}

/** A cursor over a subtree: cheaper than nodes when visiting everything. */
export interface SyntaxCursor {
  readonly nodeType: string;
  readonly nodeIsNamed: boolean;
  readonly currentFieldName: string | null;
  readonly currentNode: SyntaxNode;
  readonly startIndex: number;
  readonly endIndex: number;
  readonly startPosition: Point;
  readonly endPosition: Point;
  gotoFirstChild(): boolean;
  gotoNextSibling(): boolean;
  gotoParent(): boolean;
  delete(): void;
}

/** What the analysis reads of a tree. */
export interface SyntaxTree {
  readonly rootNode: SyntaxNode;
}
