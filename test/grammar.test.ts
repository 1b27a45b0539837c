// Grammar tests: the vscode-tmgrammar-test assertion files in test/grammar/ run against the base Python
// grammar (from the tm-grammars package) with our grammars loaded from package.json, exactly as VS Code
// combines them: the injection into source.python, and the task tree document's grammar.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { repoRoot } from './support/root';

const root = repoRoot();
const require = createRequire(join(root, 'package.json'));
const runner = require.resolve('vscode-tmgrammar-test/dist/unit.js');
const pythonGrammar = require.resolve('tm-grammars/grammars/python.json');

function runGrammarTests(config: string) {
  return spawnSync(process.execPath, [runner, '--compact', '--config', config, '-g', pythonGrammar, 'test/grammar/*.py', 'test/grammar/*.coroscope-tasks'], {
    cwd: root, encoding: 'utf8', timeout: 120_000,
  });
}

test('suspend-point, task-spawn and task-tree assertions hold with our grammars', () => {
  const result = runGrammarTests(join(root, 'package.json'));
  assert.equal(result.status, 0, `grammar assertions failed:\n${result.stdout}${result.stderr}`);
  // Four assertion files today; a glob that matched nothing would also exit 0.
  assert.ok((result.stdout.match(/run successfuly/g) ?? []).length >= 4, result.stdout);
});

test('the assertions fail without our grammars (they test them, not the base grammar)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'coroscope-grammar-'));
  try {
    const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
    manifest.contributes.grammars = [];
    const config = join(dir, 'package.json');
    writeFileSync(config, JSON.stringify(manifest));
    const result = runGrammarTests(config);
    assert.notEqual(result.status, 0, 'assertions passed without the injection grammar');
    assert.match(result.stdout + result.stderr, /suspend-point|task-spawn/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
