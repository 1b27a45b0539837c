// Incremental parsing for documents that change a keystroke at a time (the language server). Each
// document keeps its last text and tree; a new version is compared with the old one, the changed
// span becomes a Tree.edit, and tree-sitter reparses only around it, reusing every untouched subtree.
// Working from the texts rather than the client's change events keeps this independent of LSP (and
// of how the client batched its edits): one common prefix/suffix scan is a fraction of a millisecond
// even on a 5,000-line module.
import { analyzeTree } from './analyze';
import { analyzeUnits, forgetProjectResults, type ModuleResults, type ProjectChange, type ReuseStats } from './reuse';
import { editTree, parse, type TextEdit, type Tree } from './parser';
import { mayHaveFindings } from './prefilter';
import type { AnalyzeOptions, Diagnostic } from './types';

interface Point { row: number; column: number }

/** Row and UTF-16 column of a string index (tree-sitter's web build counts in UTF-16 units), counted from `from`. */
function pointAt(text: string, index: number, from: Point & { index: number } = { row: 0, column: 0, index: 0 }): Point {
  let row = from.row;
  let lineStart = from.index - from.column;
  for (let nl = text.indexOf('\n', from.index); nl !== -1 && nl < index; nl = text.indexOf('\n', nl + 1)) {
    row++;
    lineStart = nl + 1;
  }
  return { row, column: index - lineStart };
}

/** The edit turning `before` into `after`, as one replaced span (common prefix and suffix kept). */
export function diffEdit(before: string, after: string): TextEdit {
  const max = Math.min(before.length, after.length);
  // Whole chunks first (string comparison is a memory compare; each slice is an allocation, so large
  // chunks, then smaller ones), then character by character.
  let start = 0;
  let tail = 0;
  for (const chunk of [4096, 256]) {
    while (start + chunk <= max && before.slice(start, start + chunk) === after.slice(start, start + chunk)) start += chunk;
  }
  while (start < max && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  for (const chunk of [4096, 256]) {
    while (tail + chunk <= max - start && before.slice(before.length - tail - chunk, before.length - tail) === after.slice(after.length - tail - chunk, after.length - tail)) tail += chunk;
  }
  while (tail < max - start && before.charCodeAt(before.length - 1 - tail) === after.charCodeAt(after.length - 1 - tail)) tail++;
  const oldEndIndex = before.length - tail;
  const newEndIndex = after.length - tail;
  // The ends are counted from the start: only the changed span is scanned twice.
  const startPosition = pointAt(before, start);
  const from = { ...startPosition, index: start };
  return {
    startIndex: start, oldEndIndex, newEndIndex,
    startPosition, oldEndPosition: pointAt(before, oldEndIndex, from), newEndPosition: pointAt(after, newEndIndex, from),
  };
}

/** Trees of open documents, reparsed incrementally. Requires the parser to be initialised. */
export class DocumentTrees {
  private readonly docs = new Map<string, { text: string; tree: Tree }>();
  /** The last edit applied to each document's tree, the text it was applied to, and the rows it changed. */
  private readonly edits = new Map<string, { before: string; edit: TextEdit; changedRows: Array<[number, number]> }>();

  /** The tree of `text`, the newest version of document `key`. Owned here: do not delete it. */
  treeFor(key: string, text: string): Tree {
    const previous = this.docs.get(key);
    if (previous?.text === text) return previous.tree;
    let tree: Tree;
    if (previous) {
      const edit = diffEdit(previous.text, text);
      editTree(previous.tree, edit);
      tree = parse(text, previous.tree);
      // Where the syntax changed beyond the edited text (a quote opening a string to the end of the
      // file…): the per-unit analysis lists only those rows again (layout.ts). Rows, not columns: row
      // numbers mean the same in every unit web-tree-sitter may count in.
      const changedRows = tree.getChangedRanges(previous.tree).map((r): [number, number] => [r.startPosition.row, r.endPosition.row]);
      this.edits.set(key, { before: previous.text, edit, changedRows });
      previous.tree.delete();
    } else {
      tree = parse(text);
    }
    this.docs.set(key, { text, tree });
    return tree;
  }

  /**
   * analyze() for a document kept here: the lexical shortcut first, then an incremental parse, then
   * the rules over what the edit can have changed (see reuse.ts); the rest is the last version's.
   */
  analyze(key: string, text: string, options: AnalyzeOptions = {}): Diagnostic[] {
    if (!mayHaveFindings(text, options)) {
      this.results.delete(key);
      return [];
    }
    const tree = this.treeFor(key, text);
    const previous = this.results.get(key);
    const last = this.edits.get(key);
    // The same text again (a re-check after another module changed): nothing moved, no syntax changed.
    const change = previous && (last?.before === previous.text ? last : previous.text === text ? { edit: diffEdit(text, text), changedRows: [] } : { edit: diffEdit(previous.text, text) });
    // analyzeUnits() updates the kept results in place: if it throws, they must not be used again.
    this.results.delete(key);
    const done = analyzeUnits(tree, text, options, previous, change);
    if (!done) {
      this.lastStats = { reused: 0, analysed: 0 };
      return analyzeTree(tree, text, options);
    }
    this.results.set(key, done.results);
    this.lastStats = done.stats;
    return done.diagnostics;
  }

  /** How much the last analyze() reused (for tests and benchmarks). */
  lastStats: ReuseStats = { reused: 0, analysed: 0 };

  /** Results of the last analysis of each document, reused by the next one. */
  private readonly results = new Map<string, ModuleResults>();

  /**
   * Something outside the documents changed (another file of the workspace, the workspace index):
   * drops the kept results that consulted other modules and may have changed with it (see
   * forgetProjectResults). Settings are part of each result's key.
   */
  forgetResults(change: ProjectChange = 'files'): void {
    for (const results of this.results.values()) forgetProjectResults(results, change);
  }

  /** Frees a document's tree (it was closed). */
  close(key: string): void {
    this.docs.get(key)?.tree.delete();
    this.docs.delete(key);
    this.edits.delete(key);
    this.results.delete(key);
  }
}
