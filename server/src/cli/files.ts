// Which files `coroscope check PATH...` looks at: .py files under the given folders, skipping
// environments and tool folders whose code is not the user's; files named explicitly are always checked.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Folder names never descended into (virtual environments, installed packages, VCS and caches). */
export const SKIPPED_DIRS = new Set(['.venv', 'venv', 'site-packages', 'node_modules', '.git', '__pycache__', '.tox', '.mypy_cache', '.ruff_cache']);

export class MissingPathError extends Error {}

/** Expands the command-line paths into a sorted, de-duplicated list of Python files. */
export function collectPythonFiles(paths: readonly string[]): string[] {
  const found = new Set<string>();
  for (const path of paths) {
    let stat;
    try { stat = statSync(path); } catch { throw new MissingPathError(`${path}: no such file or directory`); }
    if (stat.isDirectory()) walk(path, found);
    else found.add(path);
  }
  return [...found].sort();
}

function walk(dir: string, found: Set<string>): void {
  let entries;
  try { entries = readdirSync(dir, { withFileTypes: true }); } catch { return; }
  for (const entry of entries) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!SKIPPED_DIRS.has(entry.name)) walk(full, found);
    } else if ((entry.isFile() || entry.isSymbolicLink()) && entry.name.endsWith('.py')) {
      found.add(full);
    }
  }
}
