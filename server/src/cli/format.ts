// Output formats of `coroscope check`. Lines and columns are 1-based here, columns counted in
// characters (code points) as Ruff and editors' status bars count them.
import type { Diagnostic } from '../analysis/types';

/** One finding as the JSON format prints it. */
export interface Finding {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  code: string;
  severity: string;
  message: string;
}

/** Converts a UTF-16 column on `lineText` to a 1-based code-point column. */
function column(lineText: string | undefined, utf16: number): number {
  if (!lineText) return utf16 + 1;
  return [...lineText.slice(0, utf16)].length + 1;
}

/** Core diagnostics of one file → findings with 1-based positions. */
export function toFindings(file: string, text: string, diagnostics: readonly Diagnostic[]): Finding[] {
  // Hints tagged Unnecessary only grey out code in editors (CORO200's unreachable range, which also
  // gets a warning per await); in a report they would repeat those warnings.
  diagnostics = diagnostics.filter((d) => !(d.severity === 'hint' && d.tags?.includes('unnecessary')));
  if (!diagnostics.length) return [];
  const lines = text.split('\n');
  return diagnostics.map((d) => ({
    file,
    line: d.range.start.line + 1,
    column: column(lines[d.range.start.line], d.range.start.character),
    endLine: d.range.end.line + 1,
    endColumn: column(lines[d.range.end.line], d.range.end.character),
    code: d.code,
    severity: d.severity,
    message: d.message,
  }));
}

/** Ruff-style text: `path:line:col: CODE message`, then a summary line. */
export function formatText(findings: readonly Finding[], fileCount: number): string {
  const out = findings.map((f) => `${f.file}:${f.line}:${f.column}: ${f.code} ${f.message}`);
  if (findings.length) {
    const files = new Set(findings.map((f) => f.file)).size;
    out.push(`Found ${findings.length} problem${findings.length === 1 ? '' : 's'} in ${files} file${files === 1 ? '' : 's'} (${fileCount} checked).`);
  } else {
    out.push(`All checks passed (${fileCount} file${fileCount === 1 ? '' : 's'} checked).`);
  }
  return out.join('\n') + '\n';
}

export function formatJson(findings: readonly Finding[]): string {
  return JSON.stringify(findings, null, 2) + '\n';
}
