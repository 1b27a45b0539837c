// CORO401: an `async def` that never awaits. It makes every caller await for nothing and hides that
// the function never yields to the event loop. Not reported where being async is required: overrides
// (methods of subclasses), decorated functions (frameworks register coroutines), protocol dunders,
// stubs, and async generators.
import { rangeOf, type RuleContext } from '../context';
import type { Scope } from '../scopes';
import type { RuleMeta } from '../types';
import type { Rule } from './rule';

export const meta: RuleMeta = {
  code: 'CORO401',
  name: 'async-without-await',
  severity: 'hint',
  summary: '`async def` with no `await`, `async for` or `async with`; make it a plain `def` unless an API requires a coroutine.',
  equivalents: ['RUF029'],
};

function suspends(scope: Scope): boolean {
  if (scope.awaits.length || scope.asyncStatements.length || scope.asyncClauses.length) return true;
  return scope.children.some((c) => c.kind === 'comprehension' && suspends(c));
}

/** Body is only a docstring, `pass`, `...` or `raise NotImplementedError`. */
function isStub(scope: Scope): boolean {
  const body = scope.node.childForFieldName('body');
  const statements = body?.namedChildren.filter((s) => s && s.type !== 'comment') ?? [];
  return statements.every((s) => {
    if (!s) return true;
    if (s.type === 'pass_statement') return true;
    if (s.type === 'expression_statement' && ['string', 'ellipsis'].includes(s.namedChild(0)?.type ?? '')) return true;
    return s.type === 'raise_statement' && /NotImplementedError/.test(s.text);
  });
}

function check(ctx: RuleContext): void {
  for (const scope of ctx.scopes.all) {
    if (scope.kind !== 'function' || !scope.isAsync || scope.yields.length) continue;
    if (suspends(scope) || isStub(scope)) continue;
    if (scope.node.parent?.type === 'decorated_definition') continue;
    if (scope.name?.startsWith('__') && scope.name.endsWith('__')) continue;
    // A method of a class with bases may override an async method.
    const owner = scope.parent?.kind === 'class' ? scope.parent : undefined;
    if (owner && (owner.node.childForFieldName('superclasses')?.namedChildCount ?? 0) > 0) continue;
    const name = scope.node.childForFieldName('name') ?? scope.node;
    ctx.report({
      code: meta.code, severity: meta.severity, range: rangeOf(name),
      message: `\`async def ${scope.name}\` never awaits: it never yields to the event loop; make it a plain \`def\` unless a caller requires a coroutine`,
    });
  }
}

export const rule: Rule = { meta, check };
