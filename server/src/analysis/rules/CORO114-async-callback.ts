// CORO114: a coroutine function passed where a plain callback is expected. The API calls it, gets a
// coroutine object, and drops it: the body never runs ("coroutine ... was never awaited").
import { rangeOf, type RuleContext } from '../context';
import { calleeName } from '../imports';
import type { SyntaxNode } from '../parser';
import type { RuleMeta } from '../types';
import type { Rule } from './rule';

export const meta: RuleMeta = {
  code: 'CORO114',
  name: 'async-function-as-callback',
  severity: 'warning',
  summary: 'An `async def` passed where a plain callback is expected (`call_soon`, `call_later`, `add_done_callback`, `add_signal_handler`, `Thread(target=...)`, `run_in_executor`).',
  equivalents: [],
};

/** Callback-taking methods (any receiver) and the position of the callback argument. */
const METHODS = new Map<string, number>([
  ['call_soon', 0], ['call_soon_threadsafe', 0], ['call_later', 1], ['call_at', 1], ['add_done_callback', 0],
  ['add_signal_handler', 1], ['run_in_executor', 1], ['add_reader', 1], ['add_writer', 1],
]);
/** Callback-taking functions by qualified name: positional index, or keyword. */
const FUNCTIONS = new Map<string, number | string>([
  ['threading.Thread', 'target'], ['threading.Timer', 1], ['asyncio.to_thread', 0], ['signal.signal', 1], ['atexit.register', 0],
]);

function argument(call: SyntaxNode, where: number | string): SyntaxNode | undefined {
  const args = call.childForFieldName('arguments')?.namedChildren.filter((a): a is SyntaxNode => !!a && a.type !== 'comment') ?? [];
  if (typeof where === 'string') return args.find((a) => a.type === 'keyword_argument' && a.childForFieldName('name')?.text === where)?.childForFieldName('value') ?? undefined;
  return args.filter((a) => a.type !== 'keyword_argument' && a.type !== 'list_splat' && a.type !== 'dictionary_splat')[where];
}

function check(ctx: RuleContext): void {
  for (const scope of ctx.scopes.all) {
    for (const call of scope.calls) {
      const fn = call.childForFieldName('function');
      const method = fn?.type === 'attribute' ? fn.childForFieldName('attribute')?.text : undefined;
      const where = (method !== undefined ? METHODS.get(method) : undefined) ?? FUNCTIONS.get(calleeName(call, ctx.facts.imports) ?? '');
      if (where === undefined) continue;
      const arg = argument(call, where);
      if (!arg || (arg.type !== 'identifier' && arg.type !== 'attribute')) continue;
      const target = ctx.facts.functions.resolveReference(arg, scope);
      if (!target?.isAsync || target.isGenerator) continue;
      const api = method ?? calleeName(call, ctx.facts.imports);
      ctx.report({
        code: meta.code, severity: meta.severity, range: rangeOf(arg),
        message: `\`${target.name}\` is a coroutine function: \`${api}\` calls it as a plain callback, so it only creates a coroutine that never runs; wrap it (\`lambda: asyncio.create_task(${target.name}())\`, \`asyncio.run_coroutine_threadsafe\`) or make it a plain function`,
      });
    }
  }
}

export const rule: Rule = { meta, check };
