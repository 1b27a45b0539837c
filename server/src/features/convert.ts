// Core → LSP conversions. The core's positions are already 0-based UTF-16, so ranges map one to one.
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  DiagnosticSeverity, DiagnosticTag,
  type Diagnostic as LspDiagnostic, type Range as LspRange, type TextEdit as LspTextEdit,
} from 'vscode-languageserver';
import type { Diagnostic, DiagnosticTag as CoreTag, Range, Severity, TextEdit } from '../analysis/types';

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

const TAG: Record<CoreTag, DiagnosticTag> = {
  unnecessary: DiagnosticTag.Unnecessary,
  deprecated: DiagnosticTag.Deprecated,
};

export function toLspRange(range: Range): LspRange {
  return { start: { ...range.start }, end: { ...range.end } };
}

export function toLspEdit(edit: TextEdit): LspTextEdit {
  return { range: toLspRange(edit.range), newText: edit.newText };
}

/**
 * One core diagnostic as LSP. The core's fixes ride along in `data` so the code-action feature can
 * offer them without re-running the analysis.
 */
export function toLspDiagnostic(d: Diagnostic, uri: string): LspDiagnostic {
  return {
    range: toLspRange(d.range),
    severity: SEVERITY[d.severity],
    code: d.code,
    source: 'coroscope',
    message: d.message,
    tags: d.tags?.map((t) => TAG[t]),
    relatedInformation: d.related?.map((r) => ({ location: { uri: r.file ? pathToFileURL(r.file).href : uri, range: toLspRange(r.range) }, message: r.message })),
    data: d.fixes?.length ? { fixes: d.fixes } : undefined,
  };
}

/** The local path of a `file:` URI; undefined for other schemes and URIs that name no local path. */
export function filePath(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try { return fileURLToPath(uri); } catch { return undefined; }
}
