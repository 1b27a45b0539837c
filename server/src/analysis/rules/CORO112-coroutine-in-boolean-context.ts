// CORO112: a coroutine call used as a condition. A coroutine object is always truthy, so the branch
// is always taken, and the coroutine never runs.
import { rangeOf, type RuleContext } from '../context';
import { coroutineCallee } from '../coroutines';
import { clip } from '../facts';
import type { SyntaxNode } from '../parser';
import type { RuleMeta } from '../types';
import type { Rule } from './rule';

export const meta: RuleMeta = {
  code: 'CORO112',
  name: 'coroutine-in-boolean-context',
  severity: 'warning',
  summary: 'A coroutine call used as a condition (`if fetch():`); a coroutine object is always true and never runs.',
  equivalents: [],
};

/** Whether `node` is evaluated for its truth value by its parent. */
function inBooleanContext(node: SyntaxNode): boolean {
  const parent = node.parent;
  if (!parent) return false;
  switch (parent.type) {
    case 'if_statement': case 'elif_clause': case 'while_statement':
      return parent.childForFieldName('condition')?.id === node.id;
    case 'not_operator': case 'boolean_operator': return true;
    case 'assert_statement': return parent.namedChild(0)?.id === node.id;
    case 'conditional_expression': return parent.namedChild(1)?.id === node.id;
    case 'if_clause': return true;
    case 'parenthesized_expression': return inBooleanContext(parent);
    default: return false;
  }
}

function check(ctx: RuleContext): void {
  for (const scope of ctx.scopes.all) {
    for (const call of scope.calls) {
      if (!inBooleanContext(call)) continue;
      const callee = coroutineCallee(call, scope, ctx.facts);
      if (!callee) continue;
      const canAwait = scope.kind === 'function' && scope.isAsync;
      const at = rangeOf(call);
      ctx.report({
        code: meta.code, severity: meta.severity, range: at,
        message: `\`${clip(call.text)}\` is a coroutine object, which is always true: the condition never depends on \`${callee.name}\`, which never runs${canAwait ? '; add `await`' : ''}`,
        fixes: canAwait ? [{ title: 'Add `await`', preferred: true, edits: [{ range: { start: at.start, end: at.end }, newText: `(await ${call.text})` }] }] : undefined,
      });
    }
  }
}

export const rule: Rule = { meta, check };
