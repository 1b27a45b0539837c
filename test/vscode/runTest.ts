// `npm run test:vscode`: runs suite/index.ts inside a real VS Code (downloaded by @vscode/test-electron)
// with this repository as the extension under development and a scratch workspace. Machines without
// access to the VS Code download (this one) get a clear message and exit code 1, never a silent pass.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { downloadAndUnzipVSCode, runTests } from '@vscode/test-electron';
import { repoRoot } from '../support/root';
import { writeWorkspace } from './workspace';

async function main(): Promise<number> {
  const root = repoRoot();
  let vscodeExecutablePath: string;
  try {
    // COROSCOPE_VSCODE_EXECUTABLE: an already installed VS Code, for machines that cannot download one.
    vscodeExecutablePath = process.env.COROSCOPE_VSCODE_EXECUTABLE
      ?? await downloadAndUnzipVSCode({ version: process.env.COROSCOPE_VSCODE_VERSION ?? 'stable', timeout: 30_000 });
  } catch (error) {
    console.error([
      'test:vscode: could not download VS Code, so the real-VS-Code suite did not run.',
      `  cause: ${error instanceof Error ? error.message : String(error)}`,
      '  This suite needs access to the VS Code download service, or COROSCOPE_VSCODE_EXECUTABLE set to a',
      '  local VS Code executable. `npm run test:e2e` runs a comparable suite in code-server instead.',
    ].join('\n'));
    return 1;
  }
  const workspace = mkdtempSync(join(tmpdir(), 'coroscope-vscode-'));
  try {
    writeWorkspace(workspace);
    await runTests({
      vscodeExecutablePath,
      extensionDevelopmentPath: root,
      extensionTestsPath: join(root, 'out', 'test', 'vscode', 'suite', 'index.js'),
      launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust', '--skip-welcome'],
      extensionTestsEnv: { COROSCOPE_TEST_WORKSPACE: workspace },
    });
    return 0;
  } catch (error) {
    console.error(`test:vscode: the suite failed: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  } finally {
    rmSync(workspace, { recursive: true, force: true });
  }
}

main().then((code) => process.exit(code));
