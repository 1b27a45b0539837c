// CORO110: a coroutine function is called and the coroutine object is thrown away — the body never
// runs (Python only warns "coroutine ... was never awaited" when it is garbage-collected).
import { rangeOf, type RuleContext } from '../context';
import { coroutineCallee } from '../coroutines';
import { clip } from '../facts';
import type { Fix, RuleMeta } from '../types';
import type { Rule } from './rule';

export const meta: RuleMeta = {
  code: 'CORO110',
  name: 'coroutine-not-awaited',
  severity: 'error',
  summary: 'A coroutine function is called but the coroutine is discarded, so its body never runs; add `await`.',
  equivalents: ['reportUnusedCoroutine'],
};

function check(ctx: RuleContext): void {
  for (const scope of ctx.scopes.all) {
    for (const call of scope.calls) {
      if (call.parent?.type !== 'expression_statement') continue;
      const callee = coroutineCallee(call, scope, ctx.facts);
      if (!callee) continue;
      const canAwait = scope.kind === 'function' && scope.isAsync;
      const at = rangeOf(call).start;
      const fixes: Fix[] | undefined = canAwait
        ? [{ title: 'Add `await`', edits: [{ range: { start: at, end: at }, newText: 'await ' }], preferred: true }]
        : undefined;
      ctx.report({
        code: meta.code, severity: meta.severity, range: rangeOf(call),
        message: `\`${clip(call.text)}\` creates a coroutine that is never awaited, so \`${callee.name}\`${callee.external ? ` (from ${callee.external.module}, line ${callee.external.line + 1})` : ''} never runs${canAwait ? ': add `await`' : ''}`,
        related: callee.definition ? [{ range: rangeOf(callee.definition.childForFieldName('name') ?? callee.definition), message: `\`${callee.name}\` is a coroutine function` }] : undefined,
        fixes,
      });
    }
  }
}

export const rule: Rule = { meta, check };
