// The DAP side of Coroscope: translates Debug Adapter Protocol requests into runtime requests and runtime
// events into DAP events. It knows DAP, not asyncio — task names, await chains and wait targets arrive
// ready-made from the runtime (docs/runtime-protocol.md) and are only formatted here.
import {
  BreakpointEvent, ContinuedEvent, DebugSession, ExitedEvent, InitializedEvent, OutputEvent, StoppedEvent, TerminatedEvent,
} from '@vscode/debugadapter';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { ErrorId, UserError, toDapMessage } from './errors';
import type { Debuggee } from './launcher';
import { validateAttach, validateLaunch } from './launchConfig';
import { orderThreads, toStackFrame } from './presentation';
import { RuntimeClient, connectToRuntime } from './runtimeClient';
import type {
  LogBody, RuntimeBreakpoint, RuntimeBreakpointSpec, RuntimeFrame, RuntimeScope, RuntimeThread, RuntimeVariable, StoppedBody,
} from './runtimeProtocol';
import { startProgram } from './startProgram';

/** Breakpoint modes offered for source breakpoints (DAP `breakpointModes`). */
export const BREAKPOINT_MODES: DebugProtocol.BreakpointMode[] = [
  { mode: 'suspend', label: 'On suspend', description: 'Stop when a task suspends at this await', appliesTo: ['source'] },
  { mode: 'resume', label: 'On resume', description: 'Stop when a task resumes after this await', appliesTo: ['source'] },
];

/** Runtime hello capability that announces support for suspend/resume breakpoints. */
const MODES_CAPABILITY = 'breakpointModes';
/** Evaluate runs user code, which may legitimately take a while. */
const EVALUATE_TIMEOUT_MS = 60_000;
/** How long a debuggee may take to exit after being asked to, before it is killed. */
const TERMINATE_GRACE_MS = 3_000;

/**
 * One debug session: one launched or attached program. Exported so the extension can run it inline
 * (`new vscode.DebugAdapterInlineImplementation(new CoroscopeDebugSession())`).
 */
export class CoroscopeDebugSession extends DebugSession {
  private runtime: RuntimeClient | undefined;
  private debuggee: Debuggee | undefined;
  private stopOnEntry = false;
  /** The thread of the last stop; VS Code expands the first thread it lists. */
  private stoppedThreadId: number | undefined;
  /** Ids of label frames from the current stop: they have no scopes. */
  private labelFrames = new Set<number>();
  private terminatedSent = false;
  private shuttingDown = false;
  /** Set when the client disconnected asking the launched program to run on. */
  private leaveRunning = false;

  constructor() {
    super();
    // The runtime reports 1-based lines and columns, as Python does; clients may choose otherwise.
    this.setDebuggerLinesStartAt1(true);
    this.setDebuggerColumnsStartAt1(true);
  }

  // ---- session lifecycle -------------------------------------------------------------------------------

  protected override initializeRequest(response: DebugProtocol.InitializeResponse, _args: DebugProtocol.InitializeRequestArguments): void {
    response.body = {
      supportsConfigurationDoneRequest: true,
      supportsConditionalBreakpoints: true,
      supportsHitConditionalBreakpoints: true,
      supportsLogPoints: true,
      supportsEvaluateForHovers: true,
      supportsTerminateRequest: true,
      supportsDelayedStackTraceLoading: true,
      breakpointModes: BREAKPOINT_MODES,
    };
    this.sendResponse(response);
  }

  protected override async launchRequest(response: DebugProtocol.LaunchResponse, args: DebugProtocol.LaunchRequestArguments): Promise<void> {
    await this.respond(response, async () => {
      const config = validateLaunch(args);
      this.stopOnEntry = config.stopOnEntry;
      if (config.console !== 'internalConsole') {
        this.sendEvent(new OutputEvent(`Coroscope: "console": "${config.console}" is not supported yet; the program's output appears here and it has no standard input.\n`, 'console'));
      }
      const started = await startProgram(config, (category, text) => this.sendEvent(new OutputEvent(text, category)));
      this.debuggee = started.debuggee;
      void started.debuggee.exited.then((exit) => this.onProgramExit(exit.exitCode));
      this.adoptRuntime(started.runtime);
    });
    if (response.success) this.sendEvent(new InitializedEvent());
  }

  protected override async attachRequest(response: DebugProtocol.AttachResponse, args: DebugProtocol.AttachRequestArguments): Promise<void> {
    await this.respond(response, async () => {
      const config = validateAttach(args);
      let runtime: RuntimeClient;
      try {
        runtime = await connectToRuntime(config.host, config.port, config.token);
      } catch (err) {
        throw new UserError(ErrorId.AttachFailed, `Cannot attach: ${(err as Error).message}.`);
      }
      this.adoptRuntime(runtime);
    });
    if (response.success) this.sendEvent(new InitializedEvent());
  }

  protected override async configurationDoneRequest(response: DebugProtocol.ConfigurationDoneResponse): Promise<void> {
    await this.respond(response, async () => {
      await this.connected().request('configurationDone', { stopOnEntry: this.stopOnEntry });
    });
  }

  protected override async disconnectRequest(response: DebugProtocol.DisconnectResponse, args: DebugProtocol.DisconnectArguments): Promise<void> {
    // Launched programs end with the session unless the client asks otherwise; attached ones run on.
    const terminate = args?.terminateDebuggee ?? this.debuggee !== undefined;
    this.leaveRunning = !terminate;
    await this.detach(terminate);
    super.disconnectRequest(response, args);
  }

  protected override async terminateRequest(response: DebugProtocol.TerminateResponse): Promise<void> {
    await this.detach(true);
    this.sendResponse(response);
    this.sendTerminated();
  }

  /** Called when the DAP connection ends, also without a disconnect: never leave an orphaned debuggee. */
  override shutdown(): void {
    if (!this.shuttingDown) {
      this.shuttingDown = true;
      this.runtime?.close();
      if (!this.leaveRunning) this.debuggee?.kill();
    }
    super.shutdown();
  }

  // ---- breakpoints ---------------------------------------------------------------------------------------

  protected override async setBreakPointsRequest(response: DebugProtocol.SetBreakpointsResponse, args: DebugProtocol.SetBreakpointsArguments): Promise<void> {
    await this.respond(response, async () => {
      const requested = args.breakpoints ?? [];
      const file = args.source.path ? this.convertClientPathToDebugger(args.source.path) : undefined;
      if (!file) {
        response.body = { breakpoints: requested.map(() => ({ verified: false, message: 'Coroscope sets breakpoints in files on disk only.' })) };
        return;
      }
      const modes = this.runtimeSupportsModes();
      // Mode breakpoints the runtime cannot honour are kept out of the request rather than silently
      // degraded into line breakpoints; the user sees why.
      const sent: { index: number; spec: RuntimeBreakpointSpec }[] = [];
      const result: DebugProtocol.Breakpoint[] = requested.map((bp, index) => {
        const line = this.convertClientLineToDebugger(bp.line);
        if (bp.mode && bp.mode !== 'suspend' && bp.mode !== 'resume') {
          return { verified: false, line: bp.line, message: `Unknown breakpoint mode '${bp.mode}'.` };
        }
        if (bp.mode && !modes) {
          return { verified: false, line: bp.line, message: `This Coroscope runtime does not support "On ${bp.mode}" breakpoints yet.` };
        }
        const spec: RuntimeBreakpointSpec = { line };
        if (bp.condition) spec.condition = bp.condition;
        if (bp.hitCondition) spec.hitCondition = bp.hitCondition;
        if (bp.logMessage) spec.logMessage = bp.logMessage;
        if (bp.mode) spec.mode = bp.mode as 'suspend' | 'resume';
        sent.push({ index, spec });
        return { verified: false, line: bp.line };
      });
      if (sent.length || this.runtime) {
        const body = await this.connected().request<{ breakpoints: RuntimeBreakpoint[] }>('setBreakpoints', {
          path: file,
          breakpoints: sent.map((s) => s.spec),
        });
        sent.forEach(({ index }, i) => {
          const answer = body.breakpoints?.[i];
          if (answer) result[index] = this.toDapBreakpoint(answer, requested[index].line);
        });
      }
      response.body = { breakpoints: result };
    });
  }

  protected override async setExceptionBreakPointsRequest(response: DebugProtocol.SetExceptionBreakpointsResponse, args: DebugProtocol.SetExceptionBreakpointsArguments): Promise<void> {
    await this.respond(response, async () => {
      await this.connected().request('setExceptionBreakpoints', { filters: args.filters ?? [] });
    });
  }

  private toDapBreakpoint(bp: RuntimeBreakpoint, requestedLine: number): DebugProtocol.Breakpoint {
    const result: DebugProtocol.Breakpoint = {
      verified: Boolean(bp.verified),
      line: typeof bp.line === 'number' ? this.convertDebuggerLineToClient(bp.line) : requestedLine,
    };
    if (typeof bp.id === 'number') result.id = bp.id;
    if (bp.message) result.message = bp.message;
    return result;
  }

  private runtimeSupportsModes(): boolean {
    const caps = this.runtime?.runtimeHello.capabilities;
    return Array.isArray(caps) && caps.includes(MODES_CAPABILITY);
  }

  // ---- inspection ---------------------------------------------------------------------------------------

  protected override async threadsRequest(response: DebugProtocol.ThreadsResponse): Promise<void> {
    await this.respond(response, async () => {
      // VS Code asks for threads as soon as the session starts; before a runtime exists there are none.
      if (!this.runtime || this.runtime.closed) { response.body = { threads: [] }; return; }
      const body = await this.runtime.request<{ threads: RuntimeThread[] }>('threads');
      response.body = { threads: orderThreads(body.threads ?? [], this.stoppedThreadId) };
    });
  }

  protected override async stackTraceRequest(response: DebugProtocol.StackTraceResponse, args: DebugProtocol.StackTraceArguments): Promise<void> {
    await this.respond(response, async () => {
      const request: Record<string, number> = { threadId: args.threadId };
      if (args.startFrame !== undefined) request.startFrame = args.startFrame;
      if (args.levels !== undefined && args.levels > 0) request.levels = args.levels;
      const body = await this.connected().request<{ frames: RuntimeFrame[]; totalFrames?: number }>('stackTrace', request);
      const frames = (body.frames ?? []).map((frame) => {
        if (frame.kind === 'label') this.labelFrames.add(frame.id);
        const dap = toStackFrame(frame);
        if (dap.line) dap.line = this.convertDebuggerLineToClient(dap.line);
        if (dap.column) dap.column = this.convertDebuggerColumnToClient(dap.column);
        if (dap.source?.path) dap.source.path = this.convertDebuggerPathToClient(dap.source.path);
        return dap;
      });
      response.body = { stackFrames: frames, totalFrames: body.totalFrames ?? frames.length };
    });
  }

  protected override async scopesRequest(response: DebugProtocol.ScopesResponse, args: DebugProtocol.ScopesArguments): Promise<void> {
    await this.respond(response, async () => {
      if (this.labelFrames.has(args.frameId)) { response.body = { scopes: [] }; return; }
      const body = await this.connected().request<{ scopes: RuntimeScope[] }>('scopes', { frameId: args.frameId });
      response.body = {
        scopes: (body.scopes ?? []).map((s) => {
          const scope: DebugProtocol.Scope = { name: s.name, variablesReference: s.variablesReference, expensive: Boolean(s.expensive) };
          if (s.name === 'Locals') scope.presentationHint = 'locals';
          return scope;
        }),
      };
    });
  }

  protected override async variablesRequest(response: DebugProtocol.VariablesResponse, args: DebugProtocol.VariablesArguments): Promise<void> {
    await this.respond(response, async () => {
      const request: Record<string, unknown> = { variablesReference: args.variablesReference };
      if (args.start !== undefined) request.start = args.start;
      if (args.count !== undefined) request.count = args.count;
      if (args.filter !== undefined) request.filter = args.filter;
      const body = await this.connected().request<{ variables: RuntimeVariable[] }>('variables', request);
      response.body = { variables: (body.variables ?? []).map(toDapVariable) };
    });
  }

  protected override async evaluateRequest(response: DebugProtocol.EvaluateResponse, args: DebugProtocol.EvaluateArguments): Promise<void> {
    // A failed hover is normal (the user pointed at a keyword); it must not pop up an error.
    await this.respond(response, async () => {
      const request: Record<string, unknown> = { expression: args.expression };
      if (args.frameId !== undefined) request.frameId = args.frameId;
      if (args.context !== undefined) request.context = args.context;
      const body = await this.connected().request<{ result: string; type?: string; variablesReference?: number }>('evaluate', request, EVALUATE_TIMEOUT_MS);
      response.body = { result: String(body.result ?? ''), type: body.type, variablesReference: body.variablesReference ?? 0 };
    }, args.context === 'hover');
  }

  // ---- execution control ---------------------------------------------------------------------------------

  protected override async continueRequest(response: DebugProtocol.ContinueResponse, _args: DebugProtocol.ContinueArguments): Promise<void> {
    await this.resume(response, 'continue', {});
  }

  protected override async nextRequest(response: DebugProtocol.NextResponse, args: DebugProtocol.NextArguments): Promise<void> {
    await this.resume(response, 'next', { threadId: args.threadId });
  }

  protected override async stepInRequest(response: DebugProtocol.StepInResponse, args: DebugProtocol.StepInArguments): Promise<void> {
    await this.resume(response, 'stepIn', { threadId: args.threadId });
  }

  protected override async stepOutRequest(response: DebugProtocol.StepOutResponse, args: DebugProtocol.StepOutArguments): Promise<void> {
    await this.resume(response, 'stepOut', { threadId: args.threadId });
  }

  protected override async pauseRequest(response: DebugProtocol.PauseResponse, args: DebugProtocol.PauseArguments): Promise<void> {
    await this.respond(response, async () => {
      await this.connected().request('pause', { threadId: args.threadId });
    });
  }

  /** Runs a request that lets the program run again; frame ids die with it. */
  private async resume(response: DebugProtocol.Response, command: string, args: object): Promise<void> {
    this.labelFrames.clear();
    await this.respond(response, async () => {
      await this.connected().request(command, args);
    }, false, false);
    if (response.success && command === 'continue') response.body = { allThreadsContinued: true };
    this.sendResponse(response);
  }

  // ---- runtime events ------------------------------------------------------------------------------------

  private adoptRuntime(runtime: RuntimeClient): void {
    this.runtime = runtime;
    runtime.on('event', (name: string, body: unknown) => this.onRuntimeEvent(name, body));
    runtime.on('close', (reason: string) => this.onRuntimeClosed(reason));
    runtime.startEvents();
  }

  private onRuntimeEvent(name: string, raw: unknown): void {
    const body = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
    switch (name) {
      case 'stopped': {
        const stop = body as unknown as StoppedBody;
        this.labelFrames.clear();
        if (typeof stop.threadId === 'number') this.stoppedThreadId = stop.threadId;
        const event = new StoppedEvent(String(stop.reason ?? 'pause'), stop.threadId) as DebugProtocol.StoppedEvent;
        event.body.allThreadsStopped = stop.allThreadsStopped ?? true;
        if (stop.description) event.body.description = stop.description;
        if (stop.text) event.body.text = stop.text;
        if (Array.isArray(stop.hitBreakpointIds)) event.body.hitBreakpointIds = stop.hitBreakpointIds;
        this.sendEvent(event);
        break;
      }
      case 'continued':
        this.labelFrames.clear();
        this.sendEvent(new ContinuedEvent(typeof body.threadId === 'number' ? body.threadId : (this.stoppedThreadId ?? 0), true));
        break;
      case 'breakpointChanged': {
        const bp = this.toDapBreakpoint(body as unknown as RuntimeBreakpoint, 0);
        this.sendEvent(new BreakpointEvent('changed', bp));
        break;
      }
      case 'log': {
        const log = body as unknown as LogBody;
        if (typeof log.output === 'string') this.sendEvent(new OutputEvent(log.output, log.category === 'stderr' ? 'stderr' : 'console'));
        break;
      }
      case 'terminated':
        // In launch mode the process exit (with every byte of output before it) ends the session.
        if (!this.debuggee) {
          if (typeof body.exitCode === 'number') this.sendEvent(new ExitedEvent(body.exitCode));
          this.sendTerminated();
        }
        break;
      default:
        break; // events of a newer runtime this adapter does not know yet
    }
  }

  private onRuntimeClosed(reason: string): void {
    if (this.shuttingDown || this.terminatedSent) return;
    if (this.debuggee && !this.debuggee.done) {
      // The program runs on; its exit will still end the session.
      this.sendEvent(new OutputEvent(`Coroscope: the runtime disconnected (${reason}); the program keeps running without the debugger.\n`, 'console'));
      return;
    }
    if (!this.debuggee) this.sendTerminated();
  }

  private onProgramExit(exitCode: number): void {
    if (this.shuttingDown) return;
    this.sendEvent(new ExitedEvent(exitCode));
    this.sendTerminated();
  }

  private sendTerminated(): void {
    if (this.terminatedSent) return;
    this.terminatedSent = true;
    this.sendEvent(new TerminatedEvent());
  }

  // ---- helpers ---------------------------------------------------------------------------------------------

  /** Ends the debugging link; with `terminate`, also the program (killed if it does not exit in time). */
  private async detach(terminate: boolean): Promise<void> {
    const runtime = this.runtime;
    if (runtime && !runtime.closed) {
      try { await runtime.request('disconnect', { terminate }, TERMINATE_GRACE_MS); } catch { /* already gone */ }
      runtime.close();
    }
    const debuggee = this.debuggee;
    if (terminate && debuggee && !debuggee.done) {
      const timer = setTimeout(() => debuggee.kill(), TERMINATE_GRACE_MS);
      await debuggee.exited;
      clearTimeout(timer);
    }
  }

  private connected(): RuntimeClient {
    if (!this.runtime || this.runtime.closed) throw new UserError(ErrorId.NotConnected, 'The debugged program is not connected.', false);
    return this.runtime;
  }

  /**
   * Runs a handler and answers the request: success, or an error response carrying the id and message of
   * whatever it threw. `send` false leaves sending to the caller.
   */
  private async respond(response: DebugProtocol.Response, handler: () => Promise<void>, quiet = false, send = true): Promise<void> {
    try {
      await handler();
    } catch (err) {
      const message = toDapMessage(err, quiet);
      response.success = false;
      response.message = message.format;
      response.body = { error: message };
      if (send) this.sendResponse(response);
      return;
    }
    if (send) this.sendResponse(response);
  }
}

function toDapVariable(v: RuntimeVariable): DebugProtocol.Variable {
  const result: DebugProtocol.Variable = { name: String(v.name), value: String(v.value), variablesReference: v.variablesReference ?? 0 };
  if (v.type) result.type = String(v.type);
  for (const key of ['evaluateName', 'namedVariables', 'indexedVariables', 'presentationHint'] as const) {
    if (v[key] !== undefined) (result as unknown as Record<string, unknown>)[key] = v[key];
  }
  return result;
}
