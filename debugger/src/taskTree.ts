// The `coroscope/tasks` custom request (client/src/protocol.ts) that the Async Tasks view and Show Task Tree
// send, once a second while visible, stopped or running. Built from the runtime's `threads` answer, which the
// runtime's I/O thread gives at any time; the adapter adds what the raw list lacks in the client's words:
// awaiter ids, the grouping construct, the time suspended in words, and (only while stopped) where each task
// is. Knows the runtime's shapes and the client's, not DAP.
import type { OsThreadInfo, SourceLocation, TaskInfo, TasksResponseBody } from '../../client/src/protocol';
import type { OsThread, RuntimeFrame, RuntimeThread, TaskThread } from './runtimeProtocol';
import { isLibraryPath } from './stacks';
import { formatSuspended } from './taskView';

/** How the runtime's `awaitedBy.via` maps to the construct the client groups children under. */
const GROUP_OF_VIA: Record<string, string> = {
  gather: 'gather', taskgroup: 'TaskGroup', wait: 'wait', wait_for: 'wait_for', shield: 'shield',
};

/** Where the answer comes from. `frames` is only called while the program is stopped (see buildTasksBody). */
export interface TaskTreeSource {
  threads(): Promise<RuntimeThread[]>;
  frames(threadId: number): Promise<RuntimeFrame[]>;
  /** Runtime path → the client's path (path mappings). Lines stay 1-based, as protocol.ts declares. */
  toClientPath(file: string): string;
}

/**
 * The `coroscope/tasks` body: every task and OS thread of the runtime's list, in its order. With `locations`
 * and `stopped`, each thread's location is the first frame of the user's code on its stack (the line of its
 * pending await); while running no stack is asked for, because the runtime keeps every frame it hands out
 * alive until the next resume and a once-a-second poll would pile them up.
 */
export async function buildTasksBody(
  source: TaskTreeSource,
  options: { locations: boolean; stopped: boolean },
): Promise<TasksResponseBody> {
  const raw = (await source.threads()).filter((t) => t && typeof t.id === 'number' && (t.kind === 'task' || t.kind === 'thread'));
  const live = new Set(raw.map((t) => t.id));
  const threads: (TaskInfo | OsThreadInfo)[] = raw.map((t) => (t.kind === 'task'
    ? toTaskInfo(t as TaskThread, live, source)
    : toOsThreadInfo(t as OsThread)));
  if (options.locations && options.stopped) {
    await Promise.all(threads.map(async (info) => {
      const location = await userLocation(source, info.id);
      if (location) info.location = location;
    }));
  }
  return { threads };
}

function toTaskInfo(t: TaskThread, live: Set<number>, source: TaskTreeSource): TaskInfo {
  const info: TaskInfo = { id: t.id, kind: 'task', name: String(t.name), state: t.state };
  if (typeof t.coroutine === 'string') info.coroutine = t.coroutine;
  if (typeof t.waitTarget === 'string') info.waitTarget = t.waitTarget;
  const created = t.createdAt;
  if (created && typeof created.file === 'string' && typeof created.line === 'number') {
    info.createdAt = { file: source.toClientPath(created.file), line: created.line };
    if (typeof created.function === 'string') info.createdAt.function = created.function;
  }
  if (typeof t.createdBy === 'number') info.createdBy = t.createdBy;
  // Edges to tasks that finished between the runtime's two looks are dropped: the client cannot show them.
  const edges = (Array.isArray(t.awaitedBy) ? t.awaitedBy : []).filter((e) => e && typeof e.id === 'number' && live.has(e.id));
  if (edges.length) {
    info.awaitedBy = edges.map((e) => e.id);
    const group = GROUP_OF_VIA[String(edges[0].via)];
    if (group) info.group = group;
  }
  // The runtime measures (docs/runtime-protocol.md, suspendedFor); the Task scope's words go along.
  const measure = t.state === 'suspended' ? t.suspendedFor : undefined;
  if (measure && typeof measure.atLeast === 'number') {
    info.suspendedFor = measure.atLeast;
    if (typeof measure.atMost === 'number') info.suspendedForAtMost = measure.atMost;
    info.suspendedForText = formatSuspended(measure);
  }
  return info;
}

function toOsThreadInfo(t: OsThread): OsThreadInfo {
  const info: OsThreadInfo = { id: t.id, kind: 'thread', name: String(t.name) };
  if (typeof t.runsLoop === 'boolean') info.runsLoop = t.runsLoop;
  return info;
}

/** The first user-code frame of a thread's own stack, else its top frame; undefined if it has none. */
async function userLocation(source: TaskTreeSource, threadId: number): Promise<SourceLocation | undefined> {
  let frames: RuntimeFrame[];
  try {
    frames = await source.frames(threadId);
  } catch {
    return undefined; // a task that finished since the thread list has no stack: listed without a location
  }
  const real = frames.filter((f) => f.kind === 'frame' && typeof f.file === 'string' && typeof f.line === 'number');
  const frame = real.find((f) => !isLibraryPath(f.file)) ?? real[0];
  if (!frame) return undefined;
  const location: SourceLocation = { file: source.toClientPath(frame.file as string), line: frame.line as number };
  if (typeof frame.column === 'number') location.column = frame.column;
  return location;
}
