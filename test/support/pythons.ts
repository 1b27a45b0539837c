// Every Python interpreter this machine offers, for the runtime and debugger tests (DEVELOPERS.md:
// "tests discover every interpreter available"). Sources, in order: $PYTHONS (path-separated list),
// $PYTHON, every pyenv version, `python3` on PATH. Duplicates (same real path or same version) are
// dropped; interpreters older than 3.8 are skipped because the runtime does not support them.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, realpathSync } from 'node:fs';
import { delimiter, join } from 'node:path';

export interface PythonInterpreter {
  /** Absolute path of the executable. */
  path: string;
  /** `major.minor.micro`, e.g. `3.12.1`. */
  version: string;
  major: number;
  minor: number;
}

export const MIN_SUPPORTED: [number, number] = [3, 8];

function candidates(): string[] {
  const found: string[] = [];
  const fromEnv = process.env.PYTHONS?.split(delimiter).filter(Boolean) ?? [];
  found.push(...fromEnv);
  if (process.env.PYTHON) found.push(process.env.PYTHON);
  let pyenvRoot = process.env.PYENV_ROOT;
  if (!pyenvRoot) {
    try { pyenvRoot = execFileSync('pyenv', ['root'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim(); }
    catch { pyenvRoot = join(process.env.HOME ?? '/root', '.pyenv'); }
  }
  const versionsDir = join(pyenvRoot, 'versions');
  if (existsSync(versionsDir)) {
    for (const v of readdirSync(versionsDir).sort()) {
      const exe = join(versionsDir, v, 'bin', 'python3');
      if (existsSync(exe)) found.push(exe);
    }
  }
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const exe = join(dir, 'python3');
    if (dir && existsSync(exe)) { found.push(exe); break; }
  }
  return found;
}

function probe(exe: string): PythonInterpreter | undefined {
  try {
    const out = execFileSync(exe, ['-c', 'import sys; print("%d.%d.%d" % sys.version_info[:3]); print(sys.executable)'], {
      encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 15000,
    }).trim().split('\n');
    const [major, minor] = out[0].split('.').map(Number);
    return { path: out[1] || exe, version: out[0], major, minor };
  } catch {
    return undefined;
  }
}

let cached: PythonInterpreter[] | undefined;

/** Interpreters ≥ 3.8, one per version, oldest first. */
export function findPythons(): PythonInterpreter[] {
  if (cached) return cached;
  const seenPaths = new Set<string>();
  const byVersion = new Map<string, PythonInterpreter>();
  for (const exe of candidates()) {
    let real: string;
    try { real = realpathSync(exe); } catch { continue; }
    if (seenPaths.has(real)) continue;
    seenPaths.add(real);
    const py = probe(exe);
    if (!py) continue;
    if (py.major < MIN_SUPPORTED[0] || (py.major === MIN_SUPPORTED[0] && py.minor < MIN_SUPPORTED[1])) continue;
    if (!byVersion.has(py.version)) byVersion.set(py.version, py);
  }
  cached = [...byVersion.values()].sort((a, b) => a.major - b.major || a.minor - b.minor);
  return cached;
}

/**
 * Interpreters that can import uvloop, for the runtime's uvloop tests: every interpreter above, plus
 * $COROSCOPE_UVLOOP_PYTHON and the benchmark venv (bench/.venv, made by bench/setup-peers.sh, which
 * .ci/run runs). A venv shares its base interpreter's real path, so these are kept by path, not realpath.
 */
export function findUvloopPythons(repoRoot: string): PythonInterpreter[] {
  const paths = [
    ...findPythons().map((p) => p.path),
    process.env.COROSCOPE_UVLOOP_PYTHON ?? '',
    join(repoRoot, 'bench', '.venv', 'bin', 'python'),
  ].filter((p, i, all) => p && existsSync(p) && all.indexOf(p) === i);
  const found: PythonInterpreter[] = [];
  for (const exe of paths) {
    try {
      execFileSync(exe, ['-c', 'import uvloop'], { stdio: 'ignore', timeout: 15000 });
    } catch {
      continue;
    }
    const py = probe(exe);
    if (py) found.push({ ...py, path: exe });
  }
  return found;
}
