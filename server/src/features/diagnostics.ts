// Diagnostics, pushed or pulled. Push: analyse a Python document when it opens or changes and publish
// the result; clear it when the document closes. Bursts of keystrokes coalesce: only the newest
// version of a document is analysed, once the event loop is idle, so typing never queues stale work.
// Pull (textDocument/diagnostic), when the client supports it: answer on request, report "unchanged"
// when neither the text nor anything it depends on changed, and ask the client to re-pull after
// cross-file or settings changes. A server never does both for one client (it would show each twice).
import { DocumentDiagnosticReportKind, type Connection, type Diagnostic as LspDiagnostic, type TextDocuments } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { DocumentTrees, initAnalysis, type AnalyzeOptions } from '../analysis';
import type { ProjectChange } from '../analysis/reuse';
import { toLspDiagnostic } from './convert';

export interface DiagnosticsOptions {
  /** Analysis options for a document (settings, pyproject); called per analysis. */
  optionsFor(uri: string): AnalyzeOptions | Promise<AnalyzeOptions>;
  /** True once the client has said it pulls diagnostics (decided at initialize). */
  pull(): boolean;
}

/** Analyses one document into LSP diagnostics; never throws (errors are logged, nothing reported). */
async function diagnose(connection: Connection, documents: TextDocuments<TextDocument>, trees: DocumentTrees, uri: string, config: DiagnosticsOptions): Promise<{ doc: TextDocument; diagnostics: LspDiagnostic[] } | undefined> {
  try {
    const options = await config.optionsFor(uri);
    // Settings may have taken a round trip: analyse the newest text, and skip closed documents.
    const doc = documents.get(uri);
    if (!doc) return undefined;
    return { doc, diagnostics: trees.analyze(uri, doc.getText(), options).map((d) => toLspDiagnostic(d, uri)) };
  } catch (err) {
    // Malformed input must never take the server down; report and publish nothing for this version.
    connection.console.error(`Coroscope analysis failed for ${uri}: ${(err as Error)?.stack ?? err}`);
    const doc = documents.get(uri);
    return doc ? { doc, diagnostics: [] } : undefined;
  }
}

function isPython(doc: TextDocument): boolean {
  return doc.languageId === 'python' || doc.uri.endsWith('.py') || doc.uri.endsWith('.pyi');
}

/**
 * Wires publishDiagnostics to the document store. Returns a function re-checking every open document
 * after a change outside them (`change`: see ProjectChange; settings changes count as 'files').
 */
export function registerDiagnostics(connection: Connection, documents: TextDocuments<TextDocument>, config: DiagnosticsOptions): (change?: ProjectChange) => void {
  const pending = new Set<string>();
  // Each open document's tree, so a keystroke reparses only what it touched.
  const trees = new DocumentTrees();
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
      const result = await diagnose(connection, documents, trees, uri, config);
      if (result) void connection.sendDiagnostics({ uri, version: result.doc.version, diagnostics: result.diagnostics });
    }
  }

  // Pull: results are identified by document version and a generation bumped by every re-check.
  let generation = 0;
  connection.languages.diagnostics.on(async (params) => {
    try { await ready; } catch { return { kind: DocumentDiagnosticReportKind.Full, items: [] }; }
    const uri = params.textDocument.uri;
    const doc = documents.get(uri);
    const resultId = `${doc?.version ?? 0}:${generation}`;
    if (doc && params.previousResultId === resultId) return { kind: DocumentDiagnosticReportKind.Unchanged, resultId };
    const result = await diagnose(connection, documents, trees, uri, config);
    return { kind: DocumentDiagnosticReportKind.Full, resultId: `${result?.doc.version ?? 0}:${generation}`, items: result?.diagnostics ?? [] };
  });

  function schedule(doc: TextDocument): void {
    if (!isPython(doc) || config.pull()) return;
    pending.add(doc.uri);
    if (scheduled) return;
    scheduled = true;
    setImmediate(() => { void flush(); });
  }

  documents.onDidOpen((e) => schedule(e.document));
  documents.onDidChangeContent((e) => schedule(e.document));
  documents.onDidClose((e) => {
    pending.delete(e.document.uri);
    trees.close(e.document.uri);
    if (!config.pull()) void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
  });

  return (change: ProjectChange = 'files') => {
    generation++;
    // Kept per-function results may depend on what changed (another module, settings).
    trees.forgetResults(change);
    if (config.pull()) void connection.languages.diagnostics.refresh().then(undefined, () => undefined);
    else for (const doc of documents.all()) schedule(doc);
  };
}
