// What the session shows about tasks beyond the runtime's raw list: the "Task" scope of a frame, and the
// maxTasks / taskFilter narrowing of the thread list.
import * as path from 'node:path';
import type { RuntimeThread, TaskThread } from './runtimeProtocol';
import { taskTitle } from './stacks';

/** One row of the Task scope (values are display strings; the scope is not expandable). */
export interface TaskField {
  name: string;
  value: string;
}

/** The Task scope: state, wait target, where it was created, who awaits it, what it created. */
export function taskFields(task: TaskThread, threads: RuntimeThread[]): TaskField[] {
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
  const children = threads.filter((t) => t.kind === 'task' && (t as TaskThread).createdBy === task.id);
  fields.push({ name: 'children', value: children.length ? children.map((c) => taskTitle(c as TaskThread)).join(', ') : 'none' });
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
