// Builds every entry point into dist/ (one esbuild bundle each, as vscode-go and rust-analyzer do) and
// every test file into out/ (bundled against the sources, dependencies left external).
//   node scripts/build.mjs               development build: dist/ + out/, with source maps
//   node scripts/build.mjs --production  what the VSIX ships: minified dist/, no source maps, no out/
//   node scripts/build.mjs --watch       rebuild on change
import * as esbuild from 'esbuild';
import { copyFileSync, mkdirSync, readdirSync, rmSync, statSync, chmodSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'package.json'));
const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/** The bundles package.json and the adapter/server spawners refer to. */
const entryPoints = [
  { in: 'client/src/extension.ts', out: 'extension', external: ['vscode'] },
  { in: 'server/src/server.ts', out: 'server' },
  { in: 'debugger/src/debugAdapter.ts', out: 'debugAdapter' },
  { in: 'server/src/cli.ts', out: 'cli', banner: '#!/usr/bin/env node' },
  // The CLI's parallel checker runs the same core in worker threads.
  { in: 'server/src/cliWorker.ts', out: 'cliWorker', optional: true },
];

/** WASM files loaded at run time; they travel next to the bundles. */
const wasmFiles = [
  require.resolve('web-tree-sitter/web-tree-sitter.wasm'),
  join(dirname(require.resolve('tree-sitter-python/package.json')), 'tree-sitter-python.wasm'),
];

function findFiles(dir, predicate, acc = []) {
  let entries;
  try { entries = readdirSync(dir); } catch { return acc; }
  for (const name of entries) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const full = join(dir, name);
    if (statSync(full).isDirectory()) findFiles(full, predicate, acc);
    else if (predicate(full)) acc.push(full);
  }
  return acc;
}

function exists(p) { try { statSync(p); return true; } catch { return false; } }

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: production ? false : 'linked',
  minify: production,
  logLevel: 'warning',
};

async function buildAll() {
  rmSync(join(root, 'dist'), { recursive: true, force: true });
  mkdirSync(join(root, 'dist'), { recursive: true });
  for (const wasm of wasmFiles) copyFileSync(wasm, join(root, 'dist', wasm.split(/[\\/]/).pop()));

  const contexts = [];
  for (const entry of entryPoints) {
    const input = join(root, entry.in);
    if (entry.optional && !exists(input)) continue;
    contexts.push(await esbuild.context({
      ...common,
      entryPoints: [input],
      outfile: join(root, 'dist', `${entry.out}.js`),
      external: entry.external ?? [],
      banner: entry.banner ? { js: entry.banner } : undefined,
    }));
  }

  if (!production) {
    // Tests import the sources directly; bundling each keeps `node --test` free of a TS loader.
    const testFiles = [
      ...findFiles(join(root, 'server/test'), (f) => f.endsWith('.ts')),
      ...findFiles(join(root, 'debugger/test'), (f) => f.endsWith('.ts')),
      ...findFiles(join(root, 'client/test'), (f) => f.endsWith('.ts')),
      ...findFiles(join(root, 'test'), (f) => f.endsWith('.ts')),
      ...findFiles(join(root, 'bench'), (f) => f.endsWith('.ts')),
    ];
    rmSync(join(root, 'out'), { recursive: true, force: true });
    if (testFiles.length) {
      contexts.push(await esbuild.context({
        ...common,
        entryPoints: testFiles,
        outdir: join(root, 'out'),
        outbase: root,
        packages: 'external',
        external: ['vscode'],
      }));
    }
  }

  for (const ctx of contexts) {
    if (watch) await ctx.watch();
    else { await ctx.rebuild(); await ctx.dispose(); }
  }
  if (exists(join(root, 'dist/cli.js'))) chmodSync(join(root, 'dist/cli.js'), 0o755);
  if (!watch) console.log(`built ${contexts.length} bundle set(s) into ${relative(process.cwd(), join(root, 'dist')) || 'dist'}${production ? ' (production)' : ''}`);
}

await buildAll();
