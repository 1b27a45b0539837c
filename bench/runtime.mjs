// `npm run bench:runtime` — the runtime's overhead, side by side in one run, as ratios (issue 4).
// Workload: bench/workloads/queue_chain.py (200 tasks chained by queues, 5,000 messages), timed inside the
// program (event loop only). For each Python found:
//   plain python · Coroscope with no breakpoints · with a line breakpoint in code that never runs ·
//   with a suspend breakpoint on an await that never runs · debugpy with the same line breakpoint
// (debugpy from the 3.11 peer venv; its adapter also drives 3.12/3.13 debuggees). Plus the session fixed
// cost (launch → first program output) for Coroscope and debugpy, and plain interpreter start-up.
// `node bench/runtime.mjs 3.11 3.12` limits the versions; BENCH_RUNS (default 3) sets repetitions.
// Ratios are paired: each sample runs plain Python right before the measured run and divides by it, and
// the table shows the median of those ratios, so load that comes and goes on a shared machine (other
// builds and tests) weighs on both sides alike. The load average before and after is printed.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { ensureBuilt, ensurePeers, fmtMs, median, report, root } from './lib.mjs';
import { runUnderAdapter } from './dapDriver.mjs';

const runs = Number(process.env.BENCH_RUNS ?? 3);
const versionsWanted = process.argv.slice(2);

ensureBuilt();
ensurePeers();

// test/support/pythons.ts is TypeScript; the build puts a bundled copy under out/ only in dev builds, so
// discover interpreters here the same way (pyenv versions + $PYTHON/$PYTHONS), newest patch per minor.
function findPythons() {
  const list = [];
  const env = [...(process.env.PYTHONS ?? '').split(':'), process.env.PYTHON].filter(Boolean);
  let pyenvRoot = process.env.PYENV_ROOT;
  try { pyenvRoot ??= spawnSync('pyenv', ['root'], { encoding: 'utf8' }).stdout.trim(); } catch {}
  const globbed = spawnSync('bash', ['-c', `ls -d ${pyenvRoot}/versions/3.*/bin/python3 2>/dev/null`], { encoding: 'utf8' }).stdout.trim().split('\n').filter(Boolean);
  for (const exe of [...env, ...globbed]) {
    const r = spawnSync(exe, ['-c', 'import sys; print("%d.%d" % sys.version_info[:2])'], { encoding: 'utf8' });
    if (r.status !== 0) continue;
    const v = r.stdout.trim();
    const [maj, min] = v.split('.').map(Number);
    if (maj !== 3 || min < 8) continue;
    if (versionsWanted.length && !versionsWanted.includes(v)) continue;
    if (!list.some((p) => p.version === v)) list.push({ path: exe, version: v, minor: min });
  }
  return list.sort((a, b) => a.minor - b.minor);
}

const workload = join(root, 'bench', 'workloads', 'queue_chain.py');
const hello = join(root, 'bench', 'workloads', 'hello.py');
const neverLine = readFileSync(workload, 'utf8').split('\n').findIndex((l) => l.includes('BREAKPOINT-NEVER-RUNS')) + 1;
const elapsedOf = (out) => {
  const m = /elapsed ([\d.]+)/.exec(out);
  if (!m) throw new Error(`workload printed no elapsed line: ${out.slice(-500)}`);
  return Number(m[1]) * 1000;
};

async function sample(fn) {
  const xs = [];
  for (let i = 0; i < runs; i++) xs.push(await fn());
  return median(xs);
}

const rows = [];
const raw = {};
const loadBefore = loadavg().map((x) => x.toFixed(2)).join(' ');
for (const py of findPythons()) {
  const r = (raw[py.version] = {});
  const plainRun = () => elapsedOf(spawnSync(py.path, [workload], { encoding: 'utf8' }).stdout);
  r.plain = await sample(async () => plainRun());
  const under = async (adapter, bps) => {
    const res = await runUnderAdapter(adapter, py.path, workload, [], bps);
    if (res.stoppedUnexpectedly) throw new Error(`${adapter} stopped at a breakpoint that should never be hit`);
    return { ms: elapsedOf(res.output), verified: res.verified };
  };
  const measure = async (label, adapter, bps) => {
    try {
      let verified = [];
      const times = [];
      const ratios = [];
      for (let i = 0; i < runs; i++) {
        const plain = plainRun();
        const x = await under(adapter, bps);
        verified = x.verified;
        times.push(x.ms);
        ratios.push(x.ms / plain);
      }
      const ms = median(times);
      r[label] = ms;
      r[`${label}Ratio`] = median(ratios);
      r[`${label}Ratios`] = ratios;
      const note = verified.length && verified.some((v) => !v) ? ' (breakpoint unverified)' : '';
      return `${fmtMs(ms)} · ${median(ratios).toFixed(2)}×${note}`;
    } catch (e) {
      r[label] = String(e.message ?? e);
      return `failed: ${String(e.message ?? e).slice(0, 80)}`;
    }
  };
  const none = await measure('coroscope', 'coroscope', []);
  const line = await measure('coroscopeLine', 'coroscope', [{ path: workload, line: neverLine }]);
  const suspend = await measure('coroscopeSuspend', 'coroscope', [{ path: workload, line: neverLine, mode: 'suspend' }]);
  const debugpy = await measure('debugpyLine', 'debugpy', [{ path: workload, line: neverLine }]);
  const goal = py.minor >= 12 ? '1.0× / ≤ 1.05×' : '1.0× / ≤ 1.5×';
  rows.push([py.version, fmtMs(r.plain), none, line, suspend, debugpy, goal]);

  // Session fixed cost: launch request → the program's first output line.
  const t0 = process.hrtime.bigint();
  spawnSync(py.path, [hello]);
  r.plainStart = Number(process.hrtime.bigint() - t0) / 1e6;
  for (const adapter of ['coroscope', 'debugpy']) {
    try { r[`${adapter}Start`] = await sample(async () => (await runUnderAdapter(adapter, py.path, hello, [])).launchToFirstOutputMs); }
    catch (e) { r[`${adapter}Start`] = String(e.message ?? e); }
  }
}

console.log(`load average (1, 5, 15 min): before ${loadBefore}, after ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
report('runtime', ['Python', 'plain', 'Coroscope, no breakpoints', 'line bp never hit', 'suspend bp never hit', 'debugpy, line bp never hit', 'goal'], rows, raw);
const startRows = Object.entries(raw).map(([v, r]) => [v, fmtMs(r.plainStart), typeof r.coroscopeStart === 'number' ? fmtMs(r.coroscopeStart) : r.coroscopeStart, typeof r.debugpyStart === 'number' ? fmtMs(r.debugpyStart) : r.debugpyStart,
  typeof r.coroscopeStart === 'number' && typeof r.debugpyStart === 'number' ? `${(r.coroscopeStart / r.debugpyStart).toFixed(2)}×` : 'n/a', '≤ 0.3 s']);
console.log('');
report('runtime-startup', ['Python', 'plain start', 'Coroscope launch → first output', 'debugpy launch → first output', 'ratio', 'goal'], startRows, raw);
