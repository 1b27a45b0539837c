// Runs every fixture in server/test/fixtures through the analysis core and compares the diagnostics with
// the fixture's inline expectations: a missing diagnostic and an unexpected one both fail.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { analyze, initAnalysis, RULES } from '../src/analysis';
import { allFixtures } from './support/fixtures';
import { repoRoot } from './support/root';

const fixturesDir = join(repoRoot(), 'server/test/fixtures');

describe('rule fixtures', () => {
  before(() => initAnalysis());

  for (const fixture of allFixtures(fixturesDir)) {
    test(fixture.name, () => {
      const actual = analyze(fixture.text, { ...fixture.options, throwOnRuleError: true })
        .map((d) => `${d.range.start.line + 1}:${d.code}`)
        .sort();
      assert.deepEqual(actual, fixture.expected, `diagnostics of ${fixture.name} (line:code)`);
    });
  }

  test('every rule has a fixture and a doc page', () => {
    for (const rule of RULES) {
      assert.ok(existsSync(join(fixturesDir, `${rule.meta.code}.py`)), `fixture for ${rule.meta.code}`);
      assert.ok(existsSync(join(repoRoot(), 'docs/rules', `${rule.meta.code}.md`)), `docs/rules/${rule.meta.code}.md`);
    }
  });

  test('docs/rules/README.md has one row per rule, matching its metadata', () => {
    const table = readFileSync(join(repoRoot(), 'docs/rules/README.md'), 'utf8');
    const rows = [...table.matchAll(/^\| \[(CORO\d+)\]\(\1\.md\) \| ([a-z-]+) \| (\w+) \| (.*) \|$/gm)]
      .map((m) => ({ code: m[1], name: m[2], severity: m[3], summary: m[4] }));
    assert.deepEqual(rows, RULES.map((r) => ({ code: r.meta.code, name: r.meta.name, severity: r.meta.severity, summary: r.meta.summary })));
  });

  test('fixtures expect something and guard something', () => {
    // A fixture with no expectation could pass with a rule that reports nothing.
    for (const fixture of allFixtures(fixturesDir)) {
      if (fixture.name.includes('-')) continue;
      assert.ok(fixture.expected.length > 0, `${fixture.name} expects at least one diagnostic`);
    }
  });
});
