// Builds the call stack VS Code shows for a thread: the runtime's frames for the task, then — following
// the awaited-by edges, as js-debug stitches async stacks — "awaited by Task-1 main()" separators with the
// awaiting tasks' frames, then where the task was created. Library frames are hidden (justMyCode) or
// shown subtle. Knows the runtime's data shapes, not DAP ids or line bases.
import * as path from 'node:path';
import type { RuntimeFrame, RuntimeThread, TaskThread } from './runtimeProtocol';

/** How many awaiting tasks are followed up the chain before the stack says there are more. */
export const MAX_AWAITER_DEPTH = 8;

/** One entry of a stitched stack. `owner` is the thread (task) whose frame it is. */
export interface StackEntry {
  frame: RuntimeFrame;
  owner: number;
  /** Separators and creation sites: not runtime frames, no scopes. */
  synthetic: boolean;
  /** Standard library or installed packages. */
  library: boolean;
}

/** Where the stack comes from: the runtime's frames of one thread, and the thread list of the current stop. */
export interface StackSource {
  frames(threadId: number): Promise<RuntimeFrame[]>;
  threads(): Promise<RuntimeThread[]>;
}

/** True for code the user did not write: the standard library, site-packages, frozen or generated modules. */
export function isLibraryPath(file: string | undefined): boolean {
  if (!file) return false;
  if (file.startsWith('<')) return true;
  return /[\\/]lib[\\/]python\d+(\.\d+)?[\\/]/i.test(file) || /[\\/](site|dist)-packages[\\/]/.test(file) || /[\\/]Lib[\\/]/.test(file);
}

/** `Task-1 main()` */
export function taskTitle(task: TaskThread): string {
  return task.coroutine ? `${task.name} ${task.coroutine}()` : task.name;
}

function label(name: string, owner: number): StackEntry {
  return { frame: { id: 0, name, kind: 'label' }, owner, synthetic: true, library: false };
}

function entries(frames: RuntimeFrame[], owner: number): StackEntry[] {
  return frames.map((frame) => ({
    // The runtime says "awaiting Queue.get() on queue"; the suspend mark matches the thread name's.
    frame: frame.kind === 'label' && frame.name.startsWith('awaiting ') ? { ...frame, name: `⏸ ${frame.name}` } : frame,
    owner,
    synthetic: frame.kind === 'label',
    library: frame.kind !== 'label' && isLibraryPath(frame.file),
  }));
}

/**
 * The stitched stack of `threadId`. For a task: its own frames (ending with the runtime's "awaiting …"
 * label), then for each awaiting task up to MAX_AWAITER_DEPTH a separator and its frames, then
 * "created at file:line". OS threads get their frames as they are.
 */
export async function buildStack(threadId: number, source: StackSource): Promise<StackEntry[]> {
  const [own, threads] = await Promise.all([source.frames(threadId), source.threads()]);
  const result = entries(own, threadId);
  const byId = new Map(threads.map((t) => [t.id, t]));
  const start = byId.get(threadId);
  if (!start || start.kind !== 'task') return result;

  const seen = new Set<number>([threadId]);
  let current = start as TaskThread;
  for (let depth = 0; ; depth++) {
    const edge = awaitedBy(current).find((e) => !seen.has(e.id) && byId.get(e.id)?.kind === 'task');
    if (!edge) break;
    if (depth >= MAX_AWAITER_DEPTH) {
      result.push(label('… awaited by more tasks', current.id));
      break;
    }
    const awaiter = byId.get(edge.id) as TaskThread;
    seen.add(awaiter.id);
    const via = edge.via && edge.via !== 'await' ? ` via ${edge.via}` : '';
    result.push(label(`awaited by ${taskTitle(awaiter)}${via}`, awaiter.id));
    result.push(...entries(await source.frames(awaiter.id), awaiter.id));
    current = awaiter;
  }

  const created = start.createdAt;
  if (created && typeof created.file === 'string') {
    const where = `${path.basename(created.file)}:${created.line}`;
    const fn = !created.function ? '' : created.function.startsWith('<') ? ` in ${created.function}` : ` in ${created.function}()`;
    // A creation site is not a live frame, but it has a place in the source worth opening.
    result.push({
      frame: { id: 0, name: `created at ${where}${fn}`, kind: 'frame', file: created.file, line: created.line, column: 1 },
      owner: threadId,
      synthetic: true,
      library: isLibraryPath(created.file),
    });
  }
  return result;
}

function awaitedBy(task: TaskThread): { id: number; via?: string }[] {
  const edges = task.awaitedBy;
  if (!Array.isArray(edges)) return [];
  return edges.filter((e): e is { id: number; via?: string } => typeof e === 'object' && e !== null && typeof (e as { id?: unknown }).id === 'number');
}

/**
 * Applies justMyCode: library frames are dropped, unless that would leave a thread's own part of the stack
 * empty (a pause in an idle loop is all library code, and an empty stack explains nothing).
 */
export function applyJustMyCode(stack: StackEntry[], justMyCode: boolean): StackEntry[] {
  if (!justMyCode) return stack;
  const kept = stack.filter((e) => !e.library);
  return kept.some((e) => !e.synthetic) ? kept : stack;
}
