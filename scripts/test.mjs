// `npm test`: builds, then runs every test with node's test runner — unit tests of the pure cores, LSP
// over stdio against dist/server.js, DAP through DebugClient against dist/debugAdapter.js and real Python
// (every interpreter found), the Python runtime's own unittest suite on every interpreter, grammar tests,
// and the packaging test that builds and opens the VSIX.
//   npm test                     everything
//   npm test -- server/test      only tests whose path starts with one of the given prefixes
// The last line is `N passed, N failed` for CI.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const filters = process.argv.slice(2).map((f) => f.replace(/\\/g, '/').replace(/\.ts$/, ''));

const build = spawnSync(process.execPath, [join(root, 'scripts/build.mjs')], { stdio: 'inherit', cwd: root });
if (build.status !== 0) {
  console.log('0 passed, 1 failed');
  process.exit(1);
}

function findTests(dir, acc = []) {
  let entries;
  try { entries = readdirSync(dir); } catch { return acc; }
  for (const name of entries) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) {
      // The real-VS-Code suites run under `npm run test:vscode` / `test:e2e`, not here.
      if (name === 'vscode' || name === 'e2e') continue;
      findTests(full, acc);
    } else if (name.endsWith('.test.js')) acc.push(full);
  }
  return acc;
}

const tests = findTests(join(root, 'out')).filter((file) => {
  if (!filters.length) return true;
  const rel = relative(join(root, 'out'), file).replace(/\\/g, '/');
  return filters.some((f) => rel.startsWith(f));
});
if (!tests.length) {
  console.error('no test files found');
  console.log('0 passed, 1 failed');
  process.exit(1);
}

mkdirSync(join(root, 'out'), { recursive: true });
const tapFile = join(root, 'out', 'test-results.tap');
const run = spawnSync(process.execPath, [
  '--test',
  // Two cores: protocol tests spawn servers and Python processes, so run files two at a time.
  '--test-concurrency=2',
  '--test-reporter=spec', '--test-reporter-destination=stdout',
  '--test-reporter=tap', `--test-reporter-destination=${tapFile}`,
  ...tests,
], { stdio: 'inherit', cwd: root, env: { ...process.env, COROSCOPE_ROOT: root } });

let passed = 0, failed = 0;
try {
  const tap = readFileSync(tapFile, 'utf8');
  passed = Number(/^# pass (\d+)/m.exec(tap)?.[1] ?? 0);
  failed = Number(/^# fail (\d+)/m.exec(tap)?.[1] ?? 0);
} catch { failed = 1; }
if (run.status !== 0 && failed === 0) failed = 1;
console.log(`${passed} passed, ${failed} failed`);
process.exit(run.status === 0 && failed === 0 ? 0 : 1);
