// `npm run bench:dap` — what VS Code waits for, through DAP (issue 5), for each Python found or named:
//   threads with 10,000 live tasks · stackTrace of one task · pause → stopped on an idle loop ·
//   launch → first line (stopOnEntry), side by side with debugpy.
// `node bench/dap.mjs 3.12` limits versions; BENCH_RUNS (default 5) repeats the request timings.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { adapters, closeClient } from './dapDriver.mjs';
import { ensureBuilt, ensurePeers, fmtMs, median, pyenvPython, report, root } from './lib.mjs';

const runs = Number(process.env.BENCH_RUNS ?? 5);
const wanted = process.argv.slice(2);
ensureBuilt();
ensurePeers();

const workload = join(root, 'bench', 'workloads', 'many_tasks.py');
const hello = join(root, 'bench', 'workloads', 'hello.py');
const stopLine = readFileSync(workload, 'utf8').split('\n').findIndex((l) => l.includes('BREAKPOINT-STOP')) + 1;
const progress = (msg) => process.stderr.write(`  · ${msg}\n`);
const now = () => Number(process.hrtime.bigint()) / 1e6;

async function session(adapter, python, program, { breakpoints = [], stopOnEntry = false, extra = {} } = {}) {
  const spec = adapters[adapter];
  const client = spec.client();
  client.defaultTimeout = 120_000;
  await client.start();
  const stopped = client.waitForEvent('stopped', 120_000);
  await client.initializeRequest({ adapterID: adapter, linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path' });
  // Timed from the launch request: the adapter process loading before `initialize` is not the session's
  // cost (VS Code runs ours inside its extension host).
  const t0 = now();
  await Promise.all([
    client.waitForEvent('initialized').then(async () => {
      for (const line of breakpoints) await client.setBreakpointsRequest({ source: { path: program }, breakpoints: [{ line }] });
      await client.configurationDoneRequest();
    }),
    client.launchRequest({ ...spec.launchArgs(python, program, []), stopOnEntry, ...extra }),
  ]);
  const event = await stopped;
  return { client, event, stoppedAfterMs: now() - t0 };
}

async function timeRequest(fn) {
  const xs = [];
  for (let i = 0; i < runs; i++) { const t = now(); await fn(); xs.push(now() - t); }
  return median(xs);
}

const versions = wanted.length ? wanted : ['3.8', '3.11', '3.12', '3.13'];
const rows = [];
const raw = {};
for (const v of versions) {
  const python = pyenvPython(v.split('.')[1]);
  if (!python) continue;
  const r = (raw[v] = {});
  // 10,000 tasks: threads and one stackTrace.
  progress(`${v}: 10,000 tasks`);
  const { client } = await session('coroscope', python, workload, { breakpoints: [stopLine], extra: { maxTasks: 100_000 } });
  try {
    let threads;
    r.threadsMs = await timeRequest(async () => { threads = (await client.threadsRequest()).body.threads; });
    r.threadCount = threads.length;
    const someTask = threads.find((t) => /waiter/.test(t.name)) ?? threads[threads.length - 1];
    progress(`${v}: ${threads.length} threads in ${fmtMs(r.threadsMs)}`);
    r.stackTraceMs = await timeRequest(() => client.stackTraceRequest({ threadId: someTask.id }));
    // Pause an idle loop: continue past the breakpoint into `await asyncio.sleep(60)`, then pause.
    progress(`${v}: pause an idle loop`);
    await client.continueRequest({ threadId: threads[0].id });
    await new Promise((res) => setTimeout(res, 300)); // let it reach the idle sleep (bench only, not a test)
    const stoppedAgain = client.waitForEvent('stopped', 10_000);
    const t = now();
    await client.pauseRequest({ threadId: threads[0].id });
    await stoppedAgain;
    r.pauseMs = now() - t;
  } catch (e) {
    r.error = String(e.message ?? e);
  } finally {
    await client.terminateRequest().catch(() => {});
    await closeClient(client);
  }
  // Launch → first line, both adapters.
  for (const adapter of ['coroscope', 'debugpy']) {
    progress(`${v}: ${adapter} launch → first line`);
    const xs = [];
    for (let i = 0; i < Math.min(runs, 3); i++) {
      try {
        const s = await session(adapter, python, hello, { stopOnEntry: true });
        xs.push(s.stoppedAfterMs);
        await s.client.disconnectRequest({ terminateDebuggee: true }).catch(() => {});
        await closeClient(s.client);
      } catch (e) { r[`${adapter}LaunchError`] = String(e.message ?? e); break; }
    }
    r[`${adapter}LaunchMs`] = xs.length ? median(xs) : undefined;
  }
  const f = (x) => (typeof x === 'number' ? fmtMs(x) : 'n/a');
  rows.push([v, `${f(r.threadsMs)} (${r.threadCount ?? '?'} threads)`, f(r.stackTraceMs), f(r.pauseMs), f(r.coroscopeLaunchMs), f(r.debugpyLaunchMs),
    r.coroscopeLaunchMs && r.debugpyLaunchMs ? `${(r.coroscopeLaunchMs / r.debugpyLaunchMs).toFixed(2)}×` : 'n/a']);
}
report('dap', ['Python', 'threads, 10,000 tasks (≤ 150 ms)', 'stackTrace (≤ 10 ms)', 'pause idle → stopped (≤ 50 ms)', 'Coroscope launch → first line (≤ 0.5 s)', 'debugpy launch → first line', 'ratio'], rows, raw);
