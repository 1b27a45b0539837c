// `coroscope check` parses each file at most once: a cross-file summary parsed before its file's turn
// hands its tree to the analysis, and an analysed file's tree summarises it for later lookups. These
// tests pin both hand-overs and that findings do not depend on which of them happened.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { initAnalysis } from '../src/analysis';
import { parse } from '../src/analysis/parser';
import { FileChecker, importRoots } from '../src/cli/checkFiles';
import { WorkspaceModules } from '../src/project/workspace';

const FILES: Record<string, string> = {
  'pkg/__init__.py': '',
  'pkg/impl.py': 'import asyncio\n\nasync def fetch():\n    return 1\n\nasync def main():\n    fetch()\n    asyncio.sleep(1)\n',
  'user.py': 'from pkg.impl import fetch\n\nasync def run():\n    fetch()\n',
};

describe('each file is parsed at most once per check run', () => {
  let dir: string;
  let impl: string;
  before(async () => {
    await initAnalysis();
    dir = mkdtempSync(join(tmpdir(), 'coroscope-parse-once-'));
    for (const [path, text] of Object.entries(FILES)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), text);
    }
    impl = join(dir, 'pkg/impl.py');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  function workspace(): WorkspaceModules {
    const ws = new WorkspaceModules();
    ws.addRoot(dir);
    return ws;
  }

  test('a summary of a file still to be analysed keeps its tree for the analysis, once', () => {
    const ws = workspace();
    ws.expectAnalysis([impl]);
    assert.ok(ws.summary('pkg.impl')?.coroutines.has('fetch'));
    const text = readFileSync(impl, 'utf8');
    const tree = ws.takeTree(impl, text);
    assert.ok(tree, 'the summary\'s tree is handed over');
    assert.equal(tree.rootNode.text, text);
    tree.delete();
    assert.equal(ws.takeTree(impl, text), undefined, 'a tree is handed over only once');
  });

  test('no tree is kept for files not expected, nor handed over for other text', () => {
    const plain = workspace();
    plain.summary('pkg.impl');
    assert.equal(plain.takeTree(impl, readFileSync(impl, 'utf8')), undefined);
    const stale = workspace();
    stale.expectAnalysis([impl]);
    stale.summary('pkg.impl');
    assert.equal(stale.takeTree(impl, 'async def other():\n    pass\n'), undefined);
  });

  test('the analysis\'s tree summarises a module that can define coroutines, so a lookup does not re-read it', () => {
    const ws = workspace();
    const text = readFileSync(impl, 'utf8');
    const tree = parse(text);
    try { ws.adoptSummary(impl, text, tree); } finally { tree.delete(); }
    writeFileSync(impl, 'async def other():\n    pass\n');
    try {
      const summary = ws.summary('pkg.impl');
      assert.ok(summary?.coroutines.has('fetch') && !summary.coroutines.has('other'), 'the adopted summary answers');
    } finally {
      writeFileSync(impl, text);
    }
  });

  test('kept trees are bounded: the oldest is freed first', () => {
    const many = mkdtempSync(join(tmpdir(), 'coroscope-parse-many-'));
    try {
      const files = Array.from({ length: 70 }, (_, i) => join(many, `m${i}.py`));
      for (const f of files) writeFileSync(f, 'async def f():\n    pass\n');
      const ws = new WorkspaceModules();
      ws.addRoot(many);
      ws.expectAnalysis(files);
      for (let i = 0; i < files.length; i++) ws.summary(`m${i}`);
      assert.equal(ws.takeTree(files[0], 'async def f():\n    pass\n'), undefined);
      const last = ws.takeTree(files[69], 'async def f():\n    pass\n');
      assert.ok(last);
      last.delete();
      ws.dispose();
    } finally {
      rmSync(many, { recursive: true, force: true });
    }
  });

  test('findings are the same whichever way the trees were shared, in either order', () => {
    const order = [join(dir, 'user.py'), impl];
    const expected = order.map((f) => new FileChecker({ roots: importRoots(order) }).check(f));
    assert.ok(expected[0].length > 0 && expected[1].length > 0, 'both files have findings');
    for (const files of [order, [...order].reverse()]) {
      const checker = new FileChecker({ roots: importRoots(files), files });
      const got = files.map((f) => checker.check(f));
      checker.dispose();
      assert.deepEqual(order.map((f) => got[files.indexOf(f)]), expected);
    }
  });
});
