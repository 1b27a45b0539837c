// What the session shows about tasks beyond the runtime's raw list: the "Task" scope of a frame, and the
// maxTasks / taskFilter narrowing of the thread list.
import * as path from 'node:path';
import type { RuntimeThread, SuspendedFor, TaskDetails, TaskSummary, TaskThread } from './runtimeProtocol';
import { taskTitle } from './stacks';

/** One row of the Task scope; rows with `children` expand into them, others into a runtime variable. */
export interface TaskField {
  name: string;
  value: string;
  /** A runtime variable reference (a result or exception object), 0 or absent when there is none. */
  variablesReference?: number;
  children?: TaskField[];
}

/** Seconds as a user reads them: `0.4 s`, `12 s`, `3 min 5 s`, `2 h 4 min`. */
export function formatSeconds(seconds: number): string {
  if (seconds < 10) return `${(Math.floor(seconds * 10) / 10).toFixed(1)} s`;
  if (seconds < 60) return `${Math.floor(seconds)} s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ${Math.floor(seconds % 60)} s`;
  return `${Math.floor(seconds / 3600)} h ${Math.floor((seconds % 3600) / 60)} min`;
}

/**
 * What is known of the time suspended, said as precisely as it was measured: `2.4 s` (exact, or both bounds
 * read the same), `2.4 s – 2.5 s` (between two looks of the runtime), `≥ 2.4 s (since first seen)` (already
 * suspended when the runtime first looked at the task, e.g. before attach).
 */
export function formatSuspended(measure: SuspendedFor): string {
  const low = formatSeconds(measure.atLeast);
  if (typeof measure.atMost !== 'number') return `≥ ${low} (since first seen)`;
  const high = formatSeconds(measure.atMost);
  return low === high ? low : `${low} – ${high}`;
}

/** The state column of a task another one created or awaits: its outcome once finished. */
function summaryValue(entry: TaskSummary, live: TaskThread | undefined): string {
  switch (entry.state) {
    case 'done': return entry.result ? `done → ${entry.result.value}` : 'done';
    case 'failed': return entry.exception ? `failed: ${entry.exception.value}` : 'failed';
    case 'cancelled': return 'cancelled';
    case 'running': return '▶ running';
    case 'pending': return 'not started';
    default: return live?.waitTarget ? `⏸ ${live.waitTarget}` : '⏸ suspended';
  }
}

function summaryRows(entries: TaskSummary[], byId: Map<number, RuntimeThread>): TaskField[] {
  return entries.map((entry) => {
    const live = entry.id !== undefined ? byId.get(entry.id) : undefined;
    const title = entry.coroutine ? `${entry.name} ${entry.coroutine}()` : entry.name;
    const outcome = entry.result ?? entry.exception;
    return {
      name: title,
      value: summaryValue(entry, live && live.kind === 'task' ? live as TaskThread : undefined),
      variablesReference: outcome?.variablesReference ?? 0,
    };
  });
}

/** `3 (1 done, 1 failed, 1 suspended)`, or `none`. */
function countValue(entries: TaskSummary[], total: number | undefined): string {
  if (!entries.length) return 'none';
  const counts = new Map<string, number>();
  for (const e of entries) counts.set(e.state, (counts.get(e.state) ?? 0) + 1);
  const parts = [...counts].map(([state, n]) => `${n} ${state}`).join(', ');
  return `${total ?? entries.length} (${parts}${total && total > entries.length ? `, first ${entries.length} listed` : ''})`;
}

/**
 * The Task scope: state, wait target, time suspended, its own result or exception, where it was created,
 * who awaits it, what it awaits and what it created — those two with their outcomes, from the runtime's
 * `taskDetails` (without details, the live tasks of the thread list stand in).
 */
export function taskFields(task: TaskThread, threads: RuntimeThread[], details?: TaskDetails): TaskField[] {
  const byId = new Map(threads.map((t) => [t.id, t]));
  const title = (id: number) => {
    const t = byId.get(id);
    return t && t.kind === 'task' ? taskTitle(t as TaskThread) : `thread ${id}`;
  };
  const fields: TaskField[] = [
    { name: 'name', value: task.name },
    { name: 'coroutine', value: task.coroutine ? `${task.coroutine}()` : '(unknown)' },
    { name: 'state', value: task.state },
  ];
  if (task.waitTarget) fields.push({ name: 'wait target', value: task.waitTarget });
  if (task.suspendedFor && typeof task.suspendedFor.atLeast === 'number') {
    fields.push({ name: 'time suspended', value: formatSuspended(task.suspendedFor) });
  }
  if (details?.result) fields.push({ name: 'result', value: details.result.value, variablesReference: details.result.variablesReference });
  if (details?.exception) {
    const note = details.uncaught ? ' (uncaught: the task ends with it)' : '';
    fields.push({ name: 'exception', value: `${details.exception.value}${note}`, variablesReference: details.exception.variablesReference });
  }
  if (task.createdAt?.file) {
    const f = task.createdAt.function;
    const fn = !f ? '' : f.startsWith('<') ? ` in ${f}` : ` in ${f}()`;
    fields.push({ name: 'created at', value: `${path.basename(task.createdAt.file)}:${task.createdAt.line}${fn}` });
  }
  if (typeof task.createdBy === 'number') fields.push({ name: 'created by', value: title(task.createdBy) });
  const awaiters = Array.isArray(task.awaitedBy) ? task.awaitedBy : [];
  fields.push({
    name: 'awaited by',
    value: awaiters.length ? awaiters.map((e) => `${title(e.id)}${e.via && e.via !== 'await' ? ` (${e.via})` : ''}`).join(', ') : 'nobody',
  });
  const liveSummary = (t: RuntimeThread): TaskSummary => ({ id: t.id, name: t.name, coroutine: (t as TaskThread).coroutine, state: (t as TaskThread).state });
  // What it awaits: the runtime's answer (finished tasks included), plus live tasks whose awaited-by edges
  // name this one (wait_for, shield, TaskGroup...).
  const awaiting: TaskSummary[] = [...(details?.awaiting ?? [])];
  for (const t of threads) {
    if (t.kind !== 'task' || awaiting.some((e) => e.id === t.id)) continue;
    if ((t as TaskThread).awaitedBy?.some((e) => e.id === task.id)) awaiting.push(liveSummary(t));
  }
  fields.push({ name: 'awaiting', value: countValue(awaiting, details?.awaitingTotal), children: summaryRows(awaiting, byId) });
  const children = details?.children
    ?? threads.filter((t) => t.kind === 'task' && (t as TaskThread).createdBy === task.id).map(liveSummary);
  fields.push({ name: 'children', value: countValue(children, details?.childrenTotal), children: summaryRows(children, byId) });
  return fields;
}

/** A glob (`*`, `?`) as an anchored regular expression. */
export function globToRegExp(glob: string): RegExp {
  const body = glob.split('').map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&'))).join('');
  return new RegExp(`^${body}$`);
}

/** The thread list after taskFilter and maxTasks, and how many tasks were hidden. */
export interface FilteredThreads {
  threads: RuntimeThread[];
  hidden: number;
}

/**
 * Keeps every OS thread and the stopped thread; tasks must match `taskFilter` (a glob on the task name or
 * its coroutine) and at most `maxTasks` of them are kept, in runtime order.
 */
export function filterThreads(threads: RuntimeThread[], options: { maxTasks: number; taskFilter?: string; keep?: number }): FilteredThreads {
  const pattern = options.taskFilter ? globToRegExp(options.taskFilter) : undefined;
  const result: RuntimeThread[] = [];
  let tasks = 0;
  let hidden = 0;
  for (const t of threads) {
    if (t.kind !== 'task' || t.id === options.keep) { result.push(t); continue; }
    const task = t as TaskThread;
    if (pattern && !pattern.test(task.name) && !(task.coroutine && pattern.test(task.coroutine))) { hidden++; continue; }
    if (tasks >= options.maxTasks) { hidden++; continue; }
    tasks++;
    result.push(t);
  }
  return { threads: result, hidden };
}
