// The compact tree (analysis/compact.ts) stands in for web-tree-sitter's nodes in whole-module
// analyses, so it must answer every question the analysis asks exactly as web-tree-sitter does: on
// real files (the fixtures and part of an installed standard library), on broken text, and on text
// with non-ASCII characters, node by node.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { initAnalysis } from '../src/analysis';
import { CompactTree, identifiersNamed } from '../src/analysis/compact';
import { parse } from '../src/analysis/parser';
import { withRawCursor } from '../src/analysis/rawCursor';
import type { SyntaxNode } from '../src/analysis/syntax';
import { findPythons } from '../../test/support/pythons';
import { repoRoot } from './support/root';

/** Every node in pre-order. */
function preorder(root: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  const visit = (n: SyntaxNode) => { out.push(n); for (const c of n.children) if (c) visit(c); };
  visit(root);
  return out;
}

const FIELDS = ['name', 'body', 'parameters', 'return_type', 'function', 'arguments', 'object', 'attribute', 'left', 'right', 'value', 'condition', 'consequence', 'alternative', 'superclasses', 'definition', 'alias', 'module_name', 'type'];
const TYPES = ['call', 'identifier', 'await', 'comment', 'import_statement', 'import_from_statement', 'function_definition', 'try_statement', 'while_statement', 'raise_statement', 'assignment'];

/** `shrink`: the compact tree is read once, then shrunk (as a tree kept for later is) before the comparison. */
function compare(text: string, label: string, shrink = false): void {
  const tree = parse(text);
  try {
    const compact = CompactTree.from(tree, text);
    if (shrink) {
      preorder(compact.rootNode);
      compact.shrink();
    }
    const theirs = preorder(tree.rootNode);
    const ours = preorder(compact.rootNode);
    assert.equal(ours.length, theirs.length, `${label}: node count`);
    // Ids differ between the two; map theirs to ours by pre-order position.
    const index = new Map(theirs.map((n, i) => [n.id, i]));
    const same = (a: SyntaxNode | null, b: SyntaxNode | null, what: string) => {
      assert.equal(a === null ? null : index.get(a.id), b === null ? null : ours.indexOf(b), what);
    };
    for (let i = 0; i < theirs.length; i++) {
      const t = theirs[i], o = ours[i];
      const at = `${label}: node ${i} (${t.type} at ${t.startPosition.row}:${t.startPosition.column})`;
      assert.deepEqual(
        [o.type, o.isNamed, o.startIndex, o.endIndex, o.startPosition, o.endPosition, o.text, o.namedChildCount],
        [t.type, t.isNamed, t.startIndex, t.endIndex, t.startPosition, t.endPosition, t.text, t.namedChildCount], at);
      same(t.parent, o.parent, `${at}: parent`);
      same(t.firstChild, o.firstChild, `${at}: firstChild`);
      same(t.lastNamedChild, o.lastNamedChild, `${at}: lastNamedChild`);
      same(t.namedChild(0), o.namedChild(0), `${at}: namedChild(0)`);
      same(t.child(1), o.child(1), `${at}: child(1)`);
      assert.deepEqual(o.namedChildren.map((c) => ours.indexOf(c!)), t.namedChildren.map((c) => index.get(c!.id)), `${at}: namedChildren`);
      for (const field of FIELDS) {
        // web-tree-sitter also answers with grandchildren through aliased wrappers (`match_statement`'s
        // `alternative` is its block's case_clause); the compact tree answers among children only, and
        // the analysis asks no such question (the incremental tests compare both trees' findings).
        const direct = (c: SyntaxNode | null) => !c || c.parent?.id === t.id;
        const theirs1 = t.childForFieldName(field);
        if (direct(theirs1)) same(theirs1, o.childForFieldName(field), `${at}: field ${field}`);
        const theirsAll = t.childrenForFieldName(field);
        if (theirsAll.every(direct)) assert.deepEqual(o.childrenForFieldName(field).map((c) => ours.indexOf(c!)), theirsAll.map((c) => index.get(c!.id)), `${at}: fields ${field}`);
      }
      if (t.children.length > 0 && i % 7 === 0) {
        assert.deepEqual(o.descendantsOfType(TYPES).map((c) => ours.indexOf(c!)), t.descendantsOfType(TYPES).map((c) => index.get(c!.id)), `${at}: descendantsOfType`);
        // identifiersNamed() answers from one index per tree: the subtree's identifiers of one name, in order.
        const identifiers = t.descendantsOfType('identifier');
        for (const name of new Set([identifiers[0]?.text, identifiers.at(-1)?.text, 'self', 'nothing_has_this_name'])) {
          if (name === undefined) continue;
          assert.deepEqual(identifiersNamed(o, name)!.map((c) => ours.indexOf(c)), identifiers.filter((c) => c!.text === name).map((c) => index.get(c!.id)), `${at}: identifiersNamed ${name}`);
        }
      }
    }
    const lines = text.split('\n');
    for (let row = 0; row < lines.length; row += 3) {
      for (const column of [0, Math.floor(lines[row].length / 2), lines[row].length]) {
        same(tree.rootNode.descendantForPosition({ row, column }), compact.rootNode.descendantForPosition({ row, column }), `${label}: descendantForPosition ${row}:${column}`);
      }
    }
  } finally {
    tree.delete();
  }
}

describe('compact tree', () => {
  before(() => initAnalysis());

  test('answers like web-tree-sitter on every fixture, and on broken and non-ASCII text', () => {
    const dir = join(repoRoot(), 'server/test/fixtures');
    for (const name of readdirSync(dir).filter((f) => f.endsWith('.py'))) {
      const text = readFileSync(join(dir, name), 'utf8');
      compare(text, name);
      compare(text.slice(0, Math.floor(text.length / 2)), `${name} (cut in half)`);
      compare(text.replace(/:\n/g, '\n'), `${name} (colons removed)`);
    }
    compare('', 'empty');
    compare('\n\n# only a comment\n', 'comment');
    compare('é = "😀"\nasync def f(ü):\n    await g("ñ")  # noqa\n', 'non-ASCII');
    compare('x = (' + '1 + '.repeat(3000) + '1)\n', 'deep');
  });

  test('answers the same after shrink() drops its nodes and spare capacity', () => {
    const dir = join(repoRoot(), 'server/test/fixtures');
    for (const name of readdirSync(dir).filter((f) => f.endsWith('.py'))) compare(readFileSync(join(dir, name), 'utf8'), `${name} (shrunk)`, true);
    compare('', 'empty (shrunk)', true);
  });

  test('is read with the raw cursor, and the tree stays usable after it', () => {
    // The fallback (web-tree-sitter's TreeCursor) gives the same trees, several times slower: a
    // web-tree-sitter upgrade that removes a function the raw cursor calls must be noticed here.
    const tree = parse('async def f():\n    await g()\n');
    try {
      let depth = 0;
      assert.ok(withRawCursor(tree, (c) => { while (c.gotoFirstChild()) depth++; }), 'raw cursor available');
      assert.equal(depth, 2, 'module → function_definition → async');
      assert.equal(tree.rootNode.descendantsOfType('await').length, 2, 'the await expression and its keyword');
      compare('async def f():\n    await g()\n', 'after a raw walk');
    } finally {
      tree.delete();
    }
  });

  test('answers like web-tree-sitter on standard library modules', () => {
    const py = findPythons().at(-1);
    assert.ok(py, 'a Python to take a standard library from');
    const lib = join(py.path, '../../lib', `python${py.major}.${py.minor}`, 'asyncio');
    for (const name of readdirSync(lib).filter((f) => f.endsWith('.py')).sort().slice(0, 16)) {
      compare(readFileSync(join(lib, name), 'utf8'), `asyncio/${name}`);
    }
  });
});
