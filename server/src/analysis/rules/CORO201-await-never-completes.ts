// CORO201: an await that can never complete — it waits (directly, through gather/wait/wait_for/shield,
// a task, or a TaskGroup) for a coroutine whose body never returns, a Future nobody else can resolve,
// an Event nobody else can set, or asyncio.sleep(math.inf). The coroutine may come from another
// module of the workspace; related information then points into that file. Code after it is
// unreachable (CORO200).
import { rangeOf, spanOf, type RuleContext } from '../context';
import { clip } from '../facts';
import type { RuleMeta } from '../types';
import type { Rule } from './rule';

export const meta: RuleMeta = {
  code: 'CORO201',
  name: 'await-never-completes',
  severity: 'warning',
  summary: 'An `await` that can never complete: it waits for a coroutine that never returns (e.g. a `while True` consumer in `gather`), an unresolvable Future or an Event nobody sets.',
  equivalents: [],
};

function check(ctx: RuleContext): void {
  const facts = ctx.facts;
  for (const scope of ctx.scopes.all) {
    for (const node of scope.awaits) {
      const awaited = node.namedChild(0);
      if (!awaited) continue;
      const hang = facts.hangs.awaited(awaited, scope);
      if (!hang) continue;
      ctx.report({
        code: meta.code, severity: meta.severity, range: rangeOf(node),
        message: `\`${clip(node.text)}\` never completes: ${hang.reason}`,
        related: [{ ...hang.site, message: 'never finishes here' }],
      });
    }
    for (const statement of scope.asyncStatements) {
      const exit = facts.taskGroupHang(statement, scope);
      if (!exit) continue;
      ctx.report({
        code: meta.code, severity: meta.severity, range: spanOf(statement.child(0)!, statement.child(1) ?? statement.child(0)!),
        message: `This TaskGroup never exits: it waits for a task that never completes (${exit.origin?.reason ?? 'a task never returns'})`,
        related: exit.origin ? [{ ...exit.origin.site, message: 'never finishes here' }] : undefined,
      });
    }
  }
}

export const rule: Rule = { meta, check };
