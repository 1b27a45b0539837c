// The one place that loads tree-sitter. The WASM files travel next to the bundles in dist/ (see
// scripts/build.mjs); tests run from out/ with node_modules present, so fall back to the packages.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
// require(), not import: esbuild then bundles the CommonJS build, which finds itself via __filename; the
// ES module build needs import.meta.url, which a CommonJS bundle does not have.
import TreeSitter = require('web-tree-sitter');
import type { Parser, Tree } from 'web-tree-sitter';

const { Language, Parser: ParserClass, Edit } = TreeSitter;

export type { Tree } from 'web-tree-sitter';
export type { SyntaxNode, SyntaxCursor, SyntaxTree } from './syntax';

/** A text change in tree-sitter's terms (indices and columns in UTF-16 units), for Tree.edit. */
export interface TextEdit {
  startIndex: number; oldEndIndex: number; newEndIndex: number;
  startPosition: { row: number; column: number }; oldEndPosition: { row: number; column: number }; newEndPosition: { row: number; column: number };
}

/** Tells a tree about a change to its text, before it is reparsed with parse(text, tree). */
export function editTree(tree: Tree, edit: TextEdit): void {
  tree.edit(new Edit(edit));
}

const RUNTIME_WASM = 'web-tree-sitter.wasm';
const PYTHON_WASM = 'tree-sitter-python.wasm';

function locate(file: string, packageFile: () => string): string {
  const beside = join(__dirname, file);
  if (existsSync(beside)) return beside;
  return packageFile();
}

// Package names in variables: resolved at run time from node_modules, not followed by the bundler.
const RUNTIME_PACKAGE = 'web-tree-sitter';
const PYTHON_PACKAGE = 'tree-sitter-python';

function runtimeWasmPath(): string {
  return locate(RUNTIME_WASM, () => join(dirname(require.resolve(RUNTIME_PACKAGE)), RUNTIME_WASM));
}

function pythonWasmPath(): string {
  return locate(PYTHON_WASM, () => join(dirname(require.resolve(`${PYTHON_PACKAGE}/package.json`)), PYTHON_WASM));
}

let ready: Promise<Parser> | undefined;
let parser: Parser | undefined;
/**
 * The Emscripten module web-tree-sitter runs in. Emscripten turns the options object handed to
 * Parser.init() into the module itself (its exports and heap views), which is how rawCursor.ts reaches
 * the cursor functions without web-tree-sitter's per-call marshalling.
 */
let binding: Record<string, unknown> | undefined;

/** Loads the WASM runtime and the Python grammar once; later calls share the same promise. */
export function initParser(): Promise<Parser> {
  ready ??= (async () => {
    const options = { locateFile: () => runtimeWasmPath() };
    await ParserClass.init(options);
    binding = options;
    const python = await Language.load(pythonWasmPath());
    const p = new ParserClass();
    p.setLanguage(python);
    parser = p;
    return p;
  })();
  // A failed load must not poison every later attempt (e.g. a transient read error).
  ready.catch(() => { ready = undefined; });
  return ready;
}

/** The WASM module behind the parser (see `binding`), once initParser() has resolved. */
export function wasmBinding(): Record<string, unknown> | undefined {
  return binding;
}

/** True once initParser() has resolved, so parse() can run synchronously. */
export function parserReady(): boolean {
  return parser !== undefined;
}

/**
 * Parses Python source. Requires initParser() to have resolved. `previous` (already edited with
 * Tree.edit) lets tree-sitter reuse unchanged subtrees. Tree-sitter recovers from any syntax error,
 * so malformed text still yields a tree (with ERROR/MISSING nodes).
 */
export function parse(text: string, previous?: Tree): Tree {
  if (!parser) throw new Error('tree-sitter is not initialised: await initParser() first');
  const tree = parser.parse(text, previous ?? null);
  if (!tree) throw new Error('tree-sitter returned no tree');
  return tree;
}
