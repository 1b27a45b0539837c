// `npm run bench:lint` — the analysis side by side with its peers, in one run, as ratios (issue 3):
//  1. CLI on an installed Python's standard library vs `ruff check --select ASYNC,PLE1142,PLE1700,RUF006,F704`
//  2. CLI on asyncio + test_asyncio vs Pyright
//  3. edit → publishDiagnostics latency on a 5,000-line async module, 200 one-character edits, vs `ruff server`
//  4. language server memory after indexing the standard library
// Results: printed as a table and saved to bench/results/lint.{json,md}; copy them into docs/performance.md.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os, { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ensureBuilt, ensurePeers, fmtMs, percentile, pyenvPython, report, root, stdlibOf, timeCommand, venv } from './lib.mjs';
import { startServer } from './lspClient.mjs';

const only = process.argv.slice(2);
const want = (name) => !only.length || only.includes(name);

ensureBuilt();
const peers = ensurePeers();
const python = process.env.PYTHON ?? pyenvPython(11) ?? 'python3';
const stdlib = stdlibOf(python);
const cli = join(root, 'dist', 'cli.js');
const ruff = join(venv, 'bin', 'ruff');
const rows = [];
const raw = { peers, python, stdlib };

function countLines(dir) {
  const r = spawnSync('bash', ['-c', `find "${dir}" -name '*.py' -not -path '*/site-packages/*' -print0 | xargs -0 cat | wc -l`], { encoding: 'utf8' });
  return Number(r.stdout.trim());
}

if (want('stdlib')) {
  const lines = countLines(stdlib);
  const ours = timeCommand(process.execPath, [cli, 'check', stdlib, '--format', 'json']);
  const theirs = timeCommand(ruff, ['check', '--no-cache', '--exit-zero', '--quiet', '--select', 'ASYNC,PLE1142,PLE1700,RUF006,F704', stdlib]);
  raw.stdlib = { lines, ours: ours.samples, ruff: theirs.samples };
  rows.push([`CLI, stdlib (${(lines / 1e6).toFixed(2)} M lines)`, fmtMs(ours.median), `Ruff ${fmtMs(theirs.median)}`, `${(ours.median / theirs.median).toFixed(2)}×`, '≤ 1.0×']);
}

if (want('asyncio')) {
  const dirs = [join(stdlib, 'asyncio'), join(stdlib, 'test', 'test_asyncio')];
  const lines = dirs.reduce((n, d) => n + countLines(d), 0);
  const ours = timeCommand(process.execPath, [cli, 'check', ...dirs, '--format', 'json']);
  const pyright = join(root, 'node_modules', 'pyright', 'index.js');
  const theirs = timeCommand(process.execPath, [pyright, '--pythonpath', python, '--outputjson', ...dirs], { runs: 1 });
  raw.asyncio = { lines, ours: ours.samples, pyright: theirs.samples };
  rows.push([`CLI, asyncio + test_asyncio (${(lines / 1e3).toFixed(0)} k lines)`, fmtMs(ours.median), `Pyright ${fmtMs(theirs.median)}`, `${(ours.median / theirs.median).toFixed(3)}×`, '≤ 0.05×']);
}

/** A 5,000-line module of async code, deterministic. */
function asyncModule(lines) {
  const out = ['import asyncio', ''];
  let i = 0;
  while (out.length < lines) {
    out.push(`async def worker_${i}(queue: asyncio.Queue, n: int) -> int:`, '    total = 0', '    for k in range(n):',
      '        item = await queue.get()', '        total += item * k', '        await asyncio.sleep(0)', '    return total', '');
    i++;
  }
  return out.join('\n') + '\n';
}

/**
 * The 200 one-character edits, as positions: inserting and deleting one character in function bodies by
 * turns, so the text stays valid Python. Both the LSP and the in-process measurement replay these.
 */
function editSequence() {
  const edits = [];
  for (let v = 2; v < 202; v++) {
    const line = 3 + 8 * ((v * 37) % 600);
    edits.push(v % 2 === 0 ? { line, character: 8, deleteCount: 0, insert: 'x' } : { line, character: 8, deleteCount: 1, insert: '' });
  }
  return edits;
}

/** Node flags the editor starts the server with (client/src/serverFlags.json): the benchmark runs what users get. */
const serverFlags = JSON.parse(readFileSync(join(root, 'client', 'src', 'serverFlags.json'), 'utf8')).execArgv;

async function editLatency(label, command, args, dir) {
  const text = asyncModule(5000);
  const file = join(dir, 'bench_module.py');
  writeFileSync(file, text);
  const uri = pathToFileURL(file).href;
  const server = await startServer(command, args, { rootPath: dir });
  try {
    const first = server.nextDiagnostics(uri, 1);
    server.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'python', version: 1, text } });
    await first;
    // As in an editor, typing starts after the module has been opened and analysed and the server has
    // finished what that started (ours indexes the workspace, then re-checks the open document).
    await server.settled();
    const samples = [];
    let v = 2;
    for (const e of editSequence()) {
      const change = { range: { start: { line: e.line, character: e.character }, end: { line: e.line, character: e.character + e.deleteCount } }, text: e.insert };
      const waiting = server.nextDiagnostics(uri, v);
      const t0 = process.hrtime.bigint();
      server.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version: v }, contentChanges: [change] });
      const { t } = await Promise.race([waiting, new Promise((_, rej) => setTimeout(() => rej(new Error(`${label}: no diagnostics after edit ${v}`)), 10000))]);
      samples.push(Number(t - t0) / 1e6);
      v++;
    }
    return samples;
  } finally {
    await server.stop();
  }
}

/**
 * The same edits analysed inside one process (bench/editInProcess.ts, bundled here since the production
 * build makes no out/): per-edit CPU time, wall time and garbage collection, under the server's flags.
 */
async function editInProcess(dir) {
  const esbuild = await import('esbuild');
  const outfile = join(root, 'out', 'bench', 'editInProcess.js');
  await esbuild.build({ entryPoints: [join(root, 'bench', 'editInProcess.ts')], bundle: true, platform: 'node', target: 'node20', format: 'cjs', packages: 'external', outfile, logLevel: 'warning' });
  const workload = join(dir, 'workload.json');
  writeFileSync(workload, JSON.stringify({ file: join(dir, 'bench_module.py'), text: asyncModule(5000), edits: editSequence() }));
  const r = spawnSync(process.execPath, [...serverFlags, outfile, workload], { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`in-process edit benchmark failed: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

if (want('edit')) {
  const dir = mkdtempSync(join(tmpdir(), 'coroscope-bench-'));
  const load = () => os.loadavg()[0].toFixed(1);
  const loadBefore = load();
  const ours = await editLatency('coroscope', process.execPath, [...serverFlags, join(root, 'dist', 'server.js'), '--stdio'], dir);
  let theirs;
  try { theirs = await editLatency('ruff', ruff, ['server'], dir); } catch (e) { console.error(String(e)); }
  const inProcess = await editInProcess(dir);
  raw.edit = { ours, ruff: theirs, inProcess, serverFlags, load: [loadBefore, load()] };
  const p = (xs, q) => (xs ? fmtMs(percentile(xs, q)) : 'n/a');
  rows.push(['edit → diagnostics p50, 5,000 lines', p(ours, 50), `ruff server ${p(theirs, 50)}`, theirs ? `${(percentile(ours, 50) / percentile(theirs, 50)).toFixed(2)}×` : 'n/a', '—']);
  rows.push(['edit → diagnostics p99, 5,000 lines', p(ours, 99), `ruff server ${p(theirs, 99)}`, theirs ? `${(percentile(ours, 99) / percentile(theirs, 99)).toFixed(2)}×` : 'n/a', '≤ 10 ms and below Ruff']);
  // The distribution, and the first edits of a fresh server apart (V8 has not optimised the edit path yet:
  // they cost ~2× the later ones in-process), so that a tail made of them is told from one made of pauses.
  const dist = (xs) => (xs ? [50, 90, 99, 100].map((q) => p(xs, q)).join(' / ') : 'n/a');
  const FIRST = 30;
  rows.push([`edit → diagnostics p50 / p90 / p99 / max: first ${FIRST} edits`, dist(ours.slice(0, FIRST)), `ruff server ${dist(theirs?.slice(0, FIRST))}`, '—', '—']);
  rows.push([`edit → diagnostics p50 / p90 / p99 / max: edits ${FIRST + 1}–${ours.length}`, dist(ours.slice(FIRST)), `ruff server ${dist(theirs?.slice(FIRST))}`, '—', '—']);
  rows.push(['edit → diagnostics: edits over 10 ms', `${ours.filter((x) => x > 10).length} of ${ours.length}`, `ruff server ${theirs ? theirs.filter((x) => x > 10).length : 'n/a'}`, '—', '—']);
  const { cpu, wall, gcMs } = inProcess;
  rows.push(['same edits in-process, CPU p50 / p90 / p99 / max', [50, 90, 99, 100].map((q) => p(cpu, q)).join(' / '), '—', '—', '—']);
  rows.push(['same edits in-process, wall p50 / p99; GC total', `${p(wall, 50)} / ${p(wall, 99)}; ${fmtMs(gcMs.reduce((a, b) => a + b, 0))}`, '—', '—', '—']);
  console.log(`edit: load average ${loadBefore} → ${load()}; server flags ${serverFlags.join(' ') || '(none)'}; first analysis in-process ${fmtMs(inProcess.openMs)}`);
}

if (want('memory')) {
  // The server indexes the workspace on start; report its resident memory once indexing has settled.
  const server = await startServer(process.execPath, [join(root, 'dist', 'server.js'), '--stdio'], { rootPath: stdlib });
  let last = 0, stable = 0, rss = 0;
  const deadline = Date.now() + 120000;
  while (Date.now() < deadline && stable < 5) {
    await new Promise((r) => setTimeout(r, 1000));
    const status = readFileSync(`/proc/${server.child.pid}/status`, 'utf8');
    rss = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
    stable = Math.abs(rss - last) < 2 ? stable + 1 : 0;
    last = rss;
  }
  await server.stop();
  raw.memoryMiB = rss;
  rows.push(['server RSS after indexing stdlib', `${rss.toFixed(0)} MiB`, '—', '—', '≤ 300 MB']);
}

report('lint', ['measure', 'Coroscope', 'peer', 'ratio', 'goal'], rows, raw);
