// Awaits that can never complete: what an await (or a TaskGroup's exit) waits for, followed through
// asyncio.gather / wait / wait_for / shield / create_task and through local names, down to a coroutine
// whose body never returns, a Future nobody else can resolve, an Event nobody else can set, or
// asyncio.sleep(math.inf). The coroutine may be defined in another module of the workspace: the
// project's verdict on it (crossEndings.ts) then names the loop responsible in that file.
import { siteOf } from './flow';
import type { FunctionIndex } from './functions';
import { calleeName, qualifiedName, type ImportMap } from './imports';
import type { SyntaxNode } from './parser';
import { localBinding } from './locals';
import type { Scope } from './scopes';
import type { ExternalEnding, Site } from './types';

/** Why an awaited expression never completes. */
export interface Hang {
  /** What is responsible: the loop that never exits, the Future nobody resolves… (maybe in another file). */
  site: Site;
  /** A sentence: "`consumer()` never returns: `while True` never exits". */
  reason: string;
}

const TASK_FACTORIES = new Set(['asyncio.create_task', 'asyncio.ensure_future', 'asyncio.tasks.create_task', 'asyncio.tasks.ensure_future']);
const INFINITY = new Set(['math.inf', 'numpy.inf', 'float("inf")', "float('inf')", 'float("infinity")', "float('infinity')"]);

function unwrap(node: SyntaxNode): SyntaxNode {
  while (node.type === 'parenthesized_expression' && node.namedChild(0)) node = node.namedChild(0)!;
  return node;
}

function positional(call: SyntaxNode): SyntaxNode[] {
  const args = call.childForFieldName('arguments');
  return (args?.namedChildren ?? []).filter((a): a is SyntaxNode => !!a && a.type !== 'keyword_argument' && a.type !== 'comment');
}

function keyword(call: SyntaxNode, name: string): SyntaxNode | undefined {
  const args = call.childForFieldName('arguments');
  for (const a of args?.namedChildren ?? []) {
    if (a?.type === 'keyword_argument' && a.childForFieldName('name')?.text === name) return a.childForFieldName('value') ?? undefined;
  }
  return undefined;
}

export class HangFinder {
  /**
   * `external`: how a call to a function imported from another workspace module ends (undefined when
   * it may return, or the callee is not one).
   */
  constructor(private readonly functions: FunctionIndex, private readonly imports: ImportMap,
    private readonly external?: (call: SyntaxNode, scope: Scope) => ExternalEnding | undefined) {}

  /** Why `await expr` (evaluated in `scope`) never completes, or undefined. */
  awaited(expr: SyntaxNode, scope: Scope, depth = 0): Hang | undefined {
    if (depth > 8) return undefined;
    expr = unwrap(expr);
    if (expr.type === 'identifier') return this.name(expr, scope, depth, true);
    if (expr.type !== 'call') return undefined;
    const name = calleeName(expr, this.imports) ?? '';
    const fnNode = expr.childForFieldName('function');

    if (name === 'asyncio.gather') return this.any(this.spread(positional(expr), scope), scope, depth);
    if (name === 'asyncio.wait') {
      const timeout = keyword(expr, 'timeout');
      const when = keyword(expr, 'return_when');
      if ((timeout && timeout.type !== 'none') || (when && !/ALL_COMPLETED$/.test(when.text))) return undefined;
      const [aws] = positional(expr);
      return aws ? this.any(this.elements(aws, scope), scope, depth) : undefined;
    }
    if (name === 'asyncio.wait_for') {
      const [aw, t] = positional(expr);
      const timeout = t ?? keyword(expr, 'timeout');
      if (!aw || !timeout || timeout.type !== 'none') return undefined;
      return this.awaited(aw, scope, depth + 1);
    }
    if (name === 'asyncio.shield' || TASK_FACTORIES.has(name)) {
      const [aw] = positional(expr);
      return aw ? this.awaited(aw, scope, depth + 1) : undefined;
    }
    if (name === 'asyncio.sleep') {
      const [delay] = positional(expr);
      const d = delay && (qualifiedName(delay, this.imports) ?? delay.text.replace(/\s/g, '').toLowerCase());
      if (d && INFINITY.has(d)) return { site: siteOf(delay!), reason: `\`${expr.text}\` sleeps forever` };
      return undefined;
    }
    if (this.isFreshFuture(expr)) return { site: siteOf(expr), reason: `nobody else can resolve the new Future from \`${expr.text}\`` };
    // `<event>.wait()` on an Event nobody else can set.
    if (fnNode?.type === 'attribute' && fnNode.childForFieldName('attribute')?.text === 'wait') {
      const target = unwrap(fnNode.childForFieldName('object')!);
      if (target.type === 'call' && this.isEvent(target)) return { site: siteOf(target), reason: `nobody can set the new Event from \`${target.text}\`` };
      if (target.type === 'identifier') {
        const value = this.soleValue(target, scope, true);
        if (value && value.type === 'call' && this.isEvent(value)) return { site: siteOf(value), reason: `nobody else sets the Event \`${target.text}\`` };
      }
      return undefined;
    }
    // `tg.create_task(x)` / `loop.create_task(x)` / `loop.run_in_executor`… only the task factories.
    if (fnNode?.type === 'attribute' && fnNode.childForFieldName('attribute')?.text === 'create_task') {
      const [aw] = positional(expr);
      return aw ? this.awaited(aw, scope, depth + 1) : undefined;
    }
    const fn = this.functions.resolveCall(expr, scope);
    if (fn) {
      if (!fn.isAsync) return undefined;
      const ending = this.functions.ending(fn);
      return ending.kind === 'hangs' ? { site: ending.site, reason: `\`${fn.name}()\` never returns: ${ending.reason}` } : undefined;
    }
    const ext = this.external?.(expr, scope);
    if (ext?.kind === 'hangs' && ext.isAsync) return { site: ext.site, reason: `\`${ext.name}()\` (${ext.module}) never returns: ${ext.reason}` };
    return undefined;
  }

  private any(items: SyntaxNode[], scope: Scope, depth: number): Hang | undefined {
    for (const item of items) {
      const h = this.awaited(item, scope, depth + 1);
      if (h) return h;
    }
    return undefined;
  }

  /** Arguments with `*name` / `*[...]` expanded to the elements they stand for. */
  private spread(args: SyntaxNode[], scope: Scope): SyntaxNode[] {
    return args.flatMap((a) => (a.type === 'list_splat' && a.namedChild(0) ? this.elements(a.namedChild(0)!, scope) : [a]));
  }

  /** Elements of a list/tuple/set literal, directly or through a local name assigned once. */
  private elements(node: SyntaxNode, scope: Scope): SyntaxNode[] {
    node = unwrap(node);
    if (node.type === 'identifier') {
      const value = this.soleValue(node, scope, false);
      return value ? this.elements(value, scope) : [];
    }
    if (node.type === 'list' || node.type === 'tuple' || node.type === 'set') {
      return node.namedChildren.filter((c): c is SyntaxNode => !!c && c.type !== 'comment');
    }
    return [];
  }

  private name(id: SyntaxNode, scope: Scope, depth: number, awaitedDirectly: boolean): Hang | undefined {
    const value = this.soleValue(id, scope, false);
    if (!value) return undefined;
    if (value.type === 'call' && this.isFreshFuture(value)) {
      // Only if the name is used nowhere else: any other use might hand the Future to a resolver.
      return awaitedDirectly && this.soleValue(id, scope, true) ? { site: siteOf(value), reason: `nobody else resolves the Future \`${id.text}\`` } : undefined;
    }
    return this.awaited(value, scope, depth + 1);
  }

  /** The value of a local name assigned exactly once in its frame (see soleValue). */
  localValue(id: SyntaxNode, scope: Scope): SyntaxNode | undefined {
    return this.soleValue(id, scope, false);
  }

  private isFreshFuture(call: SyntaxNode): boolean {
    const name = calleeName(call, this.imports) ?? '';
    if (name === 'asyncio.Future' || name === 'asyncio.futures.Future') return positional(call).length === 0;
    const fn = call.childForFieldName('function');
    return fn?.type === 'attribute' && fn.childForFieldName('attribute')?.text === 'create_future' && positional(call).length === 0;
  }

  private isEvent(call: SyntaxNode): boolean {
    const name = calleeName(call, this.imports);
    return name === 'asyncio.Event' || name === 'asyncio.locks.Event';
  }

  /**
   * The value a local name was assigned, when it is assigned exactly once in the frame (plain
   * `name = value`). With `exclusive`, also require that the name appears only there and in the one
   * use being examined (nothing else can reach the object).
   */
  private soleValue(id: SyntaxNode, scope: Scope, exclusive: boolean): SyntaxNode | undefined {
    const binding = localBinding(id.text, scope);
    if (!binding.value) return undefined;
    if (exclusive && binding.occurrences !== 2) return undefined;
    return binding.value;
  }
}
