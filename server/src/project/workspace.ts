// The workspace's Python modules for cross-file resolution, shared by the CLI and the server. Maps
// files to dotted module names (packages are folders with __init__.py, as the import system sees
// them from the folder above the top package) and lazily summarises a module the first time another
// module asks about it. Summaries are cached per file and dropped when the file changes.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, relative, sep } from 'node:path';
import { parse, parserReady } from '../analysis/parser';
import { ProjectResolver, type ModuleProvider } from '../analysis/project';
import { summarizeModule, type ModuleSummary } from '../analysis/summary';
import type { ProjectContext } from '../analysis/types';

function isFile(path: string): boolean {
  try { return statSync(path).isFile(); } catch { return false; }
}

/** Module name and import root of a file: walk up while folders are packages. */
export function moduleOf(file: string): { module: string; isPackage: boolean; root: string } {
  const isPackage = basename(file) === '__init__.py';
  let dir = dirname(file);
  while (existsSync(join(dir, '__init__.py')) && dirname(dir) !== dir) dir = dirname(dir);
  const rel = relative(dir, file).replace(/\.pyi?$/, '').split(sep);
  if (isPackage) rel.pop();
  return { module: rel.join('.') || basename(dir), isPackage, root: dir };
}

export class WorkspaceModules implements ModuleProvider {
  private readonly roots = new Set<string>();
  private readonly summaries = new Map<string, ModuleSummary | null>();
  private readonly files = new Map<string, string | null>();
  readonly resolver = new ProjectResolver(this);

  /** `overlay` supplies unsaved editor text for a file, before the disk is read. */
  constructor(private readonly overlay: (file: string) => string | undefined = () => undefined) {}

  /** Makes modules under this import root resolvable (the CLI adds every checked file's root). */
  addRoot(root: string): void {
    if (!this.roots.has(root)) { this.roots.add(root); this.files.clear(); }
  }

  /** The project context for analysing `file`. */
  contextFor(file: string): ProjectContext {
    const { module, isPackage, root } = moduleOf(file);
    this.addRoot(root);
    return { resolver: this.resolver, module, isPackage };
  }

  /** Forget what we know about a file (it changed, was created or deleted). Returns true if it had been summarised. */
  invalidate(file: string): boolean {
    const had = this.summaries.has(file);
    this.summaries.delete(file);
    this.files.clear();
    return had;
  }

  fileOf(module: string): string | undefined {
    let cached = this.files.get(module);
    if (cached === undefined) {
      cached = null;
      const path = module.split('.');
      for (const root of this.roots) {
        const base = join(root, ...path);
        for (const candidate of [`${base}.py`, join(base, '__init__.py'), `${base}.pyi`]) {
          if (this.overlay(candidate) !== undefined || isFile(candidate)) { cached = candidate; break; }
        }
        if (cached) break;
      }
      this.files.set(module, cached);
    }
    return cached ?? undefined;
  }

  summary(module: string): ModuleSummary | undefined {
    const file = this.fileOf(module);
    if (!file || !parserReady()) return undefined;
    let summary = this.summaries.get(file);
    if (summary === undefined) {
      summary = null;
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

  /** Every summarised file (for refreshing dependants). */
  summarisedFiles(): string[] {
    return [...this.summaries.keys()];
  }
}
