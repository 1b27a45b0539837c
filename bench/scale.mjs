// `npm run bench:scale` — the task registry's scale goals (issue 4), measured inside the runtime on every
// Python found: with 10,000 live tasks, a snapshot of all tasks (what `threads` computes) ≤ 100 ms, one
// await chain ≤ 5 ms, registry memory ≤ 300 bytes per task. Workload and method: bench/workloads/registry_scale.py.
// Times are the median CPU time of 7 runs (the wall-clock median is shown next to it: on a shared machine
// it mostly measures the wait for a core). `node bench/scale.mjs 3.8 3.12` limits the versions.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fmtMs, pyenvPython, report, root } from './lib.mjs';

const GOALS = { snapshotMs: 100, chainMs: 5, bytesPerTask: 300 };
const wanted = process.argv.slice(2);
const minors = [8, 9, 10, 11, 12, 13].filter((m) => !wanted.length || wanted.includes(`3.${m}`));
const script = join(root, 'bench', 'workloads', 'registry_scale.py');

function run(python, args) {
  const r = spawnSync(python, [script, ...args], { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`${python} ${args.join(' ')} failed: ${r.stderr.slice(-500)}`);
  return JSON.parse(r.stdout.trim().split('\n').pop());
}

const ratio = (value, goal) => `${(value / goal).toFixed(2)}×`;
const rows = [];
const raw = {};
for (const minor of minors) {
  const python = pyenvPython(minor);
  if (!python) continue;
  const times = run(python, []);
  const memory = run(python, ['--memory']);
  raw[times.python] = { ...times, ...memory };
  rows.push([
    times.python,
    String(times.tasks),
    `${fmtMs(times.snapshotMs)} · ${ratio(times.snapshotMs, GOALS.snapshotMs)} (wall ${fmtMs(times.snapshotWallMs)}; +JSON ${fmtMs(times.snapshotJsonMs)})`,
    `${fmtMs(times.chainMs)} · ${ratio(times.chainMs, GOALS.chainMs)}`,
    `${memory.bytesPerTask} B · ${ratio(memory.bytesPerTask, GOALS.bytesPerTask)} (with a client: ${memory.sessionBytesPerTask} B)`,
    fmtMs(times.sampleMs),
  ]);
}
report('scale', ['Python', 'live tasks', 'snapshot of all tasks (goal ≤ 100 ms)', 'one await chain (goal ≤ 5 ms)',
  'registry memory per task (goal ≤ 300 B)', 'one suspension look'], rows, raw);
