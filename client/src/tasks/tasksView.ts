// The Async Tasks view in Run and Debug: the task tree of the active coroscope session, refreshed on every
// stop and, while the program runs, about once a second (only when the view is visible and the adapter
// answers `coroscope/tasks`). Clicking a task opens its current await; selecting a thread in Call Stack
// selects its task here; a context action cancels it.
import * as vscode from 'vscode';
import { DEBUG_TYPE } from '../launchConfiguration';
import type { OsThreadInfo, TaskInfo } from '../protocol';
import type { DebugState } from './debugState';
import { describeNode, type TaskNode, type TaskTree } from './model';
import { coalesced } from './coalesce';
import { fetchTaskTree, supportsTaskRequest } from './taskSource';

const VIEW_ID = 'coroscope.asyncTasks';
const LIVE_INTERVAL_MS = 1000;

const STATE_ICONS: Record<string, string> = {
  suspended: 'debug-pause', running: 'play', pending: 'clock', done: 'pass', cancelled: 'circle-slash', failed: 'error',
};

function iconFor(info: TaskInfo | OsThreadInfo): vscode.ThemeIcon {
  return new vscode.ThemeIcon(info.kind === 'task' ? STATE_ICONS[info.state] ?? 'circle-outline' : 'server-process');
}

class TasksProvider implements vscode.TreeDataProvider<TaskNode> {
  private tree: TaskTree = { roots: [], flat: false };
  private parents = new Map<TaskNode, TaskNode>();
  private byId = new Map<number, TaskNode>();
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;

  update(tree: TaskTree): void {
    this.tree = tree;
    this.parents = new Map();
    this.byId = new Map();
    const index = (node: TaskNode) => {
      this.byId.set(node.info.id, node);
      for (const child of node.children) { this.parents.set(child, node); index(child); }
    };
    tree.roots.forEach(index);
    this.changed.fire();
  }

  /** The node of a thread id in the current tree. */
  find(threadId: number): TaskNode | undefined {
    return this.byId.get(threadId);
  }

  getParent(node: TaskNode): TaskNode | undefined {
    return this.parents.get(node);
  }

  getChildren(node?: TaskNode): TaskNode[] {
    return node ? node.children : this.tree.roots;
  }

  getTreeItem(node: TaskNode): vscode.TreeItem {
    const { label, status } = describeNode(node.info);
    const item = new vscode.TreeItem(label, node.children.length ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None);
    item.id = String(node.info.id);
    item.description = node.relation && node.relation !== 'awaits' ? `${status}  · ${node.relation}` : status;
    item.iconPath = iconFor(node.info);
    item.contextValue = node.info.kind === 'task' ? 'task' : 'thread';
    const where = node.info.location;
    item.tooltip = new vscode.MarkdownString([
      `**${label}** — ${status}`,
      where ? `at \`${where.file}:${where.line}\`` : '',
      node.info.kind === 'task' && node.info.createdAt ? `created at \`${node.info.createdAt.file}:${node.info.createdAt.line}\`` : '',
    ].filter(Boolean).join('\n\n'));
    if (where) {
      item.command = {
        command: 'vscode.open',
        title: 'Open Current Await',
        arguments: [vscode.Uri.file(where.file), { selection: new vscode.Range(where.line - 1, Math.max(0, (where.column ?? 1) - 1), where.line - 1, Math.max(0, (where.column ?? 1) - 1)) }],
      };
    }
    return item;
  }

  dispose(): void {
    this.changed.dispose();
  }
}

/** Registers the view, its refresh logic and the cancel action. */
export function registerTasksView(context: vscode.ExtensionContext, state: DebugState, log: vscode.LogOutputChannel): void {
  const provider = new TasksProvider();
  const view = vscode.window.createTreeView(VIEW_ID, { treeDataProvider: provider, showCollapseAll: true });
  let timer: NodeJS.Timeout | undefined;

  // One request at a time (a slow answer must not pile them up), and a stop during a live poll still
  // gets its own refresh after the poll.
  const refresh = coalesced(async () => {
    const session = vscode.debug.activeDebugSession;
    if (session?.type !== DEBUG_TYPE) { provider.update({ roots: [], flat: false }); view.message = undefined; return; }
    try {
      const stopped = state.isStopped(session);
      // Without live snapshots a running program keeps the list of its last stop: say so rather than
      // re-reading thread names that describe that stop.
      if (!stopped && !supportsTaskRequest(session)) {
        view.message = 'As of the last stop: pause to refresh.';
        return;
      }
      provider.update(await fetchTaskTree(session, stopped));
      view.message = undefined;
    } catch (error) {
      log.debug('task view refresh failed', error);
    }
  });

  // Poll only while someone can see the result and the program runs (stops refresh through events).
  const updatePolling = () => {
    const session = vscode.debug.activeDebugSession;
    const live = view.visible && session?.type === DEBUG_TYPE && !state.isStopped(session) && supportsTaskRequest(session);
    if (live && !timer) timer = setInterval(() => void refresh(), LIVE_INTERVAL_MS);
    if (!live && timer) { clearInterval(timer); timer = undefined; }
  };
  const onChange = () => { if (view.visible) void refresh(); updatePolling(); };

  context.subscriptions.push(
    provider,
    view,
    state.onDidChange(onChange),
    vscode.debug.onDidChangeActiveDebugSession(onChange),
    view.onDidChangeVisibility(onChange),
    // Selecting a task's thread in Call Stack selects it here too (the API cannot select the other way).
    vscode.debug.onDidChangeActiveStackItem((item) => {
      if (!item || item.session.type !== DEBUG_TYPE || !view.visible) return;
      const node = provider.find(item.threadId);
      if (node) void view.reveal(node, { select: true, focus: false });
    }),
    { dispose: () => { if (timer) clearInterval(timer); } },
    vscode.commands.registerCommand('coroscope.refreshTasks', () => refresh()),
    vscode.commands.registerCommand('coroscope.cancelTask', async (node?: TaskNode) => {
      const session = vscode.debug.activeDebugSession;
      if (!node || node.info.kind !== 'task' || session?.type !== DEBUG_TYPE) return;
      try {
        // DAP terminateThreads: the Coroscope adapter cancels the tasks, as Task.cancel() would.
        await session.customRequest('terminateThreads', { threadIds: [node.info.id] });
        await refresh();
      } catch (error) {
        void vscode.window.showErrorMessage(`Coroscope: could not cancel ${node.info.name}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }),
  );
}
