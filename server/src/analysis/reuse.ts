// Per-unit reuse of results between versions of one document (the language server, keystroke by
// keystroke). A unit is a top-level `def`, `class` or decorated definition, taken as whole lines. After
// an edit, a unit whose text is unchanged keeps its findings (moved by the lines it moved), provided
// nothing it can observe of the rest of the module changed. What a unit observes of the others is what
// the module's facts expose: the imports (collected from the whole module), and for every function and
// class its name, nesting, `async`, generator-ness, decorators, return annotation, bases and how
// calling it ends (returns, raises, hangs — and why). That is each unit's *digest*; if the digests of
// the edited units (and of the module-level code) are unchanged, so is every other unit's result,
// which is then reused; otherwise the module is analysed afresh. Findings that point into an edited
// unit (related information about a coroutine defined there) are recomputed too.
//
// The module-level code (everything outside the units) is analysed on every version: its names can be
// used anywhere, so its findings depend on every unit. When the module frame itself has unreachable
// code (a region can span units), the classic whole-module analysis runs instead.
import { runRules, finishDiagnostics, sortDiagnostics } from './analyze';
import { ModuleFacts } from './facts';
import { FlowWalker } from './flow';
import { importEntries } from './imports';
import { CompactTree } from './compact';
import type { SyntaxNode, SyntaxTree, TextEdit, Tree } from './parser';
import { bindingPart, splitModuleFrame, type BindingPart } from './locals';
import { buildScopes, walkDeferred, type Scope, type ShellSpec } from './scopes';
import type { AnalyzeOptions, Diagnostic, Position } from './types';
import { digestOf, listUnits, moveDiagnostic, shellOf, unitAt, type Unit, type UnitShell } from './units';

/** What is kept of one unit between versions. */
interface UnitResult {
  start: number;
  end: number;
  startRow: number;
  endRow: number;
  text: string;
  /** Its findings (after `# noqa`), sorted. */
  diagnostics: Diagnostic[];
  digest: string;
  imports: Array<[string, string]>;
  /** How the unit's identifiers count towards module-level names' bindings (see locals.ts), by name. */
  bindingParts: Map<string, BindingPart>;
  /** Its findings consulted other modules (through the project context): they go when those change. */
  usesProject: boolean;
  /** Dropped by forgetProjectResults(): analysed again even though its text is unchanged. */
  stale?: boolean;
  /** Its shell scope, when its header records nothing (then the next version need not visit it). */
  shell?: UnitShell;
}

/** What is kept of a document's last analysis. */
export interface ModuleResults {
  text: string;
  /** The options that produced them (results are reused only under the same options). */
  key: string;
  units: UnitResult[];
  restDigest: string;
  imports: string;
}

/**
 * Something outside the document changed (another module, the workspace index): drop the units whose
 * findings consulted other modules. The others depend on this text alone and stay.
 */
export function forgetProjectResults(results: ModuleResults): void {
  for (const u of results.units) if (u.usesProject) u.stale = true;
}

/** How much an analysis reused (tests check that reuse actually happens). */
export interface ReuseStats {
  reused: number;
  analysed: number;
  /** Why nothing was reused, when nothing was: no earlier results, or an edit other units can observe. */
  fresh?: 'first' | 'observable';
}

/** The options that decide results, as a string; the project resolver's answers are not in it (see forget()). */
export function optionsKey(options: AnalyzeOptions): string {
  const p = options.project;
  return JSON.stringify([options.pythonVersion, options.allowTopLevelAwait, options.select, options.ignore, options.exhaustive, p && [p.module, p.isPackage]]);
}

/**
 * Analyses `tree` (the parse of `text`) reusing `previous` results where the edit from `previous.text`
 * cannot have changed them. Returns undefined when the module is not suited to per-unit analysis (the
 * caller then runs the whole-module analysis, whose results are identical).
 */
export function analyzeUnits(parsed: Tree, text: string, options: AnalyzeOptions, previous?: ModuleResults, edit?: TextEdit): { diagnostics: Diagnostic[]; results: ModuleResults; stats: ReuseStats } | undefined {
  const key = optionsKey(options);
  const old = previous && edit && previous.key === key ? previous : undefined;
  // With results to reuse only the edited units are read: web-tree-sitter's nodes, made on demand.
  // Without, every unit is: the compact tree's single walk is cheaper.
  const tree: SyntaxTree = old ? parsed : CompactTree.from(parsed, text);
  const listed = listUnits(tree, text);
  if (!listed) return undefined;
  const { units, rest } = listed;

  // Which old unit each new one is, when its text is unchanged; and the line shift of each old unit.
  const oldByStart = new Map(old?.units.map((u) => [u.start, u] as const));
  const kept = new Map<UnitResult, { unit: Unit; rows: number }>();
  const matched: Array<UnitResult | undefined> = units.map((u) => {
    if (!old || !edit) return undefined;
    const delta = edit.newEndIndex - edit.oldEndIndex;
    const oldStart = u.end <= edit.startIndex ? u.start : u.start >= edit.newEndIndex ? u.start - delta : undefined;
    const candidate = oldStart === undefined ? undefined : oldByStart.get(oldStart);
    if (!candidate || candidate.stale || candidate.text !== u.text) return undefined;
    kept.set(candidate, { unit: u, rows: u.startRow - candidate.startRow });
    return candidate;
  });
  // Kept findings, moved; a finding pointing into a changed unit or into module-level code is redone.
  const oldUnits = old?.units ?? [];
  const move = (p: Position): Position | undefined => {
    const owner = unitAt(oldUnits, p.line);
    const k = owner && kept.get(owner);
    return k ? { line: p.line + k.rows, character: p.character } : undefined;
  };
  const reusedDiagnostics = new Map<number, Diagnostic[]>();
  matched.forEach((m, i) => {
    if (!m) return;
    const moved: Diagnostic[] = [];
    for (const d of m.diagnostics) {
      const x = moveDiagnostic(d, move);
      if (!x) return;
      moved.push(x);
    }
    reusedDiagnostics.set(i, moved);
  });

  // Scopes: module-level code always, changed units in full, the others as shells walked on demand.
  const unitOfChild = new Map(units.map((u, i) => [u.index, i]));
  const spec = (index: number): ShellSpec | true => {
    const i = unitOfChild.get(index)!;
    const shell = reusedDiagnostics.has(i) ? matched[i]!.shell : undefined;
    if (!shell) return true;
    const u = units[i];
    return {
      kind: shell.kind, name: shell.name, isAsync: shell.isAsync,
      node: () => {
        const n = u.node();
        return n.type === 'decorated_definition' ? n.childForFieldName('definition')! : n;
      },
    };
  };
  const model = buildScopes(tree, spec);
  const dirty = units.map((_, i) => i).filter((i) => !reusedDiagnostics.has(i));
  const unitScopes = new Map<number, Scope[]>();
  for (const i of dirty) {
    const shell = model.deferred?.get(units[i].index);
    unitScopes.set(i, shell ? walkDeferred(shell) : []);
  }

  // Imports in document order, as collectImports() on the whole module would list them.
  const unitImports = units.map((u, i) => (reusedDiagnostics.has(i) ? matched[i]!.imports : importEntries(u.node())));
  const entries: Array<[string, string]> = [];
  let r = 0;
  units.forEach((u, i) => {
    while (r < rest.length && rest[r].startIndex < u.start) entries.push(...importEntries(rest[r++]));
    entries.push(...unitImports[i]);
  });
  while (r < rest.length) entries.push(...importEntries(rest[r++]));
  const imports = new Map(entries);
  const importsKey = JSON.stringify([...imports]);

  // Module-level names are counted part by part; a unit's counts depend on its text alone, so they carry over.
  // (Shared with the previous version's record: same text, same counts.)
  const bindingParts = units.map((u, i) => matched[i]?.bindingParts ?? new Map<string, BindingPart>());
  const identifiers = (nodes: readonly SyntaxNode[]): Map<string, SyntaxNode[]> => {
    const index = new Map<string, SyntaxNode[]>();
    for (const root of nodes) {
      for (const id of root.descendantsOfType('identifier')) {
        if (!id) continue;
        const list = index.get(id.text);
        if (list) list.push(id); else index.set(id.text, [id]);
      }
    }
    return index;
  };
  let restIdentifiers: Map<string, SyntaxNode[]> | undefined;
  const unitIdentifiers = new Map<number, Map<string, SyntaxNode[]>>();
  const moduleNode = tree.rootNode;
  splitModuleFrame(model.module, {
    parts(name) {
      restIdentifiers ??= identifiers(rest);
      const parts = [bindingPart(restIdentifiers.get(name) ?? [], moduleNode)];
      units.forEach((u, i) => {
        let part = bindingParts[i].get(name);
        if (!part) {
          let index = unitIdentifiers.get(i);
          if (!index) unitIdentifiers.set(i, (index = identifiers([u.node()])));
          part = bindingPart(index.get(name) ?? [], moduleNode);
          // A part holding nodes (a module-level assignment inside a unit: never seen) is not kept.
          if (!part.value && !part.target) bindingParts[i].set(name, part);
        }
        parts.push(part);
      });
      return parts;
    },
  });

  const facts = new ModuleFacts(model, options.project, imports);
  // Which units' findings asked about other modules: the code asking is in the unit of its outermost scope.
  const unitOfShell = new Map<Scope, number>();
  for (const [index, shell] of model.deferred ?? []) unitOfShell.set(shell, unitOfChild.get(index)!);
  const usesProject = units.map((_, i) => (reusedDiagnostics.has(i) ? matched[i]!.usesProject : false));
  facts.projectUse = (scope) => {
    let s = scope;
    while (s.parent && s.parent.kind !== 'module') s = s.parent;
    const i = unitOfShell.get(s);
    if (i !== undefined) usesProject[i] = true;
  };
  // Module-level unreachable code can cover units: only the whole-module analysis handles that. Defs
  // and classes always complete, so the module's own statements alone tell whether there is any.
  const walker = new FlowWalker(facts.oracle(model.module));
  const flow = walker.sequence(rest);
  const lastUnit = units[units.length - 1];
  if (walker.regions.length || (!flow.completes && (!flow.cause || (lastUnit && lastUnit.start > flow.cause.node.startIndex)))) return undefined;
  facts.knownRegions(model.module, []);

  const restDiagnostics = finishDiagnostics(runRules(tree, text, model, options, facts), text, tree);
  const analysedScopes = dirty.flatMap((i) => unitScopes.get(i)!);
  const unitDiagnostics = finishDiagnostics(runRules(tree, text, { module: model.module, all: analysedScopes }, options, facts), text, tree);
  const byUnit = new Map<number, Diagnostic[]>(dirty.map((i) => [i, []]));
  const position = new Map(units.map((u, i) => [u, i]));
  for (const d of unitDiagnostics) {
    const u = unitAt(units, d.range.start.line);
    const list = u && byUnit.get(position.get(u)!);
    if (!list) return undefined; // a finding outside the unit that produced it: not ours to split
    list.push(d);
  }

  const digests = units.map((u, i) => (reusedDiagnostics.has(i) ? matched[i]!.digest : digestOf(unitScopes.get(i)!, facts, u.node())));
  // Module-level code that binds names (`x = Path()`, `for x in …`, walrus) decides what units see of
  // those names; only expression statements without `=` (plain calls) cannot bind one.
  const restDigest = [digestOf(model.all, facts), ...rest.filter((n) => n.type !== 'expression_statement' || n.text.includes('=')).map((n) => n.text)].join('\n');
  if (old) {
    // The edited units must look the same from outside; otherwise start again without reuse.
    const reusedOld = new Set(matched.filter((m, i) => m && reusedDiagnostics.has(i)));
    const before = old.units.filter((u) => !reusedOld.has(u)).map((u) => u.digest).join('\n\n');
    const after = dirty.map((i) => digests[i]).join('\n\n');
    if (before !== after || old.restDigest !== restDigest || old.imports !== importsKey) {
      const again = analyzeUnits(parsed, text, options);
      if (again) again.stats.fresh = 'observable';
      return again;
    }
  }

  const results: ModuleResults = {
    text, key, restDigest, imports: importsKey,
    units: units.map((u, i) => ({
      start: u.start, end: u.end, startRow: u.startRow, endRow: u.endRow, text: u.text,
      diagnostics: reusedDiagnostics.get(i) ?? byUnit.get(i)!, digest: digests[i], imports: unitImports[i], bindingParts: bindingParts[i],
      shell: shellOf(model.deferred?.get(u.index)),
      usesProject: usesProject[i],
    })),
  };
  const all = [...restDiagnostics];
  for (const u of results.units) all.push(...u.diagnostics);
  return { diagnostics: sortDiagnostics(all), results, stats: { reused: reusedDiagnostics.size, analysed: dirty.length, fresh: old ? undefined : 'first' } };
}
