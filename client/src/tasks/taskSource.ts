// Fetches the task tree of a debug session: the adapter's `coroscope/tasks` request when it has one,
// else standard DAP `threads` (+ each thread's innermost workspace frame while stopped).
import * as vscode from 'vscode';
import { TASKS_REQUEST, type SourceLocation, type TasksArguments, type TasksResponseBody } from '../protocol';
import { buildTaskTree, isUnknownRequest, tasksFromDapThreads, type TaskTree } from './model';

const unsupported = new WeakSet<vscode.DebugSession>();
/** Stack depth searched for a frame of the user's own code. */
const FRAMES_TO_SCAN = 20;

/** True when the session answers `coroscope/tasks`, so polling while it runs is worthwhile. */
export function supportsTaskRequest(session: vscode.DebugSession): boolean {
  return !unsupported.has(session);
}

/**
 * A file path from a DAP `source.path` as it reaches the extension: a plain path, or — when the workbench
 * runs remotely (code-server, Remote SSH) — a URI such as `vscode-remote://host/tmp/app.py`.
 */
export function localPath(sourcePath: string | undefined): string | undefined {
  if (!sourcePath) return undefined;
  if (!/^[a-z][\w+.-]+:\/\//i.test(sourcePath)) return sourcePath;
  try {
    return vscode.Uri.parse(sourcePath).fsPath;
  } catch {
    return undefined;
  }
}

/** The current task tree of `session`; `stopped` says whether stack frames can be asked for. */
export async function fetchTaskTree(session: vscode.DebugSession, stopped: boolean): Promise<TaskTree> {
  if (!unsupported.has(session)) {
    try {
      const args: TasksArguments = { locations: true };
      const body = await session.customRequest(TASKS_REQUEST, args) as TasksResponseBody;
      for (const thread of Array.isArray(body?.threads) ? body.threads : []) {
        if (thread?.location) thread.location.file = localPath(thread.location.file) ?? thread.location.file;
        if (thread?.kind === 'task' && thread.createdAt) thread.createdAt.file = localPath(thread.createdAt.file) ?? thread.createdAt.file;
      }
      return buildTaskTree(body);
    } catch (error) {
      // An adapter without the request says so ("unrecognized request"): use plain DAP from now on. Any
      // other error (the runtime not connected yet, a timeout under load) only makes this one answer plain.
      if (isUnknownRequest(error)) unsupported.add(session);
    }
  }
  const { threads } = await session.customRequest('threads') as { threads: { id: number; name: string }[] };
  const topFrames = new Map<number, SourceLocation>();
  if (stopped) {
    await Promise.all(threads.map(async (thread) => {
      try {
        const trace = await session.customRequest('stackTrace', { threadId: thread.id, startFrame: 0, levels: FRAMES_TO_SCAN }) as
          { stackFrames: { line: number; column: number; source?: { path?: string } }[] };
        // The user's own await is more telling than asyncio's internals: prefer the first workspace frame.
        const frames: SourceLocation[] = [];
        for (const frame of trace.stackFrames) {
          const file = localPath(frame.source?.path);
          if (file) frames.push({ file, line: frame.line, column: frame.column });
        }
        const own = frames.find((frame) => vscode.workspace.getWorkspaceFolder(vscode.Uri.file(frame.file)));
        if (own ?? frames[0]) topFrames.set(thread.id, own ?? frames[0]);
      } catch {
        // A thread that ended between the two requests has no stack; it is listed without a location.
      }
    }));
  }
  return buildTaskTree(tasksFromDapThreads(threads, topFrames), true);
}
