// The Coroscope language server. This file only wires: the connection (transport chosen from argv:
// --stdio, --node-ipc, --socket=N, as vscode-languageserver does), the document store, and the
// features. Analysis lives in ./analysis, LSP conversions in ./features.
import { createConnection, ProposedFeatures, TextDocuments, TextDocumentSyncKind } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { registerDiagnostics } from './features/diagnostics';

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);

connection.onInitialize(() => ({
  capabilities: {
    textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
  },
  serverInfo: { name: 'coroscope', version: '0.1.0' },
}));

registerDiagnostics(connection, documents, { optionsFor: () => ({}) });

// A bug anywhere must not kill the server mid-session; log it where the client's output channel shows it.
process.on('uncaughtException', (err) => connection.console.error(`Coroscope server error: ${err?.stack ?? err}`));
process.on('unhandledRejection', (err) => connection.console.error(`Coroscope server error: ${(err as Error)?.stack ?? err}`));

documents.listen(connection);
connection.listen();
