// CORO305: Blocking threading/queue primitive (Lock.acquire, Event.wait, queue.Queue.get/put…) inside an `async def`. Shared logic in ../blocking.ts.
import { checkBlocking } from '../blocking';
import type { RuleContext } from '../context';
import type { RuleMeta } from '../types';
import type { Rule } from './rule';

export const meta: RuleMeta = {
  code: 'CORO305',
  name: 'blocking-sync-primitive',
  severity: 'warning',
  summary: 'Blocking threading/queue primitive (Lock.acquire, Event.wait, queue.Queue.get/put…) inside an `async def`.',
  equivalents: [],
};

export const rule: Rule = { meta, check: (ctx: RuleContext) => checkBlocking(ctx, 'sync-primitive', meta) };
