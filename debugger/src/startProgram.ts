// Launch mode end to end: listen on loopback, spawn the program under the runtime, and wait until the
// runtime connects back with the token — or explain why it never did.
import { ErrorId, UserError } from './errors';
import { loadEnvFile } from './envFile';
import { Debuggee, LaunchCommand, buildLaunchCommand, runtimeDir } from './launcher';
import { LaunchConfig } from './launchConfig';
import { RuntimeClient, listenForRuntime, newToken } from './runtimeClient';
import { existsSync } from 'node:fs';
import * as path from 'node:path';

/** How long a started interpreter may take to import the runtime and connect (slow disks, cold caches). */
const CONNECT_TIMEOUT_MS = 30_000;

/** A running program whose runtime has connected. */
export interface StartedProgram {
  runtime: RuntimeClient;
  /** The child process, when the adapter spawned it (not when a terminal runs it). */
  debuggee?: Debuggee;
}

/** How the program is started and where its output goes. */
export interface StartOptions {
  onOutput: (category: 'stdout' | 'stderr', text: string) => void;
  /**
   * Runs the command in the client's terminal (DAP runInTerminal) instead of spawning it here; `envDelta`
   * holds only what differs from the terminal's environment (null removes a variable).
   */
  runInTerminal?: (command: LaunchCommand, envDelta: Record<string, string | null>) => Promise<void>;
  env?: NodeJS.ProcessEnv;
}

/**
 * Starts `config` and resolves once its runtime is connected and authenticated. Program output is
 * forwarded through `onOutput` from the first byte, also when the start fails.
 * Throws UserError (PythonNotFound, RuntimeDidNotConnect) or ConfigError.
 */
export async function startProgram(config: LaunchConfig, options: StartOptions): Promise<StartedProgram> {
  const env = options.env ?? process.env;
  const runtime = runtimeDir(env);
  if (config.envFile) {
    // launch.json's env wins over the file, as in debugpy.
    const file = path.resolve(config.cwd ?? process.cwd(), config.envFile);
    config = { ...config, env: { ...loadEnvFile(file), ...config.env } };
  }
  if (!existsSync(path.join(runtime, 'coroscope', '__main__.py'))) {
    throw new UserError(ErrorId.RuntimeDidNotConnect, `The Coroscope runtime is missing from ${runtime} (expected coroscope/__main__.py there). Reinstall the extension or set COROSCOPE_RUNTIME_DIR.`);
  }
  const token = newToken();
  const listener = await listenForRuntime(token);
  let command;
  try {
    command = buildLaunchCommand(config, listener.port, token, env, runtime);
  } catch (err) {
    listener.cancel(err as Error);
    throw err;
  }
  if (options.runInTerminal) return startInTerminal(config, command, listener, options.runInTerminal);
  const debuggee = new Debuggee(command, options.onOutput);
  try {
    await debuggee.started;
  } catch (err) {
    listener.cancel(err as Error);
    const code = (err as NodeJS.ErrnoException).code;
    const shown = [command.command, ...(config.python?.slice(1) ?? [])].join(' ');
    if (code === 'ENOENT') {
      throw new UserError(ErrorId.PythonNotFound, `Python interpreter '${shown}' was not found. Set "python" in launch.json or the coroscope.python setting to a Python 3.8+ interpreter.`);
    }
    throw new UserError(ErrorId.PythonNotFound, `Could not start Python interpreter '${shown}': ${(err as Error).message}`);
  }

  const timer = setTimeout(() => {
    listener.cancel(new Error(`the runtime did not connect within ${CONNECT_TIMEOUT_MS / 1000} s`));
  }, CONNECT_TIMEOUT_MS);
  void debuggee.exited.then((exit) => listener.cancel(new Error(`exited with code ${exit.exitCode}`)));
  try {
    const client = await listener.connection;
    return { runtime: client, debuggee };
  } catch (err) {
    debuggee.kill();
    const exit = debuggee.done ? await debuggee.exited : undefined;
    const stderr = debuggee.recentStderr.trim();
    const why = exit
      ? `The program exited with code ${exit.exitCode} before the Coroscope runtime connected.`
      : `The Coroscope runtime did not connect: ${(err as Error).message}.`;
    throw new UserError(ErrorId.RuntimeDidNotConnect, stderr ? `${why}\n${stderr}` : why);
  } finally {
    clearTimeout(timer);
  }
}

/** The terminal variant: no process handle, so only the runtime's connection (or a timeout) says it started. */
async function startInTerminal(
  config: LaunchConfig,
  command: LaunchCommand,
  listener: Awaited<ReturnType<typeof listenForRuntime>>,
  runInTerminal: NonNullable<StartOptions['runInTerminal']>,
): Promise<StartedProgram> {
  const envDelta: Record<string, string | null> = { ...config.env, PYTHONPATH: command.env.PYTHONPATH, COROSCOPE_TOKEN: command.env.COROSCOPE_TOKEN };
  try {
    await runInTerminal(command, envDelta);
  } catch (err) {
    listener.cancel(err as Error);
    throw new UserError(ErrorId.RuntimeDidNotConnect, `The terminal could not start the program: ${(err as Error).message}`);
  }
  const timer = setTimeout(() => listener.cancel(new Error(`it did not connect within ${CONNECT_TIMEOUT_MS / 1000} s; see the terminal for errors`)), CONNECT_TIMEOUT_MS);
  try {
    return { runtime: await listener.connection };
  } catch (err) {
    throw new UserError(ErrorId.RuntimeDidNotConnect, `The Coroscope runtime did not connect: ${(err as Error).message}.`);
  } finally {
    clearTimeout(timer);
  }
}
