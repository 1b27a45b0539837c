// The DAP side of Coroscope: translates Debug Adapter Protocol requests into runtime requests and runtime
// events into DAP events. It knows DAP, not asyncio — task names, await chains and wait targets arrive
// ready-made from the runtime (docs/runtime-protocol.md) and are only formatted here.
import {
  BreakpointEvent, ContinuedEvent, DebugSession, ExitedEvent, InitializedEvent, OutputEvent, StoppedEvent, TerminatedEvent,
} from '@vscode/debugadapter';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { ErrorId, UserError, toDapMessage } from './errors';
import type { Debuggee } from './launcher';
import { planBreakpoints } from './breakpoints';
import { BreakpointIds, ClientBreakpoints } from './clientBreakpoints';
import { BREAKPOINT_MODES, EXCEPTION_FILTERS } from './capabilities';
import { type AttachConfig, DEFAULT_MAX_TASKS, type LaunchConfig, validateAttach, validateLaunch } from './launchConfig';
import { PathMapper } from './pathMapping';
import { orderThreads, toStackFrame } from './presentation';
import { StackEntry, applyJustMyCode, buildStack } from './stacks';
import { type TaskField, filterThreads, taskFields } from './taskView';
import { buildTasksBody } from './taskTree';
import { TASKS_REQUEST, type TasksArguments } from '../../client/src/protocol';
import { RuntimeClient, connectToRuntime } from './runtimeClient';
import type {
  LogBody, RuntimeBreakpoint, RuntimeFrame, RuntimeScope, RuntimeThread, RuntimeVariable, StoppedBody, TaskDetails, TaskThread,
} from './runtimeProtocol';
import { startProgram } from './startProgram';
import { StopState } from './stopState';

export { BREAKPOINT_MODES, EXCEPTION_FILTERS } from './capabilities';

/** Runtime hello capability that announces support for suspend/resume breakpoints. */
const MODES_CAPABILITY = 'breakpointModes';
/** Evaluate runs user code, which may legitimately take a while. */
const EVALUATE_TIMEOUT_MS = 60_000;
/** How long a debuggee may take to exit after being asked to, before it is killed. */
const TERMINATE_GRACE_MS = 3_000;
/** How long after the runtime's connection closes a finishing program's process may take to be seen exiting. */
const EXIT_GRACE_MS = 1_000;
/**
 * One debug session: one launched or attached program. Exported so the extension can run it inline
 * (`new vscode.DebugAdapterInlineImplementation(new CoroscopeDebugSession())`).
 */
export class CoroscopeDebugSession extends DebugSession {
  private runtime: RuntimeClient | undefined;
  private debuggee: Debuggee | undefined;
  /** True for launch requests (the session owns the program's life), false for attach. */
  private launched = false;
  private stopOnEntry = false;
  private justMyCode = true;
  private maxTasks = DEFAULT_MAX_TASKS;
  private taskFilter: string | undefined;
  private paths = new PathMapper([]);
  private clientSupportsTerminal = false;
  /** Hidden-task count last reported, so the notice is not repeated on every threads request. */
  private reportedHidden = 0;
  /** The thread of the last stop; VS Code expands the first thread it lists. */
  private stoppedThreadId: number | undefined;
  private stopState = new StopState();
  /** True between a `stopped` event and the next resume. */
  private isStopped = false;
  private terminatedSent = false;
  private shuttingDown = false;
  /** Set when the client disconnected asking the launched program to run on. */
  private leaveRunning = false;
  /** Set by the runtime's `terminated` event: the program is finishing, its connection closing is expected. */
  private programEnding = false;
  /** The configuration of the running program, reused by a `restart` that brings none. */
  private lastConfig: { kind: 'launch'; config: LaunchConfig } | { kind: 'attach'; config: AttachConfig } | undefined;
  /** Everything the client configured, replayed to the new runtime of a `restart`. */
  private requested = new ClientBreakpoints();
  private breakpointIds = new BreakpointIds();

  constructor() {
    super();
    // The runtime reports 1-based lines and columns, as Python does; clients may choose otherwise.
    this.setDebuggerLinesStartAt1(true);
    this.setDebuggerColumnsStartAt1(true);
  }

  // ---- session lifecycle -------------------------------------------------------------------------------

  protected override initializeRequest(response: DebugProtocol.InitializeResponse, args: DebugProtocol.InitializeRequestArguments): void {
    this.clientSupportsTerminal = Boolean(args.supportsRunInTerminalRequest);
    response.body = {
      supportsTerminateThreadsRequest: true,
      supportsFunctionBreakpoints: true,
      supportsSetVariable: true,
      supportsConfigurationDoneRequest: true,
      supportsConditionalBreakpoints: true,
      supportsHitConditionalBreakpoints: true,
      supportsLogPoints: true,
      supportsEvaluateForHovers: true,
      supportsTerminateRequest: true,
      supportsRestartRequest: true,
      supportsDelayedStackTraceLoading: true,
      breakpointModes: BREAKPOINT_MODES,
      exceptionBreakpointFilters: EXCEPTION_FILTERS,
      supportsExceptionInfoRequest: true,
    };
    this.sendResponse(response);
  }

  protected override async launchRequest(response: DebugProtocol.LaunchResponse, args: DebugProtocol.LaunchRequestArguments): Promise<void> {
    await this.respond(response, async () => {
      await this.launch(validateLaunch(args));
    });
    if (response.success) this.sendEvent(new InitializedEvent());
  }

  protected override async attachRequest(response: DebugProtocol.AttachResponse, args: DebugProtocol.AttachRequestArguments): Promise<void> {
    await this.respond(response, async () => {
      await this.attach(validateAttach(args));
    });
    if (response.success) this.sendEvent(new InitializedEvent());
  }

  /** Starts the program of a validated launch configuration and adopts its runtime. */
  private async launch(config: LaunchConfig): Promise<void> {
    this.lastConfig = { kind: 'launch', config };
    this.launched = true;
    this.stopOnEntry = config.stopOnEntry;
    this.justMyCode = config.justMyCode;
    this.maxTasks = config.maxTasks;
    this.taskFilter = config.taskFilter;
    let runInTerminal;
    if (config.console !== 'internalConsole') {
      if (this.clientSupportsTerminal) {
        const kind = config.console === 'externalTerminal' ? 'external' : 'integrated';
        runInTerminal = (command: { command: string; args: string[]; cwd: string }, env: Record<string, string | null>) => this.runInTerminal(kind, command, env);
      } else {
        this.sendEvent(new OutputEvent(`Coroscope: this client cannot run programs in a terminal; "console": "${config.console}" falls back to the Debug Console.\n`, 'console'));
      }
    }
    const started = await startProgram(config, { onOutput: (category, text) => this.sendEvent(new OutputEvent(text, category)), runInTerminal });
    const debuggee = started.debuggee;
    this.debuggee = debuggee;
    // After a restart the previous process's exit is expected and must not end the session.
    void debuggee?.exited.then((exit) => { if (this.debuggee === debuggee) this.onProgramExit(exit.exitCode); });
    this.adoptRuntime(started.runtime);
  }

  /** Connects to the runtime named by a validated attach configuration. */
  private async attach(config: AttachConfig): Promise<void> {
    this.lastConfig = { kind: 'attach', config };
    this.justMyCode = config.justMyCode;
    this.maxTasks = config.maxTasks;
    this.taskFilter = config.taskFilter;
    this.paths = new PathMapper(config.pathMappings);
    let runtime: RuntimeClient;
    try {
      runtime = await connectToRuntime(config.host, config.port, config.token);
    } catch (err) {
      throw new UserError(ErrorId.AttachFailed, `Cannot attach: ${(err as Error).message}.`);
    }
    this.adoptRuntime(runtime);
  }

  /**
   * Ends the current program as `terminate` would (an attached one is only disconnected from), starts it
   * again with the request's configuration — validated before anything ends — or the previous one, hands the
   * new runtime every breakpoint, function breakpoint and exception filter the client set, and lets it run.
   * The DAP session lives on: the client sees no `terminated` event.
   */
  protected override async restartRequest(response: DebugProtocol.RestartResponse, args: DebugProtocol.RestartArguments): Promise<void> {
    await this.respond(response, async () => {
      const previous = this.lastConfig;
      if (!previous || this.terminatedSent) throw new UserError(ErrorId.NotConnected, 'There is no program to restart.', false);
      const raw = args?.arguments;
      const next = previous.kind === 'launch'
        ? { kind: 'launch' as const, config: raw ? validateLaunch(raw) : previous.config }
        : { kind: 'attach' as const, config: raw ? validateAttach(raw) : previous.config };
      await this.endForRestart(previous.kind === 'launch');
      try {
        if (next.kind === 'launch') await this.launch(next.config);
        else await this.attach(next.config);
        await this.replayConfiguration();
        await this.connected().request('configurationDone', { stopOnEntry: this.stopOnEntry });
      } catch (err) {
        // Nothing runs any more: the session cannot go on.
        this.releaseProgram();
        this.sendTerminated();
        throw err;
      }
    });
  }

  /** Detaches from the current runtime and program (ending a launched one) and forgets the run's state. */
  private async endForRestart(terminate: boolean): Promise<void> {
    const wasStopped = this.isStopped;
    const { runtime, debuggee } = this;
    // Handlers of the old runtime and process check identity: cleared first, their end is not the session's.
    this.runtime = undefined;
    this.debuggee = undefined;
    await detachFrom(runtime, debuggee, terminate);
    this.stopState = new StopState();
    this.isStopped = false;
    this.stoppedThreadId = undefined;
    this.programEnding = false;
    this.reportedHidden = 0;
    this.breakpointIds.forgetRuntime();
    if (wasStopped) this.sendEvent(new ContinuedEvent(0, true));
  }

  /** Sends the client's breakpoints and filters to a new runtime, keeping the ids the client knows. */
  private async replayConfiguration(): Promise<void> {
    for (const { args, ids } of [...this.requested.sources.values()]) {
      const answered = await this.sendSourceBreakpoints(args, ids);
      for (const bp of answered) if (bp.id !== undefined) this.sendEvent(new BreakpointEvent('changed', bp as DebugProtocol.Breakpoint & { id: number }));
    }
    const functions = this.requested.functions;
    if (functions) {
      const answered = await this.sendFunctionBreakpoints(functions.args, functions.ids);
      for (const bp of answered) if (bp.id !== undefined) this.sendEvent(new BreakpointEvent('changed', bp as DebugProtocol.Breakpoint & { id: number }));
    }
    const filters = this.requested.exceptionFilters;
    if (filters) await this.connected().request('setExceptionBreakpoints', { filters: filters.filters ?? [] });
  }

  protected override async configurationDoneRequest(response: DebugProtocol.ConfigurationDoneResponse): Promise<void> {
    await this.respond(response, async () => {
      await this.connected().request('configurationDone', { stopOnEntry: this.stopOnEntry });
    });
  }

  protected override async disconnectRequest(response: DebugProtocol.DisconnectResponse, args: DebugProtocol.DisconnectArguments): Promise<void> {
    // Launched programs end with the session unless the client asks otherwise; attached ones run on.
    const terminate = args?.terminateDebuggee ?? this.launched;
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
    this.releaseProgram();
    super.shutdown();
  }

  /** Run inline, VS Code ends the session by disposing the adapter: the same cleanup applies. */
  override dispose(): void {
    this.releaseProgram();
    super.dispose();
  }

  private releaseProgram(): void {
    if (this.shuttingDown) return;
    this.shuttingDown = true;
    this.runtime?.close();
    if (!this.leaveRunning) this.debuggee?.kill();
  }

  // ---- breakpoints ---------------------------------------------------------------------------------------

  protected override async setBreakPointsRequest(response: DebugProtocol.SetBreakpointsResponse, args: DebugProtocol.SetBreakpointsArguments): Promise<void> {
    await this.respond(response, async () => {
      const breakpoints = await this.sendSourceBreakpoints(args);
      this.requested.rememberSource(args, breakpoints);
      response.body = { breakpoints };
    });
  }

  /**
   * Sends one file's breakpoints to the runtime and converts its answer. `reuseIds` (a restart's replay)
   * are the client ids these breakpoints had, in request order, so the new runtime's ids map onto them.
   */
  private async sendSourceBreakpoints(args: DebugProtocol.SetBreakpointsArguments, reuseIds?: (number | undefined)[]): Promise<DebugProtocol.Breakpoint[]> {
    const requested = args.breakpoints ?? [];
    const file = args.source.path ? this.paths.toRemote(this.convertClientPathToDebugger(args.source.path)) : undefined;
    if (!file) return requested.map(() => ({ verified: false, message: 'Coroscope sets breakpoints in files on disk only.' }));
    const { sent, result } = planBreakpoints(requested, {
      modes: this.runtimeSupportsModes(),
      runtimeVersion: this.runtime?.runtimeHello.runtimeVersion,
      toRuntimeLine: (line) => this.convertClientLineToDebugger(line),
    });
    if (sent.length || this.runtime) {
      const body = await this.connected().request<{ breakpoints: RuntimeBreakpoint[] }>('setBreakpoints', {
        path: file,
        breakpoints: sent.map((s) => s.spec),
      });
      sent.forEach(({ index }, i) => {
        const answer = body.breakpoints?.[i];
        if (!answer) return;
        const known = reuseIds?.[index];
        if (known !== undefined && typeof answer.id === 'number') this.breakpointIds.alias(answer.id, known);
        result[index] = this.toDapBreakpoint(answer, requested[index].line);
      });
    }
    return result;
  }

  protected override async setFunctionBreakPointsRequest(response: DebugProtocol.SetFunctionBreakpointsResponse, args: DebugProtocol.SetFunctionBreakpointsArguments): Promise<void> {
    await this.respond(response, async () => {
      const breakpoints = await this.sendFunctionBreakpoints(args);
      this.requested.rememberFunctions(args, breakpoints);
      response.body = { breakpoints };
    });
  }

  /** Sends the function breakpoints to the runtime; `reuseIds` as for sendSourceBreakpoints. */
  private async sendFunctionBreakpoints(args: DebugProtocol.SetFunctionBreakpointsArguments, reuseIds?: (number | undefined)[]): Promise<DebugProtocol.Breakpoint[]> {
    const specs = (args.breakpoints ?? []).map((bp) => {
      const spec: { name: string; condition?: string; hitCondition?: string } = { name: bp.name };
      if (bp.condition) spec.condition = bp.condition;
      if (bp.hitCondition) spec.hitCondition = bp.hitCondition;
      return spec;
    });
    const body = await this.connected().request<{ breakpoints: RuntimeBreakpoint[] }>('setFunctionBreakpoints', { breakpoints: specs });
    return specs.map((_spec, i) => {
      const answer = body.breakpoints?.[i];
      const bp: DebugProtocol.Breakpoint = { verified: Boolean(answer?.verified) };
      if (typeof answer?.id === 'number') {
        const known = reuseIds?.[i];
        if (known !== undefined) this.breakpointIds.alias(answer.id, known);
        bp.id = this.breakpointIds.toClient(answer.id);
      }
      if (answer?.message) bp.message = answer.message;
      return bp;
    });
  }

  protected override async setExceptionBreakPointsRequest(response: DebugProtocol.SetExceptionBreakpointsResponse, args: DebugProtocol.SetExceptionBreakpointsArguments): Promise<void> {
    await this.respond(response, async () => {
      await this.connected().request('setExceptionBreakpoints', { filters: args.filters ?? [] });
      this.requested.exceptionFilters = args;
    });
  }

  protected override async exceptionInfoRequest(response: DebugProtocol.ExceptionInfoResponse, args: DebugProtocol.ExceptionInfoArguments): Promise<void> {
    await this.respond(response, async () => {
      const body = await this.connected().request<{
        exceptionId: string; description?: string; breakMode?: DebugProtocol.ExceptionBreakMode;
        details?: { typeName?: string; message?: string; stackTrace?: string };
      }>('exceptionInfo', { threadId: args.threadId });
      response.body = {
        exceptionId: String(body.exceptionId ?? 'Exception'),
        description: body.description,
        breakMode: body.breakMode ?? 'always',
        details: body.details ? { typeName: body.details.typeName, message: body.details.message, stackTrace: body.details.stackTrace } : undefined,
      };
    });
  }

  private toDapBreakpoint(bp: RuntimeBreakpoint, requestedLine: number): DebugProtocol.Breakpoint {
    const result: DebugProtocol.Breakpoint = {
      verified: Boolean(bp.verified),
      line: typeof bp.line === 'number' ? this.convertDebuggerLineToClient(bp.line) : requestedLine,
    };
    if (typeof bp.id === 'number') result.id = this.breakpointIds.toClient(bp.id);
    if (bp.message) result.message = bp.message;
    return result;
  }

  /**
   * The runtime ships with this adapter and supports modes; a runtime that lists `capabilities` in its hello
   * without MODES_CAPABILITY (a build without them) gets mode breakpoints reported unverified instead.
   */
  private runtimeSupportsModes(): boolean {
    const caps = this.runtime?.runtimeHello.capabilities;
    return !Array.isArray(caps) || caps.includes(MODES_CAPABILITY);
  }

  // ---- inspection ---------------------------------------------------------------------------------------

  protected override async threadsRequest(response: DebugProtocol.ThreadsResponse): Promise<void> {
    await this.respond(response, async () => {
      // VS Code asks for threads as soon as the session starts; before a runtime exists there are none.
      if (!this.runtime || this.runtime.closed) { response.body = { threads: [] }; return; }
      const all = await this.threadList();
      const { threads, hidden } = filterThreads(all, { maxTasks: this.maxTasks, taskFilter: this.taskFilter, keep: this.stoppedThreadId });
      if (hidden !== this.reportedHidden) {
        this.reportedHidden = hidden;
        if (hidden > 0) {
          const why = this.taskFilter ? `taskFilter "${this.taskFilter}" and maxTasks ${this.maxTasks}` : `maxTasks ${this.maxTasks}`;
          this.sendEvent(new OutputEvent(`Coroscope: ${hidden} task(s) hidden from the Call Stack by ${why}.\n`, 'console'));
        }
      }
      response.body = { threads: orderThreads(threads, this.stoppedThreadId) };
    });
  }

  protected override async stackTraceRequest(response: DebugProtocol.StackTraceResponse, args: DebugProtocol.StackTraceArguments): Promise<void> {
    await this.respond(response, async () => {
      const runtime = this.connected();
      const stop = this.stopState;
      const stack = applyJustMyCode(await buildStack(args.threadId, {
        frames: async (threadId) => (await runtime.request<{ frames: RuntimeFrame[] }>('stackTrace', { threadId })).frames ?? [],
        threads: () => this.threadList(),
      }), this.justMyCode);
      const start = Math.max(0, args.startFrame ?? 0);
      const end = args.levels && args.levels > 0 ? start + args.levels : stack.length;
      response.body = {
        stackFrames: stack.slice(start, end).map((entry) => this.toDapFrame(entry, stop)),
        totalFrames: stack.length,
      };
    });
  }

  /** Converts one stack entry, registering ids so scopes and the Task scope can find their owner. */
  private toDapFrame(entry: StackEntry, stop: StopState): DebugProtocol.StackFrame {
    const frame: RuntimeFrame = entry.synthetic ? { ...entry.frame, id: stop.newId() } : entry.frame;
    if (entry.synthetic) stop.syntheticFrames.add(frame.id);
    stop.frameOwner.set(frame.id, entry.owner);
    const dap = toStackFrame(frame);
    if (dap.line) dap.line = this.convertDebuggerLineToClient(dap.line);
    if (dap.column) dap.column = this.convertDebuggerColumnToClient(dap.column);
    if (dap.source?.path) dap.source.path = this.convertDebuggerPathToClient(this.paths.toLocal(dap.source.path));
    if (entry.synthetic && frame.kind !== 'label') dap.presentationHint = 'subtle';
    else if (entry.library && dap.presentationHint !== 'label') dap.presentationHint = 'subtle';
    return dap;
  }

  protected override async scopesRequest(response: DebugProtocol.ScopesResponse, args: DebugProtocol.ScopesArguments): Promise<void> {
    await this.respond(response, async () => {
      const stop = this.stopState;
      if (stop.syntheticFrames.has(args.frameId)) { response.body = { scopes: [] }; return; }
      const body = await this.connected().request<{ scopes: RuntimeScope[] }>('scopes', { frameId: args.frameId });
      const scopes: DebugProtocol.Scope[] = (body.scopes ?? []).map((s) => {
        const scope: DebugProtocol.Scope = { name: s.name, variablesReference: s.variablesReference, expensive: Boolean(s.expensive) };
        if (s.name === 'Locals') scope.presentationHint = 'locals';
        return scope;
      });
      const owner = stop.frameOwner.get(args.frameId);
      const threads = owner !== undefined ? await this.threadList() : [];
      if (threads.some((t) => t.id === owner && t.kind === 'task')) {
        const ref = stop.newId();
        stop.taskScopes.set(ref, owner as number);
        scopes.push({ name: 'Task', variablesReference: ref, expensive: false });
      }
      response.body = { scopes };
    });
  }

  protected override async variablesRequest(response: DebugProtocol.VariablesResponse, args: DebugProtocol.VariablesArguments): Promise<void> {
    await this.respond(response, async () => {
      const stop = this.stopState;
      const taskId = stop.taskScopes.get(args.variablesReference);
      const rows = taskId !== undefined ? await this.taskScopeRows(taskId) : stop.taskRows.get(args.variablesReference);
      if (rows) {
        response.body = {
          variables: rows.map((f) => {
            let ref = f.variablesReference ?? 0;
            if (f.children?.length) {
              ref = stop.newId();
              stop.taskRows.set(ref, f.children);
            }
            return { name: f.name, value: f.value, variablesReference: ref };
          }),
        };
        return;
      }
      const request: Record<string, unknown> = { variablesReference: args.variablesReference };
      if (args.start !== undefined) request.start = args.start;
      if (args.count !== undefined) request.count = args.count;
      if (args.filter !== undefined) request.filter = args.filter;
      const body = await this.connected().request<{ variables: RuntimeVariable[] }>('variables', request);
      response.body = { variables: (body.variables ?? []).map(toDapVariable) };
    });
  }

  /** The Task scope of a task: the thread list's facts and the runtime's details (outcomes of its children). */
  private async taskScopeRows(taskId: number): Promise<TaskField[]> {
    const threads = await this.threadList();
    const task = threads.find((t) => t.id === taskId && t.kind === 'task') as TaskThread | undefined;
    if (!task) return [];
    let details: TaskDetails | undefined;
    try {
      details = await this.connected().request<TaskDetails>('taskDetails', { threadId: taskId });
    } catch {
      details = undefined; // finished meanwhile: the thread list's facts still stand
    }
    return taskFields(task, threads, details);
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

  protected override async setVariableRequest(response: DebugProtocol.SetVariableResponse, args: DebugProtocol.SetVariableArguments): Promise<void> {
    await this.respond(response, async () => {
      if (this.stopState.taskScopes.has(args.variablesReference) || this.stopState.taskRows.has(args.variablesReference)) {
        throw new UserError(ErrorId.RuntimeRequestFailed, 'The Task scope is read-only.', false);
      }
      const body = await this.connected().request<{ value: string; type?: string; variablesReference?: number }>('setVariable', {
        variablesReference: args.variablesReference, name: args.name, value: args.value,
      }, EVALUATE_TIMEOUT_MS);
      response.body = { value: String(body.value ?? ''), type: body.type, variablesReference: body.variablesReference ?? 0 };
    });
  }

  /** Terminating a task's "thread" cancels the task; the program sees CancelledError at its await. */
  protected override async terminateThreadsRequest(response: DebugProtocol.TerminateThreadsResponse, args: DebugProtocol.TerminateThreadsArguments): Promise<void> {
    await this.respond(response, async () => {
      const runtime = this.connected();
      const threads = await this.threadList();
      for (const id of args.threadIds ?? []) {
        const thread = threads.find((t) => t.id === id);
        if (!thread) continue; // already finished
        if (thread.kind !== 'task') throw new UserError(ErrorId.RuntimeRequestFailed, `${thread.name} is an OS thread; only tasks can be cancelled.`);
        await runtime.request('cancelTask', { threadId: id });
      }
    });
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
    this.stopState = new StopState();
    this.isStopped = false;
    await this.respond(response, async () => {
      await this.connected().request(command, args);
    }, false, false);
    if (response.success && command === 'continue') response.body = { allThreadsContinued: true };
    this.sendResponse(response);
  }

  /** Custom requests: `coroscope/tasks` (client/src/protocol.ts), answered stopped or running. */
  protected override customRequest(command: string, response: DebugProtocol.Response, args: unknown, request?: DebugProtocol.Request): void {
    if (command !== TASKS_REQUEST) { super.customRequest(command, response, args, request); return; }
    const locations = Boolean((args as TasksArguments | undefined)?.locations);
    void this.respond(response, async () => {
      // Like `threads`, asked for before the runtime exists (the view polls as soon as the session starts).
      if (!this.runtime || this.runtime.closed) { response.body = { threads: [] }; return; }
      const runtime = this.runtime;
      response.body = await buildTasksBody({
        threads: () => this.threadList(),
        frames: async (threadId) => (await runtime.request<{ frames: RuntimeFrame[] }>('stackTrace', { threadId })).frames ?? [],
        toClientPath: (file) => this.convertDebuggerPathToClient(this.paths.toLocal(file)),
      }, { locations, stopped: this.isStopped });
    });
  }

  // ---- runtime events ------------------------------------------------------------------------------------

  private adoptRuntime(runtime: RuntimeClient): void {
    this.runtime = runtime;
    // A runtime replaced by a restart may still report its end; only the current one speaks.
    runtime.on('event', (name: string, body: unknown) => { if (this.runtime === runtime) this.onRuntimeEvent(name, body); });
    runtime.on('close', (reason: string) => { if (this.runtime === runtime) void this.onRuntimeClosed(reason); });
    runtime.startEvents();
  }

  private onRuntimeEvent(name: string, raw: unknown): void {
    const body = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
    switch (name) {
      case 'stopped': {
        const stop = body as unknown as StoppedBody;
        this.stopState = new StopState();
        this.isStopped = true;
        if (typeof stop.threadId === 'number') this.stoppedThreadId = stop.threadId;
        const event = new StoppedEvent(String(stop.reason ?? 'pause'), stop.threadId) as DebugProtocol.StoppedEvent;
        event.body.allThreadsStopped = stop.allThreadsStopped ?? true;
        if (stop.description) event.body.description = stop.description;
        if (stop.text) event.body.text = stop.text;
        if (Array.isArray(stop.hitBreakpointIds)) {
          event.body.hitBreakpointIds = stop.hitBreakpointIds.filter((id) => typeof id === 'number').map((id) => this.breakpointIds.toClient(id));
        }
        this.sendEvent(event);
        break;
      }
      case 'continued':
        this.stopState = new StopState();
        this.isStopped = false;
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
        this.programEnding = true;
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

  private async onRuntimeClosed(reason: string): Promise<void> {
    if (this.shuttingDown || this.terminatedSent) return;
    const debuggee = this.debuggee;
    if (!debuggee) { this.sendTerminated(); return; }
    // A program that finishes closes the connection a moment before its process is seen to exit; only one
    // still alive after that moment (a runtime crash) really runs on without the debugger. Its exit code
    // arrives with the exited event either way.
    if (this.programEnding || debuggee.done) return;
    let timer: NodeJS.Timeout | undefined;
    const exited = await Promise.race([
      debuggee.exited.then(() => true),
      new Promise<boolean>((resolve) => { timer = setTimeout(() => resolve(false), EXIT_GRACE_MS); }),
    ]);
    clearTimeout(timer);
    if (exited || this.programEnding || this.shuttingDown || this.terminatedSent) return;
    // The program runs on; its exit will still end the session.
    this.sendEvent(new OutputEvent(`Coroscope: the runtime disconnected (${reason}); the program keeps running without the debugger.\n`, 'console'));
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
  private detach(terminate: boolean): Promise<void> {
    return detachFrom(this.runtime, this.debuggee, terminate);
  }

  /** The runtime's thread list; while stopped it is fetched once and shared by every request of the stop. */
  private threadList(): Promise<RuntimeThread[]> {
    const runtime = this.connected();
    const fetch = async () => (await runtime.request<{ threads: RuntimeThread[] }>('threads')).threads ?? [];
    if (!this.isStopped) return fetch();
    const stop = this.stopState;
    if (!stop.threads) {
      stop.threads = fetch();
      stop.threads.catch(() => { if (this.stopState === stop) stop.threads = undefined; });
    }
    return stop.threads;
  }

  /** Asks the client to run the program in a terminal (DAP reverse request runInTerminal). */
  private runInTerminal(kind: 'integrated' | 'external', command: { command: string; args: string[]; cwd: string }, env: Record<string, string | null>): Promise<void> {
    return new Promise((resolve, reject) => {
      this.runInTerminalRequest({ kind, title: 'Coroscope', cwd: command.cwd, args: [command.command, ...command.args], env }, 10_000, (response) => {
        if (response.success) resolve();
        else reject(new Error(response.message || 'runInTerminal failed'));
      });
    });
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

/** Ends the link to `runtime`; with `terminate`, also `debuggee` (killed if it does not exit in time). */
async function detachFrom(runtime: RuntimeClient | undefined, debuggee: Debuggee | undefined, terminate: boolean): Promise<void> {
  if (runtime && !runtime.closed) {
    try { await runtime.request('disconnect', { terminate }, TERMINATE_GRACE_MS); } catch { /* already gone */ }
    runtime.close();
  }
  if (terminate && debuggee && !debuggee.done) {
    const timer = setTimeout(() => debuggee.kill(), TERMINATE_GRACE_MS);
    await debuggee.exited;
    clearTimeout(timer);
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
