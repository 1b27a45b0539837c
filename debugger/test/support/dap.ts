// Drives dist/debugAdapter.js through DebugClient (@vscode/debugadapter-testsupport) as VS Code would,
// and records what a user would see: output, stops, threads, stacks, scopes.
import { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { repoRoot } from './root';

let snapshot: string | undefined;

/**
 * The adapter bundle the tests run: a copy of dist/debugAdapter.js taken once per test file, in a folder laid
 * out like the extension (dist/ next to a debugger/ link), so the runtime is still found relative to the
 * bundle. Other engineers' builds recreate dist/ while tests run in the same checkout; a copy keeps a test
 * from losing its adapter halfway.
 */
export function adapterPath(): string {
  if (snapshot) return snapshot;
  const source = join(repoRoot(), 'dist', 'debugAdapter.js');
  if (!existsSync(source)) throw new Error(`${source} is missing: run npm run build`);
  const dir = mkdtempSync(join(tmpdir(), 'coroscope-adapter-'));
  // The symlink inside is removed, not followed: rmSync does not descend into linked folders.
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  mkdirSync(join(dir, 'dist'));
  copyFileSync(source, join(dir, 'dist', 'debugAdapter.js'));
  symlinkSync(join(repoRoot(), 'debugger'), join(dir, 'debugger'), 'dir');
  snapshot = join(dir, 'dist', 'debugAdapter.js');
  return snapshot;
}
export const fixture = (name: string) => join(repoRoot(), 'debugger', 'test', 'fixtures', name);

/** A DebugClient that keeps every output event and can wait for output to contain a string. */
export class Client extends DebugClient {
  readonly output: { category: string; text: string }[] = [];
  /** The runtime's own diagnostics (COROSCOPE_LOG), quoted when a test fails. */
  readonly runtimeLog: string;

  constructor() {
    const runtimeLog = join(mkdtempSync(join(tmpdir(), 'coroscope-dap-')), 'runtime.log');
    // enableStderr: an adapter that dies (e.g. a missing bundle) says why in the test output.
    super('node', adapterPath(), 'coroscope', { env: { ...process.env, COROSCOPE_LOG: runtimeLog } }, true);
    this.runtimeLog = runtimeLog;
    this.defaultTimeout = 20_000; // six interpreters on two cores: a cold Python start can take seconds
    this.on('output', (event: DebugProtocol.OutputEvent) => {
      this.output.push({ category: event.body.category ?? 'console', text: event.body.output });
    });
  }

  /** Stops the adapter, then removes this client's runtime log folder (failure messages quote it earlier). */
  override async stop(): Promise<void> {
    try {
      await super.stop();
    } finally {
      rmSync(dirname(this.runtimeLog), { recursive: true, force: true });
    }
  }

  /** The last lines of the runtime's log, for failure messages. */
  runtimeLogTail(): string {
    return existsSync(this.runtimeLog) ? readFileSync(this.runtimeLog, 'utf8').split('\n').slice(-40).join('\n') : '(no runtime log)';
  }

  /** Everything the program wrote to `category` so far. */
  text(category: string): string {
    return this.output.filter((o) => o.category === category).map((o) => o.text).join('');
  }

  /** Resolves once `category` output contains `needle` (polls on each output event). */
  async waitForOutput(category: string, needle: string, timeoutMs = 20_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.text(category).includes(needle)) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no ${category} output containing ${JSON.stringify(needle)}; got ${JSON.stringify(this.text(category))}`);
      await this.waitForEvent('output', left).catch(() => undefined);
    }
  }
}

/**
 * Resolves with the next `stopped` event. Rejects early if the session ends instead, and on timeout, in both
 * cases with everything the program and the runtime printed, so a failure explains itself.
 */
export function nextStop(client: Client, timeoutMs = client.defaultTimeout): Promise<DebugProtocol.StoppedEvent> {
  return new Promise((resolve, reject) => {
    const fail = (why: string) => {
      cleanup();
      const output = client.output.map((o) => `[${o.category}] ${o.text}`).join('');
      reject(new Error(`${why}; output so far:\n${output}\nruntime log:\n${client.runtimeLogTail()}`));
    };
    const onStopped = (event: DebugProtocol.StoppedEvent) => { cleanup(); resolve(event); };
    const onTerminated = () => fail('the session ended before stopping');
    const timer = setTimeout(() => fail(`no stop within ${timeoutMs} ms`), timeoutMs);
    const cleanup = () => {
      clearTimeout(timer);
      client.off('stopped', onStopped);
      client.off('terminated', onTerminated);
    };
    client.on('stopped', onStopped);
    client.on('terminated', onTerminated);
  });
}

/** Line number (1-based) of the line carrying `# marker` in a fixture. */
export function markerLine(source: string, marker: string): number {
  const index = source.split('\n').findIndex((l) => l.includes(`# ${marker}`));
  if (index < 0) throw new Error(`marker ${marker} not found`);
  return index + 1;
}

/**
 * The whole start of a session as VS Code performs it: initialize, launch, breakpoints after `initialized`,
 * configurationDone. Resolves with the first `stopped` event (or rejects on timeout).
 */
export async function launchAndStop(client: Client, launchArgs: object, breakpoints: { path: string; lines: number[] }[] = [],
  exceptionFilters?: string[]): Promise<DebugProtocol.StoppedEvent> {
  const stopped = nextStop(client);
  stopped.catch(() => undefined); // awaited below; a rejection must not count as unhandled meanwhile
  await Promise.all([
    client.waitForEvent('initialized').then(async () => {
      for (const bp of breakpoints) {
        const response = await client.setBreakpointsRequest({ source: { path: bp.path }, breakpoints: bp.lines.map((line) => ({ line })) });
        for (const b of response.body.breakpoints) if (!b.verified) throw new Error(`breakpoint not verified: ${JSON.stringify(b)}`);
      }
      if (exceptionFilters) await client.setExceptionBreakpointsRequest({ filters: exceptionFilters });
      await client.configurationDoneRequest();
    }),
    client.launch(launchArgs),
  ]);
  return stopped;
}

/** Runs `body` with a fresh adapter process, always stopping it. */
export async function withClient(body: (client: Client) => Promise<void>): Promise<void> {
  const client = new Client();
  await client.start();
  try {
    await body(client);
  } finally {
    await client.stop();
  }
}
