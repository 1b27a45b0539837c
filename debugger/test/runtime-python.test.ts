// Runs the Python runtime's own unittest suite (debugger/python/tests) on every interpreter found:
// launch/attach over real sockets, task registry, await chains, breakpoints and stepping, all per version.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { findPythons, findUvloopPythons, type PythonInterpreter } from '../../test/support/pythons';
import { repoRoot } from './support/root';

const root = repoRoot();
const pythonDir = join(root, 'debugger', 'python');

describe('Python runtime unittest suite', () => {
  const pythons = findPythons();

  test('at least one Python ≥ 3.8 is available', () => {
    assert.ok(pythons.length > 0, 'no Python ≥ 3.8 found (set $PYTHON or $PYTHONS)');
  });

  for (const python of pythons) {
    test(`Python ${python.version}`, { timeout: 600_000 }, () => {
      const output = runUnittest(python, ['discover', '-s', join(pythonDir, 'tests'), '-t', pythonDir], root);
      assert.match(output, /\nOK/, output);
    });
  }
});

describe('Python runtime on uvloop', () => {
  const pythons = findUvloopPythons(root);
  if (pythons.length === 0) {
    test('uvloop', { skip: 'no interpreter with uvloop (run bench/setup-peers.sh or set COROSCOPE_UVLOOP_PYTHON)' }, () => {});
  }
  for (const python of pythons) {
    test(`uvloop on Python ${python.version} (${python.path})`, { timeout: 300_000 }, () => {
      // `-m unittest tests.X` imports from the working directory.
      const output = runUnittest(python, ['tests.test_uvloop'], pythonDir);
      // Every test ran: none skipped for lack of uvloop.
      assert.match(output, /\nOK\s*$/, output);
      assert.doesNotMatch(output, /skipped/, output);
    });
  }
});

/** Runs `python -m unittest ARGS` in `cwd`; returns its output, failing the test on a non-zero exit. */
function runUnittest(python: PythonInterpreter, args: string[], cwd: string): string {
  const env = { ...process.env };
  delete env.COROSCOPE_TOKEN;
  delete env.COROSCOPE_LOG;
  const run = spawnSync(python.path, ['-m', 'unittest', ...args], {
    cwd, env, encoding: 'utf8', timeout: 580_000, maxBuffer: 64 * 1024 * 1024,
  });
  const output = `${run.stdout ?? ''}${run.stderr ?? ''}`;
  assert.equal(run.status, 0, `unittest on ${python.path} exited ${run.status ?? run.signal}:\n${output}`);
  return output;
}
