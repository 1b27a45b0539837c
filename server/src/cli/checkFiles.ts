// Checks a list of files with the analysis core, in this thread. Used directly by the CLI for small
// trees and by each worker thread (cliWorker.ts) for large ones.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { analyze, type PythonVersion } from '../analysis';
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
    const diagnostics = analyze(text, { ...options, exhaustive: this.settings.exhaustive, project: this.workspace.contextFor(absolute) });
    return toFindings(file, text, diagnostics);
  }
}

/** The import roots of a set of files. */
export function importRoots(files: readonly string[]): string[] {
  return [...new Set(files.map((f) => moduleOf(resolve(f)).root))];
}
