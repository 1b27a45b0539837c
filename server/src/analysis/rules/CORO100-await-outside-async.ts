// CORO100: await / async for / async with / async comprehension where CPython's compiler rejects them.
// The logic mirrors CPython's compiler (Python/compile.c, compiler_visit_expr's Await_kind and
// compiler_comprehension) and is checked against compile() on every installed Python by
// server/test/differential.test.ts.
import { atLeast, rangeOf, spanOf, type RuleContext } from '../context';
import type { SyntaxNode } from '../parser';
import type { Scope } from '../scopes';
import type { Fix, RuleMeta } from '../types';
import type { Rule } from './rule';

export const meta: RuleMeta = {
  code: 'CORO100',
  name: 'await-outside-async',
  severity: 'error',
  summary: '`await`, `async for`, `async with` or an async comprehension outside an `async def` (a SyntaxError).',
  equivalents: ['PLE1142', 'F704', 'E1142'],
};

/** Why the frame is not async, in the user's words. */
function where(scope: Scope): string {
  switch (scope.kind) {
    case 'module': return 'at module level';
    case 'class': return `in the body of class \`${scope.name ?? '?'}\` (class bodies are never async)`;
    case 'lambda': return 'in a lambda (lambdas are never async)';
    case 'function': return `in \`def ${scope.name ?? '?'}\`, which is not \`async def\``;
    case 'comprehension': return 'in a comprehension';
  }
}

/** The quick fix when the frame is a plain `def`: turn it into `async def`. */
function makeAsyncFix(scope: Scope): Fix[] | undefined {
  if (scope.kind !== 'function' || scope.isAsync) return undefined;
  const at = rangeOf(scope.node).start;
  // Not preferred: every caller of the function must now await it.
  return [{ title: `Make \`${scope.name ?? 'function'}\` async`, edits: [{ range: { start: at, end: at }, newText: 'async ' }] }];
}

/** Whether `await` / `async with` / `async for` may appear directly in this frame. */
function allowsAwait(scope: Scope, ctx: RuleContext): boolean {
  switch (scope.kind) {
    case 'function': return scope.isAsync;
    // A comprehension frame accepts await; whether the comprehension itself may be async is checked separately.
    case 'comprehension': return true;
    case 'module': return ctx.allowTopLevelAwait;
    default: return false;
  }
}

/**
 * Whether a list/set/dict comprehension compiles to an async one: it awaits or has an `async for` clause
 * itself, or (3.11+) holds an async list/set/dict comprehension directly in its own frame — CPython then
 * makes the outer one async too.
 */
function isAsyncComprehension(scope: Scope, ctx: RuleContext, memo: Map<Scope, boolean>): boolean {
  const known = memo.get(scope);
  if (known !== undefined) return known;
  let result = scope.awaits.length > 0 || scope.asyncClauses.length > 0;
  if (!result && atLeast(ctx.pythonVersion, 3, 11)) {
    result = scope.children.some((c) => c.kind === 'comprehension' && c.comprehension !== 'generator' && isAsyncComprehension(c, ctx, memo));
  }
  memo.set(scope, result);
  return result;
}

/**
 * Where an async list/set/dict comprehension may live: directly in an async def; from 3.11 in any
 * comprehension; before 3.11 only in a comprehension that is itself async by its own await or
 * `async for` (CPython checked the enclosing frame's coroutine flag, which nested comprehensions did
 * not set).
 */
function allowsAsyncComprehension(parent: Scope | undefined, ctx: RuleContext): boolean {
  if (!parent) return false;
  if (parent.kind === 'function') return parent.isAsync;
  if (parent.kind === 'comprehension') {
    return atLeast(ctx.pythonVersion, 3, 11) || parent.awaits.length > 0 || parent.asyncClauses.length > 0;
  }
  if (parent.kind === 'module') return ctx.allowTopLevelAwait;
  return false;
}

/** `async with` / `async for` keywords, so the diagnostic does not cover the whole block. */
function keywordRange(statement: SyntaxNode) {
  const kw = statement.child(1) ?? statement.child(0)!;
  return spanOf(statement.child(0)!, kw);
}

function check(ctx: RuleContext): void {
  const memo = new Map<Scope, boolean>();
  for (const scope of ctx.scopes.all) {
    if (!allowsAwait(scope, ctx)) {
      const outsideFunction = scope.kind === 'module' || scope.kind === 'class';
      for (const node of scope.awaits) {
        ctx.report({
          code: meta.code, severity: meta.severity, range: rangeOf(node),
          message: `'await' outside ${outsideFunction ? '' : 'async '}function: ${where(scope)}`,
          fixes: makeAsyncFix(scope),
        });
      }
      for (const node of scope.asyncStatements) {
        const kind = node.type === 'with_statement' ? 'async with' : 'async for';
        ctx.report({
          code: meta.code, severity: meta.severity, range: keywordRange(node),
          message: `'${kind}' outside async function: ${where(scope)}`,
          fixes: makeAsyncFix(scope),
        });
      }
    }
    if (scope.kind === 'comprehension' && scope.comprehension !== 'generator'
        && isAsyncComprehension(scope, ctx, memo) && !allowsAsyncComprehension(scope.parent, ctx)) {
      const parent = scope.parent!;
      const nested = parent.kind === 'comprehension'
        ? 'nested in a comprehension that is not async itself (allowed only from Python 3.11)'
        : where(parent);
      ctx.report({
        code: meta.code, severity: meta.severity, range: rangeOf(scope.node),
        message: `asynchronous comprehension outside of an asynchronous function: ${nested}`,
        fixes: makeAsyncFix(parent),
      });
    }
  }
}

export const rule: Rule = { meta, check };
