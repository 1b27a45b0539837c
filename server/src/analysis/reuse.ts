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
import { listLayout, relayout, type CodeEntry, type Layout } from './layout';
import type { SyntaxNode, SyntaxTree, TextEdit, Tree } from './parser';
import { bindingPart, splitModuleFrame } from './locals';
import { buildModuleScopes, releaseShell, walkDeferred, type Scope } from './scopes';
import type { AnalyzeOptions, Diagnostic, ProjectContext } from './types';
import { digestOf, moveDiagnostics, newVersion, unitAt, type TreeRef, type UnitState } from './units';

/** What is kept of a document's last analysis. */
export interface ModuleResults extends Layout {
  text: string;
  /** The options that produced them (results are reused only under the same options). */
  key: string;
  restDigest: string;
  imports: string;
  /** The tree the units find their nodes in (the newest version's). */
  ref: TreeRef;
  /** The project context of the analysis, asked again which names are in the workspace when files change. */
  project?: ProjectContext;
}

/** How one version follows the last: the edit between their texts, and the rows whose syntax changed. */
export interface VersionChange {
  edit: TextEdit;
  /** Tree-sitter's changed ranges as rows of the new text; unknown: every row may have changed. */
  changedRows?: ReadonlyArray<readonly [number, number]>;
}

/**
 * What changed outside the document: `files` — which modules exist may have changed (the workspace
 * index, a file created, deleted, opened or closed); `texts` — only the texts of existing modules did
 * (typing in another open document).
 */
export type ProjectChange = 'files' | 'texts';

/**
 * Something outside the document changed: drop the units whose findings consulted other modules — for
 * a change of texts only, those that asked about names inside workspace modules (an answer about
 * `asyncio.sleep`, when no workspace module is `asyncio`, depends on no file's text). The others
 * depend on this text alone and stay.
 */
export function forgetProjectResults(results: ModuleResults, change: ProjectChange = 'files'): void {
  const inWorkspace = results.project?.isWorkspaceName;
  for (const u of results.units) {
    if (u.readsProject) u.stale = true;
    // Names that were outside every workspace module are answered the same while they still are.
    else if (change === 'files' && u.askedOutside.some((name) => inWorkspace?.(name) ?? true)) u.stale = true;
  }
}

/** How much an analysis reused (tests check that reuse actually happens). */
export interface ReuseStats {
  reused: number;
  analysed: number;
  /**
   * Why nothing was reused, when nothing was: no earlier results, an edit other units can observe, or
   * too many units to analyse again (most findings dropped after another module changed).
   */
  fresh?: 'first' | 'observable' | 'most';
}

/** The options that decide results, as a string; the project resolver's answers are not in it (see forget()). */
export function optionsKey(options: AnalyzeOptions): string {
  const p = options.project;
  return JSON.stringify([options.pythonVersion, options.allowTopLevelAwait, options.select, options.ignore, options.exhaustive, p && [p.module, p.isPackage]]);
}

/**
 * The unit each shell scope belongs to (shells live as long as their unit: they are reused by the next
 * version), so that a question about other modules is charged to its unit without a map per version.
 */
const unitOfShell = new WeakMap<Scope, UnitState>();

/** More units to analyse again than this (and a quarter of them): analyse the module afresh instead. */
const MOST_UNITS = 16;

/** Every row of a text, for a change whose changed ranges are unknown. */
const ALL_ROWS: ReadonlyArray<readonly [number, number]> = [[0, Infinity]];

/**
 * Analyses `parsed` (the parse of `text`) reusing `previous` results where the change from
 * `previous.text` cannot have changed them. Returns undefined when the module is not suited to per-unit
 * analysis (the caller then runs the whole-module analysis, whose results are identical). `previous`
 * is updated in place (its units are moved and refilled): the caller must not use it afterwards.
 */
export function analyzeUnits(parsed: Tree, text: string, options: AnalyzeOptions, previous?: ModuleResults, change?: VersionChange): { diagnostics: Diagnostic[]; results: ModuleResults; stats: ReuseStats } | undefined {
  const key = optionsKey(options);
  const old = previous && change && previous.key === key ? previous : undefined;
  // With results to reuse only the edited units are read: web-tree-sitter's nodes, made on demand.
  // Without, every unit is: the compact tree's single walk is cheaper.
  const tree: SyntaxTree = old ? parsed : CompactTree.from(parsed, text);
  const root = tree.rootNode;
  const ref: TreeRef = old ? old.ref : { root, code: new Map(), units: new Map() };
  newVersion(ref, root);
  let layout: Layout | undefined;
  let before = '';
  if (old && change) {
    // Tree-sitter's changed ranges bound what to list again; if the old layout does not fit them, list all.
    const r = relayout(old, old.text, ref, text, change.edit, change.changedRows ?? ALL_ROWS)
      ?? (change.changedRows ? relayout(old, old.text, ref, text, change.edit, ALL_ROWS) : undefined);
    if (!r) return undefined;
    // Which units are analysed again: the listed ones, and kept ones dropped by forgetProjectResults().
    const olds = r.units;
    for (let i = 0; i < olds.length; i++) olds[i].dirty = olds[i].moved === undefined || olds[i].stale;
    for (let i = 0; i < r.region.length; i++) if (r.region[i].moved === undefined) r.region[i].dirty = true;
    // Kept findings move with their unit; one pointing into a unit analysed again is redone.
    const rowsOf = (line: number): number | undefined => {
      const owner = unitAt(olds, line);
      return owner && !owner.stale ? owner.moved : undefined;
    };
    for (let i = 0; i < olds.length; i++) {
      const x = olds[i];
      if (x.dirty || !x.diagnostics.length) continue;
      const moved = moveDiagnostics(x.diagnostics, rowsOf);
      if (moved) x.diagnostics = moved; else x.dirty = true;
    }
    // With most units to analyse again (their findings asked other modules, and one changed: the
    // workspace index finishing, a file saved), reading them one by one through web-tree-sitter's nodes
    // costs several times the whole-module analysis through the compact tree.
    let dirty = 0;
    for (let i = 0; i < olds.length; i++) if (olds[i].dirty) dirty++;
    if (dirty > MOST_UNITS && dirty * 4 > olds.length) {
      const again = analyzeUnits(parsed, text, options);
      if (again) again.stats.fresh = 'most';
      return again;
    }
    // What the other units saw of the ones analysed again (compared with what they expose now, below).
    for (let i = 0; i < olds.length; i++) if (olds[i].dirty) before += (before ? '\n\n' : '') + olds[i].digest;
    r.commit();
    layout = r;
  } else {
    layout = listLayout(ref, text);
    if (!layout) return undefined;
  }
  const { units, code } = layout;

  // Scopes: module-level code always, units analysed again in full, the others as shells walked on demand.
  const codeNode = (entry: CodeEntry): SyntaxNode => ref.code.get(entry.nodeStart) ?? (ref.root.firstChildForIndex ? ref.root.firstChildForIndex(entry.nodeStart)! : ref.root.children.find((c) => c && c.endIndex > entry.nodeStart)!);
  const rest: SyntaxNode[] = [];
  const model = buildModuleScopes(root, (add) => {
    let c = 0;
    for (let i = 0; i < units.length; i++) {
      const x = units[i];
      while (c < code.length && code[c].startRow < x.startRow) { const n = codeNode(code[c++]); rest.push(n); add.code(n); }
      if (!x.dirty && x.shell) {
        const scope = add.shell(x.shell, x.scope);
        if (scope !== x.scope) unitOfShell.set(scope, x);
        x.scope = scope;
        continue;
      }
      const { shell, inert } = add.unit(x.node());
      // The last version's shell is not used again: cut its links to that version (see UnitState.drop).
      if (x.scope) releaseShell(x.scope);
      x.scope = shell;
      if (shell) unitOfShell.set(shell, x);
      x.shell = shell && inert && (shell.kind === 'function' || shell.kind === 'class') ? { kind: shell.kind, name: shell.name, isAsync: shell.isAsync, node: x.definition } : undefined;
    }
    while (c < code.length) { const n = codeNode(code[c++]); rest.push(n); add.code(n); }
  });
  const analysedScopes: Scope[] = [];
  const walked = new Map<UnitState, Scope[]>();
  for (let i = 0; i < units.length; i++) {
    const x = units[i];
    if (!x.dirty) continue;
    const scopes = x.scope ? walkDeferred(x.scope) : [];
    walked.set(x, scopes);
    for (const s of scopes) analysedScopes.push(s);
  }

  // Imports in document order, as collectImports() on the whole module would list them.
  const entries: Array<[string, string]> = [];
  let r = 0;
  for (let i = 0; i < units.length; i++) {
    const x = units[i];
    while (r < rest.length && rest[r].startIndex < x.start) for (const e of importEntries(rest[r++])) entries.push(e);
    if (x.dirty) x.imports = importEntries(x.node());
    for (let k = 0; k < x.imports.length; k++) entries.push(x.imports[k]);
  }
  while (r < rest.length) for (const e of importEntries(rest[r++])) entries.push(e);
  const imports = new Map(entries);
  const importsKey = JSON.stringify([...imports]);

  // Module-level names are counted part by part; a unit's counts depend on its text alone, so they carry over.
  const identifiers = (nodes: readonly SyntaxNode[]): Map<string, SyntaxNode[]> => {
    const index = new Map<string, SyntaxNode[]>();
    for (const node of nodes) {
      for (const id of node.descendantsOfType('identifier')) {
        if (!id) continue;
        const list = index.get(id.text);
        if (list) list.push(id); else index.set(id.text, [id]);
      }
    }
    return index;
  };
  let restIdentifiers: Map<string, SyntaxNode[]> | undefined;
  const unitIdentifiers = new Map<UnitState, Map<string, SyntaxNode[]>>();
  splitModuleFrame(model.module, {
    forEachPart(name, visit) {
      restIdentifiers ??= identifiers(rest);
      visit(bindingPart(restIdentifiers.get(name) ?? [], root));
      for (let i = 0; i < units.length; i++) {
        const x = units[i];
        let part = x.bindingParts.get(name);
        if (!part) {
          let index = unitIdentifiers.get(x);
          if (!index) unitIdentifiers.set(x, (index = identifiers([x.node()])));
          part = bindingPart(index.get(name) ?? [], root);
          // A part holding nodes (a module-level assignment inside a unit: never seen) is not kept.
          if (!part.value && !part.target) x.bindingParts.set(name, part);
        }
        visit(part);
      }
    },
  });

  const facts = new ModuleFacts(model, options.project, imports);
  // Which units' findings asked about other modules: the code asking is in the unit of its outermost scope.
  for (let i = 0; i < units.length; i++) {
    const x = units[i];
    if (x.dirty) { x.readsProject = false; x.askedOutside = []; }
  }
  const project = options.project;
  facts.projectUse = (scope, qualified) => {
    let s = scope;
    while (s.parent && s.parent.kind !== 'module') s = s.parent;
    const x = unitOfShell.get(s);
    if (!x || x.readsProject) return;
    if (qualified === undefined || !project?.isWorkspaceName || project.isWorkspaceName(qualified)) x.readsProject = true;
    else if (!x.askedOutside.includes(qualified)) x.askedOutside.push(qualified);
  };
  // Module-level unreachable code can cover units: only the whole-module analysis handles that. Defs
  // and classes always complete, so the module's own statements alone tell whether there is any.
  const walker = new FlowWalker(facts.oracle(model.module));
  const flow = walker.sequence(rest);
  const lastUnit = units[units.length - 1];
  if (walker.regions.length || (!flow.completes && (!flow.cause || (lastUnit && lastUnit.start > flow.cause.node.startIndex)))) return undefined;
  facts.knownRegions(model.module, []);

  const restDiagnostics = finishDiagnostics(runRules(tree, text, model, options, facts), text, tree);
  const unitDiagnostics = finishDiagnostics(runRules(tree, text, { module: model.module, all: analysedScopes }, options, facts), text, tree);
  for (let i = 0; i < units.length; i++) if (units[i].dirty) units[i].diagnostics = [];
  for (const d of unitDiagnostics) {
    const x = unitAt(units, d.range.start.line);
    if (!x?.dirty) return undefined; // a finding outside the unit that produced it: not ours to split
    x.diagnostics.push(d);
  }

  let after = '';
  for (let i = 0; i < units.length; i++) {
    const x = units[i];
    if (!x.dirty) continue;
    x.digest = digestOf(walked.get(x)!, facts, x.node());
    after += (after ? '\n\n' : '') + x.digest;
  }
  // Module-level code that binds names (`x = Path()`, `for x in …`, walrus) decides what units see of
  // those names; only expression statements without `=` (plain calls) cannot bind one.
  const restDigest = [digestOf(model.all, facts), ...rest.filter((n) => n.type !== 'expression_statement' || n.text.includes('=')).map((n) => n.text)].join('\n');
  if (old && (before !== after || old.restDigest !== restDigest || old.imports !== importsKey)) {
    // The edited units must look the same from outside; otherwise start again without reuse.
    const again = analyzeUnits(parsed, text, options);
    if (again) again.stats.fresh = 'observable';
    return again;
  }

  let reused = 0;
  const all = restDiagnostics;
  for (let i = 0; i < units.length; i++) {
    const x = units[i];
    if (x.dirty) x.stale = false; else reused++;
    for (let k = 0; k < x.diagnostics.length; k++) all.push(x.diagnostics[k]);
  }
  const results: ModuleResults = { text, key, restDigest, imports: importsKey, units, code, ref, project: options.project };
  return { diagnostics: sortDiagnostics(all), results, stats: { reused, analysed: units.length - reused, fresh: old ? undefined : 'first' } };
}
