// The workspace's Python modules for cross-file resolution, shared by the CLI and the server. Maps
// files to dotted module names (packages are folders with __init__.py, as the import system sees
// them from the folder above the top package) and lazily summarises a module the first time another
// module asks about it. Summaries are cached per file and dropped when the file changes.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, relative, sep } from 'node:path';
import { parse, parserReady } from '../analysis/parser';
import { importedModules } from '../analysis/prefilter';

/** What a module needs to define a coroutine function (NFKC cannot make `async` out of other ASCII). */
const ASYNC_DEF = /\basync\s+def\b/;
import { ProjectEndings } from '../analysis/crossEndings';
import { absolutize, ProjectResolver, type ModuleProvider } from '../analysis/project';
import { summarizeModule, type ModuleSummary } from '../analysis/summary';
import type { ProjectContext } from '../analysis/types';
import { lexicalSummary, type ReachSummary } from './lexicalSummary';
import { mayReachCoroutine, reachSummaryOf, type ModuleGraph } from './reach';

/** `join(dir, name)` for a plain name: the same string, without join's normalising. */
function childPath(dir: string, name: string): string {
  return dir.endsWith(sep) ? dir + name : dir + sep + name;
}

/** Whether `path` is a file on disk (symlinks followed). */
export function isFile(path: string): boolean {
  try { return statSync(path).isFile(); } catch { return false; }
}

/**
 * Module name and import root of a file: walk up while folders are packages. `roots` memoises each
 * folder's import root (one `existsSync` per folder instead of per folder per file); its owner clears it
 * when files change.
 */
export function moduleOf(file: string, roots?: Map<string, string>): { module: string; isPackage: boolean; root: string } {
  const isPackage = basename(file) === '__init__.py';
  const dir = importRootOf(dirname(file), roots);
  const rel = relative(dir, file).replace(/\.pyi?$/, '').split(sep);
  if (isPackage) rel.pop();
  return { module: rel.join('.') || basename(dir), isPackage, root: dir };
}

function importRootOf(dir: string, roots: Map<string, string> | undefined): string {
  let root = roots?.get(dir);
  if (root === undefined) {
    root = existsSync(join(dir, '__init__.py')) && dirname(dir) !== dir ? importRootOf(dirname(dir), roots) : dir;
    roots?.set(dir, root);
  }
  return root;
}

export class WorkspaceModules implements ModuleProvider {
  private readonly roots = new Set<string>();
  private readonly summaries = new Map<string, ModuleSummary | null>();
  /** Folder → its import root, for moduleOf(). */
  private readonly importRoots = new Map<string, string>();
  private readonly files = new Map<string, string | null>();
  readonly resolver = new ProjectResolver(this);
  /** How calling each workspace function ends, for CORO200/CORO201 in the modules calling it. */
  readonly endings = new ProjectEndings({
    fileOf: (m) => this.fileOf(m), textOf: (f) => this.textOf(f),
    cachedSummary: (m) => { const file = this.fileOf(m); return (file && this.summaries.get(file)) || undefined; },
  });

  private readonly overlay: (file: string) => string | undefined;
  /** Whether an overlay was given: without one, only files on disk exist and lookups can take shortcuts. */
  private readonly overlaid: boolean;

  /** `overlay` supplies unsaved editor text for a file, before the disk is read. */
  constructor(overlay?: (file: string) => string | undefined) {
    this.overlay = overlay ?? (() => undefined);
    this.overlaid = overlay !== undefined;
  }

  /** Makes modules under this import root resolvable (the CLI adds every checked file's root). */
  addRoot(root: string): void {
    if (!this.roots.has(root)) { this.roots.add(root); this.files.clear(); this.submoduleCache.clear(); this.reachCache.clear(); this.exportCache.clear(); this.folders.clear(); }
  }

  /** The project context for analysing `file`. */
  contextFor(file: string): ProjectContext {
    const { module, isPackage, root } = moduleOf(file, this.importRoots);
    this.addRoot(root);
    return {
      resolver: this.gatedResolver, module, isPackage,
      isWorkspaceName: (qualified) => this.isWorkspaceName(qualified),
      // Not behind the lexical search: a function that never returns need not be a coroutine.
      ending: (qualified) => this.endings.ending(qualified),
      parsedTree: (text) => this.endings.treeFor(module, text),
      // The server's texts change with every keystroke: only the CLI's analyses offer their trees.
      parsed: this.overlaid ? undefined : (tree) => this.endings.offer(module, file, tree),
      mayExportCoroutines: (imported) => {
        const absolute = absolutize(imported, module, isPackage);
        return absolute === undefined || this.mayExport(absolute, new Set());
      },
      mayReachCoroutines: (imported, words) => {
        const absolute = imported.map((m) => absolutize(m, module, isPackage));
        // Without the parser no module can be summarised, so nothing can be ruled out.
        if (absolute.includes(undefined) || !parserReady()) return true;
        return mayReachCoroutine(this.graph, absolute as string[], words);
      },
    };
  }

  private readonly exportCache = new Map<string, boolean>();
  private readonly reachCache = new Map<string, boolean>();

  /**
   * The resolver behind the lexical search: a qualified name the search proves cannot be a coroutine
   * (most: `os.path.join`, `unittest.TestCase`…) is answered without parsing the modules on its way.
   */
  private readonly gatedResolver = {
    coroutine: (qualified: string) => {
      let may = this.reachCache.get(qualified);
      if (may === undefined) {
        may = !parserReady() || mayReachCoroutine(this.graph, [qualified], new Set(qualified.split('.')));
        this.reachCache.set(qualified, may);
      }
      return may ? this.resolver.coroutine(qualified) : undefined;
    },
  };
  private readonly submoduleCache = new Map<string, Set<string>>();

  /** This workspace seen as the module graph the shortcut's reachability search walks. */
  private readonly graph: ModuleGraph = {
    fileOf: (m) => this.fileOf(m),
    summary: (m) => this.reachSummary(m),
    mayExport: (m) => this.mayExport(m, new Set()),
    submodules: (m) => this.submodules(m),
  };

  private readonly lexicalSummaries = new Map<string, ReachSummary | null>();

  /** A module's summary for the shortcut's search: read lexically when that is exact enough, else parsed. */
  private reachSummary(module: string): ReachSummary | undefined {
    const file = this.fileOf(module);
    if (!file) return undefined;
    let lexical = this.lexicalSummaries.get(file);
    if (lexical === undefined) {
      const text = this.textOf(file);
      lexical = text === undefined ? null : lexicalSummary(text) ?? null;
      this.lexicalSummaries.set(file, lexical);
    }
    if (lexical) return lexical;
    const parsed = this.summary(module);
    return parsed && reachSummaryOf(parsed);
  }

  /** Folder → its plain files (symlinks stat'ed) and sub-folders, or null when unreadable: one readdir instead of a stat per lookup. */
  private readonly listings = new Map<string, { files: Set<string>; dirs: Set<string> } | null>();

  private listing(dir: string): { files: Set<string>; dirs: Set<string> } | null {
    let listing = this.listings.get(dir);
    if (listing === undefined) {
      listing = { files: new Set(), dirs: new Set() };
      try {
        for (const e of readdirSync(dir, { withFileTypes: true })) {
          const link = e.isSymbolicLink();
          if (e.isFile() || (link && isFile(join(dir, e.name)))) listing.files.add(e.name);
          else if (e.isDirectory() || link) listing.dirs.add(e.name);
        }
      } catch { listing = null; }
      this.listings.set(dir, listing);
    }
    return listing;
  }

  /** Whether `root/...path` is a file, reading only folders that exist on the way. */
  private isFileUnder(root: string, path: readonly string[]): boolean {
    let dir = root;
    for (const part of path.slice(0, -1)) {
      if (!this.listing(dir)?.dirs.has(part)) return false;
      dir = join(dir, part);
    }
    return this.listing(dir)?.files.has(path[path.length - 1]) ?? false;
  }

  /** Names of a package's submodules under every import root (files, and folders with __init__.py). */
  private submodules(module: string): Set<string> {
    let cached = this.submoduleCache.get(module);
    if (!cached) {
      const names = new Set<string>();
      for (const root of this.roots) {
        let entries;
        try { entries = readdirSync(join(root, ...module.split('.')), { withFileTypes: true }); } catch { continue; }
        for (const e of entries) {
          if (e.isDirectory()) names.add(e.name);
          else if (/\.pyi?$/.test(e.name)) names.add(e.name.replace(/\.pyi?$/, ''));
        }
      }
      cached = names;
      this.submoduleCache.set(module, cached);
    }
    return cached;
  }

  /**
   * Lexically, can resolving names through `module` reach an `async def` of the workspace? True if
   * the module's file (or, for a package, any file below it: `import pkg` reaches `pkg.sub.f`) says
   * `async`, or if a module it imports can. Modules outside the workspace (stdlib, site-packages)
   * are not resolved by the project resolver, so they cannot.
   */
  private mayExport(module: string, visiting: Set<string>): boolean {
    const cached = this.exportCache.get(module);
    if (cached !== undefined) return cached;
    if (visiting.has(module)) return false;
    const root = visiting.size === 0;
    visiting.add(module);
    let result = false;
    // Any prefix may be a module too (`from a.b import c` imports a.b, and c may be a.b.c).
    const parts = module.split('.');
    for (let n = parts.length; n >= 1 && !result; n--) {
      const name = parts.slice(0, n).join('.');
      const file = this.fileOf(name);
      if (!file) continue;
      const text = this.textOf(file);
      if (text === undefined || ASYNC_DEF.test(text)) { result = true; break; }
      if (basename(file) === '__init__.py' && this.folderSaysAsync(dirname(file))) { result = true; break; }
      const { module: self, isPackage } = moduleOf(file, this.importRoots);
      result = importedModules(text).some((m) => {
        const target = absolutize(m, self, isPackage);
        return target === undefined || this.mayExport(target, visiting);
      });
    }
    // A negative answer inside a cycle may rest on a module still being visited: cache only positives
    // and the outermost query's answer, which are sound.
    if (result || root) this.exportCache.set(module, result);
    return result;
  }

  private readonly folderCache = new Map<string, boolean>();

  private folderSaysAsync(dir: string): boolean {
    let cached = this.folderCache.get(dir);
    if (cached === undefined) {
      cached = false;
      try {
        for (const entry of readdirSync(dir, { withFileTypes: true })) {
          const full = join(dir, entry.name);
          if (entry.isDirectory() ? existsSync(join(full, '__init__.py')) && this.folderSaysAsync(full)
            : /\.pyi?$/.test(entry.name) && ASYNC_DEF.test(this.textOf(full) ?? 'async def')) { cached = true; break; }
        }
      } catch { cached = true; }
      this.folderCache.set(dir, cached);
    }
    return cached;
  }

  /**
   * The last few texts read from disk, without an overlay (the CLI, where files do not change during a
   * run): the search asks mayExport() and then the summary of the same module, one read each otherwise.
   */
  private readonly recentTexts = new Map<string, string | undefined>();

  private textOf(file: string): string | undefined {
    const open = this.overlay(file);
    if (open !== undefined) return open;
    if (this.overlaid) { try { return readFileSync(file, 'utf8'); } catch { return undefined; } }
    if (this.recentTexts.has(file)) return this.recentTexts.get(file);
    let text: string | undefined;
    try { text = readFileSync(file, 'utf8'); } catch { text = undefined; }
    if (this.recentTexts.size >= 16) this.recentTexts.delete(this.recentTexts.keys().next().value!);
    this.recentTexts.set(file, text);
    return text;
  }

  /**
   * Forget what we know about a file that may have been created or deleted (or opened or closed in the
   * editor: an open document exists for lookups even when not on disk). Returns true if an answer
   * given so far read it (its summary, or a verdict on how one of its functions ends).
   */
  invalidate(file: string): boolean {
    this.files.clear();
    this.submoduleCache.clear();
    this.listings.clear();
    this.folders.clear();
    // A package's __init__.py created or deleted moves the import root of every folder below it.
    this.importRoots.clear();
    return this.contentChanged(file);
  }

  /**
   * Forget what we know about the text of a file that still exists (a keystroke in an open document):
   * which files exist is unchanged, so the folder listings and module lookups are kept. Returns true if
   * an answer given so far read it.
   */
  contentChanged(file: string): boolean {
    const had = this.summaries.has(file);
    this.summaries.delete(file);
    this.lexicalSummaries.delete(file);
    // Whether a module may export or reach a coroutine reads the text of the modules on the way.
    this.exportCache.clear();
    this.reachCache.clear();
    this.folderCache.clear();
    this.recentTexts.delete(file);
    // Verdicts on how functions end that read this file (or looked for it in vain) go too.
    const verdicts = this.endings.invalidate(file, moduleOf(file, this.importRoots).module);
    return had || verdicts;
  }

  /**
   * Whether some prefix of the absolute name `qualified` is a module of the workspace. If none is, what
   * the workspace answers about the name (not a workspace coroutine, no verdict) holds until files are
   * created or deleted, whatever their texts become.
   */
  isWorkspaceName(qualified: string): boolean {
    let dot = qualified.length;
    while (dot > 0) {
      if (this.fileOf(qualified.slice(0, dot))) return true;
      dot = qualified.lastIndexOf('.', dot - 1);
    }
    return false;
  }

  fileOf(module: string): string | undefined {
    let cached = this.files.get(module);
    if (cached === undefined && !this.overlaid) {
      cached = this.diskFileOf(module);
      this.files.set(module, cached);
    }
    if (cached === undefined) {
      cached = null;
      const path = module.split('.');
      const last = path[path.length - 1];
      for (const root of this.roots) {
        const base = join(root, ...path);
        const candidates: [string, string[]][] = [[`${base}.py`, [...path.slice(0, -1), `${last}.py`]],
          [join(base, '__init__.py'), [...path, '__init__.py']], [`${base}.pyi`, [...path.slice(0, -1), `${last}.pyi`]]];
        for (const [candidate, parts] of candidates) {
          if (this.overlay(candidate) !== undefined || this.isFileUnder(root, parts)) { cached = candidate; break; }
        }
        if (cached) break;
      }
      this.files.set(module, cached);
    }
    return cached ?? undefined;
  }

  /** Package folders on disk by root and dotted path (`null`: none), each found from its parent's listing. */
  private readonly folders = new Map<string, string | null>();

  private folder(root: string, parts: readonly string[], n: number): string | null {
    if (n === 0) return root;
    const key = `${root}\0${parts.slice(0, n).join('.')}`;
    let dir = this.folders.get(key);
    if (dir === undefined) {
      const parent = this.folder(root, parts, n - 1);
      dir = parent !== null && this.listing(parent)?.dirs.has(parts[n - 1]) ? childPath(parent, parts[n - 1]) : null;
      this.folders.set(key, dir);
    }
    return dir;
  }

  /**
   * fileOf() without an overlay: the same candidates in the same order (`a/b.py`, `a/b/__init__.py`,
   * `a/b.pyi`, root by root), but a name under a folder that does not exist (`os.path.join` → `os/path/`)
   * costs one cached lookup instead of building and testing three paths: the cross-file search asks
   * about every prefix of every dotted name it meets.
   */
  private diskFileOf(module: string): string | null {
    const path = module.split('.');
    const last = path[path.length - 1];
    for (const root of this.roots) {
      const dir = this.folder(root, path, path.length - 1);
      const listing = dir === null ? null : this.listing(dir);
      if (!listing) continue;
      if (listing.files.has(`${last}.py`)) return childPath(dir!, `${last}.py`);
      if (listing.dirs.has(last)) {
        const pkg = childPath(dir!, last);
        if (this.listing(pkg)?.files.has('__init__.py')) return childPath(pkg, '__init__.py');
      }
      if (listing.files.has(`${last}.pyi`)) return childPath(dir!, `${last}.pyi`);
    }
    return null;
  }

  summary(module: string): ModuleSummary | undefined {
    const file = this.fileOf(module);
    if (!file || !parserReady()) return undefined;
    let summary = this.summaries.get(file);
    if (summary === undefined) {
      // Without an overlay (the CLI) files do not change during a run: one cache of parsed modules
      // serves the summaries, the verdicts on how functions end and the analysis of the module
      // itself. The server keeps a summary apart from the verdicts, so that an edit drops only what
      // read the file; it still takes one the verdicts already made.
      summary = (this.overlaid ? this.endings.knownSummary(module) : this.endings.summary(module)) ?? null;
      if (summary) { this.summaries.set(file, summary); return summary; }
      let text = this.overlay(file);
      if (text === undefined) { try { text = readFileSync(file, 'utf8'); } catch { text = undefined; } }
      if (text !== undefined) {
        const tree = parse(text);
        try { summary = summarizeModule(tree); } finally { tree.delete(); }
      }
      this.summaries.set(file, summary);
    }
    return summary ?? undefined;
  }

  /**
   * Indexes a workspace file: registers its import root and, when it can define coroutine functions,
   * summarises it now so that later lookups from any module are immediate.
   */
  indexFile(file: string): void {
    const { module, root } = moduleOf(file, this.importRoots);
    this.addRoot(root);
    const text = this.textOf(file);
    if (text !== undefined && ASYNC_DEF.test(text)) this.summary(module);
  }

  /** Every summarised file (for refreshing dependants). */
  summarisedFiles(): string[] {
    return [...this.summaries.keys()];
  }
}
