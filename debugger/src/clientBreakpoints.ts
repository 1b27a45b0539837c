// What the client has asked for, kept so `restart` can hand it to a fresh runtime: source breakpoints per
// file, function breakpoints, exception filters. Also owns the breakpoint ids the client sees, because a new
// runtime numbers its breakpoints from 1 again and the client must keep recognising the ones it already has.
import type { DebugProtocol } from '@vscode/debugprotocol';

/**
 * Breakpoint ids as the client sees them, mapped from the current runtime's ids. Client ids only grow,
 * so a breakpoint set after a restart never takes the id of one the client still holds.
 */
export class BreakpointIds {
  private fromRuntime = new Map<number, number>();
  private next = 1;

  /** The client id for a runtime id, allocating one the first time the runtime id is seen. */
  toClient(runtimeId: number): number {
    let id = this.fromRuntime.get(runtimeId);
    if (id === undefined) {
      id = this.next++;
      this.fromRuntime.set(runtimeId, id);
    }
    return id;
  }

  /** Makes a new runtime's id stand for a breakpoint the client already knows under `clientId`. */
  alias(runtimeId: number, clientId: number): void {
    this.fromRuntime.set(runtimeId, clientId);
  }

  /** Forgets the old runtime's ids (a restart); client ids handed out so far are never reused. */
  forgetRuntime(): void {
    this.fromRuntime.clear();
  }
}

/** One request the client made, with the client ids of the breakpoints it answered (same order). */
export interface Remembered<T> {
  args: T;
  ids: (number | undefined)[];
}

/** The client's current breakpoint configuration, replayed by `restart`. */
export class ClientBreakpoints {
  /** Source breakpoints by the client's path; an empty list clears a file, so it is dropped. */
  readonly sources = new Map<string, Remembered<DebugProtocol.SetBreakpointsArguments>>();
  functions: Remembered<DebugProtocol.SetFunctionBreakpointsArguments> | undefined;
  exceptionFilters: DebugProtocol.SetExceptionBreakpointsArguments | undefined;

  /** Records the answer to one setBreakpoints request. */
  rememberSource(args: DebugProtocol.SetBreakpointsArguments, answered: DebugProtocol.Breakpoint[]): void {
    const key = args.source.path;
    if (!key) return;
    if (!args.breakpoints?.length) { this.sources.delete(key); return; }
    this.sources.set(key, { args, ids: answered.map((bp) => bp.id) });
  }

  /** Records the answer to one setFunctionBreakpoints request. */
  rememberFunctions(args: DebugProtocol.SetFunctionBreakpointsArguments, answered: DebugProtocol.Breakpoint[]): void {
    this.functions = { args, ids: answered.map((bp) => bp.id) };
  }
}
