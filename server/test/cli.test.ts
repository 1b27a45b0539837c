// The `coroscope` command line (dist/cli.js) as CI runs it: formats, folder walking and exit codes.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { repoRoot } from './support/root';

function run(args: string[], cwd: string) {
  const r = spawnSync(process.execPath, [join(repoRoot(), 'dist/cli.js'), ...args], { cwd, encoding: 'utf8', timeout: 60000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('coroscope CLI', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'coroscope-cli-'));
    mkdirSync(join(dir, 'pkg'));
    mkdirSync(join(dir, '.venv/lib'), { recursive: true });
    mkdirSync(join(dir, 'node_modules/x'), { recursive: true });
    writeFileSync(join(dir, 'clean.py'), 'import asyncio\n\nasync def main():\n    await asyncio.sleep(0)\n');
    writeFileSync(join(dir, 'pkg/bad.py'), '# é😀\ndef load():\n    x = "😀"; await fetch()\n    async with lock:\n        pass\n');
    // Same mistake in folders the walker must skip.
    writeFileSync(join(dir, '.venv/lib/vendored.py'), 'def f():\n    await g()\n');
    writeFileSync(join(dir, 'node_modules/x/tool.py'), 'def f():\n    await g()\n');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('text format, ruff-style, exit 1 on findings', () => {
    // Columns count code points, so the emoji before the await counts once.
    const r = run(['check', '.'], dir);
    assert.equal(r.status, 1, r.stderr);
    const lines = r.stdout.trim().split('\n');
    assert.deepEqual(lines.slice(0, 2), [
      "pkg/bad.py:3:14: CORO100 'await' outside async function: in `def load`, which is not `async def`",
      "pkg/bad.py:4:5: CORO100 'async with' outside async function: in `def load`, which is not `async def`",
    ]);
    assert.match(lines[2], /^Found 2 problems in 1 file \(2 checked\)\.$/);
  });

  test('json format with 1-based positions', () => {
    const r = run(['check', 'pkg', 'clean.py', '--format', 'json'], dir);
    assert.equal(r.status, 1, r.stderr);
    const findings = JSON.parse(r.stdout);
    assert.deepEqual(findings[0], {
      file: 'pkg/bad.py', line: 3, column: 14, endLine: 3, endColumn: 27,
      code: 'CORO100', severity: 'error',
      message: "'await' outside async function: in `def load`, which is not `async def`",
    });
    assert.equal(findings.length, 2);
  });

  test('exit 0 when clean', () => {
    const r = run(['check', 'clean.py'], dir);
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /All checks passed/);
    const j = run(['check', 'clean.py', '--format=json'], dir);
    assert.equal(j.status, 0);
    assert.deepEqual(JSON.parse(j.stdout), []);
  });

  test('--ignore and --select filter by code prefix', () => {
    assert.equal(run(['check', 'pkg', '--ignore', 'CORO1'], dir).status, 0);
    assert.equal(run(['check', 'pkg', '--select', 'CORO100'], dir).status, 1);
  });

  test('exit 2 with a usage message on usage errors', () => {
    for (const args of [[], ['check'], ['check', '.', '--format', 'xml'], ['lint', '.'], ['check', '--bogus', '.'], ['check', 'missing-file.py']]) {
      const r = run(args, dir);
      assert.equal(r.status, 2, `coroscope ${args.join(' ')}: ${r.stdout}${r.stderr}`);
      assert.match(r.stderr, /coroscope: /);
    }
    assert.match(run(['check'], dir).stderr, /usage: coroscope check PATH/);
  });

  test('pyproject.toml: [tool.coroscope] and requires-python apply; command-line flags win', () => {
    const project = join(dir, 'proj');
    mkdirSync(join(project, 'src'), { recursive: true });
    writeFileSync(join(project, 'pyproject.toml'), '[project]\nname = "demo"\nrequires-python = ">=3.10"\n\n[tool.coroscope]\nignore = [\n  "CORO401",\n]\n');
    // An async comprehension nested in a comprehension: a SyntaxError before 3.11.
    writeFileSync(join(project, 'src/mod.py'), 'async def f(rows):\n    return [[await y for y in x] for x in rows]\n\nasync def g():\n    return 1\n');
    const r = run(['check', 'src', '--format', 'json'], project);
    assert.equal(r.status, 1, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout).map((f: { code: string; line: number }) => [f.code, f.line]), [['CORO100', 2]]);
    const newer = run(['check', 'src', '--target-version', 'py311'], project);
    assert.equal(newer.status, 0, newer.stdout);
    const selected = run(['check', 'src', '--target-version', 'py311', '--select', 'CORO401'], project);
    assert.equal(selected.status, 1, 'command-line --select replaces the project selection');
  });

  test('coroscope rules --format json lists every rule with its equivalents', () => {
    const r = run(['rules', '--format', 'json'], dir);
    assert.equal(r.status, 0, r.stderr);
    const rules = JSON.parse(r.stdout);
    const byCode = new Map(rules.map((x: { code: string }) => [x.code, x]));
    assert.ok(rules.length >= 10);
    for (const rule of rules) assert.deepEqual(Object.keys(rule).sort(), ['code', 'equivalents', 'name', 'severity', 'summary']);
    assert.deepEqual((byCode.get('CORO300') as { equivalents: string[] }).equivalents, ['ASYNC251']);
    assert.ok((byCode.get('CORO100') as { equivalents: string[] }).equivalents.includes('PLE1142'));
  });

  test('sarif format: SARIF 2.1.0 with the rule catalogue and 1-based regions', () => {
    const r = run(['check', 'pkg', '--format', 'sarif'], dir);
    assert.equal(r.status, 1, r.stderr);
    const log = JSON.parse(r.stdout);
    assert.equal(log.version, '2.1.0');
    const [sarifRun] = log.runs;
    assert.equal(sarifRun.tool.driver.name, 'coroscope');
    const ids = sarifRun.tool.driver.rules.map((x: { id: string }) => x.id);
    assert.ok(ids.includes('CORO100') && ids.includes('CORO201'));
    assert.equal(sarifRun.results.length, 2);
    const [first] = sarifRun.results;
    assert.equal(first.ruleId, 'CORO100');
    assert.equal(ids[first.ruleIndex], 'CORO100');
    assert.equal(first.level, 'error');
    assert.deepEqual(first.locations[0].physicalLocation, {
      artifactLocation: { uri: 'pkg/bad.py', uriBaseId: '%SRCROOT%' },
      region: { startLine: 3, startColumn: 14, endLine: 3, endColumn: 27 },
    });
  });

  test('worker threads give the same output as a single thread', () => {
    const files = ['pkg', 'clean.py', 'proj/src'];
    const one = run(['check', ...files, '--format', 'json', '--jobs', '1'], dir);
    const many = run(['check', ...files, '--format', 'json', '--jobs', '3'], dir);
    assert.equal(many.status, one.status, many.stderr);
    assert.equal(many.stdout, one.stdout);
    assert.ok(JSON.parse(one.stdout).length >= 3);
  });

  test('editor-only greying hints are not repeated in reports', () => {
    writeFileSync(join(dir, 'dead.py'), 'import asyncio\n\nasync def f():\n    return\n    await asyncio.sleep(1)\n');
    const r = run(['check', 'dead.py', '--format', 'json'], dir);
    assert.deepEqual(JSON.parse(r.stdout).map((f: { code: string; severity: string }) => [f.code, f.severity]), [['CORO200', 'warning']]);
  });
});
