// Verdicts on how functions end must not depend on the order questions are asked in: the solver
// (fixpoint.ts) on synthetic graphs, every entry order; and the function index on mutually recursive
// functions, asked in both orders (before the solver, the second one asked inherited the first one's
// "assume it returns" and could come out differently).
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { initAnalysis } from '../src/analysis';
import { CompactTree } from '../src/analysis/compact';
import { ModuleFacts } from '../src/analysis/facts';
import { FixpointSolver } from '../src/analysis/fixpoint';
import type { Ending } from '../src/analysis/functions';
import { parse } from '../src/analysis/parser';
import { buildScopes } from '../src/analysis/scopes';

function permutations<T>(items: T[]): T[][] {
  if (items.length <= 1) return [items];
  return items.flatMap((x, i) => permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [x, ...rest]));
}

/**
 * A toy "never returns" question: a node is stuck if it is marked `loop`, or if it calls (all of its
 * callees must be asked) a stuck node; monotone, like the real one.
 */
function stuckSolver(graph: Record<string, { loop?: boolean; calls: string[] }>, log: string[] = []) {
  const solver: FixpointSolver<string, boolean> = new FixpointSolver((k) => {
    log.push(k);
    let stuck = !!graph[k].loop;
    for (const c of graph[k].calls) if (solver.value(c)) stuck = true;
    return stuck;
  }, { initial: false, same: (a, b) => a === b, order: (a, b) => a.localeCompare(b) });
  return solver;
}

describe('order-independent verdicts', () => {
  before(() => initAnalysis());

  test('the solver gives the same answers whatever is asked first', () => {
    // a ↔ b ↔ c form one component with a loop in c; d calls into it; e ↔ f never loop; g calls itself.
    const graph = {
      a: { calls: ['b'] }, b: { calls: ['c', 'a'] }, c: { loop: true, calls: ['b'] },
      d: { calls: ['a', 'e'] }, e: { calls: ['f'] }, f: { calls: ['e'] }, g: { calls: ['g'] },
    };
    const keys = Object.keys(graph);
    const expected = { a: true, b: true, c: true, d: true, e: false, f: false, g: false };
    for (const order of permutations(keys)) {
      const solver = stuckSolver(graph);
      const answers = Object.fromEntries(order.map((k) => [k, solver.value(k)]));
      assert.deepEqual(answers, expected, `asked in the order ${order.join('')}`);
      for (const k of keys) assert.ok(solver.settled(k));
    }
  });

  test('a component that never settles falls back to the safe answer', () => {
    // x flips whenever it is recomputed: no fixpoint, so both members get `initial`.
    let flips = 0;
    const solver: FixpointSolver<string, number> = new FixpointSolver((k) => (k === 'x' ? solver.value('y') + ++flips : solver.value('x')),
      { initial: 0, same: (a, b) => a === b, order: (a, b) => a.localeCompare(b), maxRounds: 5 });
    assert.equal(solver.value('y'), 0);
    assert.equal(solver.value('x'), 0);
  });

  test('a compute that throws leaves the solver usable', () => {
    let fail = true;
    const solver: FixpointSolver<string, boolean> = new FixpointSolver((k) => {
      if (k === 'b' && fail) throw new Error('boom');
      return k === 'a' ? solver.value('b') : true;
    }, { initial: false, same: (a, b) => a === b, order: (a, b) => a.localeCompare(b) });
    assert.throws(() => solver.value('a'), /boom/);
    fail = false;
    assert.equal(solver.value('a'), true);
  });

  const MUTUAL = [
    'import asyncio', '',
    'async def a():', '    await b()', '',
    'async def b():', '    while True:', '        await a()', '',
    'def f(n):', '    if n:', '        return g(n - 1)', '    g(n)', '',
    'def g(n):', '    f(n)', '    raise ValueError(n)', '',
    'def h():', '    h()', '',
  ].join('\n');

  function endings(text: string, order: string[]): Record<string, Ending> {
    const tree = parse(text);
    const compact = CompactTree.from(tree, text);
    tree.delete();
    const scopes = buildScopes(compact);
    const facts = new ModuleFacts(scopes);
    const byName = new Map(scopes.all.filter((s) => s.kind === 'function').map((s) => [s.name!, facts.functions.info(s)!]));
    return Object.fromEntries(order.map((name) => [name, facts.functions.ending(byName.get(name)!)]));
  }

  test('mutually recursive functions get one verdict, asked in either order', () => {
    const names = ['a', 'b', 'f', 'g', 'h'];
    const first = endings(MUTUAL, names);
    for (const order of [[...names].reverse(), ['b', 'a', 'g', 'f', 'h'], ['g', 'b', 'h', 'a', 'f']]) {
      const again = endings(MUTUAL, order);
      for (const n of names) assert.deepEqual(again[n], first[n], `${n} asked in the order ${order.join('')}`);
    }
    // a awaits b, which loops forever: both hang. f returns on one path; g always ends by raising
    // (or never returns). h only recurses: RecursionError, not a hang — it counts as returning.
    assert.equal(first.a.kind, 'hangs');
    assert.equal(first.b.kind, 'hangs');
    assert.equal(first.f.kind, 'returns');
    assert.notEqual(first.g.kind, 'returns');
    assert.equal(first.h.kind, 'returns');
  });
});
