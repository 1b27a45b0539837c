// Push diagnostics: analyse a Python document when it opens or changes and publish the result; clear
// it when the document closes. Bursts of keystrokes coalesce: only the newest version of a document is
// analysed, once the event loop is idle, so typing never queues stale work.
import type { Connection, Diagnostic as LspDiagnostic, TextDocuments } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { analyze, initAnalysis, type AnalyzeOptions } from '../analysis';
import { toLspDiagnostic } from './convert';

export interface DiagnosticsOptions {
  /** Analysis options for a document (settings, pyproject); called per analysis. */
  optionsFor(uri: string): AnalyzeOptions | Promise<AnalyzeOptions>;
}

function isPython(doc: TextDocument): boolean {
  return doc.languageId === 'python' || doc.uri.endsWith('.py') || doc.uri.endsWith('.pyi');
}

/** Wires publishDiagnostics to the document store. Returns a function re-checking every open document. */
export function registerDiagnostics(connection: Connection, documents: TextDocuments<TextDocument>, config: DiagnosticsOptions): () => void {
  const pending = new Set<string>();
  let scheduled = false;
  const ready = initAnalysis().catch((err) => {
    connection.console.error(`Coroscope could not load the Python parser: ${(err as Error)?.message ?? err}`);
    throw err;
  });

  async function flush(): Promise<void> {
    scheduled = false;
    try { await ready; } catch { return; }
    const uris = [...pending];
    pending.clear();
    for (const uri of uris) {
      let doc = documents.get(uri);
      if (!doc) continue;
      let diagnostics: LspDiagnostic[];
      try {
        const options = await config.optionsFor(uri);
        // Settings may have taken a round trip: analyse the newest text, and skip closed documents.
        doc = documents.get(uri);
        if (!doc) continue;
        diagnostics = analyze(doc.getText(), options).map((d) => toLspDiagnostic(d, uri));
      } catch (err) {
        // Malformed input must never take the server down; report and publish nothing for this version.
        connection.console.error(`Coroscope analysis failed for ${uri}: ${(err as Error)?.stack ?? err}`);
        diagnostics = [];
      }
      if (!doc) continue;
      void connection.sendDiagnostics({ uri, version: doc.version, diagnostics });
    }
  }

  function schedule(doc: TextDocument): void {
    if (!isPython(doc)) return;
    pending.add(doc.uri);
    if (scheduled) return;
    scheduled = true;
    setImmediate(() => { void flush(); });
  }

  documents.onDidOpen((e) => schedule(e.document));
  documents.onDidChangeContent((e) => schedule(e.document));
  documents.onDidClose((e) => {
    pending.delete(e.document.uri);
    void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
  });

  return () => { for (const doc of documents.all()) schedule(doc); };
}
