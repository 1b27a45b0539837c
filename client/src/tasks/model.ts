// The task tree shown by the Async Tasks view and the Show Task Tree document: built from the adapter's
// `coroscope/tasks` answer, or from plain DAP thread names when an adapter has no such request. Pure: no
// `vscode` import, unit-tested under node.
import type { OsThreadInfo, SourceLocation, TaskInfo, TaskState, TasksResponseBody } from '../protocol';

/** A task or OS thread in the tree, with its children. */
export interface TaskNode {
  info: TaskInfo | OsThreadInfo;
  children: TaskNode[];
  /** How this node hangs under its parent: `awaits` (the parent awaits it), `created`, or a group name. */
  relation?: string;
}

/** A tree of tasks: OS threads first, then root tasks in creation (id) order. */
export interface TaskTree {
  roots: TaskNode[];
  /** True when the adapter gave no hierarchy (plain DAP fallback): every task is a root. */
  flat: boolean;
}

function isTask(info: TaskInfo | OsThreadInfo): info is TaskInfo {
  return info.kind === 'task';
}

/**
 * Builds the tree: a task hangs under the first task awaiting it (gather/TaskGroup children grouped under
 * the parent that awaits them), else under the task that created it, else at the root. Cycles (which a
 * racing snapshot could produce) are broken by keeping a node at the root.
 */
export function buildTaskTree(body: TasksResponseBody, flat = false): TaskTree {
  const threads = Array.isArray(body?.threads) ? body.threads.filter((t) => t && typeof t.id === 'number' && typeof t.name === 'string') : [];
  const nodes = new Map<number, TaskNode>();
  for (const info of threads) nodes.set(info.id, { info, children: [] });
  const parentOf = new Map<number, { parent: number; relation: string }>();
  for (const info of threads) {
    if (!isTask(info)) continue;
    const awaiter = info.awaitedBy?.find((id) => nodes.has(id) && id !== info.id);
    if (awaiter !== undefined) parentOf.set(info.id, { parent: awaiter, relation: info.group ?? 'awaits' });
    else if (info.createdBy !== undefined && nodes.has(info.createdBy) && info.createdBy !== info.id
      && isTask(nodes.get(info.createdBy)!.info)) parentOf.set(info.id, { parent: info.createdBy, relation: 'created' });
  }
  const reachesRoot = (id: number): boolean => {
    const seen = new Set<number>();
    for (let current: number | undefined = id; current !== undefined; current = parentOf.get(current)?.parent) {
      if (seen.has(current)) return false;
      seen.add(current);
    }
    return true;
  };
  const roots: TaskNode[] = [];
  for (const info of [...threads].sort(byKindThenId)) {
    const node = nodes.get(info.id)!;
    const link = parentOf.get(info.id);
    if (link && reachesRoot(info.id)) {
      node.relation = link.relation;
      nodes.get(link.parent)!.children.push(node);
    } else {
      roots.push(node);
    }
  }
  return { roots, flat };
}

function byKindThenId(a: TaskInfo | OsThreadInfo, b: TaskInfo | OsThreadInfo): number {
  if (a.kind !== b.kind) return a.kind === 'thread' ? -1 : 1;
  return a.id - b.id;
}

const THREAD_NAME = /^(?<name>.+?) (?<coroutine>[\w.<>]+)\(\)(?: (?<glyph>[⏸▶⏳✓✗]) ?(?<rest>.*))?$/u;
const GLYPH_STATE: Record<string, TaskState> = { '⏸': 'suspended', '▶': 'running', '⏳': 'pending', '✓': 'done', '✗': 'failed' };

/**
 * The fallback for adapters without `coroscope/tasks`: tasks from DAP thread names such as
 * `Task-3 consumer() ⏸ Queue.get`, locations from each thread's top frame when the program is stopped.
 */
export function tasksFromDapThreads(threads: { id: number; name: string }[], topFrames: Map<number, SourceLocation>): TasksResponseBody {
  return {
    threads: threads.map((thread): TaskInfo | OsThreadInfo => {
      const location = topFrames.get(thread.id);
      const match = THREAD_NAME.exec(thread.name);
      const loopThread = / · event loop$/.exec(thread.name);
      if (loopThread) return { id: thread.id, kind: 'thread', name: thread.name.slice(0, loopThread.index), runsLoop: true, location };
      if (!match?.groups || !match.groups.coroutine) return { id: thread.id, kind: 'thread', name: thread.name, location };
      const { name, coroutine, glyph, rest } = match.groups;
      const state = (glyph && GLYPH_STATE[glyph]) || 'running';
      const waitTarget = state === 'suspended' && rest && rest !== 'suspended' ? rest : undefined;
      return { id: thread.id, kind: 'task', name, coroutine, state, waitTarget, location };
    }),
  };
}

const STATE_LABEL: Record<TaskState, string> = {
  pending: '⏳ pending', running: '▶ running', suspended: '⏸ suspended', done: '✓ done', cancelled: '✗ cancelled', failed: '✗ failed',
};

/** One-line description of a node: `Task-3 consumer()  ⏸ Queue.get  12.0 s`. */
export function describeNode(info: TaskInfo | OsThreadInfo): { label: string; status: string } {
  if (!isTask(info)) return { label: info.name, status: info.runsLoop ? 'event loop' : 'thread' };
  const label = info.coroutine ? `${info.name} ${info.coroutine}()` : info.name;
  let status = info.state === 'suspended' && info.waitTarget ? `⏸ ${info.waitTarget}` : STATE_LABEL[info.state] ?? info.state;
  if (info.state === 'suspended' && info.suspendedForText) {
    // The runtime's own wording says how exact it is: `2.4 s`, `2.4 s – 2.9 s`, `≥ 2.4 s (since first seen)`.
    status += `  ${info.suspendedForText}`;
  } else if (info.state === 'suspended' && typeof info.suspendedFor === 'number' && Number.isFinite(info.suspendedFor)) {
    status += `  ${formatSeconds(info.suspendedFor)}`;
  }
  return { label, status };
}

/** `0.42 s`, `12.0 s`, `3 min 5 s`. */
export function formatSeconds(seconds: number): string {
  if (seconds < 1) return `${seconds.toFixed(2)} s`;
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  return `${Math.floor(seconds / 60)} min ${Math.round(seconds % 60)} s`;
}

/** A `file:line` reference in the rendered text, 0-based line and columns in the document. */
export interface RenderedLink {
  line: number;
  startColumn: number;
  endColumn: number;
  target: SourceLocation;
}

/**
 * Renders the tree as text in the spirit of `python -m asyncio pstree`, with `file:line` references the
 * document turns into links. `displayPath` shortens paths (e.g. relative to the workspace).
 */
export function renderTaskTree(tree: TaskTree, header: string, displayPath: (file: string) => string = (f) => f): { text: string; links: RenderedLink[] } {
  const lines: string[] = [header, ''];
  const links: RenderedLink[] = [];
  const visit = (node: TaskNode, prefix: string, connector: string) => {
    const { label, status } = describeNode(node.info);
    const relation = node.relation && node.relation !== 'awaits' ? `[${node.relation}] ` : '';
    let line = `${prefix}${connector}${relation}${label}  ${status}`;
    const where = node.info.location ?? (isTask(node.info) ? node.info.createdAt : undefined);
    if (where && typeof where.file === 'string' && Number.isInteger(where.line)) {
      const ref = `${displayPath(where.file)}:${where.line}`;
      line += '  ';
      links.push({ line: lines.length, startColumn: line.length, endColumn: line.length + ref.length, target: where });
      line += ref;
      if (!node.info.location) line += ' (created)';
    }
    lines.push(line);
    const childPrefix = prefix + (connector === '├── ' ? '│   ' : connector === '└── ' ? '    ' : '');
    node.children.forEach((child, i) => visit(child, childPrefix, i === node.children.length - 1 ? '└── ' : '├── '));
  };
  for (const root of tree.roots) visit(root, '', '');
  if (tree.roots.length === 0) lines.push('(no tasks)');
  if (tree.flat) lines.push('', 'This debug adapter reports no task hierarchy: tasks are listed flat.');
  return { text: lines.join('\n') + '\n', links };
}

/** Whether a failed custom request failed because the adapter does not know it. */
export function isUnknownRequest(error: unknown): boolean {
  const message = error instanceof Error ? error.message : String(error);
  return /unrecognized|unknown (request|command)|not supported|unsupported/i.test(message);
}
