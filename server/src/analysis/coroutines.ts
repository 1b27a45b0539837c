// Which calls create a coroutine: calls of same-file `async def`s (including methods through self/cls,
// base classes and super()), of the standard library's coroutine functions (table generated from
// typeshed by scripts/gen-stdlib-async.mjs), and of coroutine methods on asyncio objects held in
// local names (`q = asyncio.Queue()` … `q.get()`).
import stdlib from './data/stdlib-async.json';
import type { ModuleFacts } from './facts';
import { calleeName } from './imports';
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
}

function stdlibMethod(className: string, method: string, depth = 0): boolean {
  const cls = STDLIB_CLASSES.get(className);
  if (!cls || depth > 5) return false;
  if (cls.methods.includes(method)) return true;
  const module = className.slice(0, className.lastIndexOf('.'));
  return cls.bases.some((b) => stdlibMethod(b.includes('.') ? b : `${module}.${b}`, method, depth + 1));
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
  // A coroutine method of an asyncio object bound to a local name.
  const callee = call.childForFieldName('function');
  if (callee?.type === 'attribute') {
    const object = callee.childForFieldName('object');
    const method = callee.childForFieldName('attribute')?.text;
    if (object?.type === 'identifier' && method) {
      const value = facts.hangs.localValue(object, scope);
      const cls = value?.type === 'call' ? calleeName(value, facts.imports) : undefined;
      if (cls && stdlibMethod(cls, method)) return { name: `${cls}.${method}` };
    }
  }
  return undefined;
}
