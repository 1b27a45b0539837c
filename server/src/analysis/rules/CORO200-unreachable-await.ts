// CORO200: an await / async for / async with that can never run — after return/raise/break/continue,
// after a loop that never exits, after calls that never return (sys.exit, NoReturn functions, project
// functions that always raise), after an await that never completes (CORO201), in constantly false
// branches, after `assert False`. The whole unreachable range is also reported as a hint with the
// Unnecessary tag, so editors grey it out.
import { rangeOf, spanOf, type RuleContext } from '../context';
import { clip } from '../facts';
import type { UnreachableRegion } from '../flow';
import type { SyntaxNode } from '../parser';
import type { Fix, RelatedLocation, RuleMeta } from '../types';
import type { Rule } from './rule';

export const meta: RuleMeta = {
  code: 'CORO200',
  name: 'unreachable-await',
  severity: 'warning',
  summary: 'An `await`, `async for` or `async with` that can never run (after return/raise, an endless loop, a call that never returns, a constantly false branch).',
  equivalents: ['W0101', 'reportUnreachable', 'unreachable (mypy)'],
};

/** Deleting a trailing region is safe when it occupies whole lines. */
function removeFix(ctx: RuleContext, region: UnreachableRegion): Fix[] | undefined {
  if (!region.trailing) return undefined;
  const lines = ctx.text.split('\n');
  const start = region.first.startPosition;
  const end = region.last.endPosition;
  if (lines[start.row]?.slice(0, start.column).trim() !== '') return undefined;
  if (lines[end.row]?.slice(end.column).trim().replace(/^#.*/, '') !== '') return undefined;
  const endPos = end.row + 1 < lines.length ? { line: end.row + 1, character: 0 } : { line: end.row, character: lines[end.row].length };
  return [{ title: 'Remove unreachable code', edits: [{ range: { start: { line: start.row, character: 0 }, end: endPos }, newText: '' }] }];
}

function asyncOperationsIn(ctx: RuleContext, region: UnreachableRegion): SyntaxNode[] {
  const from = region.first.startIndex;
  const to = region.last.endIndex;
  const found: SyntaxNode[] = [];
  for (const scope of ctx.scopes.all) {
    for (const node of [...scope.awaits, ...scope.asyncStatements]) {
      if (node.startIndex >= from && node.endIndex <= to) found.push(node);
    }
  }
  return found.sort((a, b) => a.startIndex - b.startIndex);
}

function check(ctx: RuleContext): void {
  for (const region of ctx.facts.unreachableRegions(ctx.scopes.all)) {
    const operations = asyncOperationsIn(ctx, region);
    if (!operations.length) continue;
    const related: RelatedLocation[] = [{ range: rangeOf(region.cause.node), message: `control never gets past this: ${region.cause.reason}` }];
    if (region.cause.origin) related.push({ ...region.cause.origin.site, message: region.cause.origin.reason });
    const fixes = removeFix(ctx, region);
    ctx.report({
      code: meta.code, severity: 'hint', range: spanOf(region.first, region.last), tags: ['unnecessary'],
      message: `Unreachable code ${region.cause.reason}`, related, fixes,
    });
    for (const op of operations) {
      const what = op.type === 'await' ? `\`${clip(op.text)}\`` : `\`async ${op.type === 'with_statement' ? 'with' : 'for'}\``;
      const range = op.type === 'await' ? rangeOf(op) : spanOf(op.child(0)!, op.child(1) ?? op.child(0)!);
      ctx.report({ code: meta.code, severity: meta.severity, range, message: `Unreachable: ${what} can never run, ${region.cause.reason}`, related, fixes });
    }
  }
}

export const rule: Rule = { meta, check };
