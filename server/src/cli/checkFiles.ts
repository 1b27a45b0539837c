// Checks a list of files with the analysis core, in this thread. Used directly by the CLI for small
// trees and by each worker thread (cliWorker.ts) for large ones.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { analyzeTree, type Diagnostic, type PythonVersion } from '../analysis';
import { parse } from '../analysis/parser';
import { mayHaveFindings } from '../analysis/prefilter';
import type { AnalyzeOptions } from '../analysis/types';
import { mergeOptions, ProjectConfigCache } from '../config/pyproject';
import { moduleOf, WorkspaceModules } from '../project/workspace';
import { toFindings, type Finding } from './format';

/** What a checker needs besides the files; plain data so it can cross to a worker thread. */
export interface CheckSettings {
  select?: string[];
  ignore?: string[];
  pythonVersion?: PythonVersion;
  exhaustive?: boolean;
  /** Import roots of every file of the run, so cross-file resolution sees the whole tree. */
  roots: string[];
  /** Absolute paths of every file of the run: a summary parsed before its file's turn keeps the tree. */
  files?: string[];
}

export class FileChecker {
  private readonly projects = new ProjectConfigCache();
  private readonly workspace = new WorkspaceModules();

  constructor(private readonly settings: CheckSettings) {
    for (const root of settings.roots) this.workspace.addRoot(root);
    this.workspace.expectAnalysis(settings.files ?? []);
  }

  /** Findings of one file; unreadable files are reported on stderr and yield none. */
  check(file: string): Finding[] {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      process.stderr.write(`coroscope: cannot read ${file}: ${(err as Error).message}\n`);
      return [];
    }
    const absolute = resolve(file);
    // Command-line flags win over the nearest pyproject.toml's [tool.coroscope].
    const options = mergeOptions(
      { select: this.settings.select, ignore: this.settings.ignore, pythonVersion: this.settings.pythonVersion },
      this.projects.forFile(absolute),
    );
    const diagnostics = this.analyze(absolute, text, { ...options, exhaustive: this.settings.exhaustive, project: this.workspace.contextFor(absolute) });
    return toFindings(file, text, diagnostics);
  }

  /**
   * analyze(), parsing each file at most once per run: the tree a cross-file summary already parsed
   * is reused, and the analysis's tree summarises the file for later lookups from other modules.
   */
  private analyze(file: string, text: string, options: AnalyzeOptions): Diagnostic[] {
    const kept = this.workspace.takeTree(file, text);
    if (!mayHaveFindings(text, options)) { kept?.delete(); return []; }
    const tree = kept ?? parse(text);
    try {
      const diagnostics = analyzeTree(tree, text, options);
      this.workspace.adoptSummary(file, text, tree);
      return diagnostics;
    } finally {
      tree.delete();
    }
  }

  /** Frees what the checker still holds in the parser's heap. */
  dispose(): void {
    this.workspace.dispose();
  }
}

/** The import roots of a set of files. */
export function importRoots(files: readonly string[]): string[] {
  return [...new Set(files.map((f) => moduleOf(resolve(f)).root))];
}

/** The absolute paths of a set of files, as CheckSettings.files wants them. */
export function absolutePaths(files: readonly string[]): string[] {
  return files.map((f) => resolve(f));
}
