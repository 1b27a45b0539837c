// CORO130: starting an event loop from inside a running coroutine. asyncio.run() raises
// "asyncio.run() cannot be called from a running event loop"; run_until_complete / run_forever raise
// "This event loop is already running" (or block the running loop on another one).
import { rangeOf, type RuleContext } from '../context';
import { calleeName } from '../imports';
import type { RuleMeta } from '../types';
import type { Rule } from './rule';

export const meta: RuleMeta = {
  code: 'CORO130',
  name: 'loop-started-in-coroutine',
  severity: 'error',
  summary: '`asyncio.run`, `run_until_complete` or `run_forever` called inside an `async def`, where a loop is already running.',
  equivalents: [],
};

const RUNNERS = new Set(['asyncio.run', 'asyncio.runners.run']);
const LOOP_METHODS = new Set(['run_until_complete', 'run_forever']);

function check(ctx: RuleContext): void {
  for (const scope of ctx.scopes.all) {
    // The coroutine's own frame and its comprehensions; nested plain defs may run elsewhere.
    let frame = scope;
    while (frame.kind === 'comprehension' && frame.parent) frame = frame.parent;
    if (frame.kind !== 'function' || !frame.isAsync) continue;
    for (const call of scope.calls) {
      const name = calleeName(call, ctx.facts.imports);
      const fn = call.childForFieldName('function');
      const method = fn?.type === 'attribute' ? fn.childForFieldName('attribute')?.text : undefined;
      let what: string | undefined;
      if (name && RUNNERS.has(name)) what = '`asyncio.run()` cannot be called from a running event loop: `await` the coroutine instead';
      else if (method && LOOP_METHODS.has(method)) what = `\`${method}()\` inside a coroutine: the event loop is already running; \`await\` the coroutine (or create a task) instead`;
      if (!what) continue;
      ctx.report({ code: meta.code, severity: meta.severity, range: rangeOf(call), message: what });
    }
  }
}

export const rule: Rule = { meta, check };
