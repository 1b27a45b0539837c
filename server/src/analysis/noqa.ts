// `# noqa` suppression, as Ruff and flake8 read it: a bare `# noqa` silences every finding on its
// line; `# noqa: CODE[, CODE]` silences the listed codes — ours, or the codes other tools use for the
// same check (`# noqa: ASYNC251` silences CORO300), so a codebase linted by Ruff needs no second comment.
import type { SyntaxTree } from './parser';
import type { Diagnostic, RuleMeta } from './types';

const NOQA = /#\s*noqa(?::\s*([A-Za-z]+[0-9]+(?:[\s,]+[A-Za-z]+[0-9]+)*))?/i;

/** Codes a `# noqa` on a line suppresses: 'all', a set, or undefined when there is none. */
function noqaOn(lineText: string, line: number, tree: SyntaxTree): 'all' | Set<string> | undefined {
  const m = NOQA.exec(lineText);
  if (!m) return undefined;
  // Only real comments count: `"# noqa"` inside a string does not.
  const node = tree.rootNode.descendantForPosition({ row: line, column: m.index });
  if (node?.type !== 'comment') return undefined;
  if (!m[1]) return 'all';
  return new Set(m[1].split(/[\s,]+/).filter(Boolean).map((c) => c.toUpperCase()));
}

/** Removes the diagnostics a `# noqa` comment on their first line suppresses. */
export function applyNoqa(diagnostics: Diagnostic[], text: string, tree: SyntaxTree, rules: ReadonlyMap<string, RuleMeta>): Diagnostic[] {
  if (!diagnostics.length || !text.includes('noqa')) return diagnostics;
  const lines = text.split('\n');
  const cache = new Map<number, 'all' | Set<string> | undefined>();
  return diagnostics.filter((d) => {
    const line = d.range.start.line;
    if (!cache.has(line)) cache.set(line, noqaOn(lines[line] ?? '', line, tree));
    const noqa = cache.get(line);
    if (!noqa) return true;
    if (noqa === 'all') return false;
    if (noqa.has(d.code)) return false;
    const equivalents = rules.get(d.code)?.equivalents ?? [];
    return !equivalents.some((e) => noqa.has(e.split(' ')[0].toUpperCase()));
  });
}
