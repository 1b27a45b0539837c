// Per-stop bookkeeping of the session: ids it hands out while the program is stopped.
import type { RuntimeThread } from './runtimeProtocol';
import type { TaskField } from './taskView';

/**
 * Ids the adapter invents (separator frames, the Task scope) live above the runtime's small counters so
 * the two never collide; DAP ids are 32-bit signed.
 */
export const SYNTHETIC_BASE = 0x40000000;

/** What is known about the program while it is stopped; thrown away when it runs again. */
export class StopState {
  /** The thread list of this stop, fetched once for stitching and the Task scope. */
  threads: Promise<RuntimeThread[]> | undefined;
  /** Frame id → the thread (task) the frame belongs to. */
  readonly frameOwner = new Map<number, number>();
  /** Ids of separator and creation-site frames: no scopes. */
  readonly syntheticFrames = new Set<number>();
  /** Adapter-owned variable references → the task whose Task scope they show. */
  readonly taskScopes = new Map<number, number>();
  /** Adapter-owned variable references → the rows they expand into (a task's children, what it awaits). */
  readonly taskRows = new Map<number, TaskField[]>();
  private nextId = SYNTHETIC_BASE;

  /** A fresh id for an adapter-made frame or variable reference. */
  newId(): number {
    return this.nextId++;
  }
}
