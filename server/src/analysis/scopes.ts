// The scope model: which code runs in which frame. CPython decides where `await` is legal by the frame
// the expression is evaluated in, not by the text it sits in, so the tricky parts are the places where
// the two differ: parameter defaults and annotations, decorators, class bases and the first iterable of
// a comprehension are evaluated by the *enclosing* scope; lambda bodies and class bodies are frames of
// their own (never async); comprehensions are frames too (generator expressions may always hold await).
import { forgetFrame } from './locals';
import type { SyntaxCursor, SyntaxNode, SyntaxTree } from './parser';

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
  /** Every scope, parents before children (without the contents of deferred units). */
  all: Scope[];
  /** The shell scopes of deferred units, by the unit's index among the module's children. */
  deferred?: Map<number, Scope>;
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
 *
 * `defer(index)` (the language server's incremental analysis) leaves the body of the top-level
 * definition at that index of the module unwalked: its scope is a shell whose contents are walked on
 * first use, and neither it nor the scopes inside it are listed in `all`. Everything the module frame
 * evaluates (decorators, defaults, bases) is still walked, so the module scope is always complete.
 */
export function buildScopes(tree: SyntaxTree, defer?: (index: number) => boolean | ShellSpec): ScopeModel {
  const root = tree.rootNode;
  const module = newScope('module', root, undefined);
  const all: Scope[] = [module];
  const deferred = new Map<number, Scope>();
  new ScopeWalker(root.walk(), all, defer, deferred).module(module);
  return defer ? { module, all, deferred } : { module, all };
}

/** Adds the module's top-level statements one at a time, in document order (see buildModuleScopes). */
export interface TopLevelScopes {
  /**
   * A unit known from an earlier version whose header records nothing: its shell, without visiting it.
   * `last` is its shell in the last version, reused (emptied) when it is one: no allocation per unit.
   */
  shell(spec: ShellSpec, last?: Scope): Scope;
  /**
   * A unit: its header walked into the module frame, its body deferred. Returns its shell (undefined
   * when the node holds no definition, e.g. inside an error) and whether the header recorded nothing.
   */
  unit(node: SyntaxNode): { shell: Scope | undefined; inert: boolean };
  /** Module-level code, walked in full. */
  code(node: SyntaxNode): void;
}

/**
 * buildScopes with every unit deferred, for a caller that lists the top-level statements itself (the
 * server's per-unit reuse keeps that list across versions, so unchanged units are never visited).
 * `add` must give every top-level statement but comments, in document order.
 */
export function buildModuleScopes(root: SyntaxNode, add: (scopes: TopLevelScopes) => void): ScopeModel {
  const module = newScope('module', root, undefined);
  const all: Scope[] = [module];
  const shells = new Map<number, Scope>();
  add({
    shell(spec, last) {
      if (last instanceof DeferredScope) {
        last.renew(module, spec.node);
        return last;
      }
      const shell = new DeferredScope(spec.kind, spec.node, module);
      shell.name = spec.name;
      shell.isAsync = spec.isAsync;
      shell.inert = true;
      return shell;
    },
    unit(node) {
      const walker = new ScopeWalker(node.walk(), all, () => true, shells);
      const before = recorded(module) + all.length;
      walker.topLevelStatement(module, 0);
      const shell = shells.get(0);
      shells.delete(0);
      const inert = shell instanceof DeferredScope && recorded(module) + all.length === before + 1;
      if (shell instanceof DeferredScope) shell.inert = inert;
      return { shell, inert };
    },
    code(node) {
      new ScopeWalker(node.walk(), all).topLevelStatement(module, -1);
    },
  });
  return { module, all };
}

/**
 * Walks a unit whose body buildScopes deferred, filling its shell scope in place. Returns the scopes
 * created (the shell first), parents before children; empty when it was walked already.
 */
export function walkDeferred(scope: Scope): Scope[] {
  return scope instanceof DeferredScope ? scope.walk() : [];
}

/** Top-level statements whose bodies can be deferred: the units the server reuses results of. */
export const UNIT_TYPES = new Set(['function_definition', 'class_definition', 'decorated_definition']);

/**
 * A deferred unit the caller already knows (same text as in a version walked before, whose header
 * records nothing): its shell is made without visiting the unit at all.
 */
export interface ShellSpec {
  kind: 'function' | 'class';
  name?: string;
  isAsync: boolean;
  /** The function_definition / class_definition node, fetched only when something needs it. */
  node(): SyntaxNode;
}

type Lists = Pick<Scope, 'children' | 'awaits' | 'asyncStatements' | 'asyncClauses' | 'yields' | 'returns' | 'calls'>;

/** A scope whose body is walked on first use of any of its lists. */
class DeferredScope implements Scope {
  isAsync = false;
  name?: string;
  /** Walking its header recorded nothing in the enclosing scope (see ShellSpec). */
  inert = false;
  private lists?: Lists;
  private body?: SyntaxNode | null;
  private bodyInError = false;
  private definition?: SyntaxNode;

  /** Its module scope; undefined only once released (no version uses it any more). */
  parent: Scope | undefined;

  constructor(readonly kind: ScopeKind, node: SyntaxNode | (() => SyntaxNode), parent: Scope) {
    if (typeof node === 'function') this.fetch = node; else this.definition = node;
    this.parent = parent;
    parent.children.push(this);
  }

  private fetch?: () => SyntaxNode;

  /**
   * The same unit in a new version (same text, header records nothing): empties what was read of the
   * last version's tree and joins the new module scope. Caches keyed by the scope go too (locals.ts).
   */
  release(): void {
    this.forgetTree();
    this.fetch = undefined;
    this.parent = undefined;
  }

  renew(parent: Scope, fetch: () => SyntaxNode): void {
    if (this.lists || this.definition) this.forgetTree();
    this.fetch = fetch;
    this.parent = parent;
    parent.children.push(this);
  }

  /** Forgets what was read of a version's tree, and the caches keyed by this scope (locals.ts). */
  private forgetTree(): void {
    forgetFrame(this);
    this.lists = undefined;
    this.definition = undefined;
    this.body = undefined;
    this.bodyInError = false;
  }

  get node(): SyntaxNode {
    return (this.definition ??= this.fetch!());
  }

  defer(body: SyntaxNode, inError: boolean): void {
    this.body = body;
    this.bodyInError = inError;
  }

  /** Walks the body now (once); returns the scopes created, this one first. */
  walk(): Scope[] {
    if (this.lists) return [];
    this.lists = { children: [], awaits: [], asyncStatements: [], asyncClauses: [], yields: [], returns: [], calls: [] };
    const created: Scope[] = [this];
    if (this.body === undefined) this.body = this.node.childForFieldName('body');
    if (this.body) {
      const walker = new ScopeWalker(this.body.walk(), created);
      walker.visit(this, this.bodyInError);
      walker.done();
    }
    return created;
  }

  private filled(): Lists {
    if (!this.lists) this.walk();
    return this.lists!;
  }

  get children(): Scope[] { return this.filled().children; }
  get awaits(): SyntaxNode[] { return this.filled().awaits; }
  get asyncStatements(): SyntaxNode[] { return this.filled().asyncStatements; }
  get asyncClauses(): SyntaxNode[] { return this.filled().asyncClauses; }
  get yields(): SyntaxNode[] { return this.filled().yields; }
  get returns(): SyntaxNode[] { return this.filled().returns; }
  get calls(): SyntaxNode[] { return this.filled().calls; }
}

/**
 * Header text (decorators, parameters, return annotation, bases) that cannot hold anything the walk
 * records — no call, subscript or literal brackets, lambda, await, yield or nested definition — so a
 * deferred unit's header need not be walked node by node.
 */
const HEADER_MAY_RECORD = /[(\[{]|lambda|await|yield|\bdef\b|\bclass\b/;

/** How many things a scope has recorded (to tell whether a walk added any). */
function recorded(scope: Scope): number {
  return scope.children.length + scope.awaits.length + scope.asyncStatements.length + scope.asyncClauses.length
    + scope.yields.length + scope.returns.length + scope.calls.length;
}

/** A unit's shell that no version will use again: drops its links to the last version (see UnitState.drop). */
export function releaseShell(scope: Scope): void {
  if (scope instanceof DeferredScope) scope.release();
}

/** Whether a deferred unit's shell can be rebuilt from a ShellSpec next time. */
export function isInertShell(scope: Scope): boolean {
  return scope instanceof DeferredScope && scope.inert;
}

/** The cursor walk behind buildScopes and walkDeferred; new scopes are appended to `all`. */
class ScopeWalker {
  /** Index among the module's children of the top-level statement being walked, when deferring. */
  private topLevel = -1;

  constructor(private readonly cursor: SyntaxCursor, private readonly all: Scope[], private readonly defer?: (index: number) => boolean | ShellSpec, private readonly shells?: Map<number, Scope>) {}

  done(): void {
    this.cursor.delete();
  }

  /** visit() on the root, recording the module's contents into `module` itself. */
  module(module: Scope): void {
    const cursor = this.cursor;
    if (cursor.gotoFirstChild()) {
      let index = 0;
      do {
        const defer = this.defer && UNIT_TYPES.has(cursor.nodeType) ? this.defer(index) : false;
        if (typeof defer === 'object') {
          const shell = new DeferredScope(defer.kind, defer.node, module);
          shell.name = defer.name;
          shell.isAsync = defer.isAsync;
          shell.inert = true;
          this.shells?.set(index, shell);
        } else if (defer) {
          this.topLevel = index;
          const before = recorded(module) + this.all.length;
          this.visit(module, false);
          const shell = this.shells?.get(index);
          // Only the shell itself was added: a later version with the same text can skip the unit.
          if (shell instanceof DeferredScope) shell.inert = recorded(module) + this.all.length === before + 1;
        } else {
          this.topLevel = -1;
          this.visit(module, false);
        }
        index++;
      } while (cursor.gotoNextSibling());
      cursor.gotoParent();
    }
    this.done();
  }

  /** visit() on the statement the cursor starts at, as the module walk would at child `index` (-1: not deferred). */
  topLevelStatement(module: Scope, index: number): void {
    this.topLevel = index;
    this.visit(module, false);
    this.done();
  }

  private make(kind: ScopeKind, node: SyntaxNode, parent: Scope): Scope {
    const s = newScope(kind, node, parent);
    this.all.push(s);
    return s;
  }

  /** Visits the children of the cursor's node; `pick` chooses each child's scope from its field name. */
  private children(pick: (field: string | null) => Scope, inError: boolean): void {
    const cursor = this.cursor;
    if (!cursor.gotoFirstChild()) return;
    do this.visit(pick(cursor.currentFieldName), inError);
    while (cursor.gotoNextSibling());
    cursor.gotoParent();
  }

  /** A def or class: its body in `inner`, the rest in `outer`. */
  private definition(inner: Scope, outer: Scope, inError: boolean): void {
    this.children((field) => (field === 'body' ? inner : outer), inError);
  }

  /** Whether the def or class under the cursor is a unit whose body is deferred. */
  private deferring(scope: Scope): boolean {
    return this.topLevel >= 0 && scope.kind === 'module';
  }

  /** A deferred unit: a shell scope (not listed in `all`); the module frame's parts are walked now. */
  private deferredDefinition(kind: ScopeKind, node: SyntaxNode, outer: Scope, inError: boolean): DeferredScope {
    const shell = new DeferredScope(kind, node, outer);
    this.shells?.set(this.topLevel, shell);
    this.topLevel = -1;
    const cursor = this.cursor;
    if (!cursor.gotoFirstChild()) return shell;
    do {
      const field = cursor.currentFieldName;
      if (field === 'body') { shell.defer(cursor.currentNode, inError); continue; }
      if (field === 'parameters' || field === 'return_type' || field === 'superclasses' || field === 'type_parameters') {
        const text = cursor.currentNode.text;
        // The parameter list's own parentheses are not a call.
        if (!HEADER_MAY_RECORD.test(field === 'parameters' ? text.slice(1, -1) : text)) continue;
      }
      this.visit(outer, inError);
    } while (cursor.gotoNextSibling());
    cursor.gotoParent();
    return shell;
  }

  visit(scope: Scope, inError: boolean): void {
    const cursor = this.cursor;
    const type = cursor.nodeType;
    if (!cursor.nodeIsNamed) return;
    switch (type) {
      case 'ERROR':
        this.children(() => scope, true);
        return;
      case 'function_definition': {
        const node = cursor.currentNode;
        if (this.deferring(scope)) {
          const shell = this.deferredDefinition('function', node, scope, inError);
          shell.isAsync = startsWithAsync(node);
          shell.name = node.childForFieldName('name')?.text;
          return;
        }
        const fn = this.make('function', node, scope);
        fn.isAsync = startsWithAsync(node);
        fn.name = node.childForFieldName('name')?.text;
        this.definition(fn, scope, inError);
        return;
      }
      case 'class_definition': {
        const node = cursor.currentNode;
        if (this.deferring(scope)) {
          this.deferredDefinition('class', node, scope, inError).name = node.childForFieldName('name')?.text;
          return;
        }
        const cls = this.make('class', node, scope);
        cls.name = node.childForFieldName('name')?.text;
        this.definition(cls, scope, inError);
        return;
      }
      case 'lambda': {
        const lambda = this.make('lambda', cursor.currentNode, scope);
        this.children((field) => (field === 'body' ? lambda : scope), inError);
        return;
      }
      case 'generator_expression':
      case 'list_comprehension':
      case 'set_comprehension':
      case 'dictionary_comprehension':
        this.comprehension(scope, COMPREHENSIONS[type], inError);
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
    this.children(() => scope, inError);
  }

  /** The first `for ... in ITERABLE` is evaluated by the enclosing scope; the rest by the comprehension. */
  private comprehension(scope: Scope, kind: ComprehensionKind, inError: boolean): void {
    const cursor = this.cursor;
    const comp = this.make('comprehension', cursor.currentNode, scope);
    comp.comprehension = kind;
    let first = true;
    if (!cursor.gotoFirstChild()) return;
    do {
      if (first && cursor.nodeType === 'for_in_clause') {
        first = false;
        const clause = cursor.currentNode;
        if (!inError && startsWithAsync(clause)) comp.asyncClauses.push(clause);
        this.children((field) => (field === 'right' ? scope : comp), inError);
      } else {
        this.visit(comp, inError);
      }
    } while (cursor.gotoNextSibling());
    cursor.gotoParent();
  }
}

/** The innermost function-like scope (function or lambda) enclosing `scope`, or undefined at module/class level. */
export function enclosingFunction(scope: Scope): Scope | undefined {
  for (let s: Scope | undefined = scope; s; s = s.parent) {
    if (s.kind === 'function' || s.kind === 'lambda') return s;
    if (s.kind === 'class' || s.kind === 'module') return undefined;
  }
  return undefined;
}
