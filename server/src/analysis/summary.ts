// What other modules need to know about a module, small enough to cache for a whole workspace: which
// of its names are coroutine functions, which classes have coroutine methods (and their bases), which
// names are functions at all, and which names it re-exports from elsewhere. Whether calling one of its
// functions ever returns is the workspace's verdict (crossEndings.ts), worked out on demand from
// these names: most functions are never asked about.
import { collectImports } from './imports';
import type { SyntaxNode, SyntaxTree } from './parser';

export interface ClassSummary {
  line: number;
  /** Methods that are coroutine functions, with their line (0-based). */
  asyncMethods: Map<string, number>;
  /** Every method name (a sync override hides an inherited async one). */
  methods: Set<string>;
  /** Base classes as written, resolved through the module's imports where possible. */
  bases: string[];
}

export interface ModuleSummary {
  /** Module-level coroutine functions and their line (0-based). */
  coroutines: Map<string, number>;
  /** Module-level names defined as plain functions or assigned (they shadow re-exports). */
  otherNames: Set<string>;
  /** Every module-level function (`def` and `async def`, decorated or not) and its line (0-based). */
  functions: Map<string, number>;
  classes: Map<string, ClassSummary>;
  /** Local name → qualified name for every import (relative ones start with dots). */
  imports: Map<string, string>;
  /** Modules star-imported (`from x import *`). */
  starImports: string[];
}

/** Decorators that keep an `async def` a coroutine function. */
const KEEPS_ASYNC = new Set(['staticmethod', 'classmethod', 'override', 'typing.override', 'abstractmethod', 'abc.abstractmethod']);

function unwrapDefinition(statement: SyntaxNode): { def: SyntaxNode; keepsAsync: boolean } | undefined {
  if (statement.type === 'function_definition' || statement.type === 'class_definition') return { def: statement, keepsAsync: true };
  if (statement.type !== 'decorated_definition') return undefined;
  const def = statement.childForFieldName('definition');
  if (!def) return undefined;
  const decorators = statement.namedChildren.filter((c) => c?.type === 'decorator').map((c) => c!.text.replace(/^@\s*/, '').trim());
  return { def, keepsAsync: decorators.every((d) => KEEPS_ASYNC.has(d)) };
}

function isCoroutineFunction(def: SyntaxNode): boolean {
  if (def.firstChild?.type !== 'async') return false;
  // An async generator is not a coroutine function: look for a yield in its own frame.
  const body = def.childForFieldName('body');
  for (const y of body?.descendantsOfType('yield') ?? []) {
    let p = y?.parent;
    while (p && p.id !== def.id && p.type !== 'function_definition' && p.type !== 'lambda' && p.type !== 'class_definition') p = p.parent;
    if (p?.id === def.id) return false;
  }
  return true;
}

/** Statements at module level, looking into `if`/`try` blocks (TYPE_CHECKING, version checks, optional imports). */
function* moduleStatements(block: SyntaxNode): Generator<SyntaxNode> {
  for (const s of block.namedChildren) {
    if (!s) continue;
    if (s.type === 'if_statement' || s.type === 'try_statement') {
      for (const b of s.descendantsOfType('block')) {
        if (b?.parent?.parent?.id === s.id || b?.parent?.id === s.id) yield* moduleStatements(b);
      }
    } else {
      yield s;
    }
  }
}

/** Summarises a parsed module. */
export function summarizeModule(tree: SyntaxTree): ModuleSummary {
  const root = tree.rootNode;
  const imports = collectImports(root);
  const summary: ModuleSummary = { coroutines: new Map(), otherNames: new Set(), functions: new Map(), classes: new Map(), imports, starImports: [] };
  for (const s of moduleStatements(root)) {
    if (s.type === 'import_from_statement' && s.namedChildren.some((c) => c?.type === 'wildcard_import')) {
      const module = s.childForFieldName('module_name')?.text.replace(/\s+/g, '');
      if (module) summary.starImports.push(module);
      continue;
    }
    const unwrapped = unwrapDefinition(s);
    if (!unwrapped) {
      if (s.type === 'expression_statement' && s.namedChild(0)?.type === 'assignment') {
        const left = s.namedChild(0)!.childForFieldName('left');
        if (left?.type === 'identifier') summary.otherNames.add(left.text);
      }
      continue;
    }
    const { def, keepsAsync } = unwrapped;
    const name = def.childForFieldName('name')?.text;
    if (!name) continue;
    if (def.type === 'function_definition') {
      if (!summary.functions.has(name)) summary.functions.set(name, def.startPosition.row);
      if (keepsAsync && isCoroutineFunction(def)) summary.coroutines.set(name, def.startPosition.row);
      else summary.otherNames.add(name);
      continue;
    }
    const cls: ClassSummary = { line: def.startPosition.row, asyncMethods: new Map(), methods: new Set(), bases: [] };
    for (const base of def.childForFieldName('superclasses')?.namedChildren ?? []) {
      if (base?.type !== 'identifier' && base?.type !== 'attribute') continue;
      const head = base.text.split('.')[0];
      const resolved = imports.get(head);
      cls.bases.push(resolved ? resolved + base.text.slice(head.length) : base.text);
    }
    for (const m of def.childForFieldName('body')?.namedChildren ?? []) {
      const method = m && unwrapDefinition(m);
      if (!method || method.def.type !== 'function_definition') continue;
      const mName = method.def.childForFieldName('name')?.text;
      if (!mName) continue;
      cls.methods.add(mName);
      if (method.keepsAsync && isCoroutineFunction(method.def)) cls.asyncMethods.set(mName, method.def.startPosition.row);
    }
    summary.classes.set(name, cls);
  }
  return summary;
}
