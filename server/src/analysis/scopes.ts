// The scope model: which code runs in which frame. CPython decides where `await` is legal by the frame
// the expression is evaluated in, not by the text it sits in, so the tricky parts are the places where
// the two differ: parameter defaults and annotations, decorators, class bases and the first iterable of
// a comprehension are evaluated by the *enclosing* scope; lambda bodies and class bodies are frames of
// their own (never async); comprehensions are frames too (generator expressions may always hold await).
import type { SyntaxNode, Tree } from './parser';

export type ScopeKind = 'module' | 'class' | 'function' | 'lambda' | 'comprehension';
export type ComprehensionKind = 'generator' | 'list' | 'set' | 'dict';

/** One frame of Python execution and the interesting nodes evaluated directly in it. */
export interface Scope {
  kind: ScopeKind;
  /** The module, function_definition, class_definition, lambda or comprehension node. */
  node: SyntaxNode;
  parent: Scope | undefined;
  children: Scope[];
  /** `async def` (only functions can be async frames). */
  isAsync: boolean;
  comprehension?: ComprehensionKind;
  /** Function or class name, when it has one. */
  name?: string;
  /** `await` expressions. */
  awaits: SyntaxNode[];
  /** `async with` / `async for` statements. */
  asyncStatements: SyntaxNode[];
  /** `async for` clauses of this comprehension. */
  asyncClauses: SyntaxNode[];
  /** `yield` and `yield from` expressions. */
  yields: SyntaxNode[];
  /** `return` statements. */
  returns: SyntaxNode[];
  /** Call expressions. */
  calls: SyntaxNode[];
}

export interface ScopeModel {
  module: Scope;
  /** Every scope, parents before children. */
  all: Scope[];
}

const COMPREHENSIONS: Record<string, ComprehensionKind> = {
  generator_expression: 'generator',
  list_comprehension: 'list',
  set_comprehension: 'set',
  dictionary_comprehension: 'dict',
};

function newScope(kind: ScopeKind, node: SyntaxNode, parent: Scope | undefined): Scope {
  const scope: Scope = {
    kind, node, parent, children: [], isAsync: false,
    awaits: [], asyncStatements: [], asyncClauses: [], yields: [], returns: [], calls: [],
  };
  parent?.children.push(scope);
  return scope;
}

/** True when the node's first token is the `async` keyword (async def/with/for, async for clause). */
export function startsWithAsync(node: SyntaxNode): boolean {
  return node.firstChild?.type === 'async';
}

/**
 * Builds the scope tree of a parsed module in one walk. Nodes inside ERROR subtrees are not recorded:
 * while the user types, tree-sitter's recovery can detach an `await` from its `async def`, and a
 * diagnostic there would be noise on top of the syntax error.
 */
export function buildScopes(tree: Tree): ScopeModel {
  const root = tree.rootNode;
  const module = newScope('module', root, undefined);
  const all: Scope[] = [module];
  const cursor = root.walk();

  const make = (kind: ScopeKind, node: SyntaxNode, parent: Scope): Scope => {
    const s = newScope(kind, node, parent);
    all.push(s);
    return s;
  };

  /** Visits the children of the cursor's node; `pick` chooses each child's scope from its field name. */
  function children(pick: (field: string | null) => Scope, inError: boolean): void {
    if (!cursor.gotoFirstChild()) return;
    do visit(pick(cursor.currentFieldName), inError);
    while (cursor.gotoNextSibling());
    cursor.gotoParent();
  }

  function visit(scope: Scope, inError: boolean): void {
    const type = cursor.nodeType;
    if (!cursor.nodeIsNamed) return;
    switch (type) {
      case 'ERROR':
        children(() => scope, true);
        return;
      case 'function_definition': {
        const node = cursor.currentNode;
        const fn = make('function', node, scope);
        fn.isAsync = startsWithAsync(node);
        fn.name = node.childForFieldName('name')?.text;
        children((field) => (field === 'body' ? fn : scope), inError);
        return;
      }
      case 'class_definition': {
        const node = cursor.currentNode;
        const cls = make('class', node, scope);
        cls.name = node.childForFieldName('name')?.text;
        children((field) => (field === 'body' ? cls : scope), inError);
        return;
      }
      case 'lambda': {
        const lambda = make('lambda', cursor.currentNode, scope);
        children((field) => (field === 'body' ? lambda : scope), inError);
        return;
      }
      case 'generator_expression':
      case 'list_comprehension':
      case 'set_comprehension':
      case 'dictionary_comprehension':
        visitComprehension(scope, COMPREHENSIONS[type], inError);
        return;
      case 'await':
        if (!inError) scope.awaits.push(cursor.currentNode);
        break;
      case 'with_statement':
      case 'for_statement':
        if (!inError) {
          const node = cursor.currentNode;
          if (startsWithAsync(node)) scope.asyncStatements.push(node);
        }
        break;
      case 'for_in_clause':
        if (!inError) {
          const node = cursor.currentNode;
          if (startsWithAsync(node)) scope.asyncClauses.push(node);
        }
        break;
      case 'yield':
        if (!inError) scope.yields.push(cursor.currentNode);
        break;
      case 'return_statement':
        if (!inError) scope.returns.push(cursor.currentNode);
        break;
      case 'call':
        if (!inError) scope.calls.push(cursor.currentNode);
        break;
    }
    children(() => scope, inError);
  }

  /** The first `for ... in ITERABLE` is evaluated by the enclosing scope; the rest by the comprehension. */
  function visitComprehension(scope: Scope, kind: ComprehensionKind, inError: boolean): void {
    const comp = make('comprehension', cursor.currentNode, scope);
    comp.comprehension = kind;
    let first = true;
    if (!cursor.gotoFirstChild()) return;
    do {
      if (first && cursor.nodeType === 'for_in_clause') {
        first = false;
        const clause = cursor.currentNode;
        if (!inError && startsWithAsync(clause)) comp.asyncClauses.push(clause);
        children((field) => (field === 'right' ? scope : comp), inError);
      } else {
        visit(comp, inError);
      }
    } while (cursor.gotoNextSibling());
    cursor.gotoParent();
  }

  visit(module, false);
  cursor.delete();
  // visit() on the root recorded the module's contents into `module` itself.
  return { module, all };
}

/** The innermost function-like scope (function or lambda) enclosing `scope`, or undefined at module/class level. */
export function enclosingFunction(scope: Scope): Scope | undefined {
  for (let s: Scope | undefined = scope; s; s = s.parent) {
    if (s.kind === 'function' || s.kind === 'lambda') return s;
    if (s.kind === 'class' || s.kind === 'module') return undefined;
  }
  return undefined;
}
