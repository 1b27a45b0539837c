// Answers to recursive questions ("does calling f ever return?" when f calls g calls f) that do not
// depend on which question was asked first. The questions form a graph discovered while answering
// (computing f's answer asks for g's); Tarjan's algorithm runs on it as it unfolds, so each strongly
// connected component (a set of mutually recursive functions) is known once its root finishes. Inside
// a component every member starts from the same assumption (`initial`, the answer that claims the
// least) and the members are recomputed in a fixed order (`order`, e.g. source position) until no
// answer changes: a fixpoint reached the same way whatever the entry point. Answers outside the
// component are final before the component is solved, and members consult each other only through
// their current values, so the result is a function of the graph alone.
//
// Soundness rests on `initial` being the safe answer ("may return") and `compute` only ever claiming
// more with more information: starting every member at `initial` yields the greatest fixpoint, which
// claims nothing a real execution contradicts. If a component has not settled after `maxRounds`
// rounds (answers that are not monotone could oscillate), every member gets `initial`: still sound,
// still order-independent.

/** How answers are compared and ordered. */
export interface FixpointOptions<K, V> {
  /** The answer assumed for a member of a cycle before it is known; must be the safe one. */
  initial: V;
  same(a: V, b: V): boolean;
  /** A total order on keys, independent of discovery (source position): members are solved in it. */
  order(a: K, b: K): number;
  /** Rounds after which an unsettled component falls back to `initial` (default 16). */
  maxRounds?: number;
}

interface Visit<V> {
  index: number;
  low: number;
  value: V;
  /** Asked for while on the stack: part of a cycle (possibly of itself alone). */
  cyclic: boolean;
}

/** Memoised, order-independent answers to questions that may depend on each other recursively. */
export class FixpointSolver<K, V> {
  private readonly answers = new Map<K, V>();
  private readonly visits = new Map<K, Visit<V>>();
  private readonly stack: K[] = [];
  /** Keys whose compute() is running, innermost last: the asker of a nested value() call. */
  private readonly active: K[] = [];
  /** Members of components being iterated, with their current values. */
  private readonly provisional = new Map<K, V>();
  private counter = 0;

  constructor(private readonly compute: (key: K) => V, private readonly options: FixpointOptions<K, V>) {}

  /** The answer for `key`; called from within compute() it also records the dependency. */
  value(key: K): V {
    const known = this.answers.get(key);
    if (known !== undefined) return known;
    const current = this.provisional.get(key);
    if (current !== undefined) return current;
    const asker = this.active.length ? this.visits.get(this.active[this.active.length - 1]) : undefined;
    const visit = this.visits.get(key);
    if (visit) {
      // On the stack: the asker is in the same component. Every member assumes `initial` for the
      // others until the component is solved as a whole.
      visit.cyclic = true;
      if (asker) asker.low = Math.min(asker.low, visit.index);
      return this.options.initial;
    }
    const outermost = this.active.length === 0;
    try {
      const v = this.discover(key);
      if (asker) asker.low = Math.min(asker.low, v.low);
      return this.answers.get(key) ?? this.provisional.get(key) ?? this.options.initial;
    } catch (err) {
      // A failed compute leaves the walk half done: forget it so later questions start clean.
      if (outermost) this.reset();
      throw err;
    }
  }

  /** Whether an answer is final (tests). */
  settled(key: K): boolean {
    return this.answers.has(key);
  }

  private reset(): void {
    this.visits.clear();
    this.stack.length = 0;
    this.active.length = 0;
    this.provisional.clear();
  }

  private run(key: K): V {
    this.active.push(key);
    try {
      return this.compute(key);
    } finally {
      this.active.pop();
    }
  }

  private discover(key: K): Visit<V> {
    const visit: Visit<V> = { index: this.counter, low: this.counter, value: this.options.initial, cyclic: false };
    this.counter++;
    this.visits.set(key, visit);
    this.stack.push(key);
    visit.value = this.run(key);
    if (visit.low !== visit.index) return visit; // not a root: its component is solved by the root
    const members: K[] = [];
    for (;;) {
      const k = this.stack.pop()!;
      members.push(k);
      if (k === key) break;
    }
    if (members.length === 1 && !visit.cyclic) {
      this.visits.delete(key);
      this.answers.set(key, visit.value);
      return visit;
    }
    this.solve(members);
    return visit;
  }

  /**
   * Iterates a component to its fixpoint. The discovery pass computed every member with the others
   * at `initial`: exactly the first round, so iteration starts from those values.
   */
  private solve(members: K[]): void {
    members.sort(this.options.order);
    for (const k of members) {
      this.provisional.set(k, this.visits.get(k)!.value);
      this.visits.delete(k);
    }
    const limit = this.options.maxRounds ?? 16;
    let settled = false;
    for (let round = 0; round < limit && !settled; round++) {
      settled = true;
      for (const k of members) {
        const v = this.run(k);
        if (!this.options.same(v, this.provisional.get(k)!)) {
          this.provisional.set(k, v);
          settled = false;
        }
      }
    }
    for (const k of members) {
      this.answers.set(k, settled ? this.provisional.get(k)! : this.options.initial);
      this.provisional.delete(k);
    }
  }
}
