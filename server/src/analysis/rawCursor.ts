// A tree cursor for reading a whole tree, straight on web-tree-sitter's WASM functions. Its TreeCursor
// writes the cursor's four words into the shared transfer buffer before every call and reads them back
// after every move (8 heap accesses through `setValue`/`getValue` per call); a walk that reads five
// things per node spent more time on that than in tree-sitter. Here the cursor lives in the transfer
// buffer for the whole walk: the C side reads it from there and moves write it back there, and the
// read-only queries used here (type, named, field, start, end) leave it untouched, so nothing is
// copied until the walk ends. Nothing else may use the transfer buffer during a walk: callers finish a
// walk synchronously, without touching other web-tree-sitter objects in between.
import { wasmBinding, type Tree } from './parser';

type TreeFn = (tree: number) => number;

/** The WASM functions the walk calls; all take the tree's address and read the cursor from the buffer. */
interface CursorFunctions {
  _ts_init(): number;
  _ts_tree_cursor_goto_first_child_wasm: TreeFn;
  _ts_tree_cursor_goto_next_sibling_wasm: TreeFn;
  _ts_tree_cursor_goto_parent_wasm: TreeFn;
  _ts_tree_cursor_current_node_type_id_wasm: TreeFn;
  _ts_tree_cursor_current_node_is_named_wasm: TreeFn;
  _ts_tree_cursor_current_field_id_wasm: TreeFn;
  _ts_tree_cursor_start_index_wasm: TreeFn;
  _ts_tree_cursor_end_index_wasm: TreeFn;
  HEAP32: Int32Array;
}

const NEEDED = ['_ts_init', '_ts_tree_cursor_goto_first_child_wasm', '_ts_tree_cursor_goto_next_sibling_wasm',
  '_ts_tree_cursor_goto_parent_wasm', '_ts_tree_cursor_current_node_type_id_wasm', '_ts_tree_cursor_current_node_is_named_wasm',
  '_ts_tree_cursor_current_field_id_wasm', '_ts_tree_cursor_start_index_wasm', '_ts_tree_cursor_end_index_wasm'];

/** web-tree-sitter keeps a cursor's four words and a tree's address at these indices of its objects. */
type Words = Record<0 | 1 | 2 | 3, number>;

let checked: CursorFunctions | null | undefined;

/** The binding's cursor functions, or null when this web-tree-sitter build does not have them all. */
function functions(): CursorFunctions | null {
  if (checked !== undefined) return checked;
  const b = wasmBinding();
  if (!b) return null;
  checked = NEEDED.every((f) => typeof b[f] === 'function') && b.HEAP32 instanceof Int32Array ? b as unknown as CursorFunctions : null;
  return checked;
}

/** A cursor at a tree's root; moves and queries as web-tree-sitter's TreeCursor, with ids instead of names. */
export interface RawCursor {
  gotoFirstChild(): boolean;
  gotoNextSibling(): boolean;
  gotoParent(): boolean;
  typeId(): number;
  isNamed(): boolean;
  fieldId(): number;
  startIndex(): number;
  endIndex(): number;
}

/**
 * Walks `tree` with a raw cursor: `visit` gets one at the root and must do all its moving and reading
 * synchronously. Returns false, without calling `visit`, when the binding lacks a function the cursor
 * needs (another web-tree-sitter version); the caller then walks with the ordinary TreeCursor.
 */
export function withRawCursor(tree: Tree, visit: (cursor: RawCursor) => void): boolean {
  const c = functions();
  if (!c) return false;
  const address = (tree as unknown as Words)[0];
  const cursor = tree.rootNode.walk();
  const words = cursor as unknown as Words;
  const buffer = c._ts_init() >> 2;
  // Heap views are replaced when the WASM memory grows (a move can allocate): look them up each time.
  for (let i = 0; i < 4; i++) c.HEAP32[buffer + i] = words[i as 0];
  try {
    visit({
      gotoFirstChild: () => c._ts_tree_cursor_goto_first_child_wasm(address) === 1,
      gotoNextSibling: () => c._ts_tree_cursor_goto_next_sibling_wasm(address) === 1,
      gotoParent: () => c._ts_tree_cursor_goto_parent_wasm(address) === 1,
      typeId: () => c._ts_tree_cursor_current_node_type_id_wasm(address),
      isNamed: () => c._ts_tree_cursor_current_node_is_named_wasm(address) === 1,
      fieldId: () => c._ts_tree_cursor_current_field_id_wasm(address),
      startIndex: () => c._ts_tree_cursor_start_index_wasm(address) >>> 0,
      endIndex: () => c._ts_tree_cursor_end_index_wasm(address) >>> 0,
    });
  } finally {
    // Moves may have reallocated the cursor's stack: hand the words back so delete() frees the live one.
    for (let i = 0; i < 4; i++) words[i as 0] = c.HEAP32[buffer + i];
    cursor.delete();
  }
  return true;
}
