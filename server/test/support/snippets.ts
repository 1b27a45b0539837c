// Generates await-placement snippets for the differential test: leaf constructs (await, async
// comprehensions, async with/for, yield from, return-in-async-generator) wrapped in random stacks of
// frames and positions (lambda, class body, defaults, decorators, comprehension parts, dead branches…).
// Deterministic: the same seed always yields the same snippets.

type Expr = string;
/** A statement as lines without indentation; wrappers indent their body. */
type Stmt = string[];

const indent = (body: Stmt): Stmt => body.map((l) => '    ' + l);

const LEAF_EXPRS: Expr[] = [
  'await x',
  '[y async for y in x]',
  '{y: 1 async for y in x}',
  '(y async for y in x)',
  '[await y for y in x]',
  '{await y for y in x}',
  '(await y for y in x)',
];

const LEAF_STMTS: Stmt[] = [
  ['async with x: pass'],
  ['async for y in x: pass'],
  ['async with x as (a, b):', '    pass'],
  ['yield from x'],
  ['yield 1', 'return 1'],
  ['return 1', 'yield'],
  ['v = await x'],
];

const EXPR_WRAPPERS: Array<(e: Expr) => Expr> = [
  (e) => `lambda: ${e}`,
  (e) => `(${e} for q in w)`,
  (e) => `(q for q in ${e})`,
  (e) => `(q for p in w for q in ${e})`,
  (e) => `[${e} for q in w]`,
  (e) => `{${e} for q in w}`,
  (e) => `{q: ${e} for q in w}`,
  (e) => `[q for q in ${e}]`,
  (e) => `[q for q in w if ${e}]`,
  (e) => `[q async for q in w if ${e}]`,
  (e) => `f(${e})`,
  (e) => `(${e}, 1)`,
  (e) => `lambda a=${e}: a`,
];

const EXPR_TO_STMT: Array<(e: Expr) => Stmt> = [
  (e) => [`v = ${e}`],
  (e) => [`def g(a=${e}): pass`],
  (e) => [`async def g(a=${e}): pass`],
  (e) => [`def g(a: ${e}): pass`],
  (e) => [`def g() -> ${e}: pass`],
  (e) => [`@(${e})`, 'def g(): pass'],
  (e) => [`class K(${e}): pass`],
  (e) => [`return ${e}`],
  (e) => [`if ${e}: pass`],
];

const STMT_WRAPPERS: Array<(s: Stmt) => Stmt> = [
  (s) => ['def f():', ...indent(s)],
  (s) => ['async def f():', ...indent(s)],
  (s) => ['async def f():', ...indent(s)],
  (s) => ['class C:', ...indent(s)],
  (s) => ['if False:', ...indent(s)],
  (s) => ['while True:', ...indent(s)],
  (s) => ['with m:', ...indent(s)],
  (s) => ['try:', ...indent(s), 'except E:', '    pass'],
  (s) => ['def f():', '    return', ...indent(s)],
  (s) => ['async def f():', '    def h():', '        pass', ...indent(s)],
];

/** A small deterministic PRNG (mulberry32). */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `count` distinct snippets, each a complete module. */
export function generateSnippets(count: number, seed = 1): string[] {
  const rnd = random(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
  const seen = new Set<string>();
  let attempts = 0;
  while (seen.size < count && attempts++ < count * 50) {
    let stmt: Stmt;
    if (rnd() < 0.55) {
      let e = pick(LEAF_EXPRS);
      const depth = Math.floor(rnd() * 3);
      for (let i = 0; i < depth; i++) e = pick(EXPR_WRAPPERS)(e);
      stmt = pick(EXPR_TO_STMT)(e);
    } else {
      stmt = [...pick(LEAF_STMTS)];
    }
    const frames = Math.floor(rnd() * 4);
    for (let i = 0; i < frames; i++) stmt = pick(STMT_WRAPPERS)(stmt);
    seen.add(stmt.join('\n') + '\n');
  }
  return [...seen];
}
