// CORO102: `return VALUE` in an async generator (an `async def` containing `yield`). CPython rejects it
// at compile time ("'return' with value in async generator"), even when the yield is unreachable.
import { rangeOf, type RuleContext } from '../context';
import type { RuleMeta } from '../types';
import type { Rule } from './rule';

export const meta: RuleMeta = {
  code: 'CORO102',
  name: 'return-value-in-async-generator',
  severity: 'error',
  summary: '`return` with a value inside an async generator (a SyntaxError); async generators can only `return`.',
  equivalents: [],
};

function check(ctx: RuleContext): void {
  for (const scope of ctx.scopes.all) {
    if (scope.kind !== 'function' || !scope.isAsync || scope.yields.length === 0) continue;
    for (const ret of scope.returns) {
      if (ret.namedChildCount === 0) continue;
      ctx.report({
        code: meta.code, severity: meta.severity, range: rangeOf(ret),
        message: `'return' with value in async generator \`${scope.name ?? '?'}\` (it contains \`yield\`): use a bare \`return\`, or yield the value`,
      });
    }
  }
}

export const rule: Rule = { meta, check };
