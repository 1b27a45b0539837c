// CORO400: a handler that catches cancellation around an await and does not re-raise it. Cancelling a
// task throws CancelledError at its current await; swallowing it makes the task ignore cancel(),
// breaks asyncio.timeout()/wait_for() and TaskGroup shutdown, and can hang the program at exit.
import { rangeOf, spanOf, type RuleContext } from '../context';
import { calleeName, qualifiedName } from '../imports';
import type { SyntaxNode } from '../parser';
import type { Scope } from '../scopes';
import type { Fix, RuleMeta } from '../types';
import type { Rule } from './rule';

export const meta: RuleMeta = {
  code: 'CORO400',
  name: 'swallowed-cancellation',
  severity: 'warning',
  summary: '`except asyncio.CancelledError`, `except BaseException` or a bare `except:` around an await that does not re-raise.',
  equivalents: ['ASYNC103', 'ASYNC104'],
};

const CANCELLED = new Set(['asyncio.CancelledError', 'asyncio.exceptions.CancelledError', 'concurrent.futures.CancelledError', 'BaseException', 'builtins.BaseException']);

/** The exception types an except clause names (empty for a bare `except:`). */
function caughtTypes(clause: SyntaxNode): SyntaxNode[] | undefined {
  let value = clause.childForFieldName('value') ?? clause.namedChildren.find((c) => c && c.type !== 'block' && c.type !== 'comment') ?? null;
  if (!value) return [];
  if (value.type === 'as_pattern') value = value.namedChild(0);
  if (!value) return undefined;
  if (value.type === 'tuple' || value.type === 'parenthesized_expression') return value.namedChildren.filter((c): c is SyntaxNode => !!c);
  return [value];
}

function catchesCancellation(ctx: RuleContext, clause: SyntaxNode): string | undefined {
  const types = caughtTypes(clause);
  if (!types) return undefined;
  if (!types.length) return 'a bare `except:`';
  for (const t of types) {
    const name = qualifiedName(t, ctx.facts.imports);
    if (name && (CANCELLED.has(name) || name === 'CancelledError')) return `\`except ${t.text}\``;
  }
  return undefined;
}

/** The name an except clause binds the exception to (`except E as exc`). */
function boundName(clause: SyntaxNode): string | undefined {
  const value = clause.namedChildren.find((c) => c?.type === 'as_pattern');
  return value?.childForFieldName('alias')?.namedChild(0)?.text;
}

/**
 * Whether the handler propagates the cancellation: a `raise` (bare, or a new exception) in its own
 * frame, an explicit cancel()/uncancel(), or handing the exception object to someone who will
 * raise it (`fut.set_exception(exc)`, `errors[i] = exc`, `self._error = exc`).
 */
function reraises(block: SyntaxNode, ctx: RuleContext, exc: string | undefined): boolean {
  for (const r of block.descendantsOfType(['raise_statement', 'call', 'assignment'])) {
    if (!r || nestedFrame(r, block)) continue;
    if (r.type === 'raise_statement') return true;
    if (r.type === 'call') {
      const name = calleeName(r, ctx.facts.imports) ?? '';
      // sys.exc_info()/sys.exception() capture the exception to re-raise later (contextlib's pattern).
      if (/(^|\.)(uncancel|cancel)$/.test(name) || ['sys.exit', 'sys.exc_info', 'sys.exception'].includes(name)) return true;
      if (exc && /(^|\.)set_exception$/.test(name) && r.childForFieldName('arguments')?.namedChild(0)?.text === exc) return true;
    } else if (exc && r.childForFieldName('right')?.text === exc && ['subscript', 'attribute'].includes(r.childForFieldName('left')?.type ?? '')) {
      return true;
    }
  }
  return false;
}

function nestedFrame(node: SyntaxNode, stop: SyntaxNode): boolean {
  for (let p = node.parent; p && p.id !== stop.id; p = p.parent) {
    if (p.type === 'function_definition' || p.type === 'lambda' || p.type === 'class_definition') return true;
  }
  return false;
}

function awaitsIn(scope: Scope, body: SyntaxNode): boolean {
  const inside = (n: SyntaxNode) => n.startIndex >= body.startIndex && n.endIndex <= body.endIndex;
  const visit = (s: Scope): boolean =>
    s.awaits.some(inside) || s.asyncStatements.some(inside) || s.children.some((c) => c.kind === 'comprehension' && visit(c));
  return visit(scope);
}

/** Appends a bare `raise` to the handler, at the handler's indentation. Not preferred: cleanup order may matter. */
function reraiseFix(block: SyntaxNode): Fix[] | undefined {
  const last = block.lastNamedChild;
  if (!last) return undefined;
  const indent = ' '.repeat(block.startPosition.column);
  const at = { line: last.endPosition.row, character: last.endPosition.column };
  return [{ title: 'Re-raise the cancellation', edits: [{ range: { start: at, end: at }, newText: `\n${indent}raise` }] }];
}

function check(ctx: RuleContext): void {
  for (const scope of ctx.scopes.all) {
    if (scope.kind !== 'function' || !scope.isAsync) continue;
    const body = scope.node.childForFieldName('body');
    for (const tryStatement of body?.descendantsOfType('try_statement') ?? []) {
      if (!tryStatement || nestedFrame(tryStatement, scope.node)) continue;
      const tryBody = tryStatement.childForFieldName('body');
      if (!tryBody || !awaitsIn(scope, tryBody)) continue;
      for (const clause of tryStatement.namedChildren) {
        if (!clause || clause.type !== 'except_clause') continue;
        const what = catchesCancellation(ctx, clause);
        if (!what) continue;
        const block = clause.namedChildren.find((c) => c?.type === 'block');
        if (!block || reraises(block, ctx, boundName(clause))) continue;
        const header = clause.child(0)!;
        ctx.report({
          code: meta.code, severity: meta.severity, range: spanOf(header, clause.namedChildren.find((c) => c?.type !== 'block') ?? header),
          message: `${what} around an await swallows task cancellation: re-raise it (\`raise\`) after cleaning up, or catch \`Exception\` instead`,
          related: [{ range: rangeOf(tryBody), message: 'cancellation is delivered at the awaits in this block' }],
          fixes: reraiseFix(block),
        });
      }
    }
  }
}

export const rule: Rule = { meta, check };
