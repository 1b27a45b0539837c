// CORO303: Blocking file I/O (`open`, pathlib read/write) inside an `async def`. Shared logic in ../blocking.ts.
import { checkBlocking } from '../blocking';
import type { RuleContext } from '../context';
import type { RuleMeta } from '../types';
import type { Rule } from './rule';

export const meta: RuleMeta = {
  code: 'CORO303',
  name: 'blocking-file-io',
  severity: 'warning',
  summary: 'Blocking file I/O (`open`, pathlib read/write) inside an `async def`.',
  equivalents: ['ASYNC230'],
};

export const rule: Rule = { meta, check: (ctx: RuleContext) => checkBlocking(ctx, 'file', meta) };
