// Turns a validated launch configuration into the `python -m coroscope --connect ...` command line and
// runs it, forwarding the program's own stdout/stderr as it arrives. Nothing here speaks DAP.
import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { ConfigError, LaunchConfig } from './launchConfig';

/** Interpreter used when launch.json names none (the extension passes its own choice in `python`). */
export const DEFAULT_PYTHON = 'python3';

/**
 * The folder holding the `coroscope` Python package. From the bundle in dist/ it is ../debugger/python
 * (the VSIX ships that folder); COROSCOPE_RUNTIME_DIR overrides it for development and tests.
 */
export function runtimeDir(env: NodeJS.ProcessEnv = process.env, bundleDir: string = __dirname): string {
  const override = env.COROSCOPE_RUNTIME_DIR;
  if (override) return path.resolve(override);
  return path.join(bundleDir, '..', 'debugger', 'python');
}

/** Everything needed to spawn the debuggee. */
export interface LaunchCommand {
  command: string;
  args: string[];
  cwd: string;
  env: Record<string, string>;
}

/**
 * Builds the command line and environment for launching `config` under the runtime, which will connect back
 * to 127.0.0.1:`port`. The token travels in COROSCOPE_TOKEN only: the runtime removes it from os.environ
 * before the program starts, whereas a `--token` argument would be readable by every local user in `ps`.
 * Throws ConfigError when cwd or program do not exist, since Python's own message would blame Coroscope.
 */
export function buildLaunchCommand(config: LaunchConfig, port: number, token: string, baseEnv: NodeJS.ProcessEnv = process.env, runtime = runtimeDir(baseEnv)): LaunchCommand {
  const programCwd = config.program && path.isAbsolute(config.program) ? path.dirname(config.program) : undefined;
  const cwd = path.resolve(config.cwd ?? programCwd ?? process.cwd());
  if (!isDirectory(cwd)) throw new ConfigError('cwd', `launch.json: 'cwd' is not an existing folder: ${cwd}`);

  const target: string[] = [];
  if (config.program !== undefined) {
    const program = path.resolve(cwd, config.program);
    if (!existsSync(program)) throw new ConfigError('program', `launch.json: 'program' does not exist: ${program}`);
    target.push(program);
  } else {
    target.push('-m', config.module as string);
  }

  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(baseEnv)) if (value !== undefined) env[key] = value;
  for (const [key, value] of Object.entries(config.env)) {
    if (value === null) delete env[key];
    else env[key] = value;
  }
  // The runtime must be importable, but the program's own PYTHONPATH keeps its order after it.
  env.PYTHONPATH = env.PYTHONPATH ? `${runtime}${path.delimiter}${env.PYTHONPATH}` : runtime;
  env.COROSCOPE_TOKEN = token;

  const [command, ...leading] = config.python ?? [DEFAULT_PYTHON];
  return {
    command,
    args: [...leading, '-m', 'coroscope', '--connect', `127.0.0.1:${port}`, ...target, ...config.args],
    cwd,
    env,
  };
}

function isDirectory(p: string): boolean {
  try { return statSync(p).isDirectory(); } catch { return false; }
}

/** How the debuggee ended. */
export interface DebuggeeExit {
  /** Exit status; for a signal death, 128 + signal number as shells report it. */
  exitCode: number;
  signal?: NodeJS.Signals;
}

/** Keeps the last bytes of stderr so an early crash can be explained in the launch error. */
const STDERR_TAIL = 4000;

/**
 * A spawned debuggee. `onOutput(category, text)` receives decoded stdout/stderr as it arrives;
 * `exited` resolves after the process ended and both pipes drained, so every byte precedes the exit report.
 * `spawnError` rejects when the interpreter cannot be started at all.
 */
export class Debuggee {
  readonly process: ChildProcess;
  readonly exited: Promise<DebuggeeExit>;
  readonly started: Promise<void>;
  private stderrTail = '';
  private hasExited = false;

  constructor(launch: LaunchCommand, onOutput: (category: 'stdout' | 'stderr', text: string) => void) {
    this.process = spawn(launch.command, launch.args, { cwd: launch.cwd, env: launch.env, stdio: ['ignore', 'pipe', 'pipe'] });
    for (const category of ['stdout', 'stderr'] as const) {
      const decoder = new StringDecoder('utf8'); // never split a multi-byte character across two events
      const stream = this.process[category];
      stream?.on('data', (chunk: Buffer) => {
        const text = decoder.write(chunk);
        if (!text) return;
        if (category === 'stderr') this.stderrTail = (this.stderrTail + text).slice(-STDERR_TAIL);
        onOutput(category, text);
      });
      stream?.on('end', () => {
        const rest = decoder.end();
        if (rest) onOutput(category, rest);
      });
    }
    this.started = new Promise((resolve, reject) => {
      this.process.once('spawn', () => resolve());
      this.process.once('error', reject);
    });
    this.started.catch(() => undefined);
    this.exited = new Promise((resolve) => {
      this.process.once('close', (code, signal) => {
        this.hasExited = true;
        resolve({ exitCode: code ?? signalExitCode(signal), signal: signal ?? undefined });
      });
      // A process that never spawned emits 'error' and then 'close' with code -2 etc.; 'close' still fires.
    });
  }

  /** The end of what the program wrote to stderr, for explaining a crash before the runtime connected. */
  get recentStderr(): string {
    return this.stderrTail;
  }

  /** True once the process ended. */
  get done(): boolean {
    return this.hasExited;
  }

  /** Kills the process (SIGKILL: a debuggee stopped at a breakpoint would not honour SIGTERM). */
  kill(): void {
    if (!this.hasExited) this.process.kill('SIGKILL');
  }
}

const SIGNAL_NUMBERS: Partial<Record<NodeJS.Signals, number>> = { SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGABRT: 6, SIGKILL: 9, SIGSEGV: 11, SIGPIPE: 13, SIGTERM: 15 };

function signalExitCode(signal: NodeJS.Signals | null): number {
  return signal ? 128 + (SIGNAL_NUMBERS[signal] ?? 0) : 1;
}
