// The analysis entry point: text (or an already parsed tree) in, diagnostics out.
import { createContext } from './context';
import { CompactTree } from './compact';
import { initParser, parse, parserReady, type SyntaxTree, type Tree } from './parser';
import { RULES } from './rules';
import { buildScopes, type ScopeModel } from './scopes';
import type { ModuleFacts } from './facts';
import { applyNoqa } from './noqa';
import { mayHaveFindings } from './prefilter';
import { isEnabled } from './select';
import type { AnalyzeOptions, Diagnostic } from './types';

const RULE_META = new Map(RULES.map((r) => [r.meta.code, r.meta]));

/** Loads the parser; call (and await) once before analyze(). Safe to call repeatedly. */
export async function initAnalysis(): Promise<void> {
  await initParser();
}

/** True when analyze() can run. */
export function analysisReady(): boolean {
  return parserReady();
}

/**
 * Checks one Python module. Requires initAnalysis() to have resolved. Never throws on malformed
 * source: tree-sitter recovers from syntax errors, and a rule that fails on an odd tree is skipped
 * rather than taking the others down with it.
 */
export function analyze(text: string, options: AnalyzeOptions = {}): Diagnostic[] {
  if (!mayHaveFindings(text, options)) return [];
  const kept = options.project?.parsedTree?.(text);
  if (kept) return analyzeCompact(kept, text, options);
  // The compact tree holds all the analysis reads: the parser's tree can go before the rules run.
  const tree = parse(text);
  let compact: CompactTree;
  try { compact = CompactTree.from(tree, text); } finally { tree.delete(); }
  const diagnostics = analyzeCompact(compact, text, options);
  options.project?.parsed?.(compact);
  return diagnostics;
}

/** Like analyze(), on a tree the caller owns (the server keeps trees for incremental parsing). */
export function analyzeTree(tree: Tree, text: string, options: AnalyzeOptions = {}): Diagnostic[] {
  // The whole module is read: one walk into the compact tree pays for itself many times over.
  return analyzeCompact(CompactTree.from(tree, text), text, options);
}

function analyzeCompact(compact: SyntaxTree, text: string, options: AnalyzeOptions): Diagnostic[] {
  const scopes = buildScopes(compact);
  return finishDiagnostics(runRules(compact, text, scopes, options), text, compact);
}

/**
 * Runs every enabled rule over the scopes in `scopes.all` (not necessarily the whole module) and returns
 * their raw findings, before `# noqa` and sorting. `facts` shares one set of module facts between runs.
 */
export function runRules(tree: SyntaxTree, text: string, scopes: ScopeModel, options: AnalyzeOptions, facts?: ModuleFacts): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const ctx = createContext(text, tree, scopes, options, diagnostics, facts);
  for (const rule of RULES) {
    if (!isEnabled(rule.meta.code, options)) continue;
    try {
      rule.check(ctx);
    } catch (err) {
      if (options.throwOnRuleError) throw err;
      // A rule bug must not hide every other finding; surface it where a developer will see it.
      console.error(`coroscope: rule ${rule.meta.code} failed: ${(err as Error)?.stack ?? err}`);
    }
  }
  return diagnostics;
}

/** Applies `# noqa` comments and sorts by position, then code. */
export function finishDiagnostics(diagnostics: Diagnostic[], text: string, tree: SyntaxTree): Diagnostic[] {
  return sortDiagnostics(applyNoqa(diagnostics, text, tree, RULE_META));
}

/** Sorts diagnostics by start position, then code (stable, so equal keys keep their order). */
export function sortDiagnostics(diagnostics: Diagnostic[]): Diagnostic[] {
  return diagnostics.sort((a, b) =>
    a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character || a.code.localeCompare(b.code));
}
