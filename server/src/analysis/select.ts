// Rule selection by code or code prefix, as Ruff's --select/--ignore: `CORO2` selects CORO200, CORO201…
import type { AnalyzeOptions } from './types';

function matches(code: string, patterns: readonly string[]): boolean {
  return patterns.some((p) => p.length > 0 && code.startsWith(p.trim().toUpperCase()));
}

/** Whether a rule code is enabled: selected (or no selection given) and not ignored. */
export function isEnabled(code: string, options: Pick<AnalyzeOptions, 'select' | 'ignore'>): boolean {
  const select = options.select?.filter((s) => s.trim()) ?? [];
  if (select.length && !matches(code, select)) return false;
  return !matches(code, options.ignore ?? []);
}
