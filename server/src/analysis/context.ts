// What every rule receives: the parsed module, its scopes, the options, and a way to report.
import type { SyntaxNode, SyntaxTree } from './parser';
import { ModuleFacts } from './facts';
import type { ScopeModel } from './scopes';
import { DEFAULT_PYTHON_VERSION, type AnalyzeOptions, type Diagnostic, type PythonVersion, type Range } from './types';

export interface RuleContext {
  text: string;
  tree: SyntaxTree;
  scopes: ScopeModel;
  pythonVersion: PythonVersion;
  allowTopLevelAwait: boolean;
  /** Cross-module resolution, when the caller knows the workspace. */
  project?: AnalyzeOptions['project'];
  /** Shared facts (imports, function index, reachability), computed on first use. */
  readonly facts: ModuleFacts;
  report(diagnostic: Diagnostic): void;
}

/** Converts a tree-sitter node's extent to a core Range (tree-sitter columns are UTF-16 units here). */
export function rangeOf(node: SyntaxNode): Range {
  return {
    start: { line: node.startPosition.row, character: node.startPosition.column },
    end: { line: node.endPosition.row, character: node.endPosition.column },
  };
}

/** Range from the start of `from` to the end of `to`. */
export function spanOf(from: SyntaxNode, to: SyntaxNode): Range {
  return { start: rangeOf(from).start, end: rangeOf(to).end };
}

/** True when the target Python is at least major.minor. */
export function atLeast(version: PythonVersion, major: number, minor: number): boolean {
  return version[0] > major || (version[0] === major && version[1] >= minor);
}

/**
 * The context rules run in. `shared` hands in facts another context already computed (the
 * incremental analysis runs the rules over several parts of one module with one set of facts).
 */
export function createContext(text: string, tree: SyntaxTree, scopes: ScopeModel, options: AnalyzeOptions, sink: Diagnostic[], shared?: ModuleFacts): RuleContext {
  let facts: ModuleFacts | undefined = shared;
  return {
    text, tree, scopes, project: options.project,
    get facts() { return (facts ??= new ModuleFacts(scopes, options.project)); },
    pythonVersion: options.pythonVersion ?? DEFAULT_PYTHON_VERSION,
    allowTopLevelAwait: options.allowTopLevelAwait ?? false,
    report: (d) => { sink.push(d); },
  };
}
