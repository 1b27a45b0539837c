// Types of the adapter ↔ runtime protocol (docs/runtime-protocol.md, version 1). Declared once here so the
// runtime client and the DAP session agree on the shapes; the Python side mirrors them by hand.

/** Protocol version this adapter speaks; a runtime announcing another one is refused. */
export const PROTOCOL_VERSION = 1;

/** The first line each side sends. The runtime's carries pid, python, implementation, runtimeVersion. */
export interface Hello {
  type: 'hello';
  protocol: number;
  token?: string;
  pid?: number;
  python?: string;
  implementation?: string;
  runtimeVersion?: string;
  /** Optional features the runtime implements beyond the v1 core (adapter-side note in the protocol doc). */
  capabilities?: string[];
  [key: string]: unknown;
}

export interface RuntimeRequest {
  type: 'request';
  seq: number;
  command: string;
  arguments: object;
}

export interface RuntimeResponse {
  type: 'response';
  request_seq: number;
  command: string;
  success: boolean;
  message?: string;
  body?: unknown;
}

export interface RuntimeEvent {
  type: 'event';
  event: string;
  body?: unknown;
}

/** Where a task was created. */
export interface CreationSite {
  file: string;
  line: number;
  function?: string;
}

export type TaskState = 'pending' | 'running' | 'suspended' | 'done' | 'cancelled' | 'failed';

/** One asyncio Task as the runtime reports it. */
export interface TaskThread {
  id: number;
  kind: 'task';
  name: string;
  coroutine?: string;
  state: TaskState;
  loopThreadId?: number;
  waitTarget?: string;
  /** Progress of the gather a suspended task awaits (only with waitTarget `gather`). */
  gather?: { done: number; total: number };
  createdAt?: CreationSite;
  /** Thread id of the task that created this one. */
  createdBy?: number;
  /** The tasks waiting for this one, and how (await, gather, shield, wait_for, wait, taskgroup, future). */
  awaitedBy?: { id: number; via?: string }[];
  /** Seconds suspended at the current wait (only when suspended and measured); see SuspendedFor. */
  suspendedFor?: SuspendedFor;
  [key: string]: unknown;
}

/**
 * How long a task has been suspended at its current wait: at least `atLeast` seconds and, when known, at
 * most `atMost`. Equal bounds are exact (asyncio.sleep); a missing `atMost` means it was already suspended
 * when the runtime first looked at it (e.g. before attach).
 */
export interface SuspendedFor {
  atLeast: number;
  atMost?: number;
}

/** A task (or plain future) another task created or awaits, with its outcome once finished. */
export interface TaskSummary {
  id?: number;
  name: string;
  coroutine?: string;
  state: TaskState;
  result?: RuntimeVariable;
  exception?: RuntimeVariable;
}

/** Body of the runtime's `taskDetails` answer. */
export interface TaskDetails {
  state: TaskState;
  result?: RuntimeVariable;
  exception?: RuntimeVariable;
  /** The exception is leaving the task at this stop (`uncaught` filter): the task fails with it. */
  uncaught?: boolean;
  children?: TaskSummary[];
  childrenTotal?: number;
  awaiting?: TaskSummary[];
  awaitingTotal?: number;
}

/** One OS thread (the main thread, or a thread running an event loop). */
export interface OsThread {
  id: number;
  kind: 'thread';
  name: string;
  osThreadId?: number;
  runsLoop?: boolean;
  [key: string]: unknown;
}

export type RuntimeThread = TaskThread | OsThread;

/** A stack entry: a real Python frame, or a label the adapter shows as a separator. */
export interface RuntimeFrame {
  id: number;
  name: string;
  file?: string;
  line?: number;
  column?: number;
  kind: 'frame' | 'label';
}

export interface RuntimeBreakpointSpec {
  line: number;
  condition?: string;
  hitCondition?: string;
  logMessage?: string;
  mode?: 'suspend' | 'resume';
}

export interface RuntimeBreakpoint {
  id?: number;
  verified: boolean;
  line?: number;
  message?: string;
}

export interface RuntimeScope {
  name: string;
  variablesReference: number;
  expensive?: boolean;
}

export interface RuntimeVariable {
  name: string;
  value: string;
  type?: string;
  variablesReference: number;
  [key: string]: unknown;
}

export interface StoppedBody {
  reason: string;
  threadId?: number;
  description?: string;
  text?: string;
  hitBreakpointIds?: number[];
  allThreadsStopped?: boolean;
}

export interface LogBody {
  category?: string;
  output: string;
}
