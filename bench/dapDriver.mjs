// Drives a debug adapter through DAP exactly as VS Code does (initialize → launch → setBreakpoints →
// configurationDone), for the benchmarks: ours (dist/debugAdapter.js) and debugpy's adapter side by side.
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { root, venv } from './lib.mjs';

const require = createRequire(join(root, 'package.json'));
const { DebugClient } = require('@vscode/debugadapter-testsupport');

/** Where debugpy's adapter package lives in the peer venv. */
export function debugpyAdapterDir() {
  const pkg = execFileSync(join(venv, 'bin', 'python'), ['-c', 'import debugpy, os; print(os.path.dirname(debugpy.__file__))'], { encoding: 'utf8' }).trim();
  return join(pkg, 'adapter');
}

export const adapters = {
  coroscope: {
    client: () => new DebugClient('node', join(root, 'dist', 'debugAdapter.js'), 'coroscope', { env: process.env }),
    launchArgs: (python, program, args) => ({ type: 'coroscope', request: 'launch', name: 'bench', program, args, python, console: 'internalConsole' }),
  },
  debugpy: {
    // Run the adapter directory as a script; debugpy's adapter supports direct invocation.
    client: () => new DebugClient(join(venv, 'bin', 'python'), debugpyAdapterDir(), 'debugpy', { env: process.env }),
    launchArgs: (python, program, args) => ({ type: 'debugpy', request: 'launch', name: 'bench', program, args, python, console: 'internalConsole', justMyCode: true }),
  },
};

/**
 * Runs `program` under `adapter` to completion with the given source breakpoints ({path, line, mode?}) and
 * returns {output, launchToFirstOutputMs, totalMs, verified}. Fails if the program stops (the benchmarks
 * put breakpoints where code never runs).
 */
export async function runUnderAdapter(adapter, python, program, args, breakpoints = [], { timeoutMs = 300_000 } = {}) {
  const spec = adapters[adapter];
  const client = spec.client();
  client.defaultTimeout = timeoutMs;
  let output = '';
  let firstOutputAt;
  client.on('output', (e) => {
    if (e.body.category === 'stdout' || e.body.category === 'stderr') {
      firstOutputAt ??= process.hrtime.bigint();
      output += e.body.output;
    }
  });
  let stoppedUnexpectedly = false;
  client.on('stopped', () => { stoppedUnexpectedly = true; client.continueRequest({ threadId: 0 }).catch(() => {}); });
  await client.start();
  const verified = [];
  let t0 = process.hrtime.bigint();
  try {
    const terminated = client.waitForEvent('terminated', timeoutMs);
    terminated.catch(() => {}); // awaited below; this only keeps an early failure from being unhandled
    await client.initializeRequest({ adapterID: adapter, linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path', supportsRunInTerminalRequest: false });
    // The session's fixed cost counts from the launch request (issue 4: "launch → program start"): the
    // adapter process loading before `initialize` is not part of it (VS Code runs ours in its extension host).
    t0 = process.hrtime.bigint();
    await Promise.all([
      client.waitForEvent('initialized', timeoutMs).then(async () => {
        const byPath = new Map();
        for (const bp of breakpoints) byPath.set(bp.path, [...(byPath.get(bp.path) ?? []), bp]);
        for (const [path, bps] of byPath) {
          const r = await client.setBreakpointsRequest({ source: { path }, breakpoints: bps.map((b) => ({ line: b.line, ...(b.mode ? { mode: b.mode } : {}) })) });
          verified.push(...r.body.breakpoints.map((b) => b.verified));
        }
        await client.configurationDoneRequest();
      }),
      client.launchRequest(spec.launchArgs(python, program, args)),
    ]);
    await terminated;
  } finally {
    await closeClient(client);
  }
  const end = process.hrtime.bigint();
  return {
    output,
    verified,
    stoppedUnexpectedly,
    launchToFirstOutputMs: firstOutputAt ? Number(firstOutputAt - t0) / 1e6 : undefined,
    totalMs: Number(end - t0) / 1e6,
  };
}

/** Ends a DebugClient's adapter; debugpy's adapter may linger after disconnect, so kill it after 3 s. */
export async function closeClient(client) {
  await Promise.race([client.stop().catch(() => {}), new Promise((r) => setTimeout(r, 3000))]);
  // eslint-disable-next-line dot-notation -- DebugClient keeps the adapter process private
  const proc = client['_adapterProcess'];
  if (proc && proc.exitCode === null) proc.kill('SIGKILL');
}
