// Checks a list of files with the analysis core, in this thread. Used directly by the CLI for small
// trees and by each worker thread (cliWorker.ts) for large ones.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { analyze, type AnalyzeOptions, type PythonVersion } from '../analysis';
import { mayHaveFindings } from '../analysis/prefilter';
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
}

export class FileChecker {
  private readonly projects = new ProjectConfigCache();
  private readonly workspace = new WorkspaceModules();

  constructor(private readonly settings: CheckSettings) {
    for (const root of settings.roots) this.workspace.addRoot(root);
  }

  /** Findings of one file; unreadable files are reported on stderr and yield none. */
  check(file: string): Finding[] {
    const input = this.read(file, true);
    if (!input) return [];
    const diagnostics = analyze(input.text, input.options);
    return toFindings(file, input.text, diagnostics);
  }

  /**
   * False when the file certainly has no finding (the analysis's own lexical shortcut, without
   * parsing); true when it must be analysed, or cannot be read (check() then reports that).
   */
  mayHaveFindings(file: string): boolean {
    const input = this.read(file, false);
    return !input || mayHaveFindings(input.text, input.options);
  }

  private read(file: string, report: boolean): { text: string; options: AnalyzeOptions } | undefined {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      if (report) process.stderr.write(`coroscope: cannot read ${file}: ${(err as Error).message}\n`);
      return undefined;
    }
    const absolute = resolve(file);
    // Command-line flags win over the nearest pyproject.toml's [tool.coroscope].
    const options = mergeOptions(
      { select: this.settings.select, ignore: this.settings.ignore, pythonVersion: this.settings.pythonVersion },
      this.projects.forFile(absolute),
    );
    return { text, options: { ...options, exhaustive: this.settings.exhaustive, project: this.workspace.contextFor(absolute) } };
  }
}

/** The import roots of a set of files. */
export function importRoots(files: readonly string[]): string[] {
  const roots = new Map<string, string>();
  return [...new Set(files.map((f) => moduleOf(resolve(f), roots).root))];
}
