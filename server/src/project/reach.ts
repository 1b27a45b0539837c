// Can a file's calls reach a coroutine function of another workspace module? An over-approximation of
// ProjectResolver.coroutine() that the lexical shortcut can afford: every qualified name the analysis
// resolves is made of an imported module's name and identifiers written in the file, and each step
// of the resolver (re-export, star import, base class) only follows a name it already holds. So a
// search that follows only names the file's text contains — plus the parts of the names it picks up
// on the way — finds every coroutine the resolver could, while summarising (parsing) only modules
// on such paths. Without the name restriction, any module importing `contextlib` (which has an
// `async def`) would count, which on the standard library is almost every file.
import { absolutize } from '../analysis/project';
import type { ModuleSummary } from '../analysis/summary';
import type { ReachSummary } from './lexicalSummary';

/** What the search needs to know about the workspace's modules. */
export interface ModuleGraph {
  /** The file of a dotted module name, if the workspace has it. */
  fileOf(module: string): string | undefined;
  /** The module's summary (a lexical one will do); undefined when it cannot be read. */
  summary(module: string): ReachSummary | undefined;
  /** Lexically, whether any `async def` is reachable through the module at all (cheap, cached). */
  mayExport(module: string): boolean;
  /** Names of a package's submodules (files and sub-packages), over every import root. */
  submodules(module: string): ReadonlySet<string>;
}

function isPackageFile(file: string | undefined): boolean {
  return file !== undefined && /__init__\.pyi?$/.test(file);
}

/**
 * Whether resolving, in the module importing them, names built from `imported` (absolute dotted
 * module names) and `words` can end at a workspace coroutine function. False is certain; true may
 * be wrong. The name set only grows and every step is monotone in it, so the search is one worklist
 * to a fixpoint: whatever waits on a name not yet known (a submodule, a class, an import binding, a
 * coroutine) is parked under that name and resumed when the name is learned, and nothing is done twice.
 */
export function mayReachCoroutine(graph: ModuleGraph, imported: readonly string[], words: ReadonlySet<string>): boolean {
  return new Search(graph, words).run(imported);
}

/** Thrown through the worklist when a coroutine (or an unresolvable name) is reached. */
const HIT = Symbol('hit');

/** One search: the names known so far, and the work parked on names not known yet. */
class Search {
  /** Names learned on the way, besides the file's words (kept apart: copying the words would cost more than the search). */
  private readonly learned = new Set<string>();
  private readonly parked = new Map<string, (() => void)[]>();
  private readonly queued = new Set<string>();
  private readonly queue: string[] = [];
  private readonly candidates = new Set<string>();
  /** Packages visited, with their submodules' names: a name learned later may name one. */
  private readonly packages: [string, ReadonlySet<string>][] = [];
  /** Parked work whose name was learned: run from the loop, not inside learn(), so the stack stays shallow. */
  private readonly ready: (() => void)[] = [];

  constructor(private readonly graph: ModuleGraph, private readonly words: ReadonlySet<string>) {}

  private knows(name: string): boolean {
    return this.words.has(name) || this.learned.has(name);
  }

  run(imported: readonly string[]): boolean {
    try {
      for (const m of imported) this.learn(m);
      for (const m of imported) this.enqueue(m);
      while (this.queue.length || this.ready.length) {
        if (this.ready.length) this.ready.pop()!();
        else this.resolveIn(this.queue.pop()!);
      }
      return false;
    } catch (e) {
      if (e === HIT) return true;
      throw e;
    }
  }

  /** Adds the parts of a qualified name, making what waited on them ready. */
  private learn(qualified: string): void {
    for (const part of qualified.split('.')) {
      if (!part || this.knows(part)) continue;
      this.learned.add(part);
      const waiting = this.parked.get(part);
      if (waiting) { this.parked.delete(part); for (const then of waiting) this.ready.push(then); }
      for (const [module, subs] of this.packages) if (subs.has(part)) this.ready.push(() => this.candidate(`${module}.${part}`));
    }
  }

  /** Runs `then` now if `name` is known, else once it is learned. */
  private when(name: string, then: () => void): void {
    if (this.knows(name)) { then(); return; }
    const waiting = this.parked.get(name);
    if (waiting) waiting.push(then); else this.parked.set(name, [then]);
  }

  private enqueue(qualified: string): void {
    if (!this.queued.has(qualified)) { this.queued.add(qualified); this.queue.push(qualified); }
  }

  /**
   * Modules a qualified name starting with `qualified` can be resolved in: its prefixes that are
   * modules, and submodules of those packages named by the words (`import a` … `a.b.f()`).
   */
  private resolveIn(qualified: string): void {
    const parts = qualified.split('.');
    for (let n = parts.length; n >= 1; n--) this.candidate(parts.slice(0, n).join('.'));
  }

  /** Visits a module once, and grows through a package's submodules as the words name them. */
  private candidate(module: string): void {
    if (this.candidates.has(module)) return;
    const file = this.graph.fileOf(module);
    if (!file) return;
    this.candidates.add(module);
    if (isPackageFile(file)) {
      // Submodules named later are found by learn(); those named already, by walking the smaller set.
      const subs = this.graph.submodules(module);
      this.packages.push([module, subs]);
      if (subs.size < this.words.size + this.learned.size) {
        for (const sub of subs) if (this.knows(sub)) this.candidate(`${module}.${sub}`);
      } else {
        for (const known of [this.words, this.learned]) for (const sub of known) if (subs.has(sub)) this.candidate(`${module}.${sub}`);
      }
    }
    this.visit(module, file);
  }

  private visit(module: string, file: string): void {
    if (!this.graph.mayExport(module)) return;
    const summary = this.graph.summary(module);
    if (!summary) return;
    const isPackage = isPackageFile(file);
    const follow = (qualified: string): void => {
      const target = absolutize(qualified, module, isPackage);
      if (target === undefined) throw HIT;
      this.learn(target);
      this.enqueue(target);
    };
    for (const name of summary.coroutines) this.when(name, () => { throw HIT; });
    for (const [name, cls] of summary.classes) {
      this.when(name, () => {
        for (const method of cls.asyncMethods) this.when(method, () => { throw HIT; });
        for (const base of cls.bases) follow(base.includes('.') ? base : `${module}.${base}`);
      });
    }
    for (const [local, target] of summary.imports) this.when(local, () => follow(target));
    for (const star of summary.starImports) follow(star);
  }
}

/** A parsed module's summary in the search's terms. */
export function reachSummaryOf(summary: ModuleSummary): ReachSummary {
  return {
    coroutines: [...summary.coroutines.keys()],
    classes: [...summary.classes].map(([name, cls]) => [name, { asyncMethods: [...cls.asyncMethods.keys()], bases: cls.bases }]),
    imports: summary.imports, starImports: summary.starImports,
  };
}
