// The shortcut's reachability search (project/reach.ts) on a small workspace whose users say no
// async word: each verdict is checked against the full analysis, so a "skip" that would hide a
// finding fails here, and the cases that must be skipped show the search is sharper than "imports
// something that imports an async def".
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { analyze, initAnalysis } from '../src/analysis';
import { mayHaveFindings } from '../src/analysis/prefilter';
import { lexicalSummary, type ReachSummary } from '../src/project/lexicalSummary';
import { mayReachCoroutine, type ModuleGraph } from '../src/project/reach';
import { WorkspaceModules } from '../src/project/workspace';

const LIBRARY: Record<string, string> = {
  'pkg/__init__.py': 'from .impl import fetch as get\nimport os\n',
  'pkg/impl.py': 'async def fetch():\n    return 1\n\nclass Base:\n    async def close(self):\n        pass\n',
  'pkg/more.py': 'from .impl import *\n',
  'pkg/mid.py': 'from .impl import Base\n\nclass Mid(\n    Base,  # a comment\n):\n    pass\n',
  'pkg/plain.py': 'import json\n\ndef other():\n    return json\n',
};

/** User modules (no async word in any), and whether each can produce a finding. */
const USERS: [string, string, boolean][] = [
  ['alias re-exported by a package', 'from pkg import get\n\ndef main():\n    get()\n', true],
  ['star import through a module without async def', 'import pkg.more\n\ndef main():\n    pkg.more.fetch()\n', true],
  ['method inherited through a class of a module without async def', 'from pkg.mid import Mid\n\ndef main():\n    m = Mid()\n    m.close()\n', true],
  ['submodule reached through the package', 'import pkg\n\ndef main():\n    pkg.impl.fetch()\n', true],
  ['import after a semicolon', 'x = 1; from pkg import get\n\ndef main():\n    get()\n', true],
  ['a name the package does not export as a coroutine', 'import pkg\n\ndef main():\n    pkg.os.getcwd()\n', false],
  ['a class whose coroutine method is never named', 'from pkg.mid import Mid\n\ndef main():\n    print(Mid())\n', false],
  ['a module whose imports reach no async def', 'from pkg.plain import other\n\ndef main():\n    other()\n', false],
];

describe('reachability of workspace coroutines from files without async words', () => {
  let dir: string;
  before(async () => {
    await initAnalysis();
    dir = mkdtempSync(join(tmpdir(), 'coroscope-reach-'));
    for (const [path, text] of Object.entries(LIBRARY)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), text);
    }
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  for (const [name, text, expected] of USERS) {
    test(name, () => {
      const file = join(dir, 'user.py');
      writeFileSync(file, text);
      const workspace = new WorkspaceModules();
      const project = workspace.contextFor(file);
      const findings = analyze(text, { project, exhaustive: true, throwOnRuleError: true });
      assert.equal(findings.length > 0, expected, JSON.stringify(findings));
      assert.equal(mayHaveFindings(text, { project }), expected);
    });
  }

  test('the lexical summary reads imports, star imports and bases across lines and continuations', () => {
    const summary = lexicalSummary([
      'from a.b import (x as y,  # note', '    z)', 'import c.d as e, f.g', 'if t: from \\', '  .h import *',
      'class K(y.Base, metaclass=M,', '        other=f(1)):', '    pass',
    ].join('\n'))!;
    assert.deepEqual([...summary.imports], [['y', 'a.b.x'], ['z', 'a.b.z'], ['e', 'c.d'], ['f', 'f']]);
    assert.deepEqual(summary.starImports, ['.h']);
    const [[cls, { bases }]] = [...summary.classes];
    assert.equal(cls, 'K');
    assert.ok(bases.includes('a.b.x.Base'), bases.join());
    assert.equal(lexicalSummary('async def f():\n    pass\n'), undefined, 'modules with coroutines are parsed');
  });
});

/** An in-memory module graph: module → [file, summary]; packages are the `__init__.py` files. */
function graphOf(modules: Record<string, [string, Partial<ReachSummary>]>): ModuleGraph {
  return {
    fileOf: (m) => modules[m]?.[0],
    summary: (m) => modules[m] && { coroutines: [], classes: [], imports: [], starImports: [], ...modules[m][1] },
    mayExport: (m) => m in modules,
    submodules: (m) => new Set(Object.keys(modules).filter((k) => k.startsWith(`${m}.`)).map((k) => k.slice(m.length + 1).split('.')[0])),
  };
}

describe('the search resumes work that waited on a name learned later', () => {
  // The user writes `a`, `b` and `y` only. Visiting `a` finds submodule `impl` unnamed; `b`'s import
  // bound to `y` then teaches `impl` and `fetch`, which must bring back `a.impl` and its coroutine.
  const library = (target: string) => graphOf({
    a: ['a/__init__.py', {}],
    'a.impl': ['a/impl.py', { coroutines: ['fetch'] }],
    b: ['b.py', { imports: [['y', target]] }],
  });
  // Both orders of the imports: the search takes the last first, so one of them visits `a` before `b`.
  test('a submodule and a coroutine named only after their package was visited', () => {
    assert.equal(mayReachCoroutine(library('c.impl.fetch'), ['a', 'b'], new Set(['y'])), true);
    assert.equal(mayReachCoroutine(library('c.impl.fetch'), ['b', 'a'], new Set(['y'])), true);
  });
  test('the same graph without the late names stays unreachable', () => {
    assert.equal(mayReachCoroutine(library('c.impl.other'), ['a', 'b'], new Set(['y'])), false);
    assert.equal(mayReachCoroutine(library('c.other.fetch'), ['a', 'b'], new Set(['y'])), false);
  });
  test('a class named late brings back its bases and coroutine methods', () => {
    const graph = (target: string) => graphOf({
      k: ['k.py', { classes: [['K', { asyncMethods: ['close'], bases: [] }]] }],
      b: ['b.py', { imports: [['y', target]] }],
    });
    assert.equal(mayReachCoroutine(graph('z.K.close'), ['k', 'b'], new Set(['y'])), true);
    assert.equal(mayReachCoroutine(graph('z.K.close'), ['b', 'k'], new Set(['y'])), true);
    assert.equal(mayReachCoroutine(graph('z.K.open'), ['k', 'b'], new Set(['y'])), false);
  });
});
