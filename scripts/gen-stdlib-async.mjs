// Generates server/src/analysis/data/stdlib-async.json: which callables of the standard library's
// asyncio package are coroutine functions (so calling them without awaiting is CORO110), read from
// typeshed's stubs as shipped in pyright's npm package. Run: node scripts/gen-stdlib-async.mjs
// The output records the typeshed commit and pyright version it was generated from.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'package.json'));
const { Parser, Language } = require('web-tree-sitter');

const pyrightDir = dirname(require.resolve('pyright/package.json'));
const typeshed = join(pyrightDir, 'dist/typeshed-fallback');
const asyncioDir = join(typeshed, 'stdlib/asyncio');

await Parser.init();
const python = await Language.load(join(dirname(require.resolve('tree-sitter-python/package.json')), 'tree-sitter-python.wasm'));
const parser = new Parser();
parser.setLanguage(python);

/** Top-level statements, looking inside `if sys.version_info …:` / `else:` blocks. */
function* statements(block) {
  for (const s of block.namedChildren) {
    if (s.type === 'if_statement') {
      const consequence = s.childForFieldName('consequence');
      if (consequence) yield* statements(consequence);
      for (const alt of s.childrenForFieldName('alternative')) {
        const body = alt.childForFieldName('consequence') ?? alt.childForFieldName('body');
        if (body) yield* statements(body);
      }
    } else {
      yield s;
    }
  }
}

function definition(s) {
  if (s.type === 'decorated_definition') return s.childForFieldName('definition');
  return s;
}

/** A function is a coroutine function when declared `async def` or typed as returning a Coroutine. */
function isCoroutineFunction(fn) {
  if (fn.firstChild?.type === 'async') return true;
  const ret = fn.childForFieldName('return_type')?.text ?? '';
  return /^(typing\.|collections\.abc\.)?Coroutine\[/.test(ret);
}

const init = readFileSync(join(asyncioDir, '__init__.pyi'), 'utf8');
const reexported = new Set([...init.matchAll(/from \.(\w+) import \*/g)].map((m) => m[1]));

const functions = new Set();
const classes = {};
for (const file of readdirSync(asyncioDir).filter((f) => f.endsWith('.pyi')).sort()) {
  const module = file === '__init__.pyi' ? 'asyncio' : `asyncio.${file.replace(/\.pyi$/, '')}`;
  const short = file.replace(/\.pyi$/, '');
  const tree = parser.parse(readFileSync(join(asyncioDir, file), 'utf8'));
  const names = (name) => (reexported.has(short) ? [`${module}.${name}`, `asyncio.${name}`] : [`${module}.${name}`]);
  for (const s of statements(tree.rootNode)) {
    const def = definition(s);
    if (!def) continue;
    const name = def.childForFieldName('name')?.text;
    if (!name || name.startsWith('_')) continue;
    if (def.type === 'function_definition' && isCoroutineFunction(def)) {
      for (const n of names(name)) functions.add(n);
    } else if (def.type === 'class_definition') {
      const methods = [];
      const body = def.childForFieldName('body');
      for (const m of body ? statements(body) : []) {
        const md = definition(m);
        if (md?.type === 'function_definition' && isCoroutineFunction(md)) methods.push(md.childForFieldName('name').text);
      }
      const bases = (def.childForFieldName('superclasses')?.namedChildren ?? [])
        .filter((b) => b.type === 'identifier' || b.type === 'attribute' || b.type === 'subscript')
        .map((b) => (b.type === 'subscript' ? b.childForFieldName('value').text : b.text));
      for (const n of names(name)) classes[n] = { methods: [...new Set(methods)].sort(), bases };
    }
  }
  tree.delete();
}

const out = {
  provenance: {
    source: 'typeshed stdlib/asyncio stubs as bundled in the pyright npm package',
    typeshedCommit: readFileSync(join(typeshed, 'commit.txt'), 'utf8').trim(),
    pyrightVersion: require('pyright/package.json').version,
    generator: 'scripts/gen-stdlib-async.mjs',
  },
  coroutineFunctions: [...functions].sort(),
  classes: Object.fromEntries(Object.entries(classes).sort(([a], [b]) => a.localeCompare(b))),
};
writeFileSync(join(root, 'server/src/analysis/data/stdlib-async.json'), JSON.stringify(out, null, 1) + '\n');
console.log(`${out.coroutineFunctions.length} coroutine functions, ${Object.keys(out.classes).length} classes`);
