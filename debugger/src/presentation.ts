// How runtime data looks in VS Code: thread names, thread order, stack frames. Pure functions, so the
// wording is unit-tested without a debuggee.
import * as path from 'node:path';
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { RuntimeFrame, RuntimeThread, TaskThread } from './runtimeProtocol';

const STATE_WORDS: Record<string, string> = {
  pending: '◌ not started',
  running: '▶ running',
  suspended: '⏸',
  done: '✓ done',
  cancelled: '✗ cancelled',
  failed: '✗ failed',
};

/** `Task-3 consumer() ⏸ Queue.get`, `Task-1 main() ⏸ gather 1/2 done`, `Task-7 fetch() ▶ running`, `MainThread · event loop`. */
export function threadName(thread: RuntimeThread): string {
  if (thread.kind !== 'task') {
    return thread.runsLoop ? `${thread.name} · event loop` : thread.name;
  }
  const task = thread as TaskThread;
  const head = task.coroutine ? `${task.name} ${task.coroutine}()` : task.name;
  if (task.state === 'suspended') return task.waitTarget ? `${head} ⏸ ${waitWords(task)}` : `${head} ⏸ suspended`;
  return `${head} ${STATE_WORDS[task.state] ?? task.state}`;
}

/** The wait target as the thread name shows it; a gather with a well-formed count says how far it got. */
function waitWords(task: TaskThread): string {
  const g = task.gather;
  const count = (n: unknown) => typeof n === 'number' && Number.isInteger(n) && n >= 0;
  if (task.waitTarget === 'gather' && g && typeof g === 'object' && count(g.done) && count(g.total)) {
    return `gather ${g.done}/${g.total} done`;
  }
  return String(task.waitTarget);
}

/**
 * DAP threads in display order: the stopped thread first (VS Code expands the first stopped thread),
 * then OS threads, then tasks in the runtime's order (creation order).
 */
export function orderThreads(threads: RuntimeThread[], stoppedThreadId: number | undefined): DebugProtocol.Thread[] {
  const rank = (t: RuntimeThread) => (t.id === stoppedThreadId ? 0 : t.kind === 'task' ? 2 : 1);
  return threads
    .map((t, index) => ({ t, index }))
    .sort((a, b) => rank(a.t) - rank(b.t) || a.index - b.index)
    .map(({ t }) => ({ id: t.id, name: threadName(t) }));
}

/** True for file names Python invents (`<string>`, `<frozen importlib._bootstrap>`) that have no source on disk. */
function isSyntheticFile(file: string): boolean {
  return file.startsWith('<') && file.endsWith('>');
}

/** Converts one runtime frame; label frames become subtle separators without a source. */
export function toStackFrame(frame: RuntimeFrame): DebugProtocol.StackFrame {
  if (frame.kind === 'label') {
    return { id: frame.id, name: frame.name, line: 0, column: 0, presentationHint: 'label' };
  }
  const result: DebugProtocol.StackFrame = {
    id: frame.id,
    name: frame.name,
    line: frame.line ?? 0,
    column: frame.column ?? 1,
  };
  if (frame.file && !isSyntheticFile(frame.file)) {
    result.source = { name: path.basename(frame.file), path: frame.file };
  } else if (frame.file) {
    result.source = { name: frame.file, presentationHint: 'deemphasize' };
    result.presentationHint = 'subtle';
  }
  return result;
}
