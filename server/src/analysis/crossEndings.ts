// The workspace's verdicts on how calling one of its functions ends — returns, always raises, or never
// returns (and why, where) — for callers in other modules: `await jobs.consumer(q)` in one file hangs
// because of the `while True` in another. A verdict is worked out on demand from the defining
// module's text, with the same function index and flow walk as a same-file verdict; the functions it
// calls are answered the same way, in whatever module they live. One solver (fixpoint.ts) holds every
// verdict of the workspace, so recursion across modules (a.f → b.g → a.f) is solved as a whole and
// the answer does not depend on which function was asked about first.
//
// Verdicts depend on the text of every module they read (through a parse or a summary) and on modules
// that were looked for and not found; invalidate() drops them all when one of those changes.
import { CompactTree } from './compact';
import { ModuleFacts } from './facts';
import { FixpointSolver } from './fixpoint';
import { sameEnding, type Ending, type FunctionInfo } from './functions';
import { parse, parserReady } from './parser';
import { ProjectResolver, type ModuleProvider } from './project';
import { buildScopes } from './scopes';
import type { ExternalEnding, ProjectContext } from './types';

/** What the verdicts read: module summaries and files, and each file's current text. */
export interface SourceProvider extends ModuleProvider {
  fileOf(module: string): string | undefined;
  /** The file's text as the user sees it (an editor's unsaved buffer before the disk). */
  textOf(file: string): string | undefined;
}

/** One module parsed for verdicts: its facts answer how its functions end. */
interface Engine {
  module: string;
  facts: ModuleFacts;
  /** Function scopes by start offset (the solver's keys name functions by module and offset). */
  byStart: Map<number, FunctionInfo>;
}

const RETURNS: Ending = { kind: 'returns' };
/** Parsed modules kept between questions; more are kept while a question is being answered. */
const KEPT_ENGINES = 64;

/** Verdicts on the functions of a workspace, for ProjectContext.ending(). */
export class ProjectEndings {
  private engines = new Map<string, Engine | null>();
  private solver = this.newSolver();
  /** Files whose text or summary some verdict read. */
  private readonly consulted = new Set<string>();
  /** Modules looked for and not found: creating one can change a verdict. */
  private readonly missing = new Set<string>();
  private readonly resolver: ProjectResolver;
  /** Nesting of ending() calls: engines are evicted only when no question is being answered. */
  private depth = 0;

  constructor(private readonly modules: SourceProvider) {
    this.resolver = new ProjectResolver({
      summary: (m) => {
        const file = modules.fileOf(m);
        if (file) this.consulted.add(file); else this.missing.add(m);
        return file ? modules.summary(m) : undefined;
      },
      fileOf: (m) => modules.fileOf(m),
    });
  }

  /**
   * How calling the workspace function `qualified` (absolute, e.g. `pkg.jobs.consumer`) ends when it
   * never returns normally; undefined when it may return, or is not a function of the workspace.
   */
  ending(qualified: string): ExternalEnding | undefined {
    this.depth++;
    try {
      const def = this.resolver.definition(qualified);
      const engine = def && this.engine(def.module);
      const fn = engine && engine.facts.functions.byPath(def.path);
      if (!def || !engine || !fn || fn.isGenerator) return undefined;
      const e = this.solver.value(keyOf(engine.module, fn));
      if (e.kind === 'returns') return undefined;
      return {
        kind: e.kind, reason: e.kind === 'hangs' ? e.reason : 'it always raises', site: e.site,
        isAsync: fn.isAsync, name: def.path.join('.'), module: def.module,
      };
    } finally {
      if (--this.depth === 0) this.evict();
    }
  }

  /**
   * A file changed, appeared or went (`module`: its dotted name). Drops every verdict when one may
   * have read it; returns whether any did, so the caller re-checks the files that asked.
   */
  invalidate(file: string, module?: string): boolean {
    if (!this.consulted.has(file) && !(module !== undefined && this.missing.has(module))) return false;
    this.engines = new Map();
    this.solver = this.newSolver();
    this.consulted.clear();
    this.missing.clear();
    return true;
  }

  private newSolver(): FixpointSolver<string, Ending> {
    return new FixpointSolver<string, Ending>((key) => this.compute(key), {
      initial: RETURNS, same: sameEnding, order: (a, b) => (a < b ? -1 : a > b ? 1 : 0),
    });
  }

  private compute(key: string): Ending {
    const sep = key.lastIndexOf('\0');
    const engine = this.engine(key.slice(0, sep));
    const fn = engine?.byStart.get(Number(key.slice(sep + 1)));
    return engine && fn ? engine.facts.functions.bodyEnding(fn) : RETURNS;
  }

  private engine(module: string): Engine | undefined {
    let engine = this.engines.get(module);
    if (engine !== undefined) {
      // Most recently used last, so eviction drops the least recently used.
      this.engines.delete(module);
      this.engines.set(module, engine);
      return engine ?? undefined;
    }
    engine = null;
    const file = this.modules.fileOf(module);
    const text = file && parserReady() ? this.modules.textOf(file) : undefined;
    if (file) this.consulted.add(file); else this.missing.add(module);
    if (file && text !== undefined) {
      const tree = parse(text);
      let compact: CompactTree;
      try { compact = CompactTree.from(tree, text); } finally { tree.delete(); }
      const scopes = buildScopes(compact);
      const context: ProjectContext = {
        resolver: { coroutine: () => undefined }, module, isPackage: /__init__\.pyi?$/.test(file),
        ending: (q) => this.ending(q),
      };
      const facts = new ModuleFacts(scopes, context);
      facts.functions.file = file;
      facts.functions.endingSource = (fn) => this.solver.value(keyOf(module, fn));
      const byStart = new Map<number, FunctionInfo>();
      for (const s of scopes.all) {
        const info = facts.functions.info(s);
        if (info) byStart.set(s.node.startIndex, info);
      }
      engine = { module, facts, byStart };
    }
    this.engines.set(module, engine);
    return engine ?? undefined;
  }

  private evict(): void {
    for (const module of this.engines.keys()) {
      if (this.engines.size <= KEPT_ENGINES) break;
      this.engines.delete(module);
    }
  }
}

function keyOf(module: string, fn: FunctionInfo): string {
  return `${module}\0${fn.scope.node.startIndex}`;
}
