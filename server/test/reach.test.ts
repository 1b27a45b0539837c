// The shortcut's reachability search (project/reach.ts) on a small workspace whose users say no
// async word: each verdict is checked against the full analysis, so a "skip" that would hide a
// finding fails here, and the cases that must be skipped show the search is sharper than "imports
// something that imports an async def".
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { findPythons } from '../../test/support/pythons';
import { analyze, initAnalysis } from '../src/analysis';
import { parse } from '../src/analysis/parser';
import { summarizeModule, type ModuleSummary } from '../src/analysis/summary';
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

/** The .py files under a folder (site-packages skipped, as the CLI skips it). */
function pythonFiles(dir: string, out: string[] = []): string[] {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.isDirectory()) { if (e.name !== 'site-packages') pythonFiles(join(dir, e.name), out); } else if (e.name.endsWith('.py')) out.push(join(dir, e.name));
  }
  return out;
}

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
  });

  test('the lexical summary of a module with coroutines: module-level ones, and methods by class', () => {
    const summary = lexicalSummary([
      'import x', 'if x:', '    async def top():', '        async def inner(): pass', 'else:', '    pass',
      'class A:', '    s = """', 'class Fake:', '    """', '    @staticmethod', '    async def method(self):', '        pass',
      '    if x:', '        async def hidden(self): pass', `    f"{x:{y}}" + f'{"a"}'`, '    async def after(self): pass',
      'class B(A): pass', `async def last(): return f"{'}'}"`,
    ].join('\n'))!;
    assert.ok(summary, 'read lexically');
    assert.deepEqual([...summary.coroutines], ['top', 'last']);
    const classes = new Map([...summary.classes].map(([name, c]) => [name, [...c.asyncMethods]]));
    assert.deepEqual(classes.get('A'), ['method', 'after']);
    assert.deepEqual(classes.get('B'), []);
    assert.ok(!classes.has('Fake'), 'a class in a string is no class');
    // An import list opened in a docstring does not swallow the real imports; `importlib` is not the
    // `import` keyword; a 3.12 class's type parameters come before its bases.
    const tricky = lexicalSummary('"""\nfrom x import (\n"""\nfrom importlib import import_module\nclass Box[T: (int, str)](Base): pass\n')!;
    assert.ok([...tricky.imports].some(([l, t]) => l === 'import_module' && t === 'importlib.import_module'), JSON.stringify([...tricky.imports]));
    assert.deepEqual([...tricky.classes].find(([n]) => n === 'Box')?.[1].bases, ['Base']);
    // Non-ASCII text in strings and comments is read; a non-ASCII identifier (`\w` is ASCII) is parsed.
    assert.ok(lexicalSummary('s = "é"  # ü\nimport x\nf"{x}é"\n'));
    assert.equal(lexicalSummary('é = 1\nimport x\n'), undefined);
    assert.equal(lexicalSummary('f"{é}"\nimport x\n'), undefined);
    // What the line reader is unsure of is parsed instead.
    for (const text of ['async def f():\n\tpass\n', 'async def f():\n        pass\n    x = 1\n', 'async def f(:\n    pass\n', 's = """\nasync def f(): pass\n']) {
      assert.equal(lexicalSummary(text), undefined, JSON.stringify(text));
    }
  });

  // The oldest and newest standard library: every module with `async` and a tenth of the rest.
  // ALL_STDLIBS=1 compares every module of every Python found (~1 min).
  test('lexical summaries hold everything a parse finds, on standard libraries', () => {
    const pythons = findPythons();
    assert.ok(pythons.length, 'a Python to take a standard library from');
    for (const py of process.env.ALL_STDLIBS ? pythons : new Set([pythons[0], pythons.at(-1)!])) {
      const lib = join(py.path, '../../lib', `python${py.major}.${py.minor}`);
      let read = 0, compared = 0;
      for (const file of pythonFiles(lib)) {
        const text = readFileSync(file, 'utf8');
        // Every module with an async word, and every tenth of the others.
        if (!/\basync\b/.test(text) && read++ % (process.env.ALL_STDLIBS ? 1 : 10) !== 0) continue;
        const lexical = lexicalSummary(text);
        if (!lexical) continue;
        compared++;
        const tree = parse(text);
        let summary: ModuleSummary;
        try { summary = summarizeModule(tree); } finally { tree.delete(); }
        const at = file.slice(lib.length + 1);
        const coroutines = new Set(lexical.coroutines);
        for (const name of summary.coroutines.keys()) assert.ok(coroutines.has(name), `${at}: coroutine ${name}`);
        const classes = new Map<string, { methods: Set<string>; bases: Set<string> }>();
        for (const [name, c] of lexical.classes) {
          const entry = classes.get(name) ?? { methods: new Set(), bases: new Set() };
          for (const m of c.asyncMethods) entry.methods.add(m);
          for (const b of c.bases) entry.bases.add(b);
          classes.set(name, entry);
        }
        for (const [name, cls] of summary.classes) {
          if (!cls.asyncMethods.size && !cls.bases.length) continue;
          const entry = classes.get(name);
          for (const m of cls.asyncMethods.keys()) assert.ok(entry?.methods.has(m), `${at}: ${name}.${m}`);
          for (const b of cls.bases) assert.ok(entry?.bases.has(b), `${at}: ${name}(${b})`);
        }
        const imports = new Set([...lexical.imports].map(([l, t]) => `${l}=${t}`));
        for (const [l, t] of summary.imports) assert.ok(imports.has(`${l}=${t}`), `${at}: import ${l}=${t}`);
        for (const star of summary.starImports) assert.ok(lexical.starImports.includes(star), `${at}: *${star}`);
      }
      assert.ok(compared > 200, `${lib}: ${compared} modules compared`);
    }
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

describe('module lookup without an overlay', () => {
  test('finds the same files as the lookup that also asks an overlay', () => {
    const dir = mkdtempSync(join(tmpdir(), 'coroscope-lookup-'));
    try {
      const files = ['one/a.py', 'one/pkg/__init__.py', 'one/pkg/sub.py', 'one/pkg/sub/__init__.py', 'one/pkg/deep/x.py', 'one/stub.pyi',
        'one/both.py', 'one/both.pyi', 'two/pkg/other.py', 'two/a/__init__.py', 'two/solo/__init__.py', 'two/nopkg/y.py'];
      for (const f of files) { mkdirSync(dirname(join(dir, f)), { recursive: true }); writeFileSync(join(dir, f), ''); }
      const names = ['a', 'pkg', 'pkg.sub', 'pkg.deep', 'pkg.deep.x', 'pkg.other', 'stub', 'both', 'solo', 'nopkg', 'nopkg.y',
        'missing', 'pkg.missing', 'a.b.c', 'pkg.sub.sub', '', 'pkg..sub'];
      const fast = new WorkspaceModules();
      const slow = new WorkspaceModules(() => undefined);
      for (const w of [fast, slow]) { w.addRoot(join(dir, 'one')); w.addRoot(join(dir, 'two')); }
      const found = names.map((n) => fast.fileOf(n));
      assert.deepEqual(found, names.map((n) => slow.fileOf(n)));
      assert.equal(found.filter(Boolean).length, 9, JSON.stringify(found));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
