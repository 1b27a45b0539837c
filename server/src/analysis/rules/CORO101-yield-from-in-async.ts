// CORO101: `yield from` directly inside an `async def` — CPython rejects it at compile time
// ("'yield from' inside async function"). Nested lambdas and plain defs are their own frames.
import { rangeOf, type RuleContext } from '../context';
import type { RuleMeta } from '../types';
import type { Rule } from './rule';

export const meta: RuleMeta = {
  code: 'CORO101',
  name: 'yield-from-in-async',
  severity: 'error',
  summary: '`yield from` inside an `async def` (a SyntaxError); iterate with `async for` or `for` … `yield` instead.',
  equivalents: [],
};

/** True for `yield from X` (tree-sitter gives both forms the node type `yield`). */
export function isYieldFrom(node: { child(i: number): { type: string } | null }): boolean {
  return node.child(1)?.type === 'from';
}

function check(ctx: RuleContext): void {
  for (const scope of ctx.scopes.all) {
    if (scope.kind !== 'function' || !scope.isAsync) continue;
    for (const y of scope.yields) {
      if (!isYieldFrom(y)) continue;
      ctx.report({
        code: meta.code, severity: meta.severity, range: rangeOf(y),
        message: `'yield from' inside async function \`${scope.name ?? '?'}\`: use \`async for x in ...: yield x\` (or \`for\`)`,
      });
    }
  }
}

export const rule: Rule = { meta, check };
