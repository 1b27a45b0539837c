// CORO302: Blocking process call (subprocess.run/call/check_*, Popen.wait/communicate, os.system, os.wait*) inside an `async def`. Shared logic in ../blocking.ts.
import { checkBlocking } from '../blocking';
import type { RuleContext } from '../context';
import type { RuleMeta } from '../types';
import type { Rule } from './rule';

export const meta: RuleMeta = {
  code: 'CORO302',
  name: 'blocking-process',
  severity: 'warning',
  summary: 'Blocking process call (subprocess.run/call/check_*, Popen.wait/communicate, os.system, os.wait*) inside an `async def`.',
  equivalents: ['ASYNC220', 'ASYNC221', 'ASYNC222'],
};

export const rule: Rule = { meta, check: (ctx: RuleContext) => checkBlocking(ctx, 'process', meta) };
