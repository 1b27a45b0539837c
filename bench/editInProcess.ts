// The edit benchmark's in-process half (`node bench/lint.mjs edit` builds and runs it): the same module
// and edits as the LSP measurement, analysed by DocumentTrees as the server's diagnostics feature does,
// with no client, no JSON-RPC and no scheduling in between. Per edit it records CPU time
// (process.cpuUsage, user + system: less sensitive to other processes than the wall clock), wall time
// and the garbage collections that ran during it (PerformanceObserver), so the tail can be attributed.
//   node out/bench/editInProcess.js WORKLOAD.json [--mark]
// WORKLOAD.json: { file, text, edits: [{ line, character, deleteCount, insert }] }. Prints JSON.
import { readFileSync } from 'node:fs';
import { PerformanceObserver } from 'node:perf_hooks';
import { DocumentTrees, initAnalysis } from '../server/src/analysis';
import { WorkspaceModules } from '../server/src/project/workspace';

interface Workload {
  file: string;
  text: string;
  edits: Array<{ line: number; character: number; deleteCount: number; insert: string }>;
}

/** Applies one edit given in lines and characters, as the server's TextDocument does. */
function apply(text: string, e: Workload['edits'][number]): string {
  let at = 0;
  for (let line = 0; line < e.line; line++) at = text.indexOf('\n', at) + 1;
  at += e.character;
  return text.slice(0, at) + e.insert + text.slice(at + e.deleteCount);
}

async function main(): Promise<void> {
  const workload = JSON.parse(readFileSync(process.argv[2], 'utf8')) as Workload;
  await initAnalysis();
  // The server's options for a file on disk: default settings plus the workspace context.
  const workspace = new WorkspaceModules(() => undefined);
  const options = { project: workspace.contextFor(workload.file) };
  const trees = new DocumentTrees();
  let text = workload.text;
  const t0 = process.hrtime.bigint();
  trees.analyze(workload.file, text, options);
  const openMs = Number(process.hrtime.bigint() - t0) / 1e6;
  // A marker for runs under --trace-gc: collections after it belong to the edits.
  if (process.argv.includes('--mark')) process.stdout.write('edits start\n');

  // Collections are attributed to the edit during which they ended.
  const gcs: Array<{ end: number; duration: number }> = [];
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) gcs.push({ end: entry.startTime + entry.duration, duration: entry.duration });
  });
  observer.observe({ entryTypes: ['gc'] });

  const cpu: number[] = [];
  const wall: number[] = [];
  const spans: Array<[number, number]> = [];
  const reused: number[] = [];
  for (const e of workload.edits) {
    // Between edits the server returns to its event loop (and the collection observer gets its entries).
    await new Promise((resolve) => setImmediate(resolve));
    text = apply(text, e);
    const start = performance.now();
    const c0 = process.cpuUsage();
    trees.analyze(workload.file, text, options);
    const c = process.cpuUsage(c0);
    const end = performance.now();
    cpu.push((c.user + c.system) / 1000);
    wall.push(end - start);
    spans.push([start, end]);
    reused.push(trees.lastStats.reused);
  }
  // Observer callbacks run on a later turn.
  await new Promise((resolve) => setTimeout(resolve, 50));
  observer.disconnect();
  const gcMs = spans.map(([s, e]) => gcs.filter((g) => g.end > s && g.end <= e).reduce((n, g) => n + g.duration, 0));
  process.stdout.write(JSON.stringify({ openMs, cpu, wall, gcMs, reused, execArgv: process.execArgv }) + '\n');
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
