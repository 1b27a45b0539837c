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
 * be wrong. The name set only grows, so the search restarts until it stops growing: a module first
 * visited with fewer names is then revisited with all of them.
 */
export function mayReachCoroutine(graph: ModuleGraph, imported: readonly string[], words: ReadonlySet<string>): boolean {
  const names = new Set(words);
  const learn = (qualified: string) => {
    let grew = false;
    for (const part of qualified.split('.')) if (part && !names.has(part)) { names.add(part); grew = true; }
    return grew;
  };
  for (const m of imported) learn(m);
  for (let round = 0; round < 100; round++) {
    let grew = false;
    const visited = new Set<string>();
    const queued = new Set(imported);
    const queue = [...imported];
    while (queue.length) {
      for (const module of candidateModules(graph, queue.pop()!, names)) {
        if (visited.has(module)) continue;
        visited.add(module);
        if (!graph.mayExport(module)) continue;
        const summary = graph.summary(module);
        if (!summary) continue;
        const isPackage = isPackageFile(graph.fileOf(module));
        const follow = (qualified: string): boolean => {
          const target = absolutize(qualified, module, isPackage);
          if (target === undefined) return false;
          if (learn(target)) grew = true;
          if (!queued.has(target)) { queued.add(target); queue.push(target); }
          return true;
        };
        for (const name of summary.coroutines) if (names.has(name)) return true;
        for (const [name, cls] of summary.classes) {
          if (!names.has(name)) continue;
          for (const method of cls.asyncMethods) if (names.has(method)) return true;
          for (const base of cls.bases) if (!follow(base.includes('.') ? base : `${module}.${base}`)) return true;
        }
        for (const [local, target] of summary.imports) if (names.has(local) && !follow(target)) return true;
        for (const star of summary.starImports) if (!follow(star)) return true;
      }
    }
    if (!grew) return false;
  }
  return true;
}

/**
 * Modules a qualified name starting with `qualified` can be resolved in: its prefixes that are
 * modules, and submodules of those packages named by the words (`import a` … `a.b.f()`).
 */
function candidateModules(graph: ModuleGraph, qualified: string, names: ReadonlySet<string>): string[] {
  const found: string[] = [];
  const parts = qualified.split('.');
  for (let n = parts.length; n >= 1; n--) {
    const module = parts.slice(0, n).join('.');
    if (graph.fileOf(module)) found.push(module);
  }
  // Grow from every package found, breadth first, through submodules the words name.
  for (let i = 0; i < found.length; i++) {
    if (!isPackageFile(graph.fileOf(found[i]))) continue;
    const subs = graph.submodules(found[i]);
    // Walk the smaller of the two sets.
    const [small, large] = subs.size < names.size ? [subs, names] : [names, subs];
    for (const sub of small) {
      const child = `${found[i]}.${sub}`;
      if (large.has(sub) && !found.includes(child) && graph.fileOf(child)) found.push(child);
    }
  }
  return found;
}

/** A parsed module's summary in the search's terms. */
export function reachSummaryOf(summary: ModuleSummary): ReachSummary {
  return {
    coroutines: [...summary.coroutines.keys()],
    classes: [...summary.classes].map(([name, cls]) => [name, { asyncMethods: [...cls.asyncMethods.keys()], bases: cls.bases }]),
    imports: summary.imports, starImports: summary.starImports,
  };
}
