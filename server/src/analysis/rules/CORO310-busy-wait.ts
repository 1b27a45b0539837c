// CORO310: a polling loop that only sleeps until a condition changes. It wakes up for nothing,
// reacts late by up to the sleep interval, and hides who is supposed to signal; an asyncio.Event,
// Condition or Future says it directly.
import { rangeOf, type RuleContext } from '../context';
import { calleeName } from '../imports';
import type { SyntaxNode } from '../parser';
import type { RuleMeta } from '../types';
import type { Rule } from './rule';

export const meta: RuleMeta = {
  code: 'CORO310',
  name: 'busy-wait',
  severity: 'info',
  summary: 'A loop that only sleeps until a condition changes (`while not ready: await asyncio.sleep(0.1)`); wait on an `asyncio.Event` or `Condition` instead.',
  equivalents: ['ASYNC110'],
};

function isSleep(ctx: RuleContext, statement: SyntaxNode): boolean {
  const expr = statement.type === 'expression_statement' ? statement.namedChild(0) : null;
  const call = expr?.type === 'await' ? expr.namedChild(0) : null;
  return call?.type === 'call' && calleeName(call, ctx.facts.imports) === 'asyncio.sleep';
}

/** `if cond: break` (the other shape of a polling loop). */
function isExitCheck(statement: SyntaxNode): boolean {
  if (statement.type !== 'if_statement' || statement.childForFieldName('alternative')) return false;
  const body = statement.childForFieldName('consequence')?.namedChildren.filter((s) => s && s.type !== 'comment') ?? [];
  return body.length === 1 && ['break_statement', 'return_statement'].includes(body[0]!.type);
}

function check(ctx: RuleContext): void {
  for (const scope of ctx.scopes.all) {
    if (scope.kind !== 'function' || !scope.isAsync) continue;
    for (const loop of scope.node.childForFieldName('body')?.descendantsOfType('while_statement') ?? []) {
      if (!loop || loop.childForFieldName('alternative')) continue;
      const body = loop.childForFieldName('body')?.namedChildren.filter((s): s is SyntaxNode => !!s && s.type !== 'comment' && s.type !== 'pass_statement') ?? [];
      const sleeps = body.filter((s) => isSleep(ctx, s));
      const checks = body.filter(isExitCheck);
      if (!sleeps.length || sleeps.length + checks.length !== body.length) continue;
      const condition = loop.childForFieldName('condition');
      const endless = condition?.type === 'true';
      // `while True: await asyncio.sleep(…)` without an exit is a periodic ticker, not a poll.
      if (endless && !checks.length) continue;
      ctx.report({
        code: meta.code, severity: meta.severity, range: rangeOf(loop.child(0)!),
        message: 'Busy-wait: this loop only sleeps until a condition changes; have the code that changes it set an `asyncio.Event` (or notify a `Condition`) and `await event.wait()`',
      });
    }
  }
}

export const rule: Rule = { meta, check };
