// Finding and checking a Python interpreter without VS Code: PATH lookup and a version probe. Kept free of
// the `vscode` module so the unit tests run under plain node.
import { execFile } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';

/** The oldest Python the Coroscope runtime supports. */
export const MIN_PYTHON: readonly [number, number] = [3, 8];

/** An interpreter command (executable and leading arguments) and where the choice came from. */
export interface InterpreterChoice {
  command: string[];
  source: 'launch.json' | 'setting' | 'python-extension' | 'PATH';
}

/** What running the interpreter told us about itself. */
export type ProbeResult =
  | { ok: true; version: string; major: number; minor: number; executable: string }
  | { ok: false; reason: string };

/** Normalises a `python` launch attribute or setting: a path or a command line as an array. */
export function toCommand(value: unknown): string[] | undefined {
  if (typeof value === 'string') return value.trim() ? [value.trim()] : undefined;
  if (Array.isArray(value) && value.length > 0 && value.every((part) => typeof part === 'string') && value[0].trim()) {
    return value as string[];
  }
  return undefined;
}

function isExecutableFile(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    if (process.platform !== 'win32') accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The first of `names` found as an executable on `pathVariable` (python3 first: `python` may be Python 2). */
export function findOnPath(names: readonly string[] = ['python3', 'python'], pathVariable = process.env.PATH ?? ''): string | undefined {
  const extensions = process.platform === 'win32' ? ['.exe', ''] : [''];
  for (const name of names) {
    if (isAbsolute(name)) { if (isExecutableFile(name)) return name; continue; }
    for (const dir of pathVariable.split(delimiter)) {
      if (!dir) continue;
      for (const ext of extensions) {
        const candidate = join(dir, name + ext);
        if (isExecutableFile(candidate)) return candidate;
      }
    }
  }
  return undefined;
}

const PROBE_SCRIPT = 'import sys; print("%d.%d.%d" % tuple(sys.version_info[:3])); print(sys.executable)';

/** Runs the interpreter once to learn its version; never throws. */
export function probeInterpreter(command: readonly string[], timeoutMs = 15000): Promise<ProbeResult> {
  return new Promise((resolve) => {
    const [exe, ...leading] = command;
    execFile(exe, [...leading, '-c', PROBE_SCRIPT], { timeout: timeoutMs, windowsHide: true }, (error, stdout, stderr) => {
      if (error) {
        const detail = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'not found' : (stderr.trim().split('\n').pop() || error.message);
        resolve({ ok: false, reason: `\`${command.join(' ')}\` could not be run: ${detail}` });
        return;
      }
      const [version = '', executable = exe] = stdout.trim().split(/\r?\n/);
      const match = /^(\d+)\.(\d+)\.\d+$/.exec(version);
      if (!match) {
        resolve({ ok: false, reason: `\`${command.join(' ')}\` did not report a Python version` });
        return;
      }
      resolve({ ok: true, version, major: Number(match[1]), minor: Number(match[2]), executable });
    });
  });
}

/** Undefined when the probed interpreter can run Coroscope, else the message to show the user. */
export function unsupportedReason(probe: ProbeResult): string | undefined {
  if (!probe.ok) return probe.reason;
  const [minMajor, minMinor] = MIN_PYTHON;
  if (probe.major < minMajor || (probe.major === minMajor && probe.minor < minMinor)) {
    return `Python ${probe.version} (${probe.executable}) is too old: Coroscope needs Python ${minMajor}.${minMinor} or newer.`;
  }
  return undefined;
}
