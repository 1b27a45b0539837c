// CORO113: `await` on something that can never be awaitable: a literal, None, a comprehension, or the
// result of a known synchronous function (time.sleep, print, len, requests.get…). At run time:
// TypeError: object X can't be used in 'await' expression.
import { rangeOf, type RuleContext } from '../context';
import { clip } from '../facts';
import { calleeName } from '../imports';
import type { SyntaxNode } from '../parser';
import type { RuleMeta } from '../types';
import type { Rule } from './rule';

export const meta: RuleMeta = {
  code: 'CORO113',
  name: 'await-not-awaitable',
  severity: 'error',
  summary: '`await` on something never awaitable: a literal, `None`, or the result of a known synchronous function such as `time.sleep()`.',
  equivalents: [],
};

const LITERALS = new Set(['integer', 'float', 'string', 'concatenated_string', 'true', 'false', 'none', 'list', 'dictionary', 'set', 'tuple',
  'list_comprehension', 'dictionary_comprehension', 'set_comprehension', 'lambda', 'comparison_operator', 'not_operator']);

/** Functions that return a plain value, never an awaitable. */
const SYNC_FUNCTIONS = new Set([
  'time.sleep', 'time.time', 'time.monotonic', 'print', 'len', 'str', 'int', 'float', 'bool', 'repr', 'sorted', 'list', 'dict', 'set', 'tuple',
  'input', 'open', 'isinstance', 'range', 'sum', 'min', 'max', 'abs', 'round', 'format', 'id', 'hash', 'json.dumps', 'json.loads',
  'os.system', 'subprocess.run', 'subprocess.check_output', 'subprocess.call', 'requests.get', 'requests.post', 'requests.put',
  'requests.delete', 'requests.patch', 'requests.head', 'requests.request', 'asyncio.run', 'asyncio.get_event_loop', 'asyncio.get_running_loop',
]);

function unwrap(node: SyntaxNode): SyntaxNode {
  while (node.type === 'parenthesized_expression' && node.namedChildCount === 1) node = node.namedChild(0)!;
  return node;
}

function check(ctx: RuleContext): void {
  for (const scope of ctx.scopes.all) {
    for (const node of scope.awaits) {
      const raw = node.namedChild(0);
      if (!raw) continue;
      const awaited = unwrap(raw);
      let why: string | undefined;
      if (LITERALS.has(awaited.type)) why = `\`${clip(awaited.text, 30)}\` is a ${awaited.type === 'none' ? 'None' : 'plain value'}, not awaitable`;
      else if (awaited.type === 'call') {
        const name = calleeName(awaited, ctx.facts.imports);
        // A same-file `def` named like a builtin shadows it.
        const local = ctx.facts.functions.resolveCall(awaited, scope);
        if (name && !local && SYNC_FUNCTIONS.has(name)) why = `\`${name}()\` returns a plain value, not an awaitable${name === 'time.sleep' ? ' (did you mean `asyncio.sleep`?)' : ''}`;
      }
      if (!why) continue;
      ctx.report({ code: meta.code, severity: meta.severity, range: rangeOf(node), message: `Cannot await this: ${why}; it raises TypeError at run time` });
    }
  }
}

export const rule: Rule = { meta, check };
