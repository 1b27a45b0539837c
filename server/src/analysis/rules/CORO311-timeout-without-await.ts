// CORO311: `async with asyncio.timeout(...)` around code that never awaits. Timeouts work by
// cancelling the task at an await; a block without one runs to the end however long it takes.
import { rangeOf, spanOf, type RuleContext } from '../context';
import { calleeName } from '../imports';
import type { SyntaxNode } from '../parser';
import type { Scope } from '../scopes';
import type { RuleMeta } from '../types';
import type { Rule } from './rule';

export const meta: RuleMeta = {
  code: 'CORO311',
  name: 'timeout-without-await',
  severity: 'warning',
  summary: '`async with asyncio.timeout(...)` around a block with no `await`: the timeout can never interrupt it.',
  equivalents: ['ASYNC100'],
};

const TIMEOUTS = new Set(['asyncio.timeout', 'asyncio.timeout_at', 'asyncio.timeouts.timeout', 'asyncio.timeouts.timeout_at', 'async_timeout.timeout']);

function suspendsWithin(scope: Scope, block: SyntaxNode): boolean {
  const inside = (n: SyntaxNode) => n.startIndex >= block.startIndex && n.endIndex <= block.endIndex;
  const visit = (s: Scope): boolean => s.awaits.some(inside) || s.asyncStatements.some(inside) || s.asyncClauses.some(inside)
    || s.children.some((c) => c.kind === 'comprehension' && visit(c));
  return visit(scope);
}

function check(ctx: RuleContext): void {
  for (const scope of ctx.scopes.all) {
    for (const statement of scope.asyncStatements) {
      if (statement.type !== 'with_statement') continue;
      const items = statement.namedChildren.find((c) => c?.type === 'with_clause')?.namedChildren ?? [];
      const timeout = items.map((i) => i?.childForFieldName('value')).map((v) => (v?.type === 'as_pattern' ? v.namedChild(0) : v))
        .find((v) => v?.type === 'call' && TIMEOUTS.has(calleeName(v, ctx.facts.imports) ?? ''));
      if (!timeout) continue;
      const body = statement.childForFieldName('body');
      if (!body || suspendsWithin(scope, body)) continue;
      ctx.report({
        code: meta.code, severity: meta.severity, range: spanOf(statement.child(0)!, timeout),
        message: `\`${timeout.text}\` can never fire: the block has no \`await\`, and a timeout interrupts a task only at an await`,
        related: [{ range: rangeOf(body), message: 'no suspend point in this block' }],
      });
    }
  }
}

export const rule: Rule = { meta, check };
