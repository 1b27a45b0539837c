// Differential test of the await-placement rules (CORO100–102) against CPython's own compiler: hundreds
// of generated snippets are compiled with compile() on every Python found, and the analysis, targeting
// the same version, must report an error exactly when CPython raises one of these SyntaxErrors, on the
// line CPython names.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { before, describe, test } from 'node:test';
import { findPythons } from '../../test/support/pythons';
import { analyze, initAnalysis } from '../src/analysis';
import { generateSnippets } from './support/snippets';

/** CPython messages that CORO100–102 stand for; other SyntaxErrors are outside these rules. */
const PLACEMENT_ERRORS = [
  "'await' outside", "'async with' outside", "'async for' outside",
  'asynchronous comprehension outside', "'yield from' inside async function", "'return' with value in async generator",
];

const COMPILE_ALL = `
import json, sys
out = []
for src in json.load(sys.stdin):
    try:
        compile(src, "<snippet>", "exec")
        out.append(None)
    except SyntaxError as e:
        out.append([e.msg, e.lineno])
print(json.dumps(out))
`;

const snippets = generateSnippets(600);

describe('await placement agrees with CPython compile()', () => {
  before(() => initAnalysis());

  test('the generator produces a varied corpus', () => {
    assert.ok(snippets.length >= 500, `${snippets.length} snippets`);
  });

  const pythons = findPythons();
  test('at least one Python to compare with', () => { assert.ok(pythons.length > 0, 'no Python ≥ 3.8 found'); });

  for (const py of pythons) {
    test(`Python ${py.version}`, () => {
      const run = spawnSync(py.path, ['-c', COMPILE_ALL], { input: JSON.stringify(snippets), encoding: 'utf8', maxBuffer: 64 << 20, timeout: 120000 });
      assert.equal(run.status, 0, run.stderr);
      const results: Array<[string, number] | null> = JSON.parse(run.stdout);
      const mismatches: string[] = [];
      let compared = 0, rejected = 0;
      snippets.forEach((src, i) => {
        const result = results[i];
        if (result && !PLACEMENT_ERRORS.some((m) => result[0].startsWith(m))) return; // another SyntaxError
        compared++;
        const ours = analyze(src, { pythonVersion: [py.major, py.minor], select: ['CORO100', 'CORO101', 'CORO102'] });
        if (!result) {
          if (ours.length) mismatches.push(`${src}-- compiles, but we report ${ours.map((d) => `${d.code}@${d.range.start.line + 1}`).join(', ')}`);
          return;
        }
        rejected++;
        // 3.8 reports comprehension errors on line 0; otherwise CPython's line must carry one of ours.
        const lines = ours.map((d) => d.range.start.line + 1);
        if (!ours.length || (result[1] > 0 && !lines.includes(result[1]))) {
          mismatches.push(`${src}-- CPython: ${result[0]} (line ${result[1]}); we report ${ours.length ? lines.join(', ') : 'nothing'}`);
        }
      });
      assert.ok(compared > 300 && rejected > 50 && compared - rejected > 50, `too few comparable snippets: ${compared} compared, ${rejected} rejected`);
      assert.deepEqual(mismatches.slice(0, 10).map((m) => m.split("\n")), [], `${mismatches.length} of ${compared} snippets disagree with CPython ${py.version}`);
    });
  }
});
