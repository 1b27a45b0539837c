// Which calls create a coroutine: calls of same-file `async def`s (including methods through self/cls,
// base classes and super()), of the standard library's coroutine functions (table generated from
// typeshed by scripts/gen-stdlib-async.mjs), and of coroutine methods on asyncio objects held in
// local names (`q = asyncio.Queue()` … `q.get()`).
import stdlib from './data/stdlib-async.json';
import type { ModuleFacts } from './facts';
import { calleeName, dottedText } from './imports';
import { absolutize } from './project';
import type { SyntaxNode } from './parser';
import type { Scope } from './scopes';

const STDLIB_COROUTINES = new Set<string>(stdlib.coroutineFunctions);
// A Map, not the JSON object: a user name like `constructor` must not find Object.prototype's.
const STDLIB_CLASSES = new Map(Object.entries(stdlib.classes as Record<string, { methods: string[]; bases: string[] }>));

/** Decorators that leave an `async def` a coroutine function when applied. */
const KEEPS_ASYNC = new Set(['staticmethod', 'classmethod', 'override', 'typing.override', 'typing_extensions.override', 'abstractmethod', 'abc.abstractmethod']);

/** What a coroutine-creating call calls. */
export interface CoroutineCallee {
  /** The name as the user would say it: `fetch`, `Client.get`, `asyncio.sleep`. */
  name: string;
  /** The `async def`, when it is in this file. */
  definition?: SyntaxNode;
  /** Where it is defined, when in another workspace module. */
  external?: { file?: string; line: number; module: string };
}

/** A qualified name (possibly relative) looked up among the workspace's modules, from code in `scope`. */
function workspaceCoroutine(name: string, facts: ModuleFacts, scope: Scope): CoroutineCallee | undefined {
  const project = facts.project;
  if (!project) return undefined;
  const absolute = absolutize(name, project.module, project.isPackage);
  facts.projectUse?.(scope, absolute);
  const found = absolute && project.resolver.coroutine(absolute);
  return found ? { name: found.name, external: { file: found.file, line: found.line, module: found.module } } : undefined;
}

function stdlibMethod(className: string, method: string, depth = 0): boolean {
  const cls = STDLIB_CLASSES.get(className);
  if (!cls || depth > 5) return false;
  if (cls.methods.includes(method)) return true;
  const module = className.slice(0, className.lastIndexOf('.'));
  return cls.bases.some((b) => stdlibMethod(b.includes('.') ? b : `${module}.${b}`, method, depth + 1));
}

/** The callee as written (`c.fetch`), before import resolution. */
function callee0(call: SyntaxNode): string | undefined {
  const fn = call.childForFieldName('function');
  return fn ? dottedText(fn) : undefined;
}

/** If `call` (evaluated in `scope`) creates a coroutine object, what it calls. */
export function coroutineCallee(call: SyntaxNode, scope: Scope, facts: ModuleFacts): CoroutineCallee | undefined {
  const fn = facts.functions.resolveCall(call, scope);
  if (fn) {
    if (!fn.isAsync || fn.isGenerator) return undefined;
    if (fn.decorators.some((d) => !KEEPS_ASYNC.has(d))) return undefined;
    const owner = fn.owner?.name;
    return { name: owner ? `${owner}.${fn.name}` : fn.name, definition: fn.scope.node };
  }
  const name = calleeName(call, facts.imports);
  if (name && STDLIB_COROUTINES.has(name)) return { name };
  // Imported from another module of the workspace (only names that came through an import).
  const written = callee0(call);
  if (name && written && facts.imports.has(written.split('.')[0])) {
    const external = workspaceCoroutine(name, facts, scope);
    if (external) return external;
  }
  // A coroutine method of an asyncio object bound to a local name.
  const callee = call.childForFieldName('function');
  if (callee?.type === 'attribute') {
    const object = callee.childForFieldName('object');
    const method = callee.childForFieldName('attribute')?.text;
    if (object?.type === 'identifier' && method) {
      const value = facts.hangs.localValue(object, scope);
      const cls = value?.type === 'call' ? calleeName(value, facts.imports) : undefined;
      if (cls && stdlibMethod(cls, method)) return { name: `${cls}.${method}` };
      // An instance of a workspace class: `client = Client()` … `client.fetch()`.
      const clsWritten = value?.type === 'call' ? callee0(value) : undefined;
      if (cls && clsWritten && facts.imports.has(clsWritten.split('.')[0])) {
        const external = workspaceCoroutine(`${cls}.${method}`, facts, scope);
        if (external) return external;
      }
    }
  }
  return undefined;
}
