// Packaging test: builds the VSIX the way `npm run package` does, in a copy of the working tree (so the
// production build does not replace dist/ under the protocol tests running alongside), opens it, and
// checks that every path package.json names is inside, that nothing that should stay out is, and the size.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import yauzl from 'yauzl';
import { repoRoot } from './support/root';

const root = repoRoot();
const BUDGET_BYTES = 3 * 1024 * 1024;

/** Reads every entry name of a zip file. */
function zipEntries(file: string): Promise<string[]> {
  return new Promise((resolve, reject) => {
    yauzl.open(file, { lazyEntries: true }, (error, zip) => {
      if (error || !zip) { reject(error ?? new Error('cannot open zip')); return; }
      const names: string[] = [];
      zip.on('entry', (entry: yauzl.Entry) => { names.push(entry.fileName); zip.readEntry(); });
      zip.on('end', () => resolve(names));
      zip.on('error', reject);
      zip.readEntry();
    });
  });
}

/** The files git would put in a fresh clone, plus untracked work not ignored. */
function workingTreeFiles(): string[] {
  const listed = spawnSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '-z'], { cwd: root, encoding: 'utf8' });
  assert.equal(listed.status, 0, listed.stderr);
  return listed.stdout.split('\0').filter((f) => f && !/^(node_modules|dist|out)(\/|$)/.test(f) && existsSync(join(root, f)));
}

let workDir = '';
let vsix = '';
let entries: string[] = [];
let manifest: Record<string, any> = {};

before(async () => {
  workDir = mkdtempSync(join(tmpdir(), 'coroscope-package-'));
  for (const file of workingTreeFiles()) cpSync(join(root, file), join(workDir, file), { recursive: true });
  // Dependencies are not copied: the packaged extension bundles them, and vsce runs with --no-dependencies.
  symlinkSync(join(root, 'node_modules'), join(workDir, 'node_modules'), 'dir');
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const result = spawnSync(npm, ['run', 'package'], { cwd: workDir, encoding: 'utf8', timeout: 300_000, env: { ...process.env, CI: 'true' } });
  assert.equal(result.status, 0, `npm run package failed:\n${result.stdout}\n${result.stderr}`);
  manifest = JSON.parse(readFileSync(join(workDir, 'package.json'), 'utf8'));
  vsix = join(workDir, `coroscope-${manifest.version}.vsix`);
  assert.ok(existsSync(vsix), `npm run package did not produce ${vsix}`);
  entries = (await zipEntries(vsix)).map((e) => e.replace(/^extension\//, ''));
});

after(() => { if (workDir) rmSync(workDir, { recursive: true, force: true }); });

/** Paths the manifest refers to, relative to the extension root. */
function manifestPaths(): string[] {
  const strip = (p: string) => p.replace(/^\.\//, '');
  const paths = [strip(manifest.main)];
  for (const debuggerContribution of manifest.contributes?.debuggers ?? []) {
    if (debuggerContribution.program) paths.push(strip(debuggerContribution.program));
  }
  for (const grammar of manifest.contributes?.grammars ?? []) paths.push(strip(grammar.path));
  for (const language of manifest.contributes?.languages ?? []) if (language.configuration) paths.push(strip(language.configuration));
  for (const snippet of manifest.contributes?.snippets ?? []) paths.push(strip(snippet.path));
  if (manifest.icon) paths.push(strip(manifest.icon));
  if (manifest.bin) for (const bin of Object.values(manifest.bin) as string[]) paths.push(strip(bin));
  // Loaded at run time rather than named in the manifest: the server bundle, its WASM files and the
  // Python runtime that the adapter starts with `python -m coroscope`.
  paths.push('dist/server.js', 'dist/web-tree-sitter.wasm', 'dist/tree-sitter-python.wasm', 'debugger/python/coroscope/__main__.py');
  return paths;
}

test('every path package.json names is in the VSIX', () => {
  const missing = manifestPaths().filter((p) => !entries.includes(p));
  assert.deepEqual(missing, [], `missing from the VSIX: ${missing.join(', ')}`);
});

test('no sources, tests, source maps or node_modules in the VSIX', () => {
  const stray = entries.filter((e) =>
    /\.ts$/.test(e) || /\.map$/.test(e) || /(^|\/)node_modules\//.test(e) || /(^|\/)tests?\//.test(e) ||
    /^(client|server|out|bench|scripts|examples|docs)\//.test(e) || /(^|\/)__pycache__\//.test(e));
  assert.deepEqual(stray, [], `should not ship: ${stray.join(', ')}`);
});

test('the VSIX fits the 3 MB budget', () => {
  const size = statSync(vsix).size;
  console.log(`VSIX ${(size / 1024 / 1024).toFixed(2)} MB (${size} bytes, ${entries.length} entries)`);
  assert.ok(size <= BUDGET_BYTES, `VSIX is ${size} bytes, budget ${BUDGET_BYTES}`);
});
