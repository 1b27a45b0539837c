// CORO300: `time.sleep()` inside an `async def` blocks the event loop; use `await asyncio.sleep()`. Shared logic in ../blocking.ts.
import { checkBlocking } from '../blocking';
import type { RuleContext } from '../context';
import type { RuleMeta } from '../types';
import type { Rule } from './rule';

export const meta: RuleMeta = {
  code: 'CORO300',
  name: 'blocking-sleep',
  severity: 'warning',
  summary: '`time.sleep()` inside an `async def` blocks the event loop; use `await asyncio.sleep()`.',
  equivalents: ['ASYNC251'],
};

export const rule: Rule = { meta, check: (ctx: RuleContext) => checkBlocking(ctx, 'sleep', meta) };
