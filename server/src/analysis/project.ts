// Cross-module resolution for the analysis: given summaries of the workspace's modules (supplied by
// whoever knows the files — the CLI's file walker or the server's workspace index), answers whether a
// qualified name (`pkg.client.fetch`, `pkg.client.Client.get`) is a coroutine function, following
// re-exports (`from .client import fetch` in `pkg/__init__.py`) and star imports.
import type { ModuleSummary } from './summary';

/** Where a cross-module coroutine function is defined. */
export interface ExternalCoroutine {
  /** The module that defines it. */
  module: string;
  /** Display name: `fetch`, `Client.get`. */
  name: string;
  /** 0-based line of the definition. */
  line: number;
  /** The file, when known (for related information and hover). */
  file?: string;
}

/** A function defined in a workspace module, found by a qualified name (see ProjectResolver.definition). */
export interface ExternalFunction {
  module: string;
  /** `[name]` for a module-level function, `[class, method]` for a method of a module-level class. */
  path: string[];
}

/** Supplies module summaries by dotted module name. */
export interface ModuleProvider {
  summary(module: string): ModuleSummary | undefined;
  /** The file a module lives in, for messages. */
  fileOf?(module: string): string | undefined;
  /**
   * A cheap test (no parse) whether `qualified` can name a function, used by definition() before it
   * follows an import or star import into a module: false is certain.
   */
  mayDefine?(qualified: string): boolean;
}

/** Turns `.m.k` / `..m.k` imported in `module` into an absolute dotted name. */
export function absolutize(name: string, module: string, isPackage: boolean): string | undefined {
  const dots = /^\.+/.exec(name)?.[0].length ?? 0;
  if (!dots) return name;
  const parts = module.split('.');
  // In pkg/__init__.py (module `pkg`), `.x` means pkg.x; in pkg/mod.py, `.x` also means pkg.x.
  const base = isPackage ? parts : parts.slice(0, -1);
  const up = base.length - (dots - 1);
  if (up < 0) return undefined;
  const rest = name.slice(dots);
  return [...base.slice(0, up), ...(rest ? rest.split('.') : [])].join('.');
}

export class ProjectResolver {
  constructor(private readonly modules: ModuleProvider) {}

  /** Whether `qualified` names a coroutine function defined in a workspace module. */
  coroutine(qualified: string, depth = 0): ExternalCoroutine | undefined {
    if (depth > 10) return undefined;
    const owner = this.owningModule(qualified);
    return owner && this.inModule(owner.module, owner.summary, owner.rest, depth);
  }

  /**
   * The workspace module that owns `qualified`: the longest module prefix that exists (`a.b.c.f` → module
   * a.b.c and `f`; else a.b and `c.f`…). Once a module exists the name is its business: a shorter prefix is
   * never tried.
   */
  private owningModule(qualified: string): { module: string; summary: ModuleSummary; rest: string[] } | undefined {
    const parts = qualified.split('.');
    for (let split = parts.length - 1; split >= 1; split--) {
      const module = parts.slice(0, split).join('.');
      const summary = this.modules.summary(module);
      if (summary) return { module, summary, rest: parts.slice(split) };
    }
    return undefined;
  }

  /**
   * The workspace function (coroutine function or not) that `qualified` names, following re-exports
   * and star imports as coroutine() does. Methods are found in the class that defines them only.
   */
  definition(qualified: string, depth = 0): ExternalFunction | undefined {
    if (depth > 10) return undefined;
    const owner = this.owningModule(qualified);
    if (!owner) return undefined;
    const { module, summary } = owner;
    const [head, ...tail] = owner.rest;
    if (tail.length === 0 && summary.functions.has(head)) return { module, path: [head] };
    if (tail.length === 1 && summary.classes.get(head)?.methods.has(tail[0])) return { module, path: [head, tail[0]] };
    if (summary.functions.has(head) || summary.otherNames.has(head) || summary.classes.has(head)) return undefined;
    const isPackage = this.modules.fileOf?.(module)?.endsWith('__init__.py') ?? false;
    const imported = summary.imports.get(head);
    if (imported) {
      const target = absolutize(imported, module, isPackage);
      const next = target && [target, ...tail].join('.');
      return next && this.modules.mayDefine?.(next) !== false ? this.definition(next, depth + 1) : undefined;
    }
    for (const star of summary.starImports) {
      const target = absolutize(star, module, isPackage);
      const next = target && [target, head, ...tail].join('.');
      const found = next && this.modules.mayDefine?.(next) !== false && this.definition(next, depth + 1);
      if (found) return found;
    }
    return undefined;
  }

  private inModule(module: string, summary: ModuleSummary, rest: string[], depth: number): ExternalCoroutine | undefined {
    const [head, ...tail] = rest;
    const file = this.modules.fileOf?.(module);
    if (tail.length === 0) {
      const line = summary.coroutines.get(head);
      if (line !== undefined) return { module, name: head, line, file };
    }
    if (tail.length === 1) {
      const method = this.method(module, summary, head, tail[0], depth);
      if (method) return method;
    }
    if (summary.coroutines.has(head) || summary.otherNames.has(head) || summary.classes.has(head)) return undefined;
    const imported = summary.imports.get(head);
    if (imported) {
      const isPackage = this.modules.fileOf?.(module)?.endsWith('__init__.py') ?? false;
      const target = absolutize(imported, module, isPackage);
      if (target) return this.coroutine([target, ...tail].join('.'), depth + 1);
    }
    for (const star of summary.starImports) {
      const isPackage = this.modules.fileOf?.(module)?.endsWith('__init__.py') ?? false;
      const target = absolutize(star, module, isPackage);
      const found = target && this.coroutine([target, ...rest].join('.'), depth + 1);
      if (found) return found;
    }
    return undefined;
  }

  /** `Class.method` in a module, through same-workspace base classes. */
  private method(module: string, summary: ModuleSummary, className: string, method: string, depth: number): ExternalCoroutine | undefined {
    const cls = summary.classes.get(className);
    if (!cls) return undefined;
    const line = cls.asyncMethods.get(method);
    if (line !== undefined) return { module, name: `${className}.${method}`, line, file: this.modules.fileOf?.(module) };
    if (cls.methods.has(method) || depth > 10) return undefined;
    for (const base of cls.bases) {
      const qualified = base.includes('.') ? base : `${module}.${base}`;
      const isPackage = this.modules.fileOf?.(module)?.endsWith('__init__.py') ?? false;
      const target = absolutize(qualified, module, isPackage);
      const found = target && this.coroutine(`${target}.${method}`, depth + 1);
      if (found) return found;
    }
    return undefined;
  }
}
