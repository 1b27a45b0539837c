// CORO304: `input()` inside an `async def` blocks the event loop until the user types. Shared logic in ../blocking.ts.
import { checkBlocking } from '../blocking';
import type { RuleContext } from '../context';
import type { RuleMeta } from '../types';
import type { Rule } from './rule';

export const meta: RuleMeta = {
  code: 'CORO304',
  name: 'blocking-input',
  severity: 'warning',
  summary: '`input()` inside an `async def` blocks the event loop until the user types.',
  equivalents: ['ASYNC250'],
};

export const rule: Rule = { meta, check: (ctx: RuleContext) => checkBlocking(ctx, 'input', meta) };
