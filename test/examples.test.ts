// The examples are a specification: every rule code named in a comment in examples/*.py (`# expect: CODE`
// in the file of deliberate mistakes, a plain `(CODE)` in the showcase programs, which users read) must be
// reported by the CLI on that line once the rule exists, and no error or warning may appear elsewhere.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { repoRoot } from './support/root';

const root = repoRoot();
const cli = join(root, 'dist', 'cli.js');

interface Finding { file: string; line: number; code: string; severity: string; message: string }

function runCli(args: string[]) {
  return spawnSync(process.execPath, [cli, ...args], { cwd: root, encoding: 'utf8', timeout: 60_000 });
}

/** `file:line:CODE` for every rule code a comment names. */
function expectations(file: string): Set<string> {
  const expected = new Set<string>();
  readFileSync(join(root, 'examples', file), 'utf8').split(/\r?\n/).forEach((text, index) => {
    for (const match of text.matchAll(/#.*?\b(CORO\d+)\b/g)) expected.add(`${file}:${index + 1}:${match[1]}`);
  });
  return expected;
}

test('the CLI reports exactly the expected mistakes in examples/', () => {
  const rules = runCli(['rules', '--format', 'json']);
  assert.equal(rules.status, 0, rules.stderr);
  const implemented = new Set((JSON.parse(rules.stdout) as { code: string }[]).map((r) => r.code));
  assert.ok(implemented.has('CORO100'));

  const files = readdirSync(join(root, 'examples')).filter((f) => f.endsWith('.py')).sort();
  assert.ok(files.includes('mistakes.py') && files.includes('producer_consumer.py') && files.includes('my_coroutine.py'));
  const check = runCli(['check', 'examples', '--format', 'json']);
  assert.equal(check.status, 1, `expected findings (exit 1):\n${check.stderr}`);
  const findings = (JSON.parse(check.stdout) as Finding[])
    .map((f) => ({ ...f, file: f.file.replace(/\\/g, '/').replace(/^.*examples\//, '') }));
  const reported = new Set(findings.map((f) => `${f.file}:${f.line}:${f.code}`));

  const expected = files.flatMap((f) => [...expectations(f)]).filter((key) => implemented.has(key.split(':')[2]));
  const missing = expected.filter((key) => !reported.has(key));
  assert.deepEqual(missing, [], `expected but not reported: ${missing.join(', ')}`);

  const allExpected = new Set(files.flatMap((f) => [...expectations(f)]));
  const unexpected = findings
    .filter((f) => (f.severity === 'error' || f.severity === 'warning') && !allExpected.has(`${f.file}:${f.line}:${f.code}`))
    .map((f) => `${f.file}:${f.line} ${f.code} ${f.message}`);
  assert.deepEqual(unexpected, [], `unexpected findings in examples:\n${unexpected.join('\n')}`);
});
