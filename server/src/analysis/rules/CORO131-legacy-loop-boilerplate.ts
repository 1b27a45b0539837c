// CORO131: the pre-3.7 boilerplate `loop = asyncio.get_event_loop(); loop.run_until_complete(main())`
// (the seed tutorial's own pattern). get_event_loop() without a running loop is deprecated (3.10–3.12
// warn; 3.14 raises), and the loop is never closed nor async generators finalised. asyncio.run() does
// all of that.
import { rangeOf, type RuleContext } from '../context';
import { calleeName } from '../imports';
import { localBinding } from '../locals';
import type { SyntaxNode } from '../parser';
import type { Fix, Range, RuleMeta } from '../types';
import type { Rule } from './rule';

export const meta: RuleMeta = {
  code: 'CORO131',
  name: 'legacy-loop-boilerplate',
  severity: 'info',
  summary: '`get_event_loop()` + `run_until_complete(main())` boilerplate; use `asyncio.run(main())`.',
  equivalents: [],
};

// Only get_event_loop(): new_event_loop() + run_until_complete + close is the explicit, still-valid form.
const GETTERS = new Set(['asyncio.get_event_loop', 'asyncio.events.get_event_loop']);

/** The whole lines of a statement, for deletion. */
function lineRange(ctx: RuleContext, statement: SyntaxNode): Range {
  const lines = ctx.text.split('\n');
  const end = statement.endPosition.row + 1 < lines.length
    ? { line: statement.endPosition.row + 1, character: 0 }
    : { line: statement.endPosition.row, character: statement.endPosition.column };
  return { start: { line: statement.startPosition.row, character: 0 }, end };
}

/** The local spelling of the asyncio module, for writing `asyncio.run`. */
function asyncioName(ctx: RuleContext): string | undefined {
  for (const [local, qualified] of ctx.facts.imports) if (qualified === 'asyncio') return local;
  return undefined;
}

function check(ctx: RuleContext): void {
  const asyncio = asyncioName(ctx);
  for (const scope of ctx.scopes.all) {
    if (scope.kind !== 'module' && !(scope.kind === 'function' && !scope.isAsync)) continue;
    for (const call of scope.calls) {
      const fn = call.childForFieldName('function');
      if (fn?.type !== 'attribute' || fn.childForFieldName('attribute')?.text !== 'run_until_complete') continue;
      const receiver = fn.childForFieldName('object')!;
      const args = call.childForFieldName('arguments')?.namedChildren.filter((a) => a?.type !== 'comment') ?? [];
      if (args.length !== 1 || args[0]!.type === 'keyword_argument') continue;
      const arg = args[0]!;
      const edits: Fix['edits'] = [];
      let fixable = asyncio !== undefined;
      if (receiver.type === 'call' && GETTERS.has(calleeName(receiver, ctx.facts.imports) ?? '')) {
        // asyncio.get_event_loop().run_until_complete(main()): replacing the call is the whole fix.
      } else if (receiver.type === 'identifier') {
        const binding = localBinding(receiver.text, scope);
        if (binding.value?.type !== 'call' || !GETTERS.has(calleeName(binding.value, ctx.facts.imports) ?? '')) continue;
        // The fix removes the loop, so only when nothing but this call (and loop.close()) uses it.
        const assignment = binding.target?.parent?.parent;
        const closeCalls = scope.calls.filter((c) => c.childForFieldName('function')?.text === `${receiver.text}.close` && c.parent?.type === 'expression_statement');
        if (assignment?.type === 'expression_statement' && binding.occurrences === 2 + closeCalls.length) {
          edits.push({ range: lineRange(ctx, assignment), newText: '' });
          for (const c of closeCalls) edits.push({ range: lineRange(ctx, c.parent!), newText: '' });
        } else {
          fixable = false;
        }
      } else {
        continue;
      }
      const shown = arg.text.length > 30 ? '…' : arg.text;
      const fixes: Fix[] | undefined = fixable
        ? [{ title: `Replace with \`${asyncio}.run(${shown})\``, preferred: true,
            edits: [...edits, { range: rangeOf(call), newText: `${asyncio}.run(${arg.text})` }] }]
        : undefined;
      ctx.report({
        code: meta.code, severity: meta.severity, range: rangeOf(call),
        message: `Legacy event-loop boilerplate: use \`asyncio.run(${shown})\`, which creates, runs and closes the loop (get_event_loop() without a running loop is deprecated)`,
        fixes,
      });
    }
  }
}

export const rule: Rule = { meta, check };
