// A sound shortcut: most Python files cannot produce any Coroscope finding, and parsing is the
// dominant cost, so skip files that cannot. Every rule needs one of these words in the file's code —
// an `async`/`await` keyword, the asyncio module's name, or a task/loop API; no rule reads strings or
// comments for them (a docstring saying "asyncio" makes no finding) — except the coroutine-call
// rules (CORO110–112) when the call goes to a coroutine function of another workspace module; the
// project context answers whether any imported module can supply one. (CORO200/CORO201 findings that
// rest on another module's verdict — an imported function that never returns — are still reported on
// an `await`/`async for`/`async with`, so the keywords cover them.) server/test/prefilter.test.ts
// checks that the CLI's output is identical with and without the shortcut on a real tree.
import { codeText, matchesInCode } from './pythonLines';
import type { AnalyzeOptions } from './types';
import { wordsOf } from './words';

// `async`/`await` as whole words: the keywords, not "asynchronous" in a docstring or asyncore's name
// (JavaScript's \b is ASCII, so a non-ASCII letter next to them still counts as a boundary: harmless).
const TRIGGERS = /\basync\b|\bawait\b|asyncio|create_task|ensure_future|run_until_complete|run_forever/;
const ALL_TRIGGERS = new RegExp(TRIGGERS.source, 'g');
/**
 * Module names in import statements (module part only; over-approximation is harmless), also after `;`
 * or `if x:`. The statement start is checked behind the keyword, so V8 looks for the keyword's letters
 * instead of trying the pattern at every position (same matches, ~3× faster).
 */
const IMPORTS = /(?:from(?<=(?:^|[;:])[ \t]*from)[ \t]+(\.*[\w.]*)[ \t]+import\b|import(?<=(?:^|[;:])[ \t]*import)[ \t]+([\w.]+(?:[ \t]+as[ \t]+\w+)?(?:[ \t]*,[ \t]*[\w.]+(?:[ \t]+as[ \t]+\w+)?)*))/gm;

/** Module names a source imports (relative names keep their dots). */
export function importedModules(text: string): string[] {
  const found: string[] = [];
  for (const m of text.matchAll(IMPORTS)) {
    if (m[1] !== undefined) found.push(m[1]);
    else for (const part of m[2].split(',')) found.push(part.trim().split(/[ \t]+/)[0]);
  }
  return found.filter(Boolean);
}

/**
 * Whether a text's code (not its strings and comments) contains a trigger word, also after Unicode
 * normalisation (Python identifiers are NFKC-normalised). When the text cannot be read with certainty,
 * every occurrence counts.
 */
export function hasTriggers(text: string): boolean {
  if (TRIGGERS.test(text)) {
    // Usually the first occurrence is code (`import asyncio`, `async def`), found after a short read.
    const inCode = matchesInCode(text, ALL_TRIGGERS);
    if (inCode !== false) return true;
  }
  // eslint-disable-next-line no-control-regex
  if (!/[^\x00-\x7f]/.test(text) || !TRIGGERS.test(text.normalize('NFKC'))) return false;
  const code = codeText(text);
  return code === undefined || TRIGGERS.test(code.normalize('NFKC'));
}

/** False only when the analysis of `text` is certain to report nothing. */
export function mayHaveFindings(text: string, options: AnalyzeOptions): boolean {
  if (options.exhaustive || hasTriggers(text)) return true;
  const project = options.project;
  if (!project) return false;
  const imported = importedModules(text);
  if (project.mayReachCoroutines) return imported.length > 0 && project.mayReachCoroutines(imported, wordsOf(text));
  if (!project.mayExportCoroutines) return true;
  return imported.some((m) => project.mayExportCoroutines!(m));
}
