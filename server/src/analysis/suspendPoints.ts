// Where a coroutine can suspend: its awaits, `async for` / `async with` statements and async comprehension
// clauses. Shared by hover ("suspend point k of n") and the "N suspend points" CodeLens, so both count alike.
import { rangeOf } from './context';
import { parse, type SyntaxNode } from './parser';
import { buildScopes, type Scope } from './scopes';
import type { Range } from './types';

/** One place where a coroutine can suspend. */
export interface SuspendPoint {
  kind: 'await' | 'async for' | 'async with';
  /** The `await` expression, or the `async for` / `async with` keywords. */
  range: Range;
}

/** An `async def` and the suspend points of its own body (not of nested functions), in source order. */
export interface AsyncFunctionSuspendPoints {
  name: string;
  /** From `async` to the end of the function's name: where an editor puts a lens. */
  range: Range;
  suspendPoints: SuspendPoint[];
}

/**
 * Suspend points of a function frame: its awaits, async for/with and the async clauses of the list, set
 * and dict comprehensions it runs inline (a generator expression is a frame of its own), in source order.
 */
export function suspendPointNodes(frame: Scope): SyntaxNode[] {
  const points: SyntaxNode[] = [];
  const visit = (s: Scope) => {
    points.push(...s.awaits, ...s.asyncStatements, ...s.asyncClauses);
    for (const c of s.children) if (c.kind === 'comprehension' && c.comprehension !== 'generator') visit(c);
  };
  visit(frame);
  return points.sort((a, b) => a.startIndex - b.startIndex);
}

/** The frame a scope's code runs in: inline comprehensions run in their enclosing scope's frame. */
export function frameOf(scope: Scope): Scope {
  let s = scope;
  while (s.kind === 'comprehension' && s.comprehension !== 'generator' && s.parent) s = s.parent;
  return s;
}

/** Every `async def` of a module (methods and nested functions included) with its suspend points. */
export function asyncFunctionSuspendPoints(text: string): AsyncFunctionSuspendPoints[] {
  const tree = parse(text);
  try {
    return buildScopes(tree).all
      .filter((s) => s.kind === 'function' && s.isAsync)
      .map((fn) => {
        const name = fn.node.childForFieldName('name');
        return {
          name: fn.name ?? name?.text ?? '?',
          range: { start: rangeOf(fn.node).start, end: rangeOf(name ?? fn.node).end },
          suspendPoints: suspendPointNodes(fn).map(toSuspendPoint),
        };
      })
      .sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
  } finally {
    tree.delete();
  }
}

function toSuspendPoint(node: SyntaxNode): SuspendPoint {
  if (node.type === 'await') return { kind: 'await', range: rangeOf(node) };
  // `async for` in a statement or a comprehension clause, `async with`: the two keywords mark the spot.
  const keyword = node.child(1);
  const kind = node.type === 'with_statement' ? 'async with' : 'async for';
  return { kind, range: { start: rangeOf(node).start, end: rangeOf(keyword ?? node).end } };
}
