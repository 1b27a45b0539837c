// The session run inline, as the extension runs it (DebugAdapterInlineImplementation: handleMessage /
// onDidSendMessage), including the reverse request runInTerminal that DebugClient cannot answer:
// "console": "integratedTerminal" must hand the command to the client's terminal.
import assert from 'node:assert/strict';
import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { findPythons } from '../../test/support/pythons';
import { CoroscopeDebugSession } from '../src/session';
import { fixture } from './support/dap';
import { repoRoot } from './support/root';

/** A minimal DAP client on the inline session, answering runInTerminal by spawning the command itself. */
class InlineClient {
  readonly session = new CoroscopeDebugSession();
  readonly events: DebugProtocol.Event[] = [];
  readonly terminals: { request: DebugProtocol.RunInTerminalRequestArguments; process: ChildProcess; stdout: string; closed: Promise<void> }[] = [];
  private seq = 1;
  private readonly pending = new Map<number, (r: DebugProtocol.Response) => void>();
  private readonly waiters: (() => void)[] = [];

  constructor() {
    this.session.onDidSendMessage((message) => {
      const m = message as DebugProtocol.ProtocolMessage;
      if (m.type === 'response') {
        const r = m as DebugProtocol.Response;
        this.pending.get(r.request_seq)?.(r);
        this.pending.delete(r.request_seq);
      } else if (m.type === 'event') {
        this.events.push(m as DebugProtocol.Event);
      } else if (m.type === 'request' && (m as DebugProtocol.Request).command === 'runInTerminal') {
        // Answer later, as a real client does: the session registers its callback after sending.
        setImmediate(() => this.runInTerminal(m as DebugProtocol.RunInTerminalRequest));
      }
      for (const w of this.waiters.splice(0)) w();
    });
  }

  private runInTerminal(request: DebugProtocol.RunInTerminalRequest): void {
    const { args, cwd, env } = request.arguments;
    const childEnv: NodeJS.ProcessEnv = { ...process.env };
    for (const [k, v] of Object.entries(env ?? {})) {
      if (v === null) delete childEnv[k];
      else childEnv[k] = v;
    }
    const child = spawn(args[0], args.slice(1), { cwd, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
    const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));
    const terminal = { request: request.arguments, process: child, stdout: '', closed };
    child.stdout?.on('data', (d: Buffer) => { terminal.stdout += d.toString(); });
    this.terminals.push(terminal);
    this.session.handleMessage({ type: 'response', seq: this.seq++, request_seq: request.seq, command: 'runInTerminal', success: true, body: { processId: child.pid } } as DebugProtocol.Response);
  }

  request(command: string, args: object = {}): Promise<DebugProtocol.Response> {
    const seq = this.seq++;
    return new Promise((resolve) => {
      this.pending.set(seq, resolve);
      this.session.handleMessage({ type: 'request', seq, command, arguments: args } as DebugProtocol.Request);
    });
  }

  /** Polls (on every message) until an event named `name` has arrived. */
  async event(name: string, timeoutMs = 20_000): Promise<DebugProtocol.Event> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.events.find((e) => e.event === name);
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`no ${name} event; got ${this.events.map((e) => e.event).join(', ')}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.max(0, deadline - Date.now()));
        this.waiters.push(() => { clearTimeout(timer); resolve(); });
      });
    }
  }
}

const py = findPythons().at(-1);

describe('inline session (as the extension runs it)', { skip: !py && 'no Python' }, () => {
  let previousRuntimeDir: string | undefined;
  before(() => {
    // Bundled into out/debugger/test/, the session cannot find the runtime relative to itself.
    previousRuntimeDir = process.env.COROSCOPE_RUNTIME_DIR;
    process.env.COROSCOPE_RUNTIME_DIR = join(repoRoot(), 'debugger', 'python');
  });
  after(() => {
    if (previousRuntimeDir === undefined) delete process.env.COROSCOPE_RUNTIME_DIR;
    else process.env.COROSCOPE_RUNTIME_DIR = previousRuntimeDir;
  });

  test('"console": "integratedTerminal" runs the program through runInTerminal; the exit code still arrives', async () => {
    const client = new InlineClient();
    const init = await client.request('initialize', { adapterID: 'coroscope', supportsRunInTerminalRequest: true, linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path' });
    assert.ok(init.success, init.message);
    const launch = await client.request('launch', { program: fixture('exit_code.py'), python: py?.path, console: 'integratedTerminal', env: { DROPPED: null } });
    assert.ok(launch.success, launch.message);
    await client.event('initialized');
    assert.ok((await client.request('configurationDone')).success);
    const exited = (await client.event('exited')) as DebugProtocol.ExitedEvent;
    assert.equal(exited.body.exitCode, 3);
    await client.event('terminated');

    assert.equal(client.terminals.length, 1);
    const [terminal] = client.terminals;
    assert.equal(terminal.request.kind, 'integrated');
    assert.equal(terminal.request.env?.DROPPED, null, 'removals are passed on to the terminal');
    assert.ok(terminal.request.env?.COROSCOPE_TOKEN, 'the token reaches the runtime through the environment');
    assert.ok(!terminal.request.args.some((a) => a === terminal.request.env?.COROSCOPE_TOKEN), 'never on the command line');
    // The runtime reports the exit from atexit, before the interpreter flushes stdout: wait for the terminal.
    await terminal.closed;
    assert.equal(terminal.stdout, 'to stdout\n', 'the program wrote to its terminal');
    const dapStdout = client.events.filter((e) => e.event === 'output' && (e as DebugProtocol.OutputEvent).body.category === 'stdout');
    assert.deepEqual(dapStdout, [], 'and not to the Debug Console');
    await client.request('disconnect', {});
  });
});
