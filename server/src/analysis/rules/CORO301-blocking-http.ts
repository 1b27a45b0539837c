// CORO301: Blocking HTTP call (requests, urllib.request, http.client, httpx sync API) inside an `async def`. Shared logic in ../blocking.ts.
import { checkBlocking } from '../blocking';
import type { RuleContext } from '../context';
import type { RuleMeta } from '../types';
import type { Rule } from './rule';

export const meta: RuleMeta = {
  code: 'CORO301',
  name: 'blocking-http',
  severity: 'warning',
  summary: 'Blocking HTTP call (requests, urllib.request, http.client, httpx sync API) inside an `async def`.',
  equivalents: ['ASYNC210', 'ASYNC212'],
};

export const rule: Rule = { meta, check: (ctx: RuleContext) => checkBlocking(ctx, 'http', meta) };
