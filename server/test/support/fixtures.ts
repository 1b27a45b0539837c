// Reads rule fixtures: Python files whose trailing `# expect: CODE[, CODE]` comments list the diagnostics
// that must start on that line. A first-lines directive `# fixture: python=3.10 top-level-await
// select=CORO1` sets analysis options; by default only the code in the file name (CORO100-x.py →
// CORO100) is selected, so a fixture need not annotate other rules' findings.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AnalyzeOptions, PythonVersion } from '../../src/analysis/types';

export interface Fixture {
  name: string;
  path: string;
  text: string;
  options: AnalyzeOptions;
  /** "line:CODE" keys (1-based line), one per expected diagnostic, sorted. */
  expected: string[];
}

const EXPECT = /#\s*expect:\s*([A-Z]+[0-9]+(?:\s*,\s*[A-Z]+[0-9]+)*)\s*$/;
const DIRECTIVE = /^#\s*fixture:\s*(.*)$/;

/** Parses one fixture file. */
export function readFixture(path: string, name: string): Fixture {
  const text = readFileSync(path, 'utf8');
  const code = /^[A-Z]+[0-9]+/.exec(name)?.[0];
  const options: AnalyzeOptions = { select: code ? [code] : undefined };
  const expected: string[] = [];
  text.split('\n').forEach((line, i) => {
    const directive = i < 5 ? DIRECTIVE.exec(line) : null;
    if (directive) {
      for (const word of directive[1].trim().split(/\s+/)) {
        const [key, value] = word.split('=');
        if (key === 'python') options.pythonVersion = value.split('.').map(Number) as PythonVersion;
        else if (key === 'top-level-await') options.allowTopLevelAwait = true;
        else if (key === 'select') options.select = value.split(',');
        else throw new Error(`${name}: unknown fixture directive ${word}`);
      }
    }
    const m = EXPECT.exec(line);
    if (m) for (const c of m[1].split(',')) expected.push(`${i + 1}:${c.trim()}`);
  });
  return { name, path, text, options, expected: expected.sort() };
}

/** Every fixture under server/test/fixtures. */
export function allFixtures(dir: string): Fixture[] {
  return readdirSync(dir).filter((f) => f.endsWith('.py')).sort().map((f) => readFixture(join(dir, f), f));
}
