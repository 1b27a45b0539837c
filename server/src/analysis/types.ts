// The analysis core's own vocabulary. Nothing here knows LSP: positions are 0-based lines and UTF-16
// columns (what tree-sitter reports for JS strings, and what LSP happens to use too), so the LSP layer
// converts field by field and the CLI adds 1.

import type { SyntaxTree } from './syntax';

/** A 0-based line and a 0-based column counted in UTF-16 code units. */
export interface Position {
  line: number;
  character: number;
}

/** A half-open range [start, end). */
export interface Range {
  start: Position;
  end: Position;
}

export type Severity = 'error' | 'warning' | 'info' | 'hint';

/** Extra meaning editors can render: greyed-out unreachable code, struck-through deprecated API. */
export type DiagnosticTag = 'unnecessary' | 'deprecated';

/** One replacement of the text in `range` by `newText`. */
export interface TextEdit {
  range: Range;
  newText: string;
}

/** A quick fix: a titled set of edits to the analysed document. */
export interface Fix {
  title: string;
  edits: TextEdit[];
  /** Safe to apply without review (LSP `isPreferred`, and part of fix-all). */
  preferred?: boolean;
}

/** A place elsewhere that explains a diagnostic (the loop that never exits, the coroutine awaited). */
export interface RelatedLocation {
  range: Range;
  message: string;
  /** The file it is in, when not the analysed one (a coroutine of another workspace module). */
  file?: string;
}

/** A place in the analysed file (no `file`) or in another file of the workspace. */
export interface Site {
  range: Range;
  file?: string;
}

/** How calling a function of another workspace module ends, when it never returns normally. */
export interface ExternalEnding {
  /** `raises`: every path raises; `hangs`: it never returns nor raises (an endless loop…). */
  kind: 'raises' | 'hangs';
  /** Why, as a sentence fragment: "`while True` never exits". */
  reason: string;
  /** What is responsible: the loop, the raise, the await that never completes. */
  site: Site;
  /** An `async def`: the ending is awaiting it, calling it only creates the coroutine. */
  isAsync: boolean;
  /** Display name: `consumer`, `Worker.run`. */
  name: string;
  /** The module defining it. */
  module: string;
}

/** One finding of one rule. */
export interface Diagnostic {
  code: string;
  severity: Severity;
  message: string;
  range: Range;
  tags?: DiagnosticTag[];
  fixes?: Fix[];
  related?: RelatedLocation[];
}

/** What a rule is, for `coroscope rules`, docs and hover. */
export interface RuleMeta {
  code: string;
  /** kebab-case name, e.g. `await-outside-async`. */
  name: string;
  severity: Severity;
  summary: string;
  /** Codes other tools use for the same check (Ruff, Pylint, Pyright, flake8-async). */
  equivalents: string[];
}

/** What the analysis needs to resolve imports of other workspace modules. */
export interface ProjectContext {
  /** Answers whether a qualified name is a coroutine function of the workspace. */
  resolver: { coroutine(qualified: string): { module: string; name: string; line: number; file?: string } | undefined };
  /** This file's dotted module name (`pkg.sub.mod`), for relative imports. */
  module: string;
  /** This file is a package's `__init__.py`. */
  isPackage: boolean;
  /**
   * Whether importing `module` (as written in this file, possibly relative) can bring in a coroutine
   * function of the workspace; false lets the analysis skip files that cannot produce findings.
   */
  mayExportCoroutines?(module: string): boolean;
  /**
   * Sharper than mayExportCoroutines: whether names made of the imported modules (as written) and
   * the file's words can resolve to a workspace coroutine function. False is certain.
   */
  mayReachCoroutines?(imported: readonly string[], words: ReadonlySet<string>): boolean;
  /**
   * How calling the workspace function `qualified` (absolute dotted name, e.g. `pkg.jobs.consumer`)
   * ends, when it never returns normally; undefined when it may return or is not a workspace function.
   */
  ending?(qualified: string): ExternalEnding | undefined;
  /**
   * A syntax tree of exactly `text` (this file's text) that the workspace already holds — it parsed
   * the module to answer another file's questions —, so that the analysis need not parse it again.
   */
  parsedTree?(text: string): SyntaxTree | undefined;
  /**
   * The analysis parsed this file's text into `tree`: the workspace may keep it a while, in case
   * another file's question needs the module (verdicts on how its functions end).
   */
  parsed?(tree: SyntaxTree): void;
  /**
   * Whether a prefix of the absolute name `qualified` is a workspace module. False: the answers about it
   * depend on which files exist, not on any file's text (the language server then keeps results that
   * asked about it while other modules are edited). Absent: every name may be.
   */
  isWorkspaceName?(qualified: string): boolean;
}

/** A Python version as [major, minor]; the target decides which syntax CPython accepts. */
export type PythonVersion = [number, number];

export const DEFAULT_PYTHON_VERSION: PythonVersion = [3, 12];

export interface AnalyzeOptions {
  /** Version whose compiler rules await placement follows (3.8–3.13). Default 3.12. */
  pythonVersion?: PythonVersion;
  /** Notebook cells: top-level await is legal (CPython's PyCF_ALLOW_TOP_LEVEL_AWAIT). */
  allowTopLevelAwait?: boolean;
  /** Codes or code prefixes to report; empty or absent means every rule. */
  select?: string[];
  /** Codes or code prefixes never to report; wins over `select`. */
  ignore?: string[];
  /** Cross-module resolution: the workspace's modules and this file's module name. */
  project?: ProjectContext;
  /** Analyse even files the lexical shortcut proves finding-free (used to test that shortcut). */
  exhaustive?: boolean;
  /** Rethrow a rule's exception instead of logging it and carrying on (tests use this to catch rule bugs). */
  throwOnRuleError?: boolean;
}
