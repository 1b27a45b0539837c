// CORO120: a task is created and its only reference dropped. The event loop keeps only a weak
// reference to tasks, so the task may be garbage-collected before it finishes (asyncio docs,
// create_task: "Save a reference to the result of this function").
import { rangeOf, type RuleContext } from '../context';
import { calleeName } from '../imports';
import { definitionInsertionLine } from '../edits';
import { localBinding } from '../locals';
import type { SyntaxNode } from '../parser';
import type { Scope } from '../scopes';
import type { Fix, RuleMeta } from '../types';
import type { Rule } from './rule';

export const meta: RuleMeta = {
  code: 'CORO120',
  name: 'task-dropped',
  severity: 'warning',
  summary: 'The result of `asyncio.create_task` / `ensure_future` / `loop.create_task` is discarded; the task may be garbage-collected mid-flight.',
  equivalents: ['RUF006'],
};

const FACTORIES = new Set(['asyncio.create_task', 'asyncio.ensure_future', 'asyncio.tasks.create_task', 'asyncio.tasks.ensure_future']);
const LOOP_GETTERS = new Set(['asyncio.get_event_loop', 'asyncio.get_running_loop', 'asyncio.new_event_loop', 'asyncio.events.get_event_loop', 'asyncio.events.get_running_loop']);

/** Names bound by `async with asyncio.TaskGroup() as NAME` anywhere in the module (tasks stay referenced by the group). */
function taskGroupNames(ctx: RuleContext): Set<string> {
  const names = new Set<string>();
  for (const scope of ctx.scopes.all) {
    for (const statement of scope.asyncStatements) {
      if (statement.type !== 'with_statement') continue;
      for (const item of statement.namedChildren.find((c) => c?.type === 'with_clause')?.namedChildren ?? []) {
        const value = item?.childForFieldName('value');
        if (value?.type !== 'as_pattern') continue;
        const call = value.namedChild(0);
        const alias = value.childForFieldName('alias')?.namedChild(0);
        if (call?.type === 'call' && alias && /TaskGroup$/.test(calleeName(call, ctx.facts.imports) ?? '')) names.add(alias.text);
      }
    }
  }
  return names;
}

/** `loop.create_task(...)` on a receiver that is an event loop (by name or by where it came from). */
function isLoopReceiver(ctx: RuleContext, object: SyntaxNode): boolean {
  if (/(^|\.)_?(event_)?loop$/i.test(object.text)) return true;
  if (object.type === 'call') return LOOP_GETTERS.has(calleeName(object, ctx.facts.imports) ?? '');
  return false;
}

const TASK_SET = '_background_tasks';

/**
 * Keeps the task in a module-level set until it is done (the asyncio documentation's recipe):
 *   _background_tasks.add(task := asyncio.create_task(...)) / task.add_done_callback(...discard)
 * written as plain statements, with the set defined after the imports if the module lacks it.
 */
function keepReferenceFix(ctx: RuleContext, call: SyntaxNode, scope: Scope): Fix[] | undefined {
  const statement = call.parent!;
  // Multi-line replacement needs the statement to start its own line (not `if x: create_task(...)`).
  const lineText = ctx.text.split('\n')[statement.startPosition.row] ?? '';
  if (lineText.slice(0, statement.startPosition.column).trim() !== '') return undefined;
  const indent = lineText.slice(0, statement.startPosition.column);
  let name = 'task';
  for (let i = 2; localBinding(name, scope).occurrences > 0; i++) name = `task${i}`;
  const edits: Fix['edits'] = [];
  if (localBinding(TASK_SET, ctx.scopes.module).bindings === 0) {
    const line = definitionInsertionLine(ctx);
    edits.push({ range: { start: { line, character: 0 }, end: { line, character: 0 } }, newText: `\n${TASK_SET} = set()  # strong references to running tasks\n` });
  }
  edits.push({
    range: rangeOf(statement),
    newText: `${name} = ${call.text}\n${indent}${TASK_SET}.add(${name})\n${indent}${name}.add_done_callback(${TASK_SET}.discard)`,
  });
  return [{ title: 'Keep a reference to the task until it is done', edits }];
}

function check(ctx: RuleContext): void {
  let groups: Set<string> | undefined;
  for (const scope of ctx.scopes.all) {
    for (const call of scope.calls) {
      if (call.parent?.type !== 'expression_statement') continue;
      const name = calleeName(call, ctx.facts.imports) ?? '';
      let dropped = FACTORIES.has(name);
      if (!dropped) {
        const fn = call.childForFieldName('function');
        if (fn?.type === 'attribute' && fn.childForFieldName('attribute')?.text === 'create_task') {
          const object = fn.childForFieldName('object')!;
          groups ??= taskGroupNames(ctx);
          dropped = !groups.has(object.text) && isLoopReceiver(ctx, object);
        }
      }
      if (!dropped) continue;
      ctx.report({
        code: meta.code, severity: meta.severity, range: rangeOf(call),
        message: 'Task created and dropped: the event loop holds tasks weakly, so it may be garbage-collected before it finishes; keep a reference (e.g. in a set, removed in a done callback) or use a TaskGroup',
        fixes: keepReferenceFix(ctx, call, scope),
      });
    }
  }
}

export const rule: Rule = { meta, check };
