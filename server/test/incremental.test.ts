// Incremental reparsing (analysis/incremental.ts) must be invisible: after every edit of a sequence
// — insertions, deletions, replacements, across lines and non-ASCII text — the kept tree equals a
// fresh parse and the diagnostics equal a from-scratch analysis.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { analyze, DocumentTrees, initAnalysis } from '../src/analysis';
import { diffEdit } from '../src/analysis/incremental';
import { parse } from '../src/analysis/parser';
import { repoRoot } from './support/root';

/** A small deterministic generator, so a failure replays. */
function random(seed: number): () => number {
  return () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
}

const PIECES = ['x', 'await ', '\n', '    ', 'async def g():\n    pass\n', '(', ')', 'é', '😀', 'asyncio.sleep(1)\n', ':', '#', '"'];

describe('incremental reparsing', () => {
  before(() => initAnalysis());

  test('diffEdit describes the changed span in UTF-16 rows and columns', () => {
    assert.deepEqual(diffEdit('a = 1\nbé = 2\n', 'a = 1\nbé = 23\n'), {
      startIndex: 12, oldEndIndex: 12, newEndIndex: 13,
      startPosition: { row: 1, column: 6 }, oldEndPosition: { row: 1, column: 6 }, newEndPosition: { row: 1, column: 7 },
    });
  });

  test('trees and diagnostics equal a fresh analysis after every edit of random sequences', () => {
    const dir = join(repoRoot(), 'server/test/fixtures');
    const fixtures = readdirSync(dir).filter((f) => f.endsWith('.py')).sort().slice(0, 8);
    assert.ok(fixtures.length > 0);
    const next = random(7);
    const trees = new DocumentTrees();
    for (const name of fixtures) {
      let text = readFileSync(join(dir, name), 'utf8');
      for (let step = 0; step < 40; step++) {
        const at = Math.floor(next() * (text.length + 1));
        const cut = next() < 0.5 ? Math.floor(next() * 12) : 0;
        const insert = next() < 0.7 ? PIECES[Math.floor(next() * PIECES.length)] : '';
        text = text.slice(0, at) + insert + text.slice(at + cut);
        const incremental = trees.analyze(name, text, { exhaustive: true });
        assert.deepEqual(incremental, analyze(text, { exhaustive: true }), `${name}, step ${step}`);
        const fresh = parse(text);
        try {
          assert.equal(trees.treeFor(name, text).rootNode.toString(), fresh.rootNode.toString(), `${name}, step ${step}`);
        } finally {
          fresh.delete();
        }
      }
      trees.close(name);
    }
  });
});
