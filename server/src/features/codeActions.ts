// Quick fixes for Coroscope diagnostics, and `source.fixAll.coroscope` (every preferred fix that does
// not overlap another). The document is re-analysed rather than trusting `data` echoed by the client,
// so any client works and fixes always match the current text.
import { CodeActionKind, type CodeAction, type Connection, type TextDocuments } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { analyze, type Diagnostic, type Range, type TextEdit } from '../analysis';
import { toLspDiagnostic, toLspEdit } from './convert';

export const FIX_ALL_KIND = `${CodeActionKind.SourceFixAll}.coroscope`;

function overlaps(a: Range, b: Range): boolean {
  const before = (p: Range['start'], q: Range['start']) => p.line < q.line || (p.line === q.line && p.character <= q.character);
  return before(a.start, b.end) && before(b.start, a.end);
}

function offset(doc: TextDocument, edit: TextEdit): [number, number] {
  return [doc.offsetAt(edit.range.start), doc.offsetAt(edit.range.end)];
}

/** Preferred fixes whose edits do not touch each other, in document order. */
export function fixAllEdits(doc: TextDocument, diagnostics: Diagnostic[]): TextEdit[] {
  const taken: Array<[number, number]> = [];
  const edits: TextEdit[] = [];
  for (const d of diagnostics) {
    const fix = d.fixes?.find((f) => f.preferred);
    if (!fix) continue;
    const spans = fix.edits.map((e) => offset(doc, e));
    // Insertions at the same point conflict too (two `import asyncio` lines), hence <=/>= on both ends.
    if (spans.some(([s, e]) => taken.some(([ts, te]) => s <= te && ts <= e))) continue;
    taken.push(...spans);
    edits.push(...fix.edits);
  }
  return edits;
}

export function registerCodeActions(
  connection: Connection, documents: TextDocuments<TextDocument>, optionsFor: (uri: string) => Promise<import('../analysis').AnalyzeOptions>,
): void {
  connection.onCodeAction(async (params) => {
    const doc = documents.get(params.textDocument.uri);
    if (!doc) return [];
    let diagnostics: Diagnostic[];
    try {
      diagnostics = analyze(doc.getText(), await optionsFor(doc.uri));
    } catch (err) {
      connection.console.error(`Coroscope code actions failed: ${(err as Error)?.stack ?? err}`);
      return [];
    }
    const uri = doc.uri;
    const only = params.context.only;
    const actions: CodeAction[] = [];
    const wants = (kind: string) => !only || only.some((o) => kind === o || kind.startsWith(o + '.'));
    if (wants(CodeActionKind.QuickFix)) {
      for (const d of diagnostics) {
        if (!d.fixes?.length || !overlaps(d.range, params.range)) continue;
        for (const fix of d.fixes) {
          actions.push({
            title: `${fix.title} (${d.code})`,
            kind: CodeActionKind.QuickFix,
            diagnostics: [toLspDiagnostic(d, uri)],
            isPreferred: fix.preferred ?? false,
            edit: { changes: { [uri]: fix.edits.map(toLspEdit) } },
          });
        }
      }
    }
    if (wants(FIX_ALL_KIND)) {
      const edits = fixAllEdits(doc, diagnostics);
      if (edits.length) actions.push({ title: 'Coroscope: fix all auto-fixable problems', kind: FIX_ALL_KIND, edit: { changes: { [uri]: edits.map(toLspEdit) } } });
    }
    return actions;
  });
}
