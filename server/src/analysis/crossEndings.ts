// The workspace's verdicts on how calling one of its functions ends — returns, always raises, or never
// returns (and why, where) — for callers in other modules: `await jobs.consumer(q)` in one file hangs
// because of the `while True` in another. A verdict is worked out on demand from the defining
// module's text, with the same function index and flow walk as a same-file verdict; the functions it
// calls are answered the same way, in whatever module they live. One solver (fixpoint.ts) holds every
// verdict of the workspace, so recursion across modules (a.f → b.g → a.f) is solved as a whole and
// the answer does not depend on which function was asked about first.
//
// Verdicts depend on the text of every module they read and on modules that were looked for and not
// found; invalidate() drops them all when one of those changes.
import { CompactTree } from './compact';
import { ModuleFacts } from './facts';
import { FixpointSolver } from './fixpoint';
import { sameEnding, type Ending, type FunctionInfo } from './functions';
import { parse, parserReady, type SyntaxTree } from './parser';
import { absolutize, ProjectResolver, type ModuleProvider } from './project';
import { buildScopes, type Scope } from './scopes';
import { summarizeModule, type ModuleSummary } from './summary';
import type { ExternalEnding, ProjectContext } from './types';

/** What the verdicts read: the workspace's files, and each file's current text. */
export interface SourceProvider {
  fileOf(module: string): string | undefined;
  /** The file's text as the user sees it (an editor's unsaved buffer before the disk). */
  textOf(file: string): string | undefined;
  /** A summary of the module's current text someone already made (no parse), to spare parsing it here. */
  cachedSummary?(module: string): ModuleSummary | undefined;
}

/**
 * One module parsed for verdicts. The one parse serves both the summary (to resolve names through
 * it) and the function index; scopes are built with every top-level body deferred (walked when a
 * verdict needs it), since a question usually concerns one function of a large module. The tree is
 * the compact one (plain JS, the parser's tree freed at once): walks over it cost array lookups, not
 * calls into WASM, and keeping it does not grow the parser's heap, which never shrinks.
 */
interface Engine {
  module: string;
  file: string;
  tree: CompactTree;
  size: number;
  summary: ModuleSummary;
  facts?: ModuleFacts;
}

const RETURNS: Ending = { kind: 'returns' };
/**
 * Source size (UTF-16 units) of the parsed modules kept between questions, least recently used
 * dropped first; more are kept while a question is being answered. Parsing is the cost (a module is
 * parsed again when a later question needs another of its functions); the compact trees' memory
 * (~10 bytes per character of source, with its facts) is the price.
 */
const KEPT_SOURCE = 1_000_000;
/**
 * Source size of the trees the analysis of the modules themselves made and offered (offer()), kept
 * in case a later question needs one of them; oldest dropped first. Apart from the parsed modules,
 * so that trees of modules nobody asks about (tests) do not push out those that are asked about.
 */
const OFFERED_SOURCE = 1_000_000;

/** Verdicts on the functions of a workspace, for ProjectContext.ending(). */
export class ProjectEndings {
  /** Parsed modules, least recently used first (null: no such file, or unreadable). */
  private engines = new Map<string, Engine | null>();
  /** Summaries outlive the engines they came from: names are resolved through many modules. */
  private summaries = new Map<string, ModuleSummary | null>();
  private solver = this.newSolver();
  /** Answers to outermost questions, by qualified name. */
  private answers = new Map<string, ExternalEnding | undefined>();
  /** Names each module's text defines or imports (the gate before parsing it). */
  private words = new Map<string, LexicalNames | 'unknown' | null>();
  /** Files whose text some verdict or name resolution read. */
  private readonly consulted = new Set<string>();
  /** Modules looked for and not found: creating one can change a verdict. */
  private readonly missing = new Set<string>();
  private readonly resolver: ProjectResolver;
  /** Source size of the parsed modules in `engines`. */
  private keptSource = 0;
  /** Modules parsed here so far (tests and benchmarks: a tree shared with the analysis spares one). */
  parses = 0;
  /** Trees offered by the modules' own analyses, oldest first (see OFFERED_SOURCE). */
  private offered = new Map<string, { file: string; tree: CompactTree }>();
  private offeredSource = 0;
  /** Nesting of ending() calls: engines are evicted only when no question is being answered. */
  private depth = 0;

  /** `keptSource`: how much parsed source to keep between questions (see KEPT_SOURCE). */
  constructor(private readonly modules: SourceProvider, private readonly keptSourceLimit = KEPT_SOURCE) {
    const provider: ModuleProvider = { summary: (m) => this.summary(m), fileOf: (m) => modules.fileOf(m), mayDefine: (q) => this.mayDefine(q) };
    this.resolver = new ProjectResolver(provider);
  }

  /**
   * How calling the workspace function `qualified` (absolute, e.g. `pkg.jobs.consumer`) ends when it
   * never returns normally; undefined when it may return, or is not a function of the workspace.
   */
  ending(qualified: string): ExternalEnding | undefined {
    // Answers to outermost questions are final (nested ones may be provisional inside a cycle).
    const outermost = this.depth === 0;
    if (outermost && this.answers.has(qualified)) return this.answers.get(qualified);
    this.depth++;
    let answer: ExternalEnding | undefined;
    try {
      answer = this.answer(qualified);
    } finally {
      if (--this.depth === 0) this.evict();
    }
    if (outermost) this.answers.set(qualified, answer);
    return answer;
  }

  private answer(qualified: string): ExternalEnding | undefined {
    // Most names called through imports are classes, constants or functions of modules outside the
    // workspace: the modules' text rules them out without a parse.
    if (!this.mayDefine(qualified)) return undefined;
    const def = this.resolver.definition(qualified);
    const facts = def && this.factsOf(def.module);
    const fn = facts && facts.functions.byPath(def.path);
    if (!def || !fn || fn.isGenerator) return undefined;
    const e = this.solver.value(keyOf(def.module, fn));
    if (e.kind === 'returns') return undefined;
    return {
      kind: e.kind, reason: e.kind === 'hangs' ? e.reason : 'it always raises', site: e.site,
      isAsync: fn.isAsync, name: def.path.join('.'), module: def.module,
    };
  }

  /**
   * Whether resolving `qualified` as ProjectResolver.definition() does can end at a function: false
   * when the text of the module it would be looked up in neither defines the name (`def name`, or
   * `class C` … `def m` for `C.m`) nor imports it, nor star-imports a workspace module that may.
   */
  private mayDefine(qualified: string, depth = 0): boolean {
    if (depth > 10) return true;
    const parts = qualified.split('.');
    for (let split = parts.length - 1; split >= 1; split--) {
      const module = parts.slice(0, split).join('.');
      const words = this.wordsOf(module);
      if (!words) continue;
      if (words === 'unknown') return true;
      const [head, ...tail] = parts.slice(split);
      if (words.imported.has(head)) return true;
      if (tail.length === 0 && words.defs.has(head)) return true;
      if (tail.length === 1 && words.classes.has(head) && words.defs.has(tail[0])) return true;
      const file = this.modules.fileOf(module)!;
      return words.stars.some((star) => {
        const target = absolutize(star, module, /__init__\.pyi?$/.test(file));
        return target === undefined || this.mayDefine([target, ...parts.slice(split)].join('.'), depth + 1);
      });
    }
    return false;
  }

  /** A module's names, read from its text (supersets; `unknown` when the text is outside what the expressions read exactly). */
  private wordsOf(module: string): LexicalNames | 'unknown' | undefined {
    let words = this.words.get(module);
    if (words === undefined) {
      const file = this.modules.fileOf(module);
      if (file) this.consulted.add(file); else this.missing.add(module);
      const text = file === undefined ? undefined : this.modules.textOf(file);
      words = text === undefined ? null : lexicalNames(text);
      this.words.set(module, words);
    }
    return words ?? undefined;
  }

  /**
   * A file changed, appeared or went (`module`: its dotted name). Drops every verdict when one may
   * have read it; returns whether any did, so the caller re-checks the files that asked.
   */
  invalidate(file: string, module?: string): boolean {
    if (!this.consulted.has(file) && !(module !== undefined && this.missing.has(module))) return false;
    this.engines = new Map();
    this.keptSource = 0;
    this.offered = new Map();
    this.offeredSource = 0;
    this.summaries = new Map();
    this.answers = new Map();
    this.words = new Map();
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
    const facts = this.factsOf(key.slice(0, sep));
    const scope = facts && scopeAt(facts.scopes.module, Number(key.slice(sep + 1)));
    const fn = scope && facts.functions.info(scope);
    return fn ? facts.functions.bodyEnding(fn) : RETURNS;
  }

  /** The module's summary, parsing it (and keeping the parse for verdicts) unless one is known. */
  summary(module: string): ModuleSummary | undefined {
    let summary = this.summaries.get(module);
    if (summary === undefined) {
      summary = this.engines.get(module)?.summary ?? this.modules.cachedSummary?.(module);
      if (summary) {
        // Read from the file's text as surely as a parse here would have: a change must drop it.
        const file = this.modules.fileOf(module);
        if (file) this.consulted.add(file);
      }
      summary ??= this.engine(module)?.summary ?? null;
      this.summaries.set(module, summary);
      if (this.depth === 0) this.evict();
    }
    return summary ?? undefined;
  }

  /** The module's summary if one is at hand, without parsing. */
  knownSummary(module: string): ModuleSummary | undefined {
    return this.summaries.get(module) ?? this.engines.get(module)?.summary ?? undefined;
  }

  /**
   * The compact tree of `module` kept for verdicts, if it was parsed from exactly `text`: the
   * analysis of that module uses it instead of parsing the module again.
   */
  treeFor(module: string, text: string): CompactTree | undefined {
    const engine = this.engines.get(module);
    return engine && engine.tree.text === text ? engine.tree : undefined;
  }

  private factsOf(module: string): ModuleFacts | undefined {
    const engine = this.engine(module);
    if (!engine) return undefined;
    if (!engine.facts) {
      const file = engine.file;
      const context: ProjectContext = {
        resolver: { coroutine: () => undefined }, module, isPackage: /__init__\.pyi?$/.test(file),
        ending: (q) => this.ending(q),
      };
      const facts = new ModuleFacts(buildScopes(engine.tree, () => true), context);
      facts.functions.file = file;
      facts.functions.endingSource = (fn) => this.solver.value(keyOf(module, fn));
      engine.facts = facts;
    }
    return engine.facts;
  }

  /**
   * The analysis of `file` (module `module`) parsed it into `tree`: kept a while (OFFERED_SOURCE), so
   * that a question about one of its functions does not parse it again. Only compact trees are kept.
   */
  offer(module: string, file: string, tree: SyntaxTree): void {
    if (!(tree instanceof CompactTree) || this.engines.has(module) || this.offered.has(module)) return;
    tree.shrink();
    this.offered.set(module, { file, tree });
    this.offeredSource += tree.text.length;
    for (const [m, o] of this.offered) {
      if (this.offeredSource <= OFFERED_SOURCE) break;
      this.offered.delete(m);
      this.offeredSource -= o.tree.text.length;
    }
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
    if (file) this.consulted.add(file); else this.missing.add(module);
    const text = file && parserReady() ? this.modules.textOf(file) : undefined;
    const offered = this.offered.get(module);
    if (offered) {
      this.offered.delete(module);
      this.offeredSource -= offered.tree.text.length;
    }
    if (file && text !== undefined) {
      // The offered tree serves if it is of this file's current text.
      let tree = offered && offered.file === file && offered.tree.text === text ? offered.tree : undefined;
      if (!tree) {
        const parsed = parse(text);
        this.parses++;
        try { tree = CompactTree.from(parsed, text); } finally { parsed.delete(); }
      }
      engine = { module, file, tree, size: text.length, summary: summarizeModule(tree) };
      this.keptSource += text.length;
    }
    this.engines.set(module, engine);
    return engine ?? undefined;
  }

  private evict(): void {
    for (const [module, engine] of this.engines) {
      if (this.keptSource <= this.keptSourceLimit) break;
      if (!engine) continue;
      this.keptSource -= engine.size;
      this.engines.delete(module);
    }
  }
}

/** Names a module's text may bind, each list a superset of what its summary holds. */
interface LexicalNames {
  /** Every `def` name, at any depth (methods too). */
  defs: Set<string>;
  classes: Set<string>;
  /** Every word of every import statement. */
  imported: Set<string>;
  /** Modules star-imported, as written. */
  stars: string[];
}

/** A statement start: line start (after indentation), `;`, or the `:` of a one-line block. */
const START = String.raw`(?:^|[;:])[ \t]*`;
const DEF = new RegExp(String.raw`${START}(?:async[ \t]+)?def[ \t]+(\w+)`, 'gm');
const CLASS = new RegExp(String.raw`${START}class[ \t]+(\w+)`, 'gm');
/** An import statement, parenthesised or continued with backslashes over several lines. */
const IMPORT = new RegExp(String.raw`${START}(?:from[ \t]+(\.*[\w.]*)[ \t]+)?import\b[ \t]*(\([^)]*\)|(?:[^\n\\]|\\\r?\n)*)`, 'gm');

/** The names of a module's text; 'unknown' for non-ASCII text, whose identifiers `\w` does not read. */
function lexicalNames(text: string): LexicalNames | 'unknown' {
  // eslint-disable-next-line no-control-regex
  if (/[^\x00-\x7f]/.test(text)) return 'unknown';
  const names: LexicalNames = { defs: new Set(), classes: new Set(), imported: new Set(), stars: [] };
  for (const m of text.matchAll(DEF)) names.defs.add(m[1]);
  for (const m of text.matchAll(CLASS)) names.classes.add(m[1]);
  for (const m of text.matchAll(IMPORT)) {
    if (m[1] !== undefined && /^\(?\s*\*/.test(m[2])) names.stars.push(m[1]);
    for (const w of m[2].matchAll(/\w+/g)) names.imported.add(w[0]);
  }
  return names;
}

/** The function scope starting at `start`, walking (deferred) bodies only on the way to it. */
function scopeAt(scope: Scope, start: number): Scope | undefined {
  for (const child of scope.children) {
    const node = child.node;
    if (node.startIndex === start && child.kind === 'function') return child;
    if (node.startIndex <= start && start < node.endIndex) return scopeAt(child, start);
  }
  return undefined;
}

function keyOf(module: string, fn: FunctionInfo): string {
  return `${module}\0${fn.scope.node.startIndex}`;
}
