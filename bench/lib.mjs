// Shared helpers for the benchmarks: peers, corpora, timing. Benchmarks print ratios side by side from one
// run (DEVELOPERS.md: "Speed is measured, not hoped for"); nothing here asserts a threshold.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import os from 'node:os';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const venv = join(root, 'bench', '.venv');

/** Makes sure bench/.venv has ruff/debugpy/pylint/uvloop/aiohttp (installs them on a fresh machine). */
export function ensurePeers() {
  const r = spawnSync('bash', [join(root, 'bench', 'setup-peers.sh')], { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
  if (r.status !== 0) throw new Error('bench/setup-peers.sh failed');
  return r.stdout.trim();
}

/** Makes sure dist/ is built (production bundles: what users run). */
export function ensureBuilt() {
  execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs'), '--production'], { stdio: 'inherit' });
}

/** The standard library folder of an interpreter. */
export function stdlibOf(python) {
  return execFileSync(python, ['-c', "import sysconfig; print(sysconfig.get_paths()['stdlib'])"], { encoding: 'utf8' }).trim();
}

export function pyenvPython(minor) {
  let pyenvRoot = process.env.PYENV_ROOT;
  try { pyenvRoot ??= execFileSync('pyenv', ['root'], { encoding: 'utf8' }).trim(); } catch { pyenvRoot = join(os.homedir(), '.pyenv'); }
  const out = execFileSync('bash', ['-c', `ls -d ${pyenvRoot}/versions/3.${minor}*/bin/python3 2>/dev/null | head -1`], { encoding: 'utf8' }).trim();
  return out || undefined;
}

/** Runs a command `runs` times (after one warm-up) and returns wall-time samples in ms. */
export function timeCommand(cmd, args, { runs = 3, cwd = root, env = process.env, warmup = true } = {}) {
  const samples = [];
  let last;
  for (let i = 0; i < runs + (warmup ? 1 : 0); i++) {
    const t0 = process.hrtime.bigint();
    last = spawnSync(cmd, args, { cwd, env, encoding: 'utf8', maxBuffer: 1 << 30 });
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    if (last.error) throw last.error;
    if (i > 0 || !warmup) samples.push(ms);
  }
  return { samples, median: median(samples), last };
}

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

export function percentile(xs, p) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
}

export function fmtMs(ms) { return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(ms < 10 ? 2 : 0)} ms`; }

/** Prints a markdown table and saves the run's raw numbers under bench/results/. */
export function report(name, header, rows, raw) {
  const lines = [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)];
  console.log(lines.join('\n'));
  mkdirSync(join(root, 'bench', 'results'), { recursive: true });
  const machine = { cpus: os.cpus().length, cpu: os.cpus()[0]?.model, memGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version, date: new Date().toISOString() };
  writeFileSync(join(root, 'bench', 'results', `${name}.json`), JSON.stringify({ machine, header, rows, raw }, null, 2));
  writeFileSync(join(root, 'bench', 'results', `${name}.md`), lines.join('\n') + '\n');
}

export { existsSync };
