// Custom messages between the extension and the Coroscope debug adapter, declared once for both sides
// (rust-analyzer's lsp_ext.ts pattern, STYLE §4). The adapter answers `coroscope/tasks` with the runtime's
// task list (docs/runtime-protocol.md `threads`), enriched where it knows more; the extension falls back to
// standard DAP `threads` + `stackTrace` when an adapter does not implement it.

/** DAP custom request: every live task and OS thread, answerable while the program runs or is stopped. */
export const TASKS_REQUEST = 'coroscope/tasks';

/** Arguments of `coroscope/tasks`. */
export interface TasksArguments {
  /** Include each task's current location (the line of its pending await, or where it runs). */
  locations?: boolean;
}

/** Where something is in the source: absolute path, 1-based line and column. */
export interface SourceLocation {
  file: string;
  line: number;
  column?: number;
}

export type TaskState = 'pending' | 'running' | 'suspended' | 'done' | 'cancelled' | 'failed';

/** One asyncio Task (the runtime's Thread of kind `task`, plus optional adapter enrichments). */
export interface TaskInfo {
  id: number;
  kind: 'task';
  name: string;
  coroutine?: string;
  state: TaskState;
  waitTarget?: string;
  createdAt?: SourceLocation & { function?: string };
  /** Thread id of the task that created it. */
  createdBy?: number;
  /** Thread ids of the tasks awaiting this one (directly, or through gather/wait/TaskGroup). */
  awaitedBy?: number[];
  /** The grouping construct that made this task a child of its awaiter: `gather`, `TaskGroup`, `wait`. */
  group?: string;
  /** Seconds since the task last suspended, at least (only when suspended and measured by the runtime). */
  suspendedFor?: number;
  /**
   * Seconds since it suspended, at most. Equal to `suspendedFor` when exact (asyncio.sleep); absent when the
   * task was already suspended when the runtime first looked at it (e.g. before attach): then only a lower bound.
   */
  suspendedForAtMost?: number;
  /** The same measure in the Task scope's words: `2.4 s`, `2.4 s – 2.5 s`, `≥ 2.4 s (since first seen)`. */
  suspendedForText?: string;
  /** Line of its pending await, or where it runs. */
  location?: SourceLocation;
}

/** One OS thread of the program. */
export interface OsThreadInfo {
  id: number;
  kind: 'thread';
  name: string;
  runsLoop?: boolean;
  location?: SourceLocation;
}

/** Body of the `coroscope/tasks` response. */
export interface TasksResponseBody {
  threads: (TaskInfo | OsThreadInfo)[];
}

// ---- Language server ----------------------------------------------------------------------------------

/**
 * LSP custom request, client → server: the suspend points of every `async def` in a document, for the
 * "N suspend points" CodeLens. Ranges are LSP ranges (0-based lines, UTF-16 columns).
 */
export const SUSPEND_POINTS_REQUEST = 'coroscope/suspendPoints';

/** Params of `coroscope/suspendPoints`. */
export interface SuspendPointsParams {
  textDocument: { uri: string };
}

/** An LSP position and range, declared here so the client needs no protocol package import. */
export interface LspPosition { line: number; character: number }
export interface LspRange { start: LspPosition; end: LspPosition }

/** One place where a coroutine can suspend. */
export interface SuspendPoint {
  kind: 'await' | 'async for' | 'async with';
  range: LspRange;
}

/** An `async def` (including methods and nested functions) and its own suspend points, in source order. */
export interface AsyncFunctionSuspendPoints {
  name: string;
  /** The `async def name` header, where the lens goes. */
  range: LspRange;
  /** Suspend points of this function's own body (not of nested functions). */
  suspendPoints: SuspendPoint[];
}

/** Result of `coroscope/suspendPoints`. */
export interface SuspendPointsResult {
  functions: AsyncFunctionSuspendPoints[];
}
