// Per-unit reuse (analysis/reuse.ts) must be invisible: after every edit of a sequence the server's
// results — most of them carried over from the previous version — equal a from-scratch analysis.
// The edits are chosen to hit what reuse must notice: lines typed inside function bodies (reused
// neighbours), and changes of what other functions observe (`async`, endless loops, raises, yields,
// decorators, imports, `global`, module-level bindings), which must invalidate the neighbours.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { analyze, DocumentTrees, initAnalysis } from '../src/analysis';
import type { AnalyzeOptions, ProjectContext } from '../src/analysis/types';
import { WorkspaceModules } from '../src/project/workspace';
import { repoRoot } from './support/root';

/** A small deterministic generator, so a failure replays. */
function random(seed: number): () => number {
  return () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
}

/** Lines inserted at the start of a random line (indented like it), or whole top-level pieces. */
const LINES = [
  'x = 1', 'await asyncio.sleep(1)', 'while True:\n    pass', 'raise ValueError()', 'yield', 'return', 'global loop',
  'time.sleep(1)', 'asyncio.create_task(work())', 'if False:\n    await asyncio.sleep(0)', 'sys.exit(0)', 'p = Path("f")',
  'loop = asyncio.get_event_loop()', 'try:\n    await x\nexcept asyncio.CancelledError:\n    pass', 'import time', '# noqa',
];
const TOP = [
  'import asyncio as aio\n', 'from time import sleep\n', 'async def work():\n    while True:\n        await asyncio.sleep(1)\n',
  'def work():\n    raise SystemExit\n', 'class Base:\n    async def run(self):\n        pass\n', '@staticmethod\n', 'loop = asyncio.new_event_loop()\n',
  'p = Path("x")\n', '"""\n', 'async def consumer(q):\n    while True:\n        await q.get()\n', 'x = 1\n',
];
/** Small edits inside a line: what typing does. */
const CHARS = ['x', 'async ', 'await ', '(', ')', ':', ' ', '\n', '#', '"', 'é'];

function edit(text: string, next: () => number): string {
  const lines = text.split('\n');
  const row = Math.floor(next() * lines.length);
  const roll = next();
  if (roll < 0.4) {
    const line = lines[row];
    const at = Math.floor(next() * (line.length + 1));
    const cut = next() < 0.3 ? 1 : 0;
    lines[row] = line.slice(0, at) + (next() < 0.8 ? CHARS[Math.floor(next() * CHARS.length)] : '') + line.slice(at + cut);
  } else if (roll < 0.75) {
    const indent = /^\s*/.exec(lines[row])![0];
    const piece = LINES[Math.floor(next() * LINES.length)].split('\n').map((l) => indent + l);
    lines.splice(row, 0, ...piece);
  } else if (roll < 0.9) {
    lines.splice(row, 0, ...TOP[Math.floor(next() * TOP.length)].split('\n').slice(0, -1));
  } else {
    lines.splice(row, 1 + Math.floor(next() * 2));
  }
  return lines.join('\n');
}

describe('per-unit reuse of results', () => {
  before(() => initAnalysis());

  const dir = join(repoRoot(), 'server/test/fixtures');
  const fixtures = readdirSync(dir).filter((f) => f.endsWith('.py')).sort();

  test('results equal a fresh analysis after every edit, and most units are reused', () => {
    assert.ok(fixtures.length > 20);
    const next = random(11);
    const trees = new DocumentTrees();
    let reused = 0;
    let analysed = 0;
    const why = new Map<string, number>();
    for (const name of fixtures) {
      const options: AnalyzeOptions = { exhaustive: true, throwOnRuleError: true, allowTopLevelAwait: name.includes('notebook') };
      const base = readFileSync(join(dir, name), 'utf8');
      let text = base;
      for (let step = 0; step < 30; step++) {
        const incremental = trees.analyze(name, text, options);
        assert.deepEqual(incremental, analyze(text, options), `${name}, step ${step}:\n${text}`);
        reused += trees.lastStats.reused;
        analysed += trees.lastStats.analysed;
        const mode = trees.lastStats.fresh ?? (trees.lastStats.reused + trees.lastStats.analysed ? 'reuse' : 'whole');
        why.set(mode, (why.get(mode) ?? 0) + 1);
        // Edits pile up, with returns to the fixture now and then (so one edit that makes the whole
        // module unsuitable for reuse, like a module-level `raise`, does not end reuse for the rest).
        text = next() < 0.2 ? base : edit(text, next);
      }
      trees.close(name);
    }
    // Reuse must really happen (else this test would prove nothing): in a good share of the versions,
    // and then for most units.
    const steps = [...why.values()].reduce((a, b) => a + b, 0);
    assert.ok((why.get('reuse') ?? 0) > steps / 4 && reused > analysed / 2, `reused ${reused}, analysed ${analysed}, ${JSON.stringify([...why])}`);
  });

  test('the unit list is kept across versions: only the edited unit is listed again, structural edits too', () => {
    const fn = (i: number) => `async def worker_${i}(q):\n    total = 0\n    item = await q.get()\n    return total\n`;
    const base = `import asyncio\n\n\n${Array.from({ length: 40 }, (_, i) => fn(i)).join('\n\n')}\nasyncio.run(worker_0(None))\n`;
    const trees = new DocumentTrees();
    const options: AnalyzeOptions = { throwOnRuleError: true };
    trees.analyze('m.py', base, options);
    const unitsOf = () => (trees as unknown as { results: Map<string, { units: object[] }> }).results.get('m.py')!.units;
    const first = [...unitsOf()];
    // A character typed inside worker_20: every other unit is the same object, moved or not.
    const typed = base.replace('def worker_20(q):\n    total', 'def worker_20(q):\n    totalx');
    assert.deepEqual(trees.analyze('m.py', typed, options), analyze(typed, options));
    assert.deepEqual(trees.lastStats, { reused: 39, analysed: 1, fresh: undefined });
    const second = unitsOf();
    assert.equal(second.filter((u, i) => u === first[i]).length, 39);
    // Edits whose syntax reaches beyond the edited line: a string opened (and closed again) above
    // units, a line indented into the function above it, lines joined, a unit split in two.
    const versions = [
      typed.replace('async def worker_5(q):', '"""\nasync def worker_5(q):'),
      typed,
      typed.replace('    return total\n\n\nasync def worker_7', '    return total\n    x = 1\n\nasync def worker_7'),
      typed.replace('    return total\n\n\nasync def worker_7', '    return total\nx = 1\n\nasync def worker_7'),
      typed.replace('    item = await q.get()\n    return total\n\n\nasync def worker_9', '    item = await q.get()\nasync def worker_9'),
      typed.replace('    item = await q.get()\n    return total\n\n\nasync def worker_11(q):', '    item = await q.get()\nasync def split(q):\n    return total\n\n\nasync def worker_11(q):'),
      typed.replace('async def worker_30(q):\n', 'async def worker_30(q):\n    await asyncio.sleep(1); '),
      typed,
    ];
    for (const [i, text] of versions.entries()) {
      assert.deepEqual(trees.analyze('m.py', text, options), analyze(text, options), `version ${i}`);
    }
    assert.ok(trees.lastStats.reused >= 38, JSON.stringify(trees.lastStats));
  });

  test('a unit kept across versions answers from the newest tree (its shell is reused, its caches are not)', () => {
    // `waiter` hangs on an event nobody sets; `main`'s CORO201 points into `waiter`, through what
    // `waiter`'s own name bindings say. `waiter` moves (a line above it), then `main` is edited.
    const waiter = 'async def waiter():\n    ev = asyncio.Event()\n    await ev.wait()\n';
    const main = 'async def main():\n    await waiter()\n    print("done")\n';
    const versions = [
      `import asyncio\n\n\n${waiter}\n\n${main}`,
      `import asyncio\nx = 1\n\n\n${waiter}\n\n${main}`,
      `import asyncio\nx = 1\n\n\n${waiter}\n\n${main.replace('done', 'done!')}`,
      `import asyncio\nx = 1\ny = 2\n\n\n${waiter}\n\n${main.replace('done', 'done!')}`,
      `import asyncio\nx = 1\ny = 2\n\n\n${waiter}\n\n${main}`,
    ];
    const trees = new DocumentTrees();
    const options: AnalyzeOptions = { throwOnRuleError: true };
    for (const [i, text] of versions.entries()) {
      const got = trees.analyze('m.py', text, options);
      assert.deepEqual(got, analyze(text, options), `version ${i}`);
      assert.ok(got.some((d) => d.code === 'CORO201'), `version ${i}: ${JSON.stringify(got)}`);
    }
    assert.ok(trees.lastStats.reused >= 1, JSON.stringify(trees.lastStats));
  });

  test('a function turning async, hanging or raising changes its callers\' results', () => {
    const trees = new DocumentTrees();
    const callee = 'def fetch():\n    return 1\n\n\n';
    const caller = 'async def main():\n    fetch()\n    await asyncio.gather(fetch())\n    await asyncio.sleep(1)\n';
    const versions = [
      `import asyncio\n\n\n${callee}${caller}`,
      `import asyncio\n\n\nasync ${callee}${caller}`,
      `import asyncio\n\n\nasync def fetch():\n    while True:\n        await asyncio.sleep(1)\n\n\n${caller}`,
      `import asyncio\n\n\nasync def fetch():\n    raise ValueError()\n\n\n${caller}`,
      `import asyncio\n\n\nasync def fetch():\n    yield 1\n\n\n${caller}`,
      `import asyncio\n\n\n${callee}${caller}`,
    ];
    const seen = new Set<string>();
    for (const [i, text] of versions.entries()) {
      const got = trees.analyze('m.py', text, { throwOnRuleError: true });
      assert.deepEqual(got, analyze(text, { throwOnRuleError: true }), `version ${i}`);
      seen.add(JSON.stringify(got.map((d) => d.code)));
    }
    assert.ok(seen.size >= 3, 'the versions have different findings');
  });

  test('module-level bindings and imports inside other functions reach the unchanged units', () => {
    const user = '\n\nasync def use():\n    p.read_text()\n    sleep(1)\n';
    const versions = [
      `import asyncio\nfrom pathlib import Path\np = Path("x")\n\n\ndef setup():\n    from time import sleep\n${user}`,
      `import asyncio\nfrom pathlib import Path\np = 1\n\n\ndef setup():\n    from time import sleep\n${user}`,
      `import asyncio\nfrom pathlib import Path\np = 1\n\n\ndef setup():\n    from asyncio import sleep\n${user}`,
      `import asyncio\nfrom pathlib import Path\np = Path("x")\n\n\ndef setup():\n    from asyncio import sleep\n${user}`,
      `import asyncio\nfrom pathlib import Path\np = Path("x")\n\n\ndef setup():\n    global p\n${user}`,
    ];
    const trees = new DocumentTrees();
    const seen = new Set<string>();
    for (const [i, text] of versions.entries()) {
      const got = trees.analyze('m.py', text, { throwOnRuleError: true });
      assert.deepEqual(got, analyze(text, { throwOnRuleError: true }), `version ${i}`);
      seen.add(JSON.stringify(got.map((d) => d.code)));
    }
    assert.equal(seen.size, versions.length, 'every version has its own findings');
  });

  test('a settings change is not served stale findings', () => {
    const trees = new DocumentTrees();
    const text = 'import asyncio, time\n\n\nasync def a():\n    time.sleep(1)\n\n\nasync def b():\n    time.sleep(2)\n';
    const options = { select: ['CORO300'] };
    assert.equal(trees.analyze('m.py', text, options).length, 2);
    const edited = text.replace('sleep(2)', 'sleep(3)');
    assert.equal(trees.analyze('m.py', edited, { ...options, ignore: ['CORO300'] }).length, 0);
    assert.equal(trees.analyze('m.py', text, options).length, 2);
    trees.analyze('m.py', edited, options);
    assert.equal(trees.lastStats.reused, 1);
  });

  test('forgetResults() drops exactly the units that consulted other modules', () => {
    // A workspace whose `lib.fetch` is a coroutine function until "another file changes".
    let fetchIsAsync = true;
    const project: ProjectContext = {
      module: 'app', isPackage: false,
      resolver: { coroutine: (q) => (q === 'lib.fetch' && fetchIsAsync ? { module: 'lib', name: 'fetch', line: 0 } : undefined) },
    };
    const options: AnalyzeOptions = { project, select: ['CORO110', 'CORO303'] };
    // `b` calls nothing imported, so it never asks the project.
    const text = 'import asyncio, lib\n\n\nasync def a():\n    lib.fetch()\n\n\nasync def b():\n    open("f")\n\n\nasync def c():\n    pass\n';
    const trees = new DocumentTrees();
    assert.deepEqual(trees.analyze('m.py', text, options).map((d) => d.code), ['CORO110', 'CORO303']);
    fetchIsAsync = false;
    trees.forgetResults();
    const edited = text.replace('pass', 'return');
    const got = trees.analyze('m.py', edited, options);
    assert.deepEqual(got, analyze(edited, options));
    assert.deepEqual(got.map((d) => d.code), ['CORO303']);
    // `b` never asked the project: kept; `a` did: analysed again (and `c` was edited).
    assert.equal(trees.lastStats.reused, 1, JSON.stringify(trees.lastStats));
  });

  test('forgetResults() keeps the units that asked only about names outside the workspace, while they are', () => {
    // `lib` is a workspace module, `other` is not: what the workspace says about `other.fetch` cannot
    // change while only texts change (no module appears), so `b` keeps its results; `a` asked about
    // `lib.fetch`, whose text may have changed.
    let fetchIsAsync = true;
    let otherExists = false;
    const project: ProjectContext = {
      module: 'app', isPackage: false,
      resolver: { coroutine: (q) => (q === 'lib.fetch' && fetchIsAsync ? { module: 'lib', name: 'fetch', line: 0 } : undefined) },
      isWorkspaceName: (q) => q === 'lib' || q.startsWith('lib.') || (otherExists && q.startsWith('other.')),
    };
    const options: AnalyzeOptions = { project, select: ['CORO110', 'CORO303'] };
    const text = 'import lib, other\n\n\nasync def a():\n    lib.fetch()\n\n\nasync def b():\n    other.fetch()\n    open("f")\n\n\nasync def c():\n    pass\n';
    const trees = new DocumentTrees();
    assert.deepEqual(trees.analyze('m.py', text, options).map((d) => d.code), ['CORO110', 'CORO303']);
    fetchIsAsync = false;
    trees.forgetResults('texts');
    const edited = text.replace('pass', 'return');
    const got = trees.analyze('m.py', edited, options);
    assert.deepEqual(got, analyze(edited, options));
    assert.deepEqual(got.map((d) => d.code), ['CORO303']);
    assert.equal(trees.lastStats.reused, 1, JSON.stringify(trees.lastStats));
    // When modules appear or go, `b` stays while `other` is still outside the workspace…
    trees.forgetResults('files');
    assert.deepEqual(trees.analyze('m.py', edited, options), analyze(edited, options));
    assert.deepEqual([trees.lastStats.reused, trees.lastStats.analysed], [2, 1]);
    // …and is analysed again once a module `other` exists.
    otherExists = true;
    trees.forgetResults('files');
    assert.deepEqual(trees.analyze('m.py', edited, options), analyze(edited, options));
    assert.deepEqual([trees.lastStats.reused, trees.lastStats.analysed], [1, 2]);
  });

  test('with a real workspace, calls into the standard library keep their results while other modules change', () => {
    const dir = mkdtempSync(join(tmpdir(), 'coroscope-reuse-ws-'));
    try {
      writeFileSync(join(dir, 'lib.py'), 'async def fetch():\n    return 1\n');
      const app = join(dir, 'app.py');
      // `s` and `t` only call asyncio (asking the workspace about `asyncio.sleep`); `f` calls lib.
      const text = 'import asyncio\nimport lib\n\n\nasync def s():\n    await asyncio.sleep(1)\n    await asyncio.sleep(2)\n\n\n'
        + 'async def f():\n    await lib.fetch()\n    await asyncio.sleep(1)\n\n\nasync def t():\n    await asyncio.sleep(1)\n    await asyncio.sleep(2)\n';
      writeFileSync(app, text);
      const workspace = new WorkspaceModules();
      const options = (): AnalyzeOptions => ({ project: workspace.contextFor(app) });
      const trees = new DocumentTrees();
      const check = (): number[] => {
        assert.deepEqual(trees.analyze(app, text, options()), analyze(text, options()));
        return [trees.lastStats.reused, trees.lastStats.analysed];
      };
      check();
      // Another module's text changed: only `f`, which asked about lib, is analysed again.
      workspace.contentChanged(join(dir, 'lib.py'));
      trees.forgetResults('texts');
      assert.deepEqual(check(), [2, 1]);
      // A module appeared that does not shadow asyncio: the same.
      writeFileSync(join(dir, 'other.py'), 'x = 1\n');
      workspace.invalidate(join(dir, 'other.py'));
      trees.forgetResults('files');
      assert.deepEqual(check(), [2, 1]);
      // A workspace module named asyncio appeared: `s` and `t` asked about it and are analysed again.
      writeFileSync(join(dir, 'asyncio.py'), 'async def sleep(n):\n    while True:\n        pass\n');
      workspace.invalidate(join(dir, 'asyncio.py'));
      trees.forgetResults('files');
      assert.deepEqual(check(), [0, 3]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('another module\'s verdict changing reaches units that only see it through a same-file function', () => {
    // `lib.serve` never returns until "another file changes". `relay` awaits it (and asks the project);
    // `main` awaits `relay` and never asks the project itself: its CORO201 and CORO200 rest on
    // `relay`'s ending, which is in `relay`'s digest, so they must go with it.
    let serveHangs = true;
    const project: ProjectContext = {
      module: 'app', isPackage: false, resolver: { coroutine: () => undefined },
      ending: (q) => (q === 'lib.serve' && serveHangs
        ? { kind: 'hangs', reason: '`while True` never exits', site: { file: '/w/lib.py', range: { start: { line: 3, character: 4 }, end: { line: 5, character: 0 } } }, isAsync: true, name: 'serve', module: 'lib' }
        : undefined),
    };
    const options: AnalyzeOptions = { project, select: ['CORO200', 'CORO201'], throwOnRuleError: true };
    const text = 'import asyncio\nimport lib\n\n\nasync def relay():\n    await lib.serve()\n\n\nasync def main():\n    await relay()\n    await asyncio.sleep(1)\n\n\nasync def other():\n    pass\n';
    const trees = new DocumentTrees();
    const before = trees.analyze('m.py', text, options);
    assert.deepEqual(before, analyze(text, options));
    assert.deepEqual(before.filter((d) => d.severity !== 'hint').map((d) => `${d.range.start.line + 1}:${d.code}`), ['6:CORO201', '10:CORO201', '11:CORO200']);
    assert.equal(before[0].related?.[0].file, '/w/lib.py', 'related information keeps the other file');
    // An unrelated edit moves nothing of lib.py's: the kept finding still points there.
    const edited = text.replace('pass', 'return');
    assert.deepEqual(trees.analyze('m.py', edited, options), analyze(edited, options));
    serveHangs = false;
    trees.forgetResults();
    const got = trees.analyze('m.py', edited, options);
    assert.deepEqual(got, analyze(edited, options));
    assert.deepEqual(got, []);
  });
});
