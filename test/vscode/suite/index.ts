// Runs inside the extension host of a real VS Code (see ../runTest.ts). A small runner of our own keeps
// the suite free of a test framework dependency: each case runs in order, failures are collected, and
// run() rejects if any failed, which makes @vscode/test-electron exit non-zero.
import { cases } from './cases';

/** Entry point called by VS Code's test host. */
export async function run(): Promise<void> {
  const failures: string[] = [];
  for (const { name, fn } of cases) {
    const started = Date.now();
    try {
      await fn();
      console.log(`  ✓ ${name} (${Date.now() - started} ms)`);
    } catch (error) {
      console.log(`  ✗ ${name}\n    ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
      failures.push(name);
    }
  }
  console.log(`${cases.length - failures.length} passed, ${failures.length} failed`);
  if (failures.length) throw new Error(`${failures.length} case(s) failed: ${failures.join(', ')}`);
}
