// CORO111: a coroutine object is stored in a local name that is never used again — not awaited,
// returned, passed or stored — so the coroutine never runs.
import { rangeOf, type RuleContext } from '../context';
import { coroutineCallee } from '../coroutines';
import { clip } from '../facts';
import { localBinding } from '../locals';
import type { RuleMeta } from '../types';
import type { Rule } from './rule';

export const meta: RuleMeta = {
  code: 'CORO111',
  name: 'coroutine-stored-never-awaited',
  severity: 'warning',
  summary: 'A coroutine stored in a local name that is never awaited, returned, passed or stored elsewhere.',
  equivalents: ['F841 (partly)'],
};

function check(ctx: RuleContext): void {
  for (const scope of ctx.scopes.all) {
    // Module and class attributes may be used from elsewhere.
    if (scope.kind !== 'function') continue;
    for (const call of scope.calls) {
      const assignment = call.parent;
      if (assignment?.type !== 'assignment' || assignment.childForFieldName('right')?.id !== call.id) continue;
      const target = assignment.childForFieldName('left');
      if (target?.type !== 'identifier') continue;
      const callee = coroutineCallee(call, scope, ctx.facts);
      if (!callee) continue;
      const binding = localBinding(target.text, scope);
      if (binding.bindings !== 1 || binding.occurrences !== 1) continue;
      ctx.report({
        code: meta.code, severity: meta.severity, range: rangeOf(target),
        message: `\`${target.text}\` holds the coroutine \`${clip(call.text)}\` but is never awaited or used, so \`${callee.name}\` never runs`,
      });
    }
  }
}

export const rule: Rule = { meta, check };
