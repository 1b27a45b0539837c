// The lexical shortcut (skip files that provably cannot produce a finding) must never change results:
// the CLI's output on a real tree — packages of an installed Python's standard library, which import
// each other — is identical with and without it (--exhaustive), and the shortcut does skip files.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { findPythons } from '../../test/support/pythons';
import { initAnalysis } from '../src/analysis';
import { importedModules, mayHaveFindings } from '../src/analysis/prefilter';
import { wordsOf } from '../src/analysis/words';
import { repoRoot } from './support/root';

function cli(args: string[], cwd: string) {
  return spawnSync(process.execPath, [join(repoRoot(), 'dist/cli.js'), ...args], { cwd, encoding: 'utf8', maxBuffer: 256 << 20, timeout: 600000 });
}

describe('the skip-unaffected-files shortcut is sound', () => {
  before(() => initAnalysis());

  test('identical CLI output with and without the shortcut on stdlib packages', () => {
    const py = findPythons().at(-1);
    assert.ok(py, 'a Python to take a standard library from');
    const lib = join(py.path, '../../lib', `python${py.major}.${py.minor}`);
    // Packages that import each other (asyncio ↔ concurrent, unittest's async case, email, json…).
    const paths = ['asyncio', 'concurrent', 'unittest', 'json', 'contextlib.py', 'functools.py', 'selectors.py', 'test/test_asyncio/test_locks.py',
      'test/test_asyncio/test_queues.py', 'test/test_asyncio/test_taskgroups.py', 'test/test_asyncio/test_timeouts.py', 'test/test_asyncio/utils.py']
      .filter((p) => existsSync(join(lib, p)));
    assert.ok(paths.length >= 6, `stdlib layout at ${lib}`);
    const fast = cli(['check', ...paths, '--format', 'json', '--target-version', `py3${py.minor}`], lib);
    const full = cli(['check', ...paths, '--format', 'json', '--target-version', `py3${py.minor}`, '--exhaustive'], lib);
    assert.equal(fast.status, full.status, fast.stderr + full.stderr);
    assert.ok(fast.status === 0 || fast.status === 1, fast.stderr);
    assert.ok(JSON.parse(full.stdout).length > 0, 'the tree has findings, so the comparison means something');
    assert.equal(fast.stdout, full.stdout);
  });

  test('files without async words are skipped, unless an import can bring in a coroutine', () => {
    assert.equal(mayHaveFindings('import os\nprint(os.getcwd())\n', {}), false);
    assert.equal(mayHaveFindings('async def f():\n    pass\n', {}), true);
    assert.equal(mayHaveFindings('x = asyncio\n', {}), true);
    // Fullwidth letters normalise (NFKC) to ASCII in Python identifiers.
    assert.equal(mayHaveFindings('import ａｓｙｎｃｉｏ\n', {}), true);
    // Only words in code count: not in strings or comments, but in f-string replacement fields.
    assert.equal(mayHaveFindings('"""Works with asyncio."""\nimport os  # not async\nx = f"await {os.sep}"\n', {}), false);
    assert.equal(mayHaveFindings('# ａｓｙｎｃｉｏ\nx = "ａｗａｉｔ"\n', {}), false);
    assert.equal(mayHaveFindings('x = f"{asyncio.sleep(1)}"\n', {}), true);
    assert.equal(mayHaveFindings('x = f"asyncio {asyncio.sleep(1)}"\n', {}), true, 'a field after a literal word');
    assert.equal(mayHaveFindings(`x = f"""asyncio {y!r:>{w}} # {'await'} {await z}"""\n`, {}), true, 'nested fields, specs, strings');
    assert.equal(mayHaveFindings(`x = f"""asyncio {y!r:>{w}} # {'await'}"""\n`, {}), false);
    assert.equal(mayHaveFindings('x = f"{\'{\'}{asyncio}"\n', {}), true);
    assert.equal(mayHaveFindings('s = "asyncio"; import asyncio\n', {}), true);
    assert.equal(mayHaveFindings('s = r"\\"; await x\n', {}), true);
    assert.equal(mayHaveFindings('s = "unterminated asyncio\n', {}), true, 'unsure: every occurrence counts');
    assert.equal(mayHaveFindings('# asyncio\rawait x\n', {}), true, 'a lone CR ends the comment');
    const project = (exports: boolean) => ({
      resolver: { coroutine: () => undefined }, module: 'pkg.mod', isPackage: false, mayExportCoroutines: () => exports,
    });
    assert.equal(mayHaveFindings('from .client import fetch\nfetch()\n', { project: project(true) }), true);
    assert.equal(mayHaveFindings('from .client import fetch\nfetch()\n', { project: project(false) }), false);
    assert.equal(mayHaveFindings('import os\n', { exhaustive: true }), true);
  });

  // The screening's text readers were rewritten for speed (a character loop for the words, keyword-first
  // patterns for the imports); they must find exactly what the plain definitions find, on real modules.
  test('words and imported modules: the same as the plain definitions, on a standard library', () => {
    const SEPARATORS = /[\s.,:;()[\]{}=+\-*/%&|^~<>!@"'#\\`$?]+/;
    const plainWords = (text: string) => {
      const words = new Set(text.split(SEPARATORS).filter(Boolean));
      // eslint-disable-next-line no-control-regex
      if (/[^\x00-\x7f]/.test(text)) for (const w of [...words]) words.add(w.normalize('NFKC'));
      return words;
    };
    const PLAIN_IMPORTS = /(?:^|[;:])[ \t]*(?:from[ \t]+(\.*[\w.]*)[ \t]+import\b|import[ \t]+([\w.]+(?:[ \t]+as[ \t]+\w+)?(?:[ \t]*,[ \t]*[\w.]+(?:[ \t]+as[ \t]+\w+)?)*))/gm;
    const plainImports = (text: string) => [...text.matchAll(PLAIN_IMPORTS)]
      .flatMap((m) => (m[1] !== undefined ? [m[1]] : m[2].split(',').map((p) => p.trim().split(/[ \t]+/)[0]))).filter(Boolean);
    const tricky = ['', 'x', ' a\u3000b\u00a0c\u2028d ', 'ｆｅｔｃｈ(x)', 'a.b;import  os ,  sys as s\nif x: from .. import y\n',
      'x = 1; from a.b import (c)\n"import z"', '\tfrom\t.p import q\nimportlib.x\nreimport y\n'];
    const py = findPythons().at(-1);
    assert.ok(py, 'a Python to take a standard library from');
    const lib = join(py.path, '../../lib', `python${py.major}.${py.minor}`);
    const texts = [...tricky];
    for (const sub of ['', 'asyncio', 'email', 'test']) {
      for (const name of readdirSync(join(lib, sub))) if (name.endsWith('.py')) texts.push(readFileSync(join(lib, sub, name), 'utf8'));
    }
    assert.ok(texts.length > 300, `${lib}: ${texts.length} modules`);
    for (const text of texts) {
      const words = wordsOf(text);
      words.delete('');
      assert.deepEqual([...words].sort(), [...plainWords(text)].sort(), text.slice(0, 80));
      assert.deepEqual(importedModules(text), plainImports(text), text.slice(0, 80));
    }
  });

});
